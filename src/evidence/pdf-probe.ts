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
  | { status: 'ok'; restricted: boolean; creationDate?: string; pages?: number }
  | { status: 'truncated' | 'broken' | 'encrypted'; detail: string };

type XrefEntry = { type: 1; offset: number } | { type: 2; stream: number; index: number };

class PdfFile {
  private sections: { entries: Map<number, XrefEntry>; trailer: PdfDict }[] = [];
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
      const section = this.readSection(offset + this.base);
      this.sections.push(section);
      const prev = section.trailer.get('Prev');
      offset = typeof prev === 'number' ? prev : undefined;
    }
  }

  private readSection(pos: number): { entries: Map<number, XrefEntry>; trailer: PdfDict } {
    const head = this.read(pos, 64);
    const lex = new Lexer(head);
    if (lex.peekToken() === 'xref') return this.readTable(pos + lex.pos + 4);
    return this.readStream(pos);
  }

  private readTable(pos: number): { entries: Map<number, XrefEntry>; trailer: PdfDict } {
    const entries = new Map<number, XrefEntry>();
    for (let guard = 0; guard < 10000; guard++) {
      const chunk = this.read(pos, 64);
      const lex = new Lexer(chunk);
      const t = lex.peekToken();
      if (t === 'trailer') {
        lex.token();
        const tail = this.read(pos + lex.pos, 16384);
        const tl = new Lexer(tail);
        const trailer = tl.value();
        if (!(trailer instanceof PdfDict)) throw new PdfSyntaxError('trailer is not a dictionary');
        return { entries, trailer };
      }
      const start = Number(lex.token());
      const count = Number(lex.token());
      if (!Number.isInteger(start) || !Number.isInteger(count) || count < 0) throw new PdfSyntaxError('bad xref subsection');
      lex.skipWs();
      // Entries are nominally 20 bytes; tolerate writers that use 19 or 21 by matching them one by one.
      const body = (this.read(pos + lex.pos, count * 21 + 2)).toString('latin1');
      const re = /(\d{10}) (\d{5}) ([nf])/y;
      let at = 0;
      for (let i = 0; i < count; i++) {
        while (at < body.length && /\s/.test(body[at]!)) at++;
        re.lastIndex = at;
        const m = re.exec(body);
        if (!m) throw new PdfSyntaxError('bad xref entry');
        if (m[3] === 'n' && !entries.has(start + i)) entries.set(start + i, { type: 1, offset: Number(m[1]) });
        at = re.lastIndex;
      }
      pos = pos + lex.pos + at;
    }
    throw new PdfSyntaxError('xref table too long');
  }

  private readStream(pos: number): { entries: Map<number, XrefEntry>; trailer: PdfDict } {
    const { dict, data } = this.readStreamObject(pos);
    const type = dict.get('Type');
    if (!(type instanceof PdfName) || type.name !== 'XRef') throw new PdfSyntaxError('startxref does not point to a cross-reference section');
    const w = (dict.get('W') as PdfValue[] | undefined)?.map(Number) ?? [];
    if (w.length !== 3) throw new PdfSyntaxError('bad /W');
    const size = Number(dict.get('Size') ?? 0);
    const index = ((dict.get('Index') as PdfValue[] | undefined)?.map(Number)) ?? [0, size];
    const rowLen = w[0]! + w[1]! + w[2]!;
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
    return { entries, trailer: dict };
  }

  /** An indirect object `n g obj << … >> stream … endstream`, its data decoded. */
  private readStreamObject(pos: number): { dict: PdfDict; data: Buffer } {
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
    if (typeof length !== 'number' || length < 0) throw new PdfSyntaxError('bad stream length');
    let raw = this.read(pos + start, length);
    const type = dict.get('Type');
    // Cross-reference streams are never encrypted; every other stream is, in an encrypted file.
    if (this.decrypt && !(type instanceof PdfName && type.name === 'XRef')) raw = this.decrypt(raw, num, gen);
    return { dict, data: decodeStream(dict, raw) };
  }

  /** Strings inside object streams are not encrypted on their own (the stream was). */
  inObjectStream(num: number): boolean {
    return this.sections.map((s) => s.entries.get(num)).find((e) => e !== undefined)?.type === 2;
  }

  resolve(v: PdfValue | undefined, depth = 0): PdfValue | undefined {
    if (!(v instanceof PdfRef)) return v;
    if (depth > 8) return undefined;
    const entry = this.sections.map((s) => s.entries.get(v.num)).find((e) => e !== undefined);
    if (!entry) return undefined;
    if (entry.type === 1) {
      const pos = entry.offset + this.base;
      const chunk = this.read(pos, 16384);
      const lex = new Lexer(chunk);
      if (Number(lex.token()) !== v.num) return undefined;
      lex.token();
      lex.expect('obj');
      return this.resolve(lex.value(), depth + 1);
    }
    const streamEntry = this.sections.map((s) => s.entries.get(entry.stream)).find((e) => e !== undefined);
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
}

function decodeStream(dict: PdfDict, raw: Buffer): Buffer {
  const filter = dict.get('Filter');
  const filters = Array.isArray(filter) ? filter : filter ? [filter] : [];
  let data = raw;
  for (const f of filters) {
    if (!(f instanceof PdfName) || f.name !== 'FlateDecode') throw new PdfSyntaxError('unsupported filter');
    data = inflateSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate a missing adler32 */ });
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
 * per file cost far less than the promise machinery around them.
 */
export function probePdfFd(fd: number, size: number): PdfProbe {
  {
    const headBuf = Buffer.alloc(Math.min(1024, size));
    readSync(fd, headBuf, 0, headBuf.length, 0);
    const base = headBuf.indexOf('%PDF-');
    if (base < 0) return { status: 'broken', detail: '文件开头没有 PDF 标记（%PDF-），不是有效的 PDF' };
    const tailLen = Math.min(2048, size);
    const tail = Buffer.alloc(tailLen);
    readSync(fd, tail, 0, tailLen, size - tailLen);
    const tailText = tail.toString('latin1');
    const eof = tailText.lastIndexOf('%%EOF');
    const sx = tailText.lastIndexOf('startxref');
    if (eof < 0 || sx < 0 || tailLen - eof > 1024) {
      return { status: 'truncated', detail: '文件结尾缺少 startxref/%%EOF，文件不完整（可能下载或拷贝中断），请重新获取原文件' };
    }
    const startxref = Number(/startxref\s+(\d+)/.exec(tailText.slice(sx))?.[1]);
    const pdf = new PdfFile(fd, size, base);
    try {
      if (!Number.isFinite(startxref) || startxref + base >= size) throw new PdfSyntaxError('bad startxref');
      pdf.loadXref(startxref);
    } catch {
      return { status: 'broken', detail: 'PDF 交叉引用表损坏，无法读取文件结构，请用原软件重新导出 PDF' };
    }
    const trailer = pdf.trailer;
    const encryptRef = trailer.get('Encrypt');
    let decryptString: ((b: Buffer, num: number, gen: number) => Buffer) | undefined;
    let restricted = false;
    if (encryptRef !== undefined) {
      const encrypt = pdf.resolve(encryptRef);
      const ids = trailer.get('ID');
      const id0 = Array.isArray(ids) && ids[0] instanceof PdfString ? ids[0].bytes : undefined;
      const sec = encrypt instanceof PdfDict ? checkEmptyUserPassword(encrypt, id0) : ({ opens: false, why: 'unsupported' } as const);
      if (!sec.opens) {
        return {
          status: 'encrypted',
          detail:
            sec.why === 'password'
              ? '打开此 PDF 需要密码。请向提供者索取无密码版本，或用原软件去掉打开密码后重新导出'
              : '此 PDF 使用了不支持的加密方式（如证书加密），请提供未加密的版本',
        };
      }
      restricted = true;
      decryptString = sec.decryptString;
      pdf.decrypt = sec.decryptString;
    }
    const result: PdfProbe = { status: 'ok', restricted };
    try {
      const infoRef = trailer.get('Info');
      const info = pdf.resolve(infoRef);
      if (info instanceof PdfDict) {
        const text = (key: string) => {
          const v = info.get(key);
          if (!(v instanceof PdfString)) return undefined;
          const bytes =
            decryptString && infoRef instanceof PdfRef && !pdf.inObjectStream(infoRef.num)
              ? decryptString(v.bytes, infoRef.num, infoRef.gen)
              : v.bytes;
          return decodeTextString(bytes);
        };
        const created = text('CreationDate');
        if (created) result.creationDate = parsePdfDate(created);
      }
      const root = pdf.resolve(trailer.get('Root'));
      if (!(root instanceof PdfDict)) return { status: 'broken', detail: 'PDF 缺少文档目录（/Root），无法打开，请用原软件重新导出' };
      const pages = pdf.resolve(root.get('Pages'));
      if (pages instanceof PdfDict && typeof pages.get('Count') === 'number') result.pages = pages.get('Count') as number;
    } catch {
      // Metadata is a nicety; a structure we cannot follow here may still bind.
    }
    return result;
  }
}
