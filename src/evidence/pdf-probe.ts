// Reads what `check` needs from a PDF without loading it: is it whole, does it need a password,
// when was it made, how many pages, is it a dynamic XFA form. Positional reads of the header, the
// trailer, the cross-reference section and a handful of objects.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { openSecurity, type Security } from './pdf-security.js';
import { decodeFilters } from './pdf-filters.js';
import {
  decodeTextString,
  Lexer,
  HEADER_SEARCH,
  parsePdfDate,
  pdfHeaderOffset,
  PdfDict,
  PdfEndOfData,
  PdfName,
  PdfRef,
  PdfString,
  PdfSyntaxError,
  type PdfValue,
} from './pdf-syntax.js';

export type PdfProbe =
  | {
      status: 'ok';
      restricted: boolean;
      creationDate?: string;
      pages?: number;
      repaired?: boolean;
      /** a dynamic XFA form: what any reader but Adobe's shows is a "Please wait…" placeholder page */
      xfa?: boolean;
    }
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
  /** a cross-reference stream's rows, read when an object is looked up */
  rows?: XrefRows;
  trailer: PdfDict;
}

/** Streams we inflate (cross-reference and object streams) may not grow past this. */
const MAX_STREAM = 64 * 1024 * 1024;
/** A damaged file is scanned whole to rebuild its cross-reference table, up to this size. */
export const MAX_REPAIR_SCAN = 512 * 1024 * 1024;
/**
 * One object's text (a dictionary, an array) is read in windows growing eightfold from 4 KiB up to
 * this: the /Kids of a flat page tree of 100,000 pages (about 1.2 MB) costs four reads, not one
 * read per page.
 */
const MAX_OBJECT = 16 * 1024 * 1024;
/**
 * Readers find the last `%%EOF` and `startxref` however much data follows them (an upload form's
 * or a scanner's bytes appended after the end); we look this far back from the end.
 */
const MAX_TRAILING = 16 * 1024 * 1024;

export class PdfFile {
  sections: Section[] = [];
  /** set once the file is known to open without a password (empty user or owner password, or clear content) */
  security?: Security;
  constructor(
    private readAt: ReadAt,
    readonly size: number,
    /** where `%PDF-` starts: offsets in the file count from there */
    readonly base: number,
  ) {}

  read(pos: number, len: number): Buffer {
    const n = Math.max(0, Math.min(len, this.size - pos));
    return n > 0 ? this.readAt(pos, n) : Buffer.alloc(0);
  }

  /**
   * Parse what starts at `pos`, reading a window that grows (×8) while the object runs past it:
   * most objects fit the first 4 KiB, a long /Kids array or /Index is read whole once.
   */
  parseAt<T>(pos: number, parse: (lex: Lexer) => T, first = 4096): T {
    for (let len = first; ; len *= 8) {
      const chunk = this.read(pos, len);
      const partial = chunk.length === len && pos + len < this.size;
      try {
        return parse(new Lexer(chunk, 0, partial));
      } catch (err) {
        if (!(err instanceof PdfEndOfData) || len >= MAX_OBJECT) throw err;
      }
    }
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
        const trailer = this.parseAt(pos + lex.pos, (l) => l.value());
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
      const e = sec.entries.get(num) ?? (sec.rows ? sec.rows.entry(num) : this.entryFromTable(sec, num));
      if (e === null) return undefined;
      if (e) return e;
    }
    return undefined;
  }

  private readStream(pos: number): { entries: Map<number, XrefEntry>; rows: XrefRows; trailer: PdfDict } {
    const { dict, data } = this.readStreamObject(pos);
    const type = dict.get('Type');
    if (!(type instanceof PdfName) || type.name !== 'XRef') throw new PdfSyntaxError('startxref does not point to a cross-reference section');
    return { entries: new Map(), rows: new XrefRows(dict, data), trailer: dict };
  }

  /** An indirect object `n g obj << … >> stream … endstream`, its data decoded. */
  readStreamObject(pos: number): { dict: PdfDict; data: Buffer } {
    const head = this.parseAt(pos, (lex) => {
      const num = Number(lex.token());
      const gen = Number(lex.token());
      lex.expect('obj');
      const dict = lex.value();
      if (!(dict instanceof PdfDict)) throw new PdfSyntaxError('stream object without dictionary');
      lex.expect('stream');
      let start = lex.pos;
      if (lex.buf[start] === 0x0d) start++;
      if (lex.buf[start] === 0x0a) start++;
      return { num, gen, dict, start };
    });
    const { num, gen, dict, start } = head;
    let length = dict.get('Length');
    if (length instanceof PdfRef) length = this.resolve(length);
    if (typeof length !== 'number' || length < 0 || length > MAX_STREAM || pos + start + length > this.size) {
      throw new PdfSyntaxError('bad stream length');
    }
    let raw = this.read(pos + start, length);
    const type = dict.get('Type');
    // Cross-reference streams are never encrypted; every other stream is, in an encrypted file.
    if (this.security && !(type instanceof PdfName && type.name === 'XRef')) raw = this.security.stream(raw, num, gen);
    return { dict, data: decodeFilters(dict.get('Filter'), dict.get('DecodeParms'), raw, MAX_STREAM) };
  }

  /** Every object number some cross-reference section names (in use or not: `entry` decides). */
  objectNumbers(): number[] {
    const nums = new Set<number>();
    for (const sec of this.sections) {
      for (const n of sec.entries.keys()) nums.add(n);
      for (const sub of sec.subsections) for (let i = 0; i < Math.min(sub.count, 10_000_000); i++) nums.add(sub.start + i);
      if (sec.rows) for (const n of sec.rows.numbers()) nums.add(n);
    }
    return [...nums].sort((a, b) => a - b);
  }

  /**
   * Object `num` as written (strings and stream data still encrypted, for the caller to decrypt):
   * its value, its generation, and for a stream its raw data. Undefined when it is not in use.
   */
  rawObject(num: number): { value: PdfValue; gen: number; data?: Buffer; inStream: boolean } | undefined {
    const entry = this.entry(num);
    if (!entry) return undefined;
    if (entry.type === 2) {
      const stream = this.objectStream(entry.stream);
      const off = stream?.offsets.get(num);
      if (!stream || off === undefined) return undefined;
      return { value: new Lexer(stream.data, stream.first + off).value(), gen: 0, inStream: true };
    }
    const pos = entry.offset + this.base;
    if (pos >= this.size) return undefined;
    const head = this.parseAt(pos, (lex) => {
      if (Number(lex.token()) !== num) throw new PdfSyntaxError('object not where the xref says');
      const gen = Number(lex.token());
      lex.expect('obj');
      const value = lex.value();
      const at = lex.pos;
      let stream: number | undefined;
      if (value instanceof PdfDict && lex.peekToken() === 'stream') {
        lex.token();
        stream = lex.pos;
        if (lex.buf[stream] === 0x0d) stream++;
        if (lex.buf[stream] === 0x0a) stream++;
      }
      return { gen, value, at, stream };
    });
    if (head.stream === undefined) return { value: head.value, gen: head.gen, inStream: false };
    const dict = head.value as PdfDict;
    const start = pos + head.stream;
    let length = this.resolve(dict.get('Length'));
    if (typeof length !== 'number' || length < 0 || start + length > this.size || !/^\s*endstream/.test(this.read(start + length, 32).toString('latin1'))) {
      // a wrong /Length: the data runs to the `endstream` keyword, as readers find it
      const window = this.read(start, MAX_STREAM + 16);
      const end = window.indexOf('endstream');
      if (end < 0) throw new PdfSyntaxError('stream without endstream');
      length = end;
      while (length > 0 && (window[length - 1] === 0x0a || window[length - 1] === 0x0d)) length--;
    }
    return { value: dict, gen: head.gen, data: this.read(start, length), inStream: false };
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
      const value = this.parseAt(pos, (lex) => {
        if (Number(lex.token()) !== v.num) throw new PdfSyntaxError('object not where the xref says');
        lex.token();
        lex.expect('obj');
        return lex.value();
      });
      return this.resolve(value, depth + 1);
    }
    const stream = this.objectStream(entry.stream);
    const off = stream?.offsets.get(v.num);
    if (!stream || off === undefined) return undefined;
    return this.resolve(new Lexer(stream.data, stream.first + off).value(), depth + 1);
  }

  /** object streams decoded so far (the catalog, pages and Info often share one) */
  private objectStreams = new Map<number, { data: Buffer; first: number; offsets: Map<number, number> } | undefined>();

  objectStream(num: number): { data: Buffer; first: number; offsets: Map<number, number> } | undefined {
    if (this.objectStreams.has(num)) return this.objectStreams.get(num);
    const streamEntry = this.entry(num);
    let found: { data: Buffer; first: number; offsets: Map<number, number> } | undefined;
    if (streamEntry?.type === 1) {
      const { dict, data } = this.readStreamObject(streamEntry.offset + this.base);
      const n = Math.min(Number(dict.get('N') ?? 0), 1_000_000);
      const first = Number(dict.get('First') ?? 0);
      // the header: N pairs of numbers before /First
      const words = data.toString('latin1', 0, Math.min(first, data.length)).trim().split(/[\s\0]+/, 2 * n);
      const offsets = new Map<number, number>();
      for (let i = 0; i + 1 < words.length; i += 2) {
        const inner = Number(words[i]);
        const off = Number(words[i + 1]);
        if (!Number.isInteger(inner) || !Number.isInteger(off)) break;
        if (!offsets.has(inner)) offsets.set(inner, off);
      }
      found = { data, first, offsets };
    }
    this.objectStreams.set(num, found);
    return found;
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
      try {
        const t = this.parseAt(trailerPos + 7, (lex) => lex.value());
        if (t instanceof PdfDict) section.trailer = t;
      } catch {
        // a damaged trailer: the catalog is looked for below
      }
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

/** The rows of a cross-reference stream, decoded one at a time when an object is looked up. */
class XrefRows {
  private readonly w: number[];
  private readonly index: number[];
  private readonly rowLen: number;
  constructor(
    dict: PdfDict,
    private readonly data: Buffer,
  ) {
    const w = (dict.get('W') as PdfValue[] | undefined)?.map(Number) ?? [];
    if (w.length !== 3 || w.some((x) => !Number.isInteger(x) || x < 0 || x > 8)) throw new PdfSyntaxError('bad /W');
    this.w = w;
    this.rowLen = w[0]! + w[1]! + w[2]!;
    if (this.rowLen === 0) throw new PdfSyntaxError('bad /W');
    const size = Number(dict.get('Size') ?? 0);
    const index = dict.get('Index');
    this.index = Array.isArray(index) ? index.map(Number) : [0, size];
  }

  private field(row: number, start: number, len: number, dflt: number): number {
    if (len === 0) return dflt;
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + (this.data[row * this.rowLen + start + i] ?? 0);
    return v;
  }

  /** the object numbers the stream has rows for */
  *numbers(): Generator<number> {
    for (let k = 0; k + 1 < this.index.length; k += 2) for (let i = 0; i < Math.min(this.index[k + 1]!, 10_000_000); i++) yield this.index[k]! + i;
  }

  /** undefined: not in this section; null: a free entry */
  entry(num: number): XrefEntry | undefined | null {
    let row = 0;
    for (let k = 0; k + 1 < this.index.length; k += 2) {
      const start = this.index[k]!;
      const count = this.index[k + 1]!;
      if (num >= start && num < start + count) {
        row += num - start;
        if ((row + 1) * this.rowLen > this.data.length) return undefined;
        const [w0, w1, w2] = this.w as [number, number, number];
        const t = this.field(row, 0, w0, 1);
        const a = this.field(row, w0, w1, 0);
        const b = this.field(row, w0 + w1, w2, 0);
        if (t === 1) return { type: 1, offset: a };
        if (t === 2) return { type: 2, stream: a, index: b };
        return t === 0 ? null : undefined;
      }
      row += count;
    }
    return undefined;
  }
}

export { pdfHeaderOffset };

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
  return probeWith(fdReader(fd), fileSize).probe;
}

/** Positional reads of an open file. */
type ReadAt = (pos: number, len: number) => Buffer;

function fdReader(fd: number): ReadAt {
  return (pos, len) => {
    const buf = Buffer.alloc(len);
    return buf.subarray(0, readSync(fd, buf, 0, len, pos));
  };
}

/** The probe of a PDF held in memory, and the file as read (for rewriting it: see convert/decrypt.ts). */
export function probePdfBytes(bytes: Buffer): { probe: PdfProbe; pdf?: PdfFile } {
  return probeWith((pos, len) => bytes.subarray(pos, pos + len), bytes.length);
}

/** The probe, and the file as read (its cross-reference table loaded or rebuilt) when it opens. */
function probeWith(readAt: ReadAt, fileSize: number): { probe: PdfProbe; pdf?: PdfFile } {
  const base = pdfHeaderOffset(readAt(0, Math.min(HEADER_SEARCH, fileSize)));
  if (base < 0) return { probe: { status: 'broken', what: '文件开头没有 PDF 标记' } };
  const end = findEnd(readAt, fileSize);
  // A file cut short is incomplete evidence, even where a reader would show what is left.
  if (!end) return { probe: { status: 'truncated' } };
  const { size, startxref } = end;

  const fast = new PdfFile(readAt, size, base);
  try {
    if (!Number.isFinite(startxref) || startxref + base >= size) throw new PdfSyntaxError('bad startxref');
    fast.loadXref(startxref);
    return { probe: inspect(fast), pdf: fast };
  } catch {
    // fall through to a rebuilt table
  }
  if (size > MAX_REPAIR_SCAN) return { probe: { status: 'too-large', limit: MAX_REPAIR_SCAN } };
  const slow = new PdfFile(readAt, size, base);
  try {
    slow.reconstruct();
    const r = inspect(slow);
    return { probe: r.status === 'ok' ? { ...r, repaired: true } : r, pdf: slow };
  } catch {
    return { probe: { status: 'broken', what: '文件结构无法读取' } };
  }
}

/** Bytes that show the data after a %%EOF is an incremental update cut short, not data appended. */
const PDF_SYNTAX = /(?<![0-9])\d{1,10}[ \t\r\n\f\0]+\d{1,5}[ \t\r\n\f\0]+obj\b|\bendobj\b|\bendstream\b|\bstartxref\b|\btrailer[ \t\r\n\f\0]*<</;

/**
 * The end of the PDF in the file: the last `%%EOF` and the `startxref` before it. Padding (NUL,
 * blanks) or other data after it is left out, as readers leave it out; but when what follows the
 * last `%%EOF` holds PDF objects, the file was cut short in an update: undefined, as for a file
 * with no `%%EOF` at all.
 */
function findEnd(read: ReadAt, fileSize: number): { size: number; startxref: number } | undefined {
  // from the end backwards: the last 4 KiB (where the marker nearly always is), then 64 KiB at a
  // time, each window overlapping the next by a few bytes so that no marker is split
  let eofAt = -1;
  for (let end = fileSize, size = 4096; end > 0 && fileSize - end < MAX_TRAILING; end -= size, size = 64 * 1024) {
    const start = Math.max(0, end - size);
    const text = read(start, Math.min(end + 64, fileSize) - start).toString('latin1');
    const at = text.lastIndexOf('%%EOF');
    if (at >= 0) {
      if (PDF_SYNTAX.test(text.slice(at + 5))) return undefined;
      eofAt = start + at;
      break;
    }
    if (PDF_SYNTAX.test(text)) return undefined;
  }
  if (eofAt < 0) return undefined;
  // startxref within the kilobyte before %%EOF
  const from = Math.max(0, eofAt - 1024);
  const text = read(from, eofAt - from).toString('latin1');
  const sx = text.lastIndexOf('startxref');
  const startxref = sx < 0 ? NaN : Number(/startxref\s+(\d+)/.exec(text.slice(sx))?.[1]);
  return { size: eofAt + 5, startxref };
}

/** Encryption, the catalog, the page count and the creation date; throws when the structure is unreadable. */
function inspect(pdf: PdfFile): PdfProbe {
  const trailer = pdf.trailer;
  const encryptRef = trailer.get('Encrypt');
  let restricted = false;
  if (encryptRef !== undefined && encryptRef !== null) {
    const encrypt = pdf.resolve(encryptRef);
    const ids = trailer.get('ID');
    const id0 = Array.isArray(ids) && ids[0] instanceof PdfString ? ids[0].bytes : undefined;
    // (an /Encrypt that is no dictionary is damage, not a certificate)
    if (!(encrypt instanceof PdfDict)) return { status: 'broken', what: '加密信息已损坏' };
    const sec = openSecurity(encrypt, id0);
    if (!sec.opens) return { status: 'encrypted', why: sec.why === 'password' ? 'password' : 'certificate' };
    restricted = true;
    pdf.security = sec;
  }
  const root = pdf.resolve(trailer.get('Root'));
  if (!(root instanceof PdfDict)) throw new PdfSyntaxError('no catalog');
  const pages = pdf.resolve(root.get('Pages'));
  if (!(pages instanceof PdfDict)) throw new PdfSyntaxError('no page tree');
  if (!firstPage(pdf, pages)) return { status: 'broken', what: '文件中没有可读的页面' };
  const result: Extract<PdfProbe, { status: 'ok' }> = { status: 'ok', restricted };
  const count = pages.get('Count');
  if (typeof count === 'number' && Number.isInteger(count) && count >= 0) result.pages = count;
  try {
    if (dynamicXfa(pdf, root, pages)) result.xfa = true;
  } catch {
    // an AcroForm we cannot read is no dynamic form we could tell
  }
  try {
    const infoRef = trailer.get('Info');
    const info = pdf.resolve(infoRef);
    if (info instanceof PdfDict) {
      const v = info.get('CreationDate');
      if (v instanceof PdfString) {
        const bytes =
          pdf.security && infoRef instanceof PdfRef && !pdf.inObjectStream(infoRef.num) ? pdf.security.string(v.bytes, infoRef.num, infoRef.gen) : v.bytes;
        const created = parsePdfDate(decodeTextString(bytes));
        if (created) result.creationDate = created;
      }
    }
  } catch {
    // The creation date is a nicety: a PDF without a readable one is simply undated by this source.
  }
  return result;
}

/**
 * The first page of the tree, found depth first, kids in order (a flat tree of any size costs one
 * read of its /Kids and one of its first page; empty branches are stepped over), looking at no more
 * than 64 nodes: binding needs a tree of pages, not merely a /Pages entry.
 */
function firstPage(pdf: PdfFile, pages: PdfDict): PdfDict | undefined {
  let budget = 64;
  const visit = (node: PdfDict, depth: number): PdfDict | undefined => {
    if (--budget < 0 || depth > 32) return undefined;
    const kids = pdf.resolve(node.get('Kids'));
    if (!Array.isArray(kids)) {
      const type = node.get('Type');
      return type instanceof PdfName && type.name === 'Page' ? node : undefined;
    }
    for (const kid of kids) {
      const child = pdf.resolve(kid);
      const found = child instanceof PdfDict && child !== node ? visit(child, depth + 1) : undefined;
      if (found || budget < 0) return found;
    }
    return undefined;
  };
  return visit(pages, 0);
}

/**
 * A dynamic XFA form (Adobe LiveCycle / AEM Designer): its pages exist only in the XFA stream and
 * are drawn by Adobe Reader; every other reader, and a copy of its pages, shows the "Please
 * wait…" placeholder. Adobe marks them `/NeedsRendering true`; one without the mark is known by
 * an XFA with no AcroForm fields and that placeholder on its first page. (A static XFA form has
 * its pages and fields in the PDF, and is bound as it is.)
 */
function dynamicXfa(pdf: PdfFile, root: PdfDict, pages: PdfDict): boolean {
  const form = pdf.resolve(root.get('AcroForm'));
  if (!(form instanceof PdfDict)) return false;
  const xfa = form.get('XFA');
  if (xfa === undefined || xfa === null) return false;
  if (pdf.resolve(root.get('NeedsRendering')) === true) return true;
  const fields = pdf.resolve(form.get('Fields'));
  if (Array.isArray(fields) && fields.length > 0) return false;
  // the first page's content: the placeholder's words
  const node = firstPage(pdf, pages);
  if (!node) return false;
  const contents = node.get('Contents');
  const refs = Array.isArray(contents) ? contents : contents ? [contents] : [];
  let text = '';
  for (const ref of refs.slice(0, 4)) {
    const entry = ref instanceof PdfRef ? pdf.entry(ref.num) : undefined;
    if (entry?.type !== 1) continue;
    text += pdf.readStreamObject(entry.offset + pdf.base).data.toString('latin1', 0, 65536);
  }
  return /Please wait/i.test(text);
}
