// Evidence PDFs may carry actions: JavaScript run on opening a page (/AA), links that launch
// programs or scripts, embedded media and files. A bound volume shows pages and nothing else, so
// every page is stripped of them in the source document, before its pages are copied — pdf-lib
// copies everything a page reaches, and would otherwise also drag in whole other pages through
// an annotation's /P or a link's destination.
import { PDFArray, PDFDict, PDFName, type PDFDocument, type PDFRef } from 'pdf-lib';

/** Annotations that exist only to act (links, media, attachments): removed whole. */
const ACTING = new Set(['Link', 'Screen', 'Movie', 'Sound', 'RichMedia', '3D', 'FileAttachment']);
const n = (s: string) => PDFName.of(s);

export function stripActions(doc: PDFDocument): void {
  for (const page of doc.getPages()) {
    const node = page.node;
    node.delete(n('AA'));
    node.delete(n('B'));
    const annots = node.lookup(n('Annots'));
    if (!(annots instanceof PDFArray)) {
      node.delete(n('Annots'));
      continue;
    }
    const keep: (PDFRef | PDFDict)[] = [];
    for (let i = 0; i < annots.size(); i++) {
      const raw = annots.get(i);
      const annot = annots.lookup(i);
      if (!(annot instanceof PDFDict)) continue;
      const subtype = annot.lookup(n('Subtype'));
      if (subtype instanceof PDFName && ACTING.has(subtype.decodeText())) continue;
      for (const key of ['A', 'AA', 'P', 'Parent', 'Dest']) annot.delete(n(key));
      keep.push(raw as PDFRef | PDFDict);
    }
    if (keep.length > 0) node.set(n('Annots'), doc.context.obj(keep));
    else node.delete(n('Annots'));
  }
}
