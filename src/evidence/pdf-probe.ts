// Reads what `check` needs from a PDF without loading it: is it whole, does it need a password,
// when was it made, how many pages. Positional reads of the header, the trailer, the cross-reference
// section and a handful of objects.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { checkEmptyUserPassword } from './pdf-security.js';
import {
  decodeTextString,
  Lexer,
  parsePdfDate,
  PdfDict,
  PdfName,
  PdfRef,
  PdfString,
  PdfSyntaxError,
  type PdfValue,
} from './pdf-syntax.js';

export type PdfProbe =
  | { status: 'ok'; restricted: boolean; creationDate?: string; pages?: number; repaired?: boolean }
  | { status: 'truncated' }
  | { status: 'broken'; what: string }
  | { status: 'too-large'; limit: number }
  | { status: 'encrypted'; why: 'password' | 'certificate' };

type XrefEntry = { type: 1; offset: number } | { type: 2; stream: number; index: number };

/** A classic cross-reference subsection, read entry by entry when an object is looked up. */
interface Subsection {
  start: number;
  count: number;
  /** file position of its first entry */
  pos: number;
}

interface Section {
  entries: Map<number, XrefEntry>;
  subsections: Subsection[];
  trailer: PdfDict;
}

/** Streams we inflate (cross-reference and object streams) may not grow past this. */
const MAX_STREAM = 64 * 1024 * 1024;
/** A damaged file is scanned whole to rebuild its cross-reference table, up to this size. */
export const MAX_REPAIR_SCAN = 512 * 1024 * 1024;

class PdfFile {
  sections: Section[] = [];
  /** set once the file is known to open with an empty user password */
  decrypt?: (bytes: Buffer, num: number, gen: number) => Buffer;
  constructor(
    private fd: number,
    readonly size: number,
    private base: number,
  ) {}

  read(pos: number, len: number): Buffer {
    const n = Math.max(0, Math.min(len, this.size - pos));
    const buf = Buffer.alloc(n);
    if (n > 0) readSync(this.fd, buf, 0, n, pos);
    return buf;
  }

  get trailer(): PdfDict {
    return this.sections[0]!.trailer;
  }

  loadXref(startxref: number): void {
    const seen = new Set<number>();
    let offset: number | undefined = startxref;
    while (offset !== undefined && !seen.has(offset) && seen.size < 64) {
      seen.add(offset);
      if (offset + this.base >= this.size) throw new PdfSyntaxError('xref offset past the end');
      const section = this.readSection(offset + this.base);
      this.sections.push(section);
      const prev = section.trailer.get('Prev');
      offset = typeof prev === 'number' ? prev : undefined;
    }
  }

  private readSection(pos: number): Section {
    const head = this.read(pos, 64);
    const lex = new Lexer(head);
    if (lex.peekToken() === 'xref') return this.readTable(pos + lex.pos + 4);
    return { ...this.readStream(pos), subsections: [] };
  }

  /**
   * A classic table: only the subsection headers are read here. Entries are 20 bytes each, so the
   * next header is found by arithmetic, and an entry is read when its object is wanted — a table
   * claiming a billion entries costs nothing until one is looked up.
   */
  private readTable(pos: number): Section {
    const subsections: Subsection[] = [];
    for (let guard = 0; guard < 10000; guard++) {
      const chunk = this.read(pos, 64);
      const lex = new Lexer(chunk);
      const t = lex.peekToken();
      if (t === 'trailer') {
        lex.token();
        const tail = this.read(pos + lex.pos, 16384);
        const trailer = new Lexer(tail).value();
        if (!(trailer instanceof PdfDict)) throw new PdfSyntaxError('trailer is not a dictionary');
        return { entries: new Map(), subsections, trailer };
      }
      const start = Number(lex.token());
      const count = Number(lex.token());
      if (!Number.isInteger(start) || !Number.isInteger(count) || count < 0 || start < 0) throw new PdfSyntaxError('bad xref subsection');
      lex.skipWs();
      const first = pos + lex.pos;
      if (first + count * 20 > this.size) throw new PdfSyntaxError('xref subsection runs past the end');
      // Some writers use 19- or 21-byte entries; then the stride is wrong and we fall back to a
      // rebuilt table, as every reader does.
      if (count > 0 && !ENTRY.test(this.read(first, 20).toString('latin1'))) throw new PdfSyntaxError('bad xref entry');
      subsections.push({ start, count, pos: first });
      pos = first + count * 20;
    }
    throw new PdfSyntaxError('xref table too long');
  }

  private entryFromTable(sec: Section, num: number): XrefEntry | undefined | null {
    for (const sub of sec.subsections) {
      if (num < sub.start || num >= sub.start + sub.count) continue;
      const m = ENTRY.exec(this.read(sub.pos + (num - sub.start) * 20, 20).toString('latin1'));
      if (!m) throw new PdfSyntaxError('bad xref entry');
      return m[3] === 'n' ? { type: 1, offset: Number(m[1]) } : null;
    }
    return undefined;
  }

  /** The entry for object `num`: the newest section that mentions it decides (a free entry hides older ones). */
  entry(num: number): XrefEntry | undefined {
    for (const sec of this.sections) {
      const e = sec.entries.get(num) ?? this.entryFromTable(sec, num);
      if (e === null) return undefined;
      if (e) return e;
    }
    return undefined;
  }

  private readStream(pos: number): { entries: Map<number, XrefEntry>; trailer: PdfDict } {
    const { dict, data } = this.readStreamObject(pos);
    const type = dict.get('Type');
    if (!(type instanceof PdfName) || type.name !== 'XRef') throw new PdfSyntaxError('startxref does not point to a cross-reference section');
    return { entries: xrefStreamEntries(dict, data), trailer: dict };
  }

  /** An indirect object `n g obj << … >> stream … endstream`, its data decoded. */
  readStreamObject(pos: number): { dict: PdfDict; data: Buffer } {
    const head = this.read(pos, 4096);
    const lex = new Lexer(head);
    const num = Number(lex.token());
    const gen = Number(lex.token());
    lex.expect('obj');
    const dict = lex.value();
    if (!(dict instanceof PdfDict)) throw new PdfSyntaxError('stream object without dictionary');
    lex.expect('stream');
    let start = lex.pos;
    if (head[start] === 0x0d) start++;
    if (head[start] === 0x0a) start++;
    let length = dict.get('Length');
    if (length instanceof PdfRef) length = this.resolve(length);
    if (typeof length !== 'number' || length < 0 || length > MAX_STREAM || pos + start + length > this.size) {
      throw new PdfSyntaxError('bad stream length');
    }
    let raw = this.read(pos + start, length);
    const type = dict.get('Type');
    // Cross-reference streams are never encrypted; every other stream is, in an encrypted file.
    if (this.decrypt && !(type instanceof PdfName && type.name === 'XRef')) raw = this.decrypt(raw, num, gen);
    return { dict, data: decodeStream(dict, raw) };
  }

  /** Strings inside object streams are not encrypted on their own (the stream was). */
  inObjectStream(num: number): boolean {
    return this.entry(num)?.type === 2;
  }

  resolve(v: PdfValue | undefined, depth = 0): PdfValue | undefined {
    if (!(v instanceof PdfRef)) return v;
    if (depth > 8) return undefined;
    const entry = this.entry(v.num);
    if (!entry) return undefined;
    if (entry.type === 1) {
      const pos = entry.offset + this.base;
      if (pos >= this.size) throw new PdfSyntaxError('object offset past the end');
      const chunk = this.read(pos, 16384);
      const lex = new Lexer(chunk);
      if (Number(lex.token()) !== v.num) throw new PdfSyntaxError('object not where the xref says');
      lex.token();
      lex.expect('obj');
      return this.resolve(lex.value(), depth + 1);
    }
    const streamEntry = this.entry(entry.stream);
    if (!streamEntry || streamEntry.type !== 1) return undefined;
    const { dict, data } = this.readStreamObject(streamEntry.offset + this.base);
    const n = Number(dict.get('N') ?? 0);
    const first = Number(dict.get('First') ?? 0);
    const lex = new Lexer(data);
    for (let i = 0; i < n; i++) {
      const num = Number(lex.token());
      const off = Number(lex.token());
      if (num === v.num) {
        const obj = new Lexer(data, first + off);
        return this.resolve(obj.value(), depth + 1);
      }
    }
    return undefined;
  }

  /**
   * Rebuild the cross-reference table by scanning the file for `n g obj`, as poppler and pdf.js do
   * for a damaged file: later definitions win (incremental updates append). The trailer is the last
   * `trailer` dictionary, else the last cross-reference stream's dictionary.
   */
  reconstruct(): void {
    const entries = new Map<number, XrefEntry>();
    const objStreams: number[] = [];
    const xrefStreams: number[] = [];
    let trailerPos: number | undefined;
    const CHUNK = 1 << 20;
    const OVERLAP = 256;
    const re = /(?<![0-9])(\d{1,10})[ \t\r\n\f\0]+(\d{1,5})[ \t\r\n\f\0]+obj\b|trailer\b/g;
    for (let at = 0; at < this.size; at += CHUNK) {
      const text = this.read(at, CHUNK + OVERLAP).toString('latin1');
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m.index >= CHUNK && at + CHUNK < this.size) break; // the next chunk sees it whole
        const pos = at + m.index;
        if (m[1] === undefined) {
          trailerPos = pos;
          continue;
        }
        const num = Number(m[1]);
        entries.set(num, { type: 1, offset: pos - this.base });
        const after = text.slice(m.index + m[0].length, m.index + m[0].length + 200);
        if (/\/Type\s*\/ObjStm\b/.test(after)) objStreams.push(num);
        if (/\/Type\s*\/XRef\b/.test(after)) xrefStreams.push(pos);
      }
    }
    const section: Section = { entries, subsections: [], trailer: new PdfDict(new Map()) };
    this.sections = [section];
    if (trailerPos !== undefined) {
      const lex = new Lexer(this.read(trailerPos + 7, 16384));
      const t = lex.value();
      if (t instanceof PdfDict) section.trailer = t;
    }
    if (!section.trailer.get('Root') && xrefStreams.length > 0) {
      section.trailer = this.readStreamObject(xrefStreams[xrefStreams.length - 1]!).dict;
    }
    // objects stored inside object streams
    for (const num of objStreams) {
      const e = entries.get(num);
      if (!e || e.type !== 1) continue;
      try {
        const { dict, data } = this.readStreamObject(e.offset + this.base);
        const n = Math.min(Number(dict.get('N') ?? 0), 100000);
        const lex = new Lexer(data);
        for (let i = 0; i < n; i++) {
          const inner = Number(lex.token());
          lex.token();
          if (Number.isInteger(inner) && !entries.has(inner)) entries.set(inner, { type: 2, stream: num, index: i });
        }
      } catch {
        // an unreadable object stream: its objects stay unknown
      }
    }
    if (!section.trailer.get('Root')) {
      // no trailer at all: the catalog is the object whose /Type is /Catalog
      for (const [num, e] of entries) {
        if (e.type !== 1) continue;
        const head = this.read(e.offset + this.base, 512).toString('latin1');
        if (/\/Type\s*\/Catalog\b/.test(head)) {
          section.trailer.map.set('Root', new PdfRef(num, 0));
          break;
        }
      }
    }
  }
}

const ENTRY = /^(\d{10}) (\d{5}) ([nf])/;

function xrefStreamEntries(dict: PdfDict, data: Buffer): Map<number, XrefEntry> {
  const w = (dict.get('W') as PdfValue[] | undefined)?.map(Number) ?? [];
  if (w.length !== 3 || w.some((x) => !Number.isInteger(x) || x < 0 || x > 8)) throw new PdfSyntaxError('bad /W');
  const size = Number(dict.get('Size') ?? 0);
  const index = ((dict.get('Index') as PdfValue[] | undefined)?.map(Number)) ?? [0, size];
  const rowLen = w[0]! + w[1]! + w[2]!;
  if (rowLen === 0) throw new PdfSyntaxError('bad /W');
  const entries = new Map<number, XrefEntry>();
  const field = (row: number, start: number, len: number, dflt: number) => {
    if (len === 0) return dflt;
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + (data[row * rowLen + start + i] ?? 0);
    return v;
  };
  let row = 0;
  for (let k = 0; k + 1 < index.length; k += 2) {
    for (let i = 0; i < index[k + 1]!; i++, row++) {
      if ((row + 1) * rowLen > data.length) break;
      const t = field(row, 0, w[0]!, 1);
      const a = field(row, w[0]!, w[1]!, 0);
      const b = field(row, w[0]! + w[1]!, w[2]!, 0);
      const num = index[k]! + i;
      if (t === 1) entries.set(num, { type: 1, offset: a });
      else if (t === 2) entries.set(num, { type: 2, stream: a, index: b });
    }
  }
  return entries;
}

function decodeStream(dict: PdfDict, raw: Buffer): Buffer {
  const filter = dict.get('Filter');
  const filters = Array.isArray(filter) ? filter : filter ? [filter] : [];
  let data = raw;
  for (const f of filters) {
    if (!(f instanceof PdfName) || f.name !== 'FlateDecode') throw new PdfSyntaxError('unsupported filter');
    data = inflateSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate a missing adler32 */, maxOutputLength: MAX_STREAM });
  }
  const parms = dict.get('DecodeParms');
  if (parms instanceof PdfDict) {
    const predictor = Number(parms.get('Predictor') ?? 1);
    if (predictor >= 10) data = unpredictPng(data, Number(parms.get('Columns') ?? 1));
  }
  return data;
}

function unpredictPng(data: Buffer, columns: number): Buffer {
  const rowLen = columns + 1;
  const rows = Math.floor(data.length / rowLen);
  const out = Buffer.alloc(rows * columns);
  const prev = Buffer.alloc(columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * rowLen]!;
    for (let c = 0; c < columns; c++) {
      const x = data[r * rowLen + 1 + c]!;
      const left = c > 0 ? out[r * columns + c - 1]! : 0;
      const up = prev[c]!;
      const upLeft = c > 0 ? prev[c - 1]! : 0;
      let v = x;
      if (type === 1) v = x + left;
      else if (type === 2) v = x + up;
      else if (type === 3) v = x + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left), pb = Math.abs(p - up), pc = Math.abs(p - upLeft);
        v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      out[r * columns + c] = v & 0xff;
    }
    out.copy(prev, 0, r * columns, (r + 1) * columns);
  }
  return out;
}

export function probePdf(abs: string): PdfProbe {
  const fd = openSync(abs, 'r');
  try {
    return probePdfFd(fd, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

/**
 * The same, on a file the caller has open. Synchronous on purpose: a dozen small positional reads
 * per file cost far less than the promise machinery around them. A file whose cross-reference
 * table is damaged is scanned and its table rebuilt, as every PDF reader does; only a file that
 * still shows no catalog and pages is `broken`.
 */
export function probePdfFd(fd: number, fileSize: number): PdfProbe {
  const headBuf = Buffer.alloc(Math.min(1024, fileSize));
  readSync(fd, headBuf, 0, headBuf.length, 0);
  const base = headBuf.indexOf('%PDF-');
  if (base < 0) return { status: 'broken', what: '文件开头没有 PDF 标记' };
  // Zeros or blanks after the end (a download or a copy tool padding the file) do not make it short.
  const size = withoutPadding(fd, fileSize);
  const tailLen = Math.min(2048, size);
  const tail = Buffer.alloc(tailLen);
  readSync(fd, tail, 0, tailLen, size - tailLen);
  const tailText = tail.toString('latin1');
  const eof = tailText.lastIndexOf('%%EOF');
  // A file cut short is incomplete evidence, even where a reader would show what is left.
  if (eof < 0 || tailLen - eof > 1024) return { status: 'truncated' };
  const sx = tailText.lastIndexOf('startxref');
  const startxref = sx < 0 ? NaN : Number(/startxref\s+(\d+)/.exec(tailText.slice(sx))?.[1]);

  const fast = new PdfFile(fd, size, base);
  try {
    if (!Number.isFinite(startxref) || startxref + base >= size) throw new PdfSyntaxError('bad startxref');
    fast.loadXref(startxref);
    return inspect(fast);
  } catch {
    // fall through to a rebuilt table
  }
  if (size > MAX_REPAIR_SCAN) return { status: 'too-large', limit: MAX_REPAIR_SCAN };
  const slow = new PdfFile(fd, size, base);
  try {
    slow.reconstruct();
    const r = inspect(slow);
    return r.status === 'ok' ? { ...r, repaired: true } : r;
  } catch {
    return { status: 'broken', what: '文件结构无法读取' };
  }
}

/** How much padding (NUL, blanks, line ends) a file may carry after its %%EOF; read from the end. */
const MAX_PADDING = 16 * 1024 * 1024;

/** The size of the file without the padding at its end (the whole size when there is none). */
function withoutPadding(fd: number, size: number): number {
  const CHUNK = 64 * 1024;
  let end = size;
  while (end > 0 && size - end < MAX_PADDING) {
    const len = Math.min(CHUNK, end);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, end - len);
    for (let i = len - 1; i >= 0; i--) {
      const b = buf[i]!;
      if (b !== 0x00 && b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return end - len + i + 1;
    }
    end -= len;
  }
  return size;
}

/** Encryption, the catalog, the page count and the creation date; throws when the structure is unreadable. */
function inspect(pdf: PdfFile): PdfProbe {
  const trailer = pdf.trailer;
  const encryptRef = trailer.get('Encrypt');
  let restricted = false;
  if (encryptRef !== undefined) {
    const encrypt = pdf.resolve(encryptRef);
    const ids = trailer.get('ID');
    const id0 = Array.isArray(ids) && ids[0] instanceof PdfString ? ids[0].bytes : undefined;
    const sec = encrypt instanceof PdfDict ? checkEmptyUserPassword(encrypt, id0) : ({ opens: false, why: 'unsupported' } as const);
    if (!sec.opens) return { status: 'encrypted', why: sec.why === 'password' ? 'password' : 'certificate' };
    restricted = true;
    pdf.decrypt = sec.decryptString;
  }
  const root = pdf.resolve(trailer.get('Root'));
  if (!(root instanceof PdfDict)) throw new PdfSyntaxError('no catalog');
  const pages = pdf.resolve(root.get('Pages'));
  if (!(pages instanceof PdfDict)) throw new PdfSyntaxError('no page tree');
  const result: PdfProbe = { status: 'ok', restricted };
  const count = pages.get('Count');
  if (typeof count === 'number' && Number.isInteger(count) && count >= 0) result.pages = count;
  try {
    const infoRef = trailer.get('Info');
    const info = pdf.resolve(infoRef);
    if (info instanceof PdfDict) {
      const v = info.get('CreationDate');
      if (v instanceof PdfString) {
        const bytes =
          pdf.decrypt && infoRef instanceof PdfRef && !pdf.inObjectStream(infoRef.num) ? pdf.decrypt(v.bytes, infoRef.num, infoRef.gen) : v.bytes;
        const created = parsePdfDate(decodeTextString(bytes));
        if (created) result.creationDate = created;
      }
    }
  } catch {
    // The creation date is a nicety: a PDF without a readable one is simply undated by this source.
  }
  return result;
}
