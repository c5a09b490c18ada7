// Opening an evidence PDF for binding, the way readers open it: pdf-lib first; an encrypted file
// that opens without a password decrypted (by qpdf, else by our own standard security handler,
// which also opens files whose attachments alone are encrypted); a damaged one rebuilt by qpdf,
// else written anew by our own reader as `check` read it. pdf-lib's console chatter is silenced,
// its English and JavaScript errors become one Chinese reason, and the loaded document is made
// copyable: abbreviated filter names spelled out, a page without /Contents given an empty one
// (its annotations are then drawn on it).
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream, PDFString, PDFHexString, type PDFObject } from 'pdf-lib';
import { decryptPdf, repairPdf, rewriteWithOwnReader } from '../../convert/decrypt.js';
import { fullFilterName } from '../../evidence/pdf-filters.js';
import { quietly } from '../../util/quiet.js';

/** A PDF that cannot be opened for binding; the message is the reason, in Chinese, for the user. */
export class PdfReadError extends Error {}

export interface LoadedPdf {
  doc: PDFDocument;
  /** the bytes pages are to be copied from, when they are not the file's own (decrypted, repaired) */
  rewritten?: Uint8Array;
}

const n = (s: string) => PDFName.of(s);

function isEncryptedError(err: unknown): boolean {
  // (pdf-lib's error class is not reliably the one we import)
  return err instanceof Error && /is encrypted/i.test(err.message);
}

/** Parse and check: every page reachable, and what copying it reads (pdf-lib's page tree walk throws on a damaged tree). */
async function parse(bytes: Uint8Array): Promise<PDFDocument> {
  return quietly(async () => {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    if (doc.getPageCount() === 0) throw new PdfReadError('PDF 中没有页面');
    // what sizing and copying a page reads, inherited attributes included: a page tree pdf-lib cannot
    // climb fails here, where qpdf (or our reader) can still rebuild it, not while a volume is drawn
    for (const p of doc.getPages()) {
      p.getCropBox();
      p.getRotation();
      p.node.Resources();
    }
    return doc;
  });
}

/** The document to copy pages from; throws PdfReadError (Chinese) when no reader's way opens it. */
export async function loadEvidencePdf(bytes: Uint8Array): Promise<LoadedPdf> {
  let first: unknown;
  try {
    const doc = await parse(bytes);
    prepareForCopy(doc);
    return { doc };
  } catch (err) {
    first = err;
  }
  let rewritten: Uint8Array;
  if (isEncryptedError(first)) {
    try {
      rewritten = await decryptPdf(bytes);
    } catch {
      // qpdf wants a password; our own handler opens what readers open without one (a file whose
      // pages are not encrypted, only its attachments; a key length qpdf reads otherwise)
      const clear = rewriteWithOwnReader(bytes);
      if (!clear) throw new PdfReadError('文件已加密，需要密码才能打开');
      rewritten = clear;
    }
  } else {
    // damaged: qpdf rebuilds it as it reads it; where qpdf cannot, our reader writes what `check` read
    const own = () => {
      const copy = rewriteWithOwnReader(bytes);
      if (!copy) throw new PdfReadError(pdfFailure(first));
      return copy;
    };
    rewritten = await repairPdf(bytes).catch(own);
    try {
      return { doc: await ready(rewritten), rewritten };
    } catch {
      rewritten = own();
    }
  }
  try {
    return { doc: await ready(rewritten), rewritten };
  } catch (err) {
    throw new PdfReadError(pdfFailure(err instanceof PdfReadError ? err : first));
  }
}

async function ready(bytes: Uint8Array): Promise<PDFDocument> {
  const doc = await parse(bytes);
  prepareForCopy(doc);
  return doc;
}

/**
 * What pdf-lib's failure means, in words for the user: never its English, never a JavaScript
 * error ("_this.catalog.Pages(...).traverse is not a function" is a page tree it could not read).
 */
export function pdfFailure(err: unknown): string {
  if (err instanceof PdfReadError) return err.message;
  if (err instanceof RangeError && /call stack/i.test(err.message)) return '文件内部结构自相循环或嵌套过深，读不出内容';
  const text = err instanceof Error ? err.message : String(err);
  if (/is encrypted/i.test(text)) return '文件已加密，需要密码才能打开';
  if (/No PDF header/i.test(text)) return '文件开头没有 PDF 标记';
  if (/encoding not supported|Unsupported encoding|UnsupportedEncoding/i.test(text)) return '文件使用了无法解码的压缩方式，读不出页面内容';
  if (/[\u4e00-\u9fff]/.test(text)) return text.split('\n')[0]!.trim();
  return '文件内部结构损坏，读不出页面';
}

/** Spell out abbreviated filter names (/Fl, /AHx …, which pdf-lib does not know) and give every page contents. */
export function prepareForCopy(doc: PDFDocument): void {
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (obj instanceof PDFStream) spellOutFilters(obj.dict);
  }
  for (const page of doc.getPages()) {
    const node = page.node;
    const contents = node.Contents();
    if (contents === undefined || (contents instanceof PDFArray && contents.size() === 0)) {
      // a page whose only content is its annotations (a seal, a filled-in form)
      node.set(n('Contents'), doc.context.register(doc.context.stream(new Uint8Array(0))));
      continue;
    }
    // an empty stream said to be compressed is empty to readers; pdf-lib fails to inflate it
    const streams = contents instanceof PDFArray ? contents.asArray().map((c) => doc.context.lookup(c)) : [contents];
    for (const s of streams) {
      if (s instanceof PDFRawStream && s.getContentsSize() === 0) {
        s.dict.delete(n('Filter'));
        s.dict.delete(n('DecodeParms'));
      }
    }
  }
}

function spellOutFilters(dict: PDFDict): void {
  const filter = dict.get(n('Filter'));
  const spell = (f: PDFObject | undefined) => {
    if (!(f instanceof PDFName)) return f;
    const full = fullFilterName(f.decodeText());
    return full === f.decodeText() ? f : n(full);
  };
  if (filter instanceof PDFName) dict.set(n('Filter'), spell(filter)!);
  else if (filter instanceof PDFArray) {
    for (let i = 0; i < filter.size(); i++) filter.set(i, spell(filter.get(i))!);
  }
}

/**
 * Form fields holding a value that no widget shows: a widget without an appearance stream (the
 * file asks readers to draw it, /NeedAppearances, or forgot to). Their values would be bound as
 * empty boxes; the count is for a warning that says so.
 */
export function unshownFormValues(doc: PDFDocument): number {
  const form = doc.catalog.lookup(n('AcroForm'));
  if (!(form instanceof PDFDict)) return 0;
  const fields = form.lookup(n('Fields'));
  if (!(fields instanceof PDFArray)) return 0;
  const seen = new Set<PDFDict>();
  let count = 0;
  const visit = (node: PDFDict, inherited: PDFObject | undefined, depth: number) => {
    if (seen.has(node) || depth > 32 || seen.size > 100_000) return;
    seen.add(node);
    const value = node.lookup(n('V')) ?? inherited;
    const kids = node.lookup(n('Kids'));
    const children = kids instanceof PDFArray ? kids.asArray().map((k) => doc.context.lookup(k)).filter((k): k is PDFDict => k instanceof PDFDict) : [];
    // kids with a name of their own are fields; without one, the widgets of this field
    const subfields = children.filter((k) => k.get(n('T')) !== undefined);
    const widgets = children.filter((k) => k.get(n('T')) === undefined);
    if (node.lookup(n('Subtype')) instanceof PDFName || node.get(n('Rect')) !== undefined) widgets.push(node);
    for (const k of subfields) visit(k, value, depth + 1);
    if (subfields.length > 0 || !hasValue(value)) return;
    if (widgets.some((w) => !(w.lookup(n('AP')) instanceof PDFDict && w.lookup(n('AP'), PDFDict).get(n('N')) !== undefined))) count++;
  };
  for (let i = 0; i < fields.size(); i++) {
    const f = fields.lookup(i);
    if (f instanceof PDFDict) visit(f, undefined, 0);
  }
  return count;
}

function hasValue(v: PDFObject | undefined): boolean {
  if (v instanceof PDFString || v instanceof PDFHexString) return v.decodeText().trim() !== '';
  if (v instanceof PDFName) return v.decodeText() !== 'Off' && v.decodeText() !== '';
  if (v instanceof PDFArray) return v.size() > 0;
  if (v instanceof PDFRawStream) return v.getContentsSize() > 0; // rich text
  return false;
}
