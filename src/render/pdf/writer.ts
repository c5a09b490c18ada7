// A PDF written as it is made: each object goes to the output as soon as it exists, so memory holds
// one page's worth (a photo, one evidence document), never the volume. Object numbers are given in
// order and the cross-reference table is written at the end. Objects that pdf-lib builds (embedded
// fonts, images, pages of evidence PDFs) are made in a scratch document whose numbering continues
// ours, and only what the wanted objects reach is written.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFRef, PDFStream, typedArrayFor, type PDFContext, type PDFObject } from 'pdf-lib';

import type { ByteSink } from '../../util/sink.js';

export type { ByteSink };

const enc = new TextEncoder();

/** A number as PDF writes it: at most 3 decimals, no exponent, no trailing zeros. */
export function num(n: number): string {
  if (!Number.isFinite(n)) return '0';
  const s = (Math.round(n * 1000) / 1000).toFixed(3);
  return s.replace(/\.?0+$/, '') || '0';
}

/** A text string (Title, bookmarks): UTF-16BE with a byte order mark, as hex. */
export function pdfText(s: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `<${hex}>`;
}

export class PdfWriter {
  private offset = 0;
  private offsets: number[] = [];
  private next = 1;
  private readonly hash = createHash('sha256');

  constructor(private readonly sink: ByteSink) {
    // a binary comment line after the header, so transfer tools treat the file as binary
    this.raw(new Uint8Array([...enc.encode('%PDF-1.7\n%'), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
  }

  private raw(chunk: Uint8Array): void {
    this.sink.write(chunk);
    this.hash.update(chunk);
    this.offset += chunk.length;
  }

  /** A fresh object number. */
  alloc(): number {
    return this.next++;
  }

  /** Write object `n` (allocated before) whose body is `body` (PDF syntax). */
  object(n: number, body: string | Uint8Array): void {
    this.offsets[n] = this.offset;
    this.raw(enc.encode(`${n} 0 obj\n`));
    this.raw(typeof body === 'string' ? enc.encode(body) : body);
    this.raw(enc.encode('\nendobj\n'));
  }

  /** A stream object, Flate-compressed unless `filtered` (already encoded, e.g. JPEG). */
  stream(n: number, dict: string, data: Uint8Array, compress = true): void {
    const body = compress ? deflateSync(data) : data;
    const d = `<< ${dict}${compress ? ' /Filter /FlateDecode' : ''} /Length ${body.length} >>\nstream\n`;
    this.offsets[n] = this.offset;
    this.raw(enc.encode(`${n} 0 obj\n${d}`));
    this.raw(body);
    this.raw(enc.encode('\nendstream\nendobj\n'));
  }

  /**
   * Build objects with pdf-lib and write them: `make` gets a document whose new objects are numbered
   * after ours, and returns the references it wants; those and everything they reach are written.
   */
  async scratch<T extends PDFRef[]>(make: (doc: PDFDocument) => Promise<T>): Promise<T> {
    const session = await this.session();
    const refs = await session.use(make);
    session.flush(refs);
    return refs;
  }

  /**
   * A scratch document kept across calls: objects shared by several pages (the fonts and images of
   * one evidence document) are copied into it once and written once.
   */
  async session(): Promise<ScratchSession> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    nativeFlate(doc.context);
    return new ScratchSession(this, doc);
  }

  /** @internal numbering shared with scratch documents */
  get nextNumber(): number {
    return this.next;
  }
  set nextNumber(n: number) {
    this.next = Math.max(this.next, n);
  }

  /** @internal */
  writeReachable(context: PDFContext, roots: PDFRef[], skip: Set<number>): void {
    const seen = new Set<number>();
    const stack = [...roots];
    const order: PDFRef[] = [];
    const visit = (o: PDFObject | undefined) => {
      if (o instanceof PDFRef) stack.push(o);
      else if (o instanceof PDFDict) for (const [, v] of o.entries()) visit(v);
      else if (o instanceof PDFArray) for (const v of o.asArray()) visit(v);
      else if (o instanceof PDFStream) visit(o.dict);
    };
    while (stack.length > 0) {
      const ref = stack.pop()!;
      if (seen.has(ref.objectNumber) || skip.has(ref.objectNumber)) continue;
      seen.add(ref.objectNumber);
      const obj = context.lookup(ref);
      if (obj === undefined) continue;
      order.push(ref);
      visit(obj);
    }
    order.sort((a, b) => a.objectNumber - b.objectNumber);
    for (const ref of order) {
      const obj = context.lookup(ref)!;
      const bytes = new Uint8Array(obj.sizeInBytes());
      obj.copyBytesInto(bytes, 0);
      this.object(ref.objectNumber, bytes);
      skip.add(ref.objectNumber);
    }
  }

  /** The cross-reference table and trailer; returns the sha256 of every byte written. */
  finish(root: number, info: number): string {
    const body = this.hash.copy().digest('hex');
    const id = body.slice(0, 32).toUpperCase();
    const xref = this.offset;
    const size = this.next;
    let table = `xref\n0 ${size}\n0000000000 65535 f \n`;
    for (let i = 1; i < size; i++) {
      const o = this.offsets[i];
      table += o === undefined ? '0000000000 65535 f \n' : `${String(o).padStart(10, '0')} 00000 n \n`;
    }
    table += `trailer\n<< /Size ${size} /Root ${root} 0 R /Info ${info} 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${xref}\n%%EOF\n`;
    this.raw(enc.encode(table));
    return this.hash.digest('hex');
  }
}

/**
 * pdf-lib compresses the streams it makes (embedded fonts and their ToUnicode maps, images, the
 * content of evidence pages it copies) with pako, in JavaScript; Node's zlib does the same work
 * natively, several times faster. The bytes differ from pako's, and are as deterministic.
 */
function nativeFlate(ctx: PDFContext): void {
  ctx.flateStream = (contents, dict = {}) => ctx.stream(deflateSync(typedArrayFor(contents)), { ...dict, Filter: 'FlateDecode' });
}

/** A pdf-lib document whose objects are numbered in the writer's sequence and written once each. */
export class ScratchSession {
  private readonly written: Set<number>;

  constructor(
    private readonly writer: PdfWriter,
    readonly doc: PDFDocument,
  ) {
    // the scratch document's own catalog and page tree are never written
    this.written = new Set(doc.context.enumerateIndirectObjects().map(([r]) => r.objectNumber));
  }

  /** Run `make` with new objects numbered after everything the writer has given out. */
  async use<T>(make: (doc: PDFDocument) => Promise<T>): Promise<T> {
    const ctx = this.doc.context;
    ctx.largestObjectNumber = Math.max(ctx.largestObjectNumber, this.writer.nextNumber - 1);
    try {
      return await make(this.doc);
    } finally {
      this.writer.nextNumber = ctx.largestObjectNumber + 1;
    }
  }

  /** Write `roots` and whatever they reach that is not written yet. */
  flush(roots: PDFRef[]): void {
    this.writer.writeReachable(this.doc.context, roots, this.written);
  }
}
