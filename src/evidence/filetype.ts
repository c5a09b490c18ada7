// What a file is, from its content, compared with what its name says.
import type { DropParams, FileType } from '../model.js';
import { CfbError, CFB_SIGNATURE, classifyOle, OLE_FAMILY, type ReadAt } from './cfb.js';
import { readZipDirectory, readZipEntry } from './zipdir.js';
import { decodeText } from '../convert/text.js';
import { pdfHeaderOffset } from './pdf-syntax.js';

/**
 * The extensions each type is saved under. The first names the type; the others are the same
 * content under another name (no `type-mismatch`). `.xml` is no type's own extension: Word and
 * Excel 2003 XML both use it, and the content tells them apart.
 */
const EXTENSIONS: Record<FileType, readonly string[]> = {
  jpg: ['jpg', 'jpeg', 'jpe', 'jfif'], png: ['png'], webp: ['webp'], tif: ['tif', 'tiff'], heic: ['heic', 'heif'], bmp: ['bmp'], gif: ['gif'], avif: ['avif'],
  pdf: ['pdf'],
  doc: ['doc'], docx: ['docx'], docm: ['docm'], dot: ['dot'], dotx: ['dotx'], dotm: ['dotm'], wps: ['wps'],
  xls: ['xls'], xlsx: ['xlsx'], xlsm: ['xlsm'], xlsb: ['xlsb'], xlt: ['xlt'], xltx: ['xltx'], xltm: ['xltm'], et: ['et'],
  ppt: ['ppt'], pptx: ['pptx'], pptm: ['pptm'], pot: ['pot'], potx: ['potx'], potm: ['potm'], pps: ['pps'], ppsx: ['ppsx'], ppsm: ['ppsm'], dps: ['dps'],
  odt: ['odt', 'ott'], ods: ['ods', 'ots'], odp: ['odp', 'otp'], odg: ['odg', 'otg'],
  vsd: ['vsd', 'vst', 'vss'], vsdx: ['vsdx', 'vstx', 'vssx'], pub: ['pub'],
  rtf: ['rtf'], html: ['html', 'htm', 'xhtml'], mht: ['mht', 'mhtml'], wordxml: ['xml'], sheetxml: ['xml'], csv: ['csv', 'tsv'],
  txt: ['txt', 'text'], md: ['md', 'markdown'],
};

const EXT_TO_TYPE = new Map<string, FileType>();
for (const [type, exts] of Object.entries(EXTENSIONS) as [FileType, readonly string[]][]) {
  for (const e of exts) if (e !== 'xml') EXT_TO_TYPE.set(e, type);
}

export const PHOTO_TYPES: ReadonlySet<FileType> = new Set(['jpg', 'png', 'webp', 'tif', 'heic', 'bmp', 'gif', 'avif']);
/** Documents LibreOffice turns into pages (text files and PDFs are read by us). */
export const OFFICE_TYPES: ReadonlySet<FileType> = new Set(
  (Object.keys(EXTENSIONS) as FileType[]).filter((t) => !PHOTO_TYPES.has(t) && t !== 'pdf' && t !== 'txt' && t !== 'md'),
);
/** Types that are spreadsheets: a text file under one of their extensions is a CSV export. */
const SHEET_TYPES: ReadonlySet<FileType> = new Set(['xls', 'xlsx', 'xlsm', 'xlsb', 'xlt', 'xltx', 'xltm', 'et', 'ods', 'csv', 'sheetxml']);
/** Types a zip package is, when its content says so. */
export const ZIP_TYPES: ReadonlySet<FileType> = new Set([
  'docx', 'docm', 'dotx', 'dotm', 'xlsx', 'xlsm', 'xlsb', 'xltx', 'xltm', 'pptx', 'pptm', 'potx', 'potm', 'ppsx', 'ppsm', 'odt', 'ods', 'odp', 'odg', 'vsdx',
]);

/**
 * Which LibreOffice module turns each office type into pages (and the Debian package that brings
 * it): Writer, Calc, Impress (needs Draw), Draw.
 */
export type OfficeModule = 'writer' | 'calc' | 'impress' | 'draw';
export function moduleOf(type: FileType): OfficeModule | undefined {
  if (!OFFICE_TYPES.has(type)) return undefined;
  if (SHEET_TYPES.has(type)) return 'calc';
  if (['ppt', 'pptx', 'pptm', 'pot', 'potx', 'potm', 'pps', 'ppsx', 'ppsm', 'dps', 'odp'].includes(type)) return 'impress';
  if (['vsd', 'vsdx', 'pub', 'odg'].includes(type)) return 'draw';
  return 'writer';
}

export function typeFromExtension(ext: string): FileType | undefined {
  return EXT_TO_TYPE.get(ext.toLowerCase());
}

/** Whether `ext` is a name this type is saved under (`.xml` for Word/Excel 2003 XML). */
function namedAs(type: FileType, ext: string): boolean {
  return EXTENSIONS[type].includes(ext.toLowerCase());
}

export function kindOf(type: FileType): 'photo' | 'document' {
  return PHOTO_TYPES.has(type) ? 'photo' : 'document';
}

/**
 * The kind of one file: by its type, except that a TIFF of more than one page is a scanned
 * document (what office scanners write), bound page by page like a PDF.
 */
export function kindOfFile(type: FileType, pages: number | undefined): 'photo' | 'document' {
  return type === 'tif' && pages !== undefined && pages > 1 ? 'document' : kindOf(type);
}

/** A multi-page TIFF scan: bound as pages of a document (see kindOfFile). */
export function isScan(file: { type: FileType; kind: 'photo' | 'document' }): boolean {
  return file.type === 'tif' && file.kind === 'document';
}

export type Detection =
  | { ok: true; type: FileType; mismatch?: { detected: FileType; ext: string } }
  | { ok: false; reason: 'unsupported'; params: DropParams['unsupported'] }
  | { ok: false; reason: 'unreadable'; params: DropParams['unreadable'] }
  | { ok: false; reason: 'encrypted'; params: DropParams['encrypted'] };

const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];

function startsWith(head: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => head[i] === b);
}

/**
 * Decide the type from the content; the extension breaks ties the content cannot (a Word binary
 * is .doc, .wps or .dot alike; a text file has no signature). `read` reaches past the head (a
 * compound file's directory, a zip's central directory); without it only the head is looked at.
 */
export async function detectType(head: Uint8Array, ext: string, read?: ReadAt, size?: number): Promise<Detection> {
  const byExt = typeFromExtension(ext);
  const total = size ?? head.length;
  const at: ReadAt = read ?? ((pos, len) => head.subarray(pos, pos + len));

  if (startsWith(head, CFB_SIGNATURE)) return decided(oleType(at, total, byExt, ext), byExt, ext);
  if (head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) {
    const z = zipType(at, total, byExt);
    if (z) return decided(z, byExt, ext);
  }

  let detected: string | undefined;
  // file-type looks into a TIFF's first directory to tell camera raw formats apart, and gives up
  // when that directory lies beyond the bytes we read (libtiff writes it after the image data).
  // A TIFF named as one is a TIFF; its header is read properly later.
  if (byExt === 'tif' && (startsWith(head, TIFF_LE) || startsWith(head, TIFF_BE))) detected = 'tif';
  else {
    // (loaded only when a file has to be read: a warm check reads none)
    const { fileTypeFromBuffer } = await import('file-type');
    detected = (await fileTypeFromBuffer(head).catch(() => undefined))?.ext as string | undefined;
  }

  let byContent: FileType | undefined;
  if (detected === 'zip' || detected === 'cfb') {
    // (a zip or compound file our readers did not take: an archive, or one of another program)
    return { ok: false, reason: 'unsupported', params: { cause: 'type', detected, ext } };
  } else if (detected === 'avif') byContent = 'avif';
  else if (detected === 'heif') byContent = 'heic';
  else if (detected === undefined && pdfHeaderOffset(head) > 0) {
    // bytes before `%PDF-` (a blank line, a mail gateway's or web system's header): readers look
    // for the marker within the first 1024 bytes, and so do we
    byContent = 'pdf';
  } else if (detected === undefined || detected === 'xml' || detected === 'rtf') {
    const t = textType(head, byExt);
    if (t && 'unsupported' in t) return { ok: false, reason: 'unsupported', params: { cause: 'type', detected: t.unsupported, ext } };
    if (t) byContent = t.type;
    else if (detected) return { ok: false, reason: 'unsupported', params: { cause: 'type', detected, ext } };
    else if (byExt === 'txt' || byExt === 'md' || byExt === 'csv') return { ok: false, reason: 'unreadable', params: { cause: 'not-text', ext } };
  } else {
    byContent = typeFromExtension(detected);
    if (!byContent) return { ok: false, reason: 'unsupported', params: { cause: 'type', detected, ext } };
  }

  if (!byContent) {
    if (byExt) return { ok: false, reason: 'unreadable', params: { cause: 'unrecognized', ext } };
    return { ok: false, reason: 'unsupported', params: { cause: 'unknown-type', ext } };
  }
  return decided({ type: byContent }, byExt, ext);
}

type Verdict = { type: FileType } | Exclude<Detection, { ok: true }>;

/** The verdict, with a `type-mismatch` where the name says something else. */
function decided(v: Verdict, byExt: FileType | undefined, ext: string): Detection {
  if (!('type' in v)) return v;
  const type = v.type;
  if (namedAs(type, ext)) return { ok: true, type };
  // (an extension no type has — `.tmp`, `.dat`, none — is said as "no recognisable extension")
  return { ok: true, type, mismatch: { detected: type, ext: byExt || ext.toLowerCase() === 'xml' ? ext : '' } };
}

/** A compound file: legacy Office, WPS, Visio, Publisher, an Outlook message, or an encrypted OOXML. */
function oleType(read: ReadAt, size: number, byExt: FileType | undefined, ext: string): Verdict {
  let ole;
  try {
    ole = classifyOle(read, size);
  } catch (err) {
    if (!(err instanceof CfbError)) throw err;
    const type = byExt && OFFICE_TYPES.has(byExt) ? byExt : 'doc';
    // a directory past the end: the file was cut short
    if (err.beyondEnd) return { ok: false, reason: 'unreadable', params: { cause: 'truncated', type } };
    return { ok: false, reason: 'unreadable', params: { cause: 'corrupt', type, what: `OLE 目录无法读取：${err.message}` } };
  }
  switch (ole.kind) {
    case 'ooxml-encrypted':
      return { ok: false, reason: 'encrypted', params: { cause: 'office-password' } };
    case 'word':
    case 'excel':
    case 'powerpoint': {
      const family = OLE_FAMILY[ole.kind];
      // the extension tells WPS's and the templates' own names apart; Word's FIB says "template" itself
      const type = byExt && family.includes(byExt) ? byExt : ole.kind === 'word' && ole.template ? 'dot' : family[0]!;
      if (ole.encrypted) return { ok: false, reason: 'encrypted', params: { cause: 'office-password', type } };
      return { type };
    }
    case 'visio':
      return { type: 'vsd' };
    case 'publisher':
      return { type: 'pub' };
    case 'outlook':
      return { ok: false, reason: 'unsupported', params: { cause: 'type', detected: 'msg', ext } };
    case 'unknown':
      // another program's compound file (MS Works, an old WPS): LibreOffice may read it by its name
      if (byExt && (OLE_FAMILY.word.includes(byExt) || OLE_FAMILY.excel.includes(byExt) || OLE_FAMILY.powerpoint.includes(byExt))) return { type: byExt };
      return { ok: false, reason: 'unsupported', params: { cause: 'type', detected: 'ole', ext } };
  }
}

/** OOXML main parts (in `[Content_Types].xml`) and ODF `mimetype`s, and the type each makes. */
const OOXML_MAIN: [string, FileType][] = [
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml', 'docx'],
  ['application/vnd.ms-word.document.macroenabled.main+xml', 'docm'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml', 'dotx'],
  ['application/vnd.ms-word.template.macroenabledtemplate.main+xml', 'dotm'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', 'xlsx'],
  ['application/vnd.ms-excel.sheet.macroenabled.main+xml', 'xlsm'],
  ['application/vnd.ms-excel.sheet.binary.macroenabled.main', 'xlsb'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml', 'xltx'],
  ['application/vnd.ms-excel.template.macroenabled.main+xml', 'xltm'],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml', 'pptx'],
  ['application/vnd.ms-powerpoint.presentation.macroenabled.main+xml', 'pptm'],
  ['application/vnd.openxmlformats-officedocument.presentationml.template.main+xml', 'potx'],
  ['application/vnd.ms-powerpoint.template.macroenabled.main+xml', 'potm'],
  ['application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml', 'ppsx'],
  ['application/vnd.ms-powerpoint.slideshow.macroenabled.main+xml', 'ppsm'],
  ['application/vnd.ms-visio.drawing.main+xml', 'vsdx'],
  ['application/vnd.ms-visio.template.main+xml', 'vsdx'],
  ['application/vnd.ms-visio.stencil.main+xml', 'vsdx'],
];
const ODF_MIME: [string, FileType][] = [
  ['application/vnd.oasis.opendocument.text', 'odt'],
  ['application/vnd.oasis.opendocument.spreadsheet', 'ods'],
  ['application/vnd.oasis.opendocument.presentation', 'odp'],
  ['application/vnd.oasis.opendocument.graphics', 'odg'],
];

/**
 * An OOXML or ODF package, by what it says its main part is; undefined for any other zip (an
 * archive, an EPUB, an OFD: left to the other checks). A zip cut short is said so.
 */
function zipType(read: ReadAt, size: number, byExt: FileType | undefined): Verdict | undefined {
  const dir = readZipDirectory(read, size);
  if (!dir.ok) {
    if (byExt && ZIP_TYPES.has(byExt)) return { ok: false, reason: 'unreadable', params: dir.why === 'truncated' ? { cause: 'truncated', type: byExt } : { cause: 'corrupt', type: byExt, what: 'zip 目录无法读取' } };
    return undefined;
  }
  const ct = dir.entries.find((e) => e.name === '[Content_Types].xml');
  if (ct) {
    const xml = readZipEntry(read, size, ct);
    if (xml) {
      const text = Buffer.from(xml).toString('utf8').toLowerCase();
      for (const [mime, type] of OOXML_MAIN) if (text.includes(`"${mime}"`)) return { type };
      if (text.includes('application/vnd.ms-package.xps-fixeddocumentsequence+xml') || text.includes('application/vnd.ms-package.xps-fixeddocument')) {
        return { ok: false, reason: 'unsupported', params: { cause: 'type', detected: 'xps', ext: '' } };
      }
    }
  }
  const mt = dir.entries.find((e) => e.name === 'mimetype');
  if (mt) {
    const mime = readZipEntry(read, size, mt, 256);
    const text = mime ? Buffer.from(mime).toString('latin1').trim() : '';
    for (const [m, type] of ODF_MIME) {
      if (text !== m && text !== `${m}-template`) continue;
      // a password-protected ODF file lists how each part is encrypted in its manifest
      const manifest = dir.entries.find((e) => e.name === 'META-INF/manifest.xml');
      const xml = manifest ? readZipEntry(read, size, manifest) : undefined;
      if (xml && Buffer.from(xml).toString('utf8').includes('encryption-data')) return { ok: false, reason: 'encrypted', params: { cause: 'office-password', type } };
      return { type };
    }
  }
  return undefined;
}

/**
 * Formats that are text: RTF, Word/Excel 2003 XML, MHT (a "single file web page"), HTML, CSV and
 * plain text. Web systems export them under .doc and .xls, which is why the content decides.
 */
function textType(head: Uint8Array, byExt: FileType | undefined): { type: FileType } | { unsupported: string } | undefined {
  const s = sniffString(head);
  const lead = s.replace(/^(?:\xEF\xBB\xBF)?[\s\uFEFF]*/, '');
  if (lead.startsWith('{\\rtf')) return { type: 'rtf' };
  if (/^<\?xml\b/i.test(lead) || /^<\?mso-application\b/i.test(lead)) {
    if (/progid\s*=\s*["']Word\.Document["']/i.test(lead) || /<w:wordDocument\b/.test(lead)) return { type: 'wordxml' };
    if (/progid\s*=\s*["']Excel\.Sheet["']/i.test(lead) || (/<(?:ss:)?Workbook\b/.test(lead) && /urn:schemas-microsoft-com:office:spreadsheet/.test(lead))) return { type: 'sheetxml' };
    if (/^<\?xml[^>]*>\s*(?:<!--[\s\S]*?-->\s*)*<(?:!DOCTYPE\s+)?html\b/i.test(lead)) return { type: 'html' };
    if (byExt === 'txt' || byExt === 'md') return { type: byExt };
    return { unsupported: 'xml' };
  }
  if (/^MIME-Version:/im.test(s.slice(0, 4096)) && /multipart\/related/i.test(s.slice(0, 8192))) return { type: 'mht' };
  if (byExt === 'txt' || byExt === 'md') return looksLikeText(head) ? { type: byExt } : undefined;
  if (lead.startsWith('<') && /<(?:html|body|table|head)\b/i.test(lead.slice(0, 8192))) return { type: 'html' };
  if (!looksLikeText(head)) return undefined;
  // text under a spreadsheet's name is a CSV (or tab-separated) export; under a document's, plain text
  if (byExt && SHEET_TYPES.has(byExt)) return { type: 'csv' };
  if (byExt && OFFICE_TYPES.has(byExt) && moduleOf(byExt) === 'writer') return { type: 'txt' };
  return undefined;
}

/** The head as a string to look for markers in: UTF-16 when it has a BOM, else byte for byte. */
function sniffString(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le').decode(head.subarray(0, 16384));
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be').decode(head.subarray(0, 16384));
  return Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 16384)).toString('latin1');
}

/**
 * Whether the bytes are text: almost no control codes and no NUL bytes — or, read in the encoding
 * the text decoder finds (UTF-16 without a BOM has NULs beside its ASCII and control-code bytes in its
 * characters: ：is 1A FF), almost no control characters.
 */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return true;
  let control = 0;
  let nul = false;
  for (const b of head) {
    if (b === 0) nul = true;
    else if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  if (!nul && control <= head.length / 100) return true;
  const { text, encoding } = decodeText(head.length % 2 === 1 && head.length > 1 ? head.subarray(0, head.length - 1) : head);
  if (!encoding.startsWith('utf-16')) return false;
  let odd = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd) odd++;
  }
  return odd <= text.length / 100;
}
