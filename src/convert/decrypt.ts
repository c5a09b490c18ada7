// qpdf compiled to WebAssembly, in-process, no system dependency; one instance serves the run.
// It decrypts owner-restricted PDFs (they open without a password; government sites publish many)
// so pdf-lib can copy their pages, and rewrites damaged files the way qpdf repairs them.
import { createRequire } from 'node:module';
import createQpdf, { type QpdfInstance } from '@neslinesli93/qpdf-wasm';
import { quietlySync } from '../util/quiet.js';
import { probePdfBytes, type PdfFile } from '../evidence/pdf-probe.js';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../evidence/pdf-syntax.js';

const require = createRequire(import.meta.url);
let instance: Promise<QpdfInstance> | undefined;
let counter = 0;

function qpdf(): Promise<QpdfInstance> {
  instance ??= (createQpdf as unknown as (o: object) => Promise<QpdfInstance>)({
    locateFile: () => require.resolve('@neslinesli93/qpdf-wasm/dist/qpdf.wasm'),
    // (this build ignores print/printErr: qpdf's messages go to the console, silenced while it runs)
    print: () => {},
    printErr: () => {},
  });
  return instance;
}

interface MemFs {
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
}

async function rewrite(bytes: Uint8Array, args: string[]): Promise<Uint8Array> {
  const q = await qpdf();
  const fs = q.FS as unknown as MemFs;
  const id = ++counter;
  const input = `/in-${id}.pdf`;
  const output = `/out-${id}.pdf`;
  fs.writeFile(input, bytes);
  try {
    const rc = quietlySync(() => q.callMain([...args, input, output]));
    // qpdf exits 3 for warnings with a usable result (a repaired file is one)
    if (rc !== 0 && rc !== 3) throw new Error(`qpdf 无法处理此 PDF（${rc}）`);
    return fs.readFile(output);
  } finally {
    for (const f of [input, output]) {
      try {
        fs.unlink(f);
      } catch {
        // not created
      }
    }
  }
}

/** The same PDF without its encryption; throws when it needs a password. */
export function decryptPdf(bytes: Uint8Array): Promise<Uint8Array> {
  return rewrite(bytes, ['--decrypt']);
}

/** The same PDF rewritten by qpdf, which rebuilds a damaged cross-reference table. */
export function repairPdf(bytes: Uint8Array): Promise<Uint8Array> {
  return rewrite(bytes, ['--decrypt', '--object-streams=preserve']);
}

/**
 * The same PDF written anew by our own reader, as `check` read it: for a file that opens without a
 * password as readers open it but that qpdf refuses (only its attachments encrypted, a key length
 * qpdf reads differently), or a damaged one qpdf cannot rebuild. Every object in use is written out
 * once — decrypted by our standard security handler when the file is encrypted, objects from object
 * streams as plain objects — with a new cross-reference table and no /Encrypt. Undefined when our
 * reader does not open the file (without a password).
 */
export function rewriteWithOwnReader(bytes: Uint8Array): Uint8Array | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { probe, pdf } = probePdfBytes(buf);
  if (probe.status !== 'ok' || !pdf) return undefined;
  const clear = (b: Buffer) => b;
  const security = pdf.security ?? { string: clear, stream: clear, encryptMetadata: true };
  const trailer = pdf.trailer;
  const encryptRef = trailer.get('Encrypt');
  const fixes = pageTreeFixes(pdf);
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0]!.length;
  const offsets = new Map<number, { offset: number; gen: number }>();
  for (const num of pdf.objectNumbers()) {
    if (encryptRef instanceof PdfRef && encryptRef.num === num) continue;
    let obj;
    try {
      obj = pdf.rawObject(num);
    } catch {
      continue; // an object that cannot be read is left out, as readers leave it out
    }
    if (!obj) continue;
    const type = obj.value instanceof PdfDict ? obj.value.get('Type') : undefined;
    const typeName = type instanceof PdfName ? type.name : '';
    // cross-reference and object streams are replaced by the table written here
    if (obj.data && (typeName === 'XRef' || typeName === 'ObjStm')) continue;
    let value = obj.inStream ? obj.value : decryptStrings(obj.value, (b) => security.string(b, num, obj.gen));
    const fix = fixes.get(num);
    if (fix && value instanceof PdfDict) {
      value = new PdfDict(new Map(value.map));
      for (const [k, v] of fix) {
        if (v === undefined) value.map.delete(k);
        else value.map.set(k, v);
      }
    }
    let text: Buffer;
    if (obj.data) {
      const clear = typeName === 'Metadata' && !security.encryptMetadata ? obj.data : security.stream(obj.data, num, obj.gen);
      const dict = new PdfDict(new Map((value as PdfDict).map));
      dict.map.set('Length', clear.length);
      text = Buffer.concat([Buffer.from(`${num} ${obj.gen} obj\n${serialize(dict)}\nstream\n`, 'latin1'), clear, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    } else {
      text = Buffer.from(`${num} ${obj.gen} obj\n${serialize(value)}\nendobj\n`, 'latin1');
    }
    offsets.set(num, { offset: at, gen: obj.gen });
    parts.push(text);
    at += text.length;
  }
  let size = 1;
  for (const n of offsets.keys()) size = Math.max(size, n + 1);
  const rows = ['0000000000 65535 f \n'];
  for (let n = 1; n < size; n++) {
    const o = offsets.get(n);
    rows.push(o ? `${String(o.offset).padStart(10, '0')} ${String(o.gen).padStart(5, '0')} n \n` : '0000000000 65535 f \n');
  }
  const t = new PdfDict(new Map<string, PdfValue>([['Size', size]]));
  for (const key of ['Root', 'Info', 'ID']) {
    const v = trailer.get(key);
    if (v !== undefined) t.map.set(key, v);
  }
  parts.push(Buffer.from(`xref\n0 ${size}\n${rows.join('')}trailer\n${serialize(t)}\nstartxref\n${at}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

/** US Letter, the page size readers assume for a page that states none (pdf.js, poppler). */
const DEFAULT_MEDIA_BOX: PdfValue = [0, 0, 612, 792];

/**
 * What the page tree needs to be read as readers read it (pdf-lib is strict where they are not):
 * the catalog and each node typed, each node's /Parent the node that lists it, kids that are no
 * dictionaries left out, a page without any /MediaBox given Letter, a /Resources that is no
 * dictionary dropped. Object number → keys to set (undefined: delete).
 */
function pageTreeFixes(pdf: PdfFile): Map<number, Map<string, PdfValue | undefined>> {
  const fixes = new Map<number, Map<string, PdfValue | undefined>>();
  const fix = (num: number, key: string, v: PdfValue | undefined) => {
    let m = fixes.get(num);
    if (!m) fixes.set(num, (m = new Map()));
    m.set(key, v);
  };
  const safe = (v: PdfValue | undefined): PdfValue | undefined => {
    try {
      return pdf.resolve(v);
    } catch {
      return undefined;
    }
  };
  const isStream = (v: PdfValue | undefined) => {
    try {
      return v instanceof PdfRef && pdf.rawObject(v.num)?.data !== undefined;
    } catch {
      return false;
    }
  };
  const rootRef = pdf.trailer.get('Root');
  const root = safe(rootRef);
  if (!(rootRef instanceof PdfRef) || !(root instanceof PdfDict)) return fixes;
  fix(rootRef.num, 'Type', new PdfName('Catalog'));
  const seen = new Set<number>();
  const walk = (ref: PdfRef, parent: PdfRef | undefined, box: PdfValue | undefined, depth: number): boolean => {
    if (seen.has(ref.num) || depth > 64 || seen.size > 2_000_000) return false;
    seen.add(ref.num);
    const node = safe(ref);
    if (!(node instanceof PdfDict)) return false;
    if (parent) fix(ref.num, 'Parent', parent);
    const own = safe(node.get('MediaBox'));
    const media = Array.isArray(own) && own.length === 4 ? own : box;
    const resources = node.get('Resources');
    if (resources !== undefined && (!(safe(resources) instanceof PdfDict) || isStream(resources))) fix(ref.num, 'Resources', undefined);
    const kids = safe(node.get('Kids'));
    if (Array.isArray(kids)) {
      fix(ref.num, 'Type', new PdfName('Pages'));
      const kept = kids.filter((k): k is PdfRef => k instanceof PdfRef && walk(k, ref, media, depth + 1));
      if (kept.length !== kids.length) fix(ref.num, 'Kids', kept);
      return true;
    }
    fix(ref.num, 'Type', new PdfName('Page'));
    if (!media) fix(ref.num, 'MediaBox', DEFAULT_MEDIA_BOX);
    return true;
  };
  const pages = root.get('Pages');
  if (pages instanceof PdfRef) walk(pages, undefined, undefined, 0);
  return fixes;
}

function decryptStrings(v: PdfValue, decrypt: (b: Buffer) => Buffer): PdfValue {
  if (v instanceof PdfString) return new PdfString(decrypt(v.bytes));
  if (Array.isArray(v)) return v.map((x) => decryptStrings(x, decrypt));
  if (v instanceof PdfDict) return new PdfDict(new Map([...v.map].map(([k, x]) => [k, decryptStrings(x, decrypt)])));
  return v;
}

/** PDF syntax for a value (strings as hex, names escaped): what the lexer reads back. */
function serialize(v: PdfValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(6).replace(/\.?0+$/, '');
  if (v instanceof PdfName) return `/${[...v.name].map((c) => (/[!-~]/.test(c) && !/[()<>[\]{}/%#]/.test(c) ? c : `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('')}`;
  if (v instanceof PdfString) return `<${v.bytes.toString('hex')}>`;
  if (v instanceof PdfRef) return `${v.num} ${v.gen} R`;
  if (Array.isArray(v)) return `[${v.map(serialize).join(' ')}]`;
  return `<<${[...v.map].map(([k, x]) => `${serialize(new PdfName(k))} ${serialize(x)}`).join(' ')}>>`;
}
