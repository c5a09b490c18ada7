// A "single file web page" (MHT/MHTML: Word's and Internet Explorer's 单个文件网页, and what web
// systems export as .doc) unpacked into an HTML file and its pictures, which LibreOffice converts:
// LibreOffice itself reads an MHT as plain text and prints its MIME source. Also: web pages are
// given to LibreOffice without references to the network or to other files on this machine.

export interface UnpackedPage {
  /** the page's HTML, its pictures' references pointing at `parts` */
  html: Buffer;
  /** the pictures and style sheets, by the file names the HTML now uses */
  parts: { name: string; bytes: Buffer }[];
}

interface Part {
  headers: Map<string, string>;
  body: Buffer;
}

/** Parts in one MHT at most, and the bytes it may unpack to. */
const MAX_PARTS = 2000;

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  // folded lines (a line starting with white space continues the one before)
  for (const line of text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** A header's parameter (`boundary`, `charset`, `type`), quoted or not. */
function param(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Split a head (headers, blank line, body) at the first blank line. */
function splitHead(buf: Buffer): { head: string; body: Buffer } {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  const at = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
  if (at < 0) return { head: buf.toString('latin1'), body: Buffer.alloc(0) };
  const skip = at === crlf ? 4 : 2;
  return { head: buf.subarray(0, at).toString('latin1'), body: buf.subarray(at + skip) };
}

function decodeBody(body: Buffer, encoding: string | undefined): Buffer {
  const e = (encoding ?? '').toLowerCase();
  if (e === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (e === 'quoted-printable') {
    const s = body.toString('latin1').replace(/=\r?\n/g, '');
    const out: number[] = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
        out.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else out.push(s.charCodeAt(i) & 0xff);
    }
    return Buffer.from(out);
  }
  return body;
}

function parts(buf: Buffer): { top: Map<string, string>; parts: Part[] } | undefined {
  const { head, body } = splitHead(buf);
  const top = parseHeaders(head);
  const boundary = param(top.get('content-type'), 'boundary');
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const out: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0 && out.length < MAX_PARTS) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString('latin1') === '--') break; // the closing delimiter
    const next = body.indexOf(delimiter, start);
    const raw = body.subarray(start, next < 0 ? body.length : next).subarray(0);
    // (the line break after the delimiter, and the one before the next, belong to neither part)
    const text = raw.subarray(raw[0] === 0x0d && raw[1] === 0x0a ? 2 : raw[0] === 0x0a ? 1 : 0);
    const trimmed = text.subarray(0, text.length - (text.subarray(-2).toString('latin1') === '\r\n' ? 2 : text.subarray(-1).toString('latin1') === '\n' ? 1 : 0));
    const p = splitHead(trimmed);
    const headers = parseHeaders(p.head);
    out.push({ headers, body: decodeBody(p.body, headers.get('content-transfer-encoding')) });
    at = next;
  }
  return { top, parts: out };
}

const EXT_OF: Record<string, string> = {
  'image/png': 'png', 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/gif': 'gif', 'image/bmp': 'bmp', 'image/x-wmf': 'wmf',
  'image/x-emf': 'emf', 'image/svg+xml': 'svg', 'text/css': 'css', 'text/xml': 'xml', 'image/webp': 'webp',
};

/** Unpack an MHT; undefined when it is not a multipart MIME document with an HTML part. */
export function unpackMht(buf: Buffer): UnpackedPage | undefined {
  const m = parts(buf);
  if (!m) return undefined;
  const startId = param(m.top.get('content-type'), 'start')?.replace(/^<|>$/g, '');
  const root =
    (startId ? m.parts.find((p) => p.headers.get('content-id')?.replace(/^<|>$/g, '') === startId) : undefined) ??
    m.parts.find((p) => /^text\/html\b/i.test(p.headers.get('content-type') ?? '')) ??
    // a single-part MHT: the message itself is the page
    undefined;
  if (!root) return undefined;
  let html = root.body.toString('latin1');
  const rootLocation = root.headers.get('content-location');
  const rootDir = rootLocation ? rootLocation.slice(0, rootLocation.lastIndexOf('/') + 1) : '';
  const out: UnpackedPage['parts'] = [];
  let n = 0;
  for (const p of m.parts) {
    if (p === root) continue;
    const type = (p.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const location = p.headers.get('content-location');
    const id = p.headers.get('content-id')?.replace(/^<|>$/g, '');
    const ext = EXT_OF[type] ?? /\.([A-Za-z0-9]{1,5})$/.exec(location ?? '')?.[1]?.toLowerCase() ?? 'bin';
    const name = `mht-part-${String(++n).padStart(4, '0')}.${ext}`;
    out.push({ name, bytes: p.body });
    // every way the page may refer to the part: its full location, relative to the page, by its id
    const refs = new Set<string>();
    if (location) {
      refs.add(location);
      if (rootDir && location.startsWith(rootDir)) refs.add(location.slice(rootDir.length));
    }
    if (id) refs.add(`cid:${id}`);
    for (const ref of [...refs].sort((a, b) => b.length - a.length)) html = html.split(ref).join(name);
  }
  // the page's own charset, where only the MIME header says it
  const charset = param(root.headers.get('content-type'), 'charset');
  if (charset && !/<meta[^>]+charset/i.test(html)) html = `<meta http-equiv="Content-Type" content="text/html; charset=${charset}">\n${html}`;
  return { html: Buffer.from(html, 'latin1'), parts: out };
}

/**
 * A web page without references that would make LibreOffice fetch from the network or read other
 * files of this machine (`src`/`background` to http, https, ftp or file URLs, and absolute paths):
 * a volume is made offline, from the evidence alone. Such a picture is left out, as a browser
 * without network shows it.
 */
export function offlineHtml(html: Buffer): Buffer {
  const s = html.toString('latin1');
  const cleaned = s.replace(/(\s(?:src|background|lowsrc|data)\s*=\s*)(["']?)\s*(?:(?:https?|ftp|file):|\/\/|\/|[A-Za-z]:[\\/]|\\\\)[^"'\s>]*\2/gi, '$1$2$2');
  // style sheets and @import of other files
  const noLinks = cleaned
    .replace(/<link\b[^>]*\bhref\s*=\s*["']?\s*(?:(?:https?|ftp|file):|\/\/|\/|[A-Za-z]:[\\/])[^>]*>/gi, '')
    .replace(/url\(\s*(["']?)\s*(?:(?:https?|ftp|file):|\/\/|\/|[A-Za-z]:[\\/])[^)]*\1\s*\)/gi, 'url()');
  return Buffer.from(noLinks, 'latin1');
}
