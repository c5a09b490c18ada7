// What the renderers draw that is not words: prepared photos, evidence PDFs ready to copy (decrypted,
// repaired, office files converted) and, for the DOCX, pages of those PDFs as images. Made once per
// build into the run's temporary folder, and read back one at a time while a volume is drawn, so
// memory holds one photo or one document, never a volume's worth.
//
// Three jobs, each in its own module: office conversion (office.ts), photo preparation (photos.ts)
// and page images (pages.ts); they share the temporary folder and the documents' sources (store.ts).
// This class is what supplement (`Makers`) and the two renderers (`PdfAssets`, `DocxAssets`) see,
// and it opens the evidence PDFs.
import type { PDFDocument } from 'pdf-lib';
import { readText } from '../../convert/text.js';
import { MAX_PDF_BYTES, MAX_TEXT_BYTES } from '../../evidence/limits.js';
import { isScan, OFFICE_TYPES } from '../../evidence/filetype.js';
import type { EvidenceFile, WarningDiag } from '../../model.js';
import type { PageSize, Makers } from '../../pipeline/supplement.js';
import type { PdfAssets } from '../../render/pdf/render.js';
import type { DocxAssets } from '../../render/docx/render.js';
import { stripActions } from '../../render/pdf/sanitize.js';
import { loadEvidencePdf, unshownFormValues } from '../../render/pdf/load.js';
import { sha256 } from '../../util/hash.js';
import type { Workspace } from '../../util/workspace.js';
import { OfficeConversions } from './office.js';
import { PageImages } from './pages.js';
import { PhotoPreparation, type PageImage } from './photos.js';
import { AssetStore, once, type BuildAssetsOptions } from './store.js';

export type { BuildAssetsOptions, PageImage };

export class BuildAssets implements PdfAssets, DocxAssets, Makers {
  private readonly store: AssetStore;
  private readonly office: OfficeConversions;
  private readonly photos: PhotoPreparation;
  private readonly pages: PageImages;
  private loaded: { path: string; doc: PDFDocument }[] = [];
  /** evidence path → warnings found when its document was opened */
  private notes = new Map<string, WarningDiag[]>();
  /** evidence path → its document's page sizes (opened ahead, or when asked for) */
  private sizeJobs = new Map<string, Promise<PageSize[]>>();

  constructor(ws: Workspace, opts: BuildAssetsOptions) {
    this.store = new AssetStore(ws, opts);
    this.office = new OfficeConversions(this.store);
    this.photos = new PhotoPreparation(this.store);
    this.pages = new PageImages(
      this.store,
      (p) => this.photos.scanPages.get(p),
      (p) => this.photos.scanJobs.has(p),
    );
  }

  /** why poppler could not draw the last page asked for */
  get renderFailure(): string | undefined {
    return this.pages.renderFailure;
  }

  /** false once pdftoppm turned out not to be installed */
  get hasPageRenderer(): boolean {
    return this.pages.hasPageRenderer;
  }

  // ---- office conversion

  /**
   * Every office file of the build in one LibreOffice run, started now and not awaited: it runs
   * while photos are prepared. Converted documents are taken from the cache when there.
   */
  startOffice(files: EvidenceFile[]): void {
    this.office.start(files);
  }

  ready(file: EvidenceFile): Promise<void> | undefined {
    return OFFICE_TYPES.has(file.type) ? this.office.done : undefined;
  }

  /** The not-converted warning's params; a file that could not even be read throws (a bind-failed page). */
  officeFailure(file: EvidenceFile): Promise<WarningDiag['params'] | undefined> {
    return this.office.failure(file);
  }

  // ---- photo preparation

  /** Prepare these photos (and scans) now, `jobs` at a time, ahead of the volumes that need them. */
  prepareAhead(files: EvidenceFile[], jobs: number): void {
    this.photos.prepareAhead(files, jobs);
  }

  photoSize(file: EvidenceFile): Promise<{ width: number; height: number }> {
    return this.photos.photoSize(file);
  }

  photo(p: string): Promise<{ bytes: Uint8Array; format: 'jpg' | 'png' }> {
    return this.photos.photo(p);
  }

  photoFile(p: string): { file: string; format: 'jpg' | 'png' } {
    return this.photos.photoFile(p);
  }

  // ---- page images

  /** Start drawing these documents' pages for the DOCX now (see PageImages.prefetch). */
  prefetchPages(paths: string[]): void {
    this.pages.prefetch(paths);
  }

  /** Draw the pages of these PDF files for the DOCX from now on, each opened first as binding opens it. */
  renderAhead(files: EvidenceFile[]): void {
    this.pages.ahead(files, (f) => this.pdfSizes(f));
  }

  /** Page `index` of an evidence document as an image file; undefined when it cannot be drawn. */
  pageImage(p: string, index: number): Promise<PageImage | undefined> {
    return this.pages.pageImage(p, index);
  }

  // ---- the evidence documents

  /**
   * An evidence file's content hash: known by its identity, else hashed from `bytes` (the file's
   * content, already read) or read from inside the evidence folder. Undefined when it cannot be read now.
   */
  hashOf(f: EvidenceFile, bytes?: Buffer): string | undefined {
    return this.store.hashOf(f, bytes);
  }

  /** Load a PDF the way binding will: decrypting an owner-restricted file, repairing a damaged one. */
  private async open(file: EvidenceFile): Promise<PDFDocument> {
    const { store } = this;
    if (OFFICE_TYPES.has(file.type)) await this.office.done;
    // a multi-page TIFF is bound as the PDF its pages make
    if (isScan(file)) await this.photos.scan(file);
    const source = store.sources.get(file.path) ?? file.abs;
    const read = store.read(source, file.path, MAX_PDF_BYTES);
    // (a converted or repaired copy has its hash from when it was written; this is the evidence file itself)
    if (store.opts.cache && !store.sourceHashes.has(file.path)) store.sourceHashes.set(file.path, source === file.abs ? store.hashOf(file, read)! : sha256(read));
    const { doc, rewritten } = await loadEvidencePdf(new Uint8Array(read));
    if (rewritten) {
      const out = store.file('pdf', 'pdf');
      store.write(out, rewritten);
      store.sources.set(file.path, out);
      if (store.opts.cache) store.sourceHashes.set(file.path, sha256(rewritten));
    }
    const unshown = unshownFormValues(doc);
    if (unshown > 0) this.notes.set(file.path, [{ path: file.path, code: 'form-appearance', params: { fields: unshown }, indicator: file.bCode }]);
    return doc;
  }

  /** What opening the document found worth a warning (form values without an appearance). */
  pdfWarnings(file: EvidenceFile): WarningDiag[] {
    return this.notes.get(file.path) ?? [];
  }

  /** The document's page sizes; opened once however often asked (binding, pages drawn ahead). */
  pdfSizes(file: EvidenceFile): Promise<PageSize[]> {
    return once(this.sizeJobs, file.path, () => this.readSizes(file));
  }

  private async readSizes(file: EvidenceFile): Promise<PageSize[]> {
    const doc = await this.open(file);
    if (!this.store.sources.has(file.path)) this.store.sources.set(file.path, file.abs);
    return doc.getPages().map((p) => {
      const crop = p.getCropBox();
      const rot = ((p.getRotation().angle % 360) + 360) % 360;
      return rot === 90 || rot === 270 ? { width: crop.height, height: crop.width } : { width: crop.width, height: crop.height };
    });
  }

  async text(file: EvidenceFile): Promise<string> {
    return readText(this.store.read(file.abs, file.path, MAX_TEXT_BYTES));
  }

  pdf(p: string): Promise<PDFDocument> {
    return this.document(p);
  }

  /** The evidence document to copy pages from; the last two stay loaded (pages come in order). */
  private async document(p: string): Promise<PDFDocument> {
    const hit = this.loaded.find((x) => x.path === p);
    if (hit) return hit.doc;
    const source = this.store.sources.get(p);
    if (source === undefined) throw new Error(`内部错误：文件 ${p} 没有准备`);
    const { doc } = await loadEvidencePdf(new Uint8Array(this.store.read(source, p, MAX_PDF_BYTES)));
    stripActions(doc);
    this.loaded.unshift({ path: p, doc });
    this.loaded.length = Math.min(this.loaded.length, 2);
    return doc;
  }

  /** Start nothing more, and wait for what is under way: the run's temporary folder can then go. */
  async settle(): Promise<void> {
    this.store.stopped = true;
    this.pages.close();
    // (poppler and LibreOffice are stopped with the temporary folder; sharp's work cannot be)
    await Promise.allSettled(this.photos.underway());
  }
}
