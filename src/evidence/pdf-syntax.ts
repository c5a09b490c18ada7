// A small reader for PDF object syntax: just enough to read trailers, cross-reference sections and
// a few dictionaries (Info, Catalog, Pages, Encrypt) without loading the whole file. `check` must stay
// fast on thousands of PDFs; the full parse happens only when we bind.

export type PdfValue =
  | number
  | boolean
  | null
  | PdfName
  | PdfString
  | PdfRef
  | PdfValue[]
  | PdfDict;
export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfString {
  constructor(readonly bytes: Buffer) {}
}
export class PdfRef {
  constructor(readonly num: number, readonly gen: number) {}
}
export class PdfDict {
  constructor(readonly map: Map<string, PdfValue>) {}
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
}

export class PdfSyntaxError extends Error {}

/** Readers find `%PDF-` within the first 1024 bytes (a blank line, a mail gateway's header before it). */
export const HEADER_SEARCH = 1024;

/** Where `%PDF-` starts within the first 1024 bytes, as readers look for it; -1 when it is not there. */
export function pdfHeaderOffset(head: Uint8Array): number {
  return Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, HEADER_SEARCH)).indexOf('%PDF-');
}

/**
 * The object runs past the bytes the lexer was given: read more of the file and parse again. Only
 * thrown by a lexer over a window of the file (`partial`), never at the file's real end.
 */
export class PdfEndOfData extends PdfSyntaxError {}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

export class Lexer {
  pos: number;
  /**
   * `partial`: `buf` is a window of the file that may cut an object short. Running into its end
   * (even a token touching it, which may be cut) throws PdfEndOfData, so the caller reads more.
   */
  constructor(
    readonly buf: Buffer,
    pos = 0,
    readonly partial = false,
  ) {
    this.pos = pos;
  }

  private end(what: string): PdfSyntaxError {
    return this.partial ? new PdfEndOfData(what) : new PdfSyntaxError(what);
  }

  skipWs(): void {
    const b = this.buf;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (WS.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** A bare token (number, keyword) at the current position, without consuming it. */
  peekToken(): string {
    this.skipWs();
    let end = this.pos;
    while (end < this.buf.length && !WS.has(this.buf[end]!) && !DELIM.has(this.buf[end]!)) end++;
    if (end === this.buf.length && this.partial) throw new PdfEndOfData('token at the end of the window');
    return this.buf.toString('latin1', this.pos, end);
  }

  token(): string {
    const t = this.peekToken();
    this.pos += t.length;
    return t;
  }

  expect(keyword: string): void {
    const t = this.token();
    if (t !== keyword) throw new PdfSyntaxError(`expected ${keyword}, found ${t.slice(0, 20)}`);
  }

  value(): PdfValue {
    this.skipWs();
    const b = this.buf;
    if (this.pos >= b.length) throw this.end('unexpected end of data');
    const c = b[this.pos]!;
    if (c === 0x3c && b[this.pos + 1] === 0x3c) return this.dict();
    if (c === 0x3c) return this.hexString();
    if (c === 0x28) return this.literalString();
    if (c === 0x2f) return this.name();
    if (c === 0x5b) {
      this.pos++;
      const arr: PdfValue[] = [];
      for (;;) {
        this.skipWs();
        if (this.pos >= b.length) throw this.end('unterminated array');
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        const at = this.pos;
        const v = this.value();
        if (this.pos === at) this.pos++; // a stray '>>' inside an array
        else arr.push(v);
      }
    }
    const t = this.token();
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (t === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) {
      // An integer followed by "gen R" is a reference.
      if (/^\d+$/.test(t)) {
        const save = this.pos;
        const g = this.token();
        if (/^\d+$/.test(g) && this.token() === 'R') return new PdfRef(Number(t), Number(g));
        this.pos = save;
      }
      return Number(t);
    }
    // an object's end inside a value: the dictionary or array was never closed
    if (t === 'endobj' || t === 'stream' || t === 'endstream' || t === 'obj') throw new PdfSyntaxError(`unexpected ${t}`);
    // A stray keyword or delimiter (a damaged or fuzzed file): readers take it as nothing and go
    // on, as poppler does; at least one byte is consumed, so a loop over values always ends.
    // ('>>' or ']' end the enclosing dictionary or array: left for it to see)
    if (t === '' && !(b[this.pos] === 0x5d || (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e))) this.pos++;
    return null;
  }

  dict(): PdfDict {
    this.pos += 2;
    const map = new Map<string, PdfValue>();
    for (;;) {
      this.skipWs();
      if (this.pos >= this.buf.length) throw this.end('unterminated dictionary');
      if (this.buf[this.pos] === 0x3e && this.buf[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return new PdfDict(map);
      }
      const at = this.pos;
      const key = this.value();
      // (a key that is not a name is skipped, as poppler skips it; a stray ']' too)
      if (key instanceof PdfName) map.set(key.name, this.value());
      else if (this.pos === at) this.pos++;
    }
  }

  name(): PdfName {
    this.pos++;
    let end = this.pos;
    while (end < this.buf.length && !WS.has(this.buf[end]!) && !DELIM.has(this.buf[end]!)) end++;
    if (end === this.buf.length && this.partial) throw new PdfEndOfData('name at the end of the window');
    const raw = this.buf.toString('latin1', this.pos, end).replace(/#([0-9a-fA-F]{2})/g, (_, h: string) =>
      String.fromCharCode(parseInt(h, 16)),
    );
    this.pos = end;
    return new PdfName(raw);
  }

  hexString(): PdfString {
    const end = this.buf.indexOf(0x3e, this.pos);
    if (end < 0) throw this.end('unterminated hex string');
    let hex = this.buf.toString('latin1', this.pos + 1, end).replace(/[^0-9a-fA-F]/g, '');
    if (hex.length % 2) hex += '0';
    this.pos = end + 1;
    return new PdfString(Buffer.from(hex, 'hex'));
  }

  literalString(): PdfString {
    const b = this.buf;
    const out: number[] = [];
    let depth = 1;
    let i = this.pos + 1;
    while (i < b.length) {
      const c = b[i]!;
      if (c === 0x5c) {
        const n = b[i + 1];
        i += 2;
        if (n === undefined) break;
        const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (simple[n] !== undefined) out.push(simple[n]!);
        else if (n >= 0x30 && n <= 0x37) {
          let v = n - 0x30;
          for (let k = 0; k < 2 && b[i]! >= 0x30 && b[i]! <= 0x37; k++) v = v * 8 + (b[i++]! - 0x30);
          out.push(v & 0xff);
        } else if (n === 0x0d) {
          if (b[i] === 0x0a) i++;
        } else if (n !== 0x0a) out.push(n);
        continue;
      }
      if (c === 0x28) depth++;
      if (c === 0x29 && --depth === 0) {
        this.pos = i + 1;
        return new PdfString(Buffer.from(out));
      }
      out.push(c);
      i++;
    }
    throw this.end('unterminated string');
  }
}

/** Decode a PDF text string (PDFDocEncoding or UTF-16BE with BOM) to JS. */
export function decodeTextString(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString('utf8', 3);
  return bytes.toString('latin1');
}

/** `D:20231012093000+08'00'` → 2023-10-12 (the date as written; time zones do not move the day). */
export function parsePdfDate(s: string): string | undefined {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?/.exec(s.trim());
  if (!m) return undefined;
  const y = m[1]!;
  const mo = m[2] ?? '01';
  const d = m[3] ?? '01';
  const iso = `${y}-${mo}-${d}`;
  const t = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso) return undefined;
  return iso;
}
