// What the renderers draw that is not words: prepared photos, evidence PDFs ready to copy (decrypted,
// repaired, office files converted) and, for the DOCX, pages of those PDFs as images. Made once per
// build into the run's temporary folder, and read back one at a time while a volume is drawn, so
// memory holds one photo or one document, never a volume's worth.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PDFDocument } from 'pdf-lib';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { cacheKey, type Cache } from './cache/store.js';
import type { FileHashes } from './cache/hashes.js';
import { convertOffice, findSoffice, sofficeVersion, workExtension, type Conversion } from './convert/office.js';
import { MAX_PHOTO_BYTES, PHOTO_RECIPE, preparePhoto } from './convert/photo.js';
import { prepareScan, SCAN_RECIPE, scanPdf } from './convert/scan.js';
import type { PhotosMeasuredOnce } from './convert/photo-once.js';
import { readText } from './convert/text.js';
import { MAX_PDF_BYTES, MAX_TEXT_BYTES } from './evidence/limits.js';
import { isScan, OFFICE_TYPES } from './evidence/filetype.js';
import type { EvidenceFile, WarningDiag } from './model.js';
import type { PageSize, Makers } from './pipeline/supplement.js';
import type { PdfAssets } from './render/pdf/render.js';
import type { DocxAssets } from './render/docx/render.js';
import { stripActions } from './render/pdf/sanitize.js';
import { loadEvidencePdf, unshownFormValues } from './render/pdf/load.js';
import { readRegularFile, type FsPath } from './util/fsx.js';
import { sha256 } from './util/hash.js';
import { Spawner } from './util/spawner.js';
import { isWorkspaceFull, WorkspaceError, type Workspace } from './util/workspace.js';

interface PhotoAsset {
  file: string;
  format: 'jpg' | 'png';
  width: number;
  height: number;
}

export interface PageImage {
  file: string;
  width: number;
  height: number;
  /** (a scan's page: as prepared; else a JPEG drawn by poppler) */
  format?: 'jpg' | 'png';
}

function readHead(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

export interface BuildAssetsOptions {
  /** the box photos are prepared for, in pixels */
  photoBox: { width: number; height: number };
  /**
   * The evidence area of a portrait page, in points, and the layout's dpi: what the pages of a
   * multi-page TIFF scan are prepared for (default: A4 less 2 cm margins, 200 dpi).
   */
  scanBox?: { width: number; height: number; dpi: number };
  /** pdftoppm is wanted (a DOCX is made) */
  pageImages: boolean;
  /** LibreOffice: a path, null for none, undefined to look it up */
  soffice?: string | null | undefined;
  /** seconds LibreOffice may spend on one file (default 120) */
  sofficeTimeout?: number | undefined;
  /** the memory LibreOffice may hold, MB (default: convert/office.ts); null: no cap */
  sofficeMemoryMB?: number | null | undefined;
  /**
   * The evidence folder's real path: every evidence file read must still lie inside it, however its
   * path changed since check (a file swapped for a link to /etc/passwd is refused, not bound).
   */
  evidenceRoot?: Buffer;
  /** the cache of converted documents, prepared photos and page images; none: everything is made */
  cache?: Cache | undefined;
  /** evidence files' content hashes, known by their identity */
  hashes?: FileHashes | undefined;
  /** photos prepared while check measured them (one decode per photo): taken instead of prepared again */
  once?: PhotosMeasuredOnce;
}

/** Page images for the DOCX: how they are drawn (part of their cache key). */
const PAGE_IMAGE_ARGS = ['-r', '150', '-jpeg', '-jpegopt', 'quality=80'];
/** Office conversions are cached only for files up to this size (larger ones are converted each time). */
const MAX_CACHED_OFFICE_BYTES = 256 * 1024 * 1024;

export class BuildAssets implements PdfAssets, DocxAssets, Makers {
  private photos = new Map<string, PhotoAsset>();
  /** evidence path → the PDF to copy pages from (the original, or a decrypted/repaired/converted copy) */
  private sources = new Map<string, FsPath>();
  private conversions = new Map<string, Conversion>();
  /** the LibreOffice run of this build, started early so that it runs while photos are prepared */
  private officeDone: Promise<void> = Promise.resolve();
  /** evidence path → SHA-256 of the PDF pages are copied from (for the page-image cache) */
  private sourceHashes = new Map<string, string>();
  private loaded: { path: string; doc: PDFDocument }[] = [];
  /** evidence path → warnings found when its document was opened */
  private notes = new Map<string, WarningDiag[]>();
  /** evidence path → the folder its pages are drawn into (null: they cannot be) */
  private rendered = new Map<string, Promise<string | null>>();
  /** evidence path → its document's page sizes (opened ahead, or when asked for) */
  private sizeJobs = new Map<string, Promise<PageSize[]>>();
  /** evidence path → its photo's preparation (started ahead, or when asked for) */
  private photoJobs = new Map<string, Promise<{ width: number; height: number }>>();
  /** evidence path → a multi-page TIFF's preparation: its pages as images and as one PDF (started ahead, or when asked for) */
  private scanJobs = new Map<string, Promise<void>>();
  /** evidence path → a prepared scan's page images (what the DOCX shows, as the PDF does) */
  private scanPages = new Map<string, PageImage[]>();
  /** starts pdftoppm for the page images (see util/spawner.ts) */
  private readonly spawner: Spawner;
  /** set once the build is done or failed: nothing more is started */
  private stopped = false;
  /** page drawing started ahead, one pdftoppm after another */
  private renderQueue: Promise<unknown> = Promise.resolve();
  private counter = 0;
  /** why poppler could not draw the last page asked for */
  renderFailure: string | undefined;
  /** false once pdftoppm turned out not to be installed */
  hasPageRenderer = true;

  constructor(
    private readonly ws: Workspace,
    private readonly opts: BuildAssetsOptions,
  ) {
    // Each photo is decoded once: libvips's operation cache would only hold decoded images (tens of
    // megabytes each) that are never asked for again.
    sharp.cache(false);
    this.spawner = new Spawner(ws);
  }

  /** A file read whole: an evidence file only from inside the evidence folder, our own copies freely. */
  private read(source: FsPath, label: string, max: number): Buffer {
    const ours = typeof source === 'string' && source.startsWith(this.ws.dir + path.sep);
    return readRegularFile(source, label, max, ours ? undefined : this.opts.evidenceRoot);
  }

  /** A temporary file of ours; a full or read-only temporary folder stops the build, said as such. */
  private write(file: string, bytes: Uint8Array): void {
    try {
      writeFileSync(file, bytes);
    } catch (err) {
      if (isWorkspaceFull(err)) throw new WorkspaceError(this.ws.dir, err);
      throw err;
    }
  }

  private file(dir: string, ext: string): string {
    // (a job finishing after the build stopped must not make the temporary folder again)
    if (this.stopped) throw new Error('装订已停止');
    const d = this.ws.sub(dir);
    return path.join(d, `${String(++this.counter).padStart(6, '0')}.${ext}`);
  }

  /**
   * Every office file of the build in one LibreOffice run, started now and not awaited: it runs
   * while photos are prepared. Converted documents are taken from the cache when there.
   */
  startOffice(files: EvidenceFile[]): void {
    const office = files.filter((f) => OFFICE_TYPES.has(f.type) && !this.conversions.has(f.path));
    if (office.length === 0) return;
    // a failure to write our own copies (a full temporary folder) is kept for the first to await it
    this.officeDone = this.convertOffice(office);
    this.officeDone.catch(() => {});
  }

  private async convertOffice(office: EvidenceFile[]): Promise<void> {
    const { cache } = this.opts;
    const soffice = cache ? findSoffice(this.opts.soffice) : null;
    const keyOf = (sha: string, f: EvidenceFile) => cacheKey('office-pdf', sha, f.type, workExtension(f.type, nameExt(f)), sofficeVersion(soffice!));
    const keys = new Map<string, string>();
    const todo: EvidenceFile[] = [];
    for (const f of office) {
      let pdf: Buffer | undefined;
      if (cache && soffice && f.size <= MAX_CACHED_OFFICE_BYTES) {
        const sha = this.hashOf(f);
        if (sha) {
          keys.set(f.path, keyOf(sha, f));
          pdf = cache.get('office-pdf', keys.get(f.path)!);
        }
      }
      if (pdf) this.converted(f, pdf);
      else todo.push(f);
    }
    if (todo.length === 0) return;
    const results = await convertOffice(
      todo.map((f) => ({ abs: f.abs, ext: f.type, nameExt: nameExt(f), label: f.path, within: this.opts.evidenceRoot })),
      this.ws,
      {
        soffice: this.opts.soffice,
        timeout: this.opts.sofficeTimeout,
        memoryMB: this.opts.sofficeMemoryMB,
        keptProfile: cache && soffice ? path.join(cache.dir, 'soffice-profile', cacheKey('soffice-profile', sofficeVersion(soffice))) : undefined,
      },
    );
    todo.forEach((f, i) => {
      const r = results[i]!;
      if (r.ok) {
        this.converted(f, r.pdf);
        const key = keys.get(f.path);
        if (key) cache!.put('office-pdf', key, r.pdf);
      } else this.conversions.set(f.path, r);
    });
  }

  private converted(f: EvidenceFile, pdf: Uint8Array): void {
    const out = this.file('converted', 'pdf');
    this.write(out, pdf);
    this.sources.set(f.path, out);
    this.sourceHashes.set(f.path, sha256(pdf));
    this.conversions.set(f.path, { ok: true, pdf: new Uint8Array() });
  }

  /**
   * An evidence file's content hash: known by its identity, else hashed from `bytes` (the file's
   * content, already read) or read from inside the evidence folder. Undefined when it cannot be read now.
   */
  hashOf(f: EvidenceFile, bytes?: Buffer): string | undefined {
    const known = this.opts.hashes?.lookup(f.path, f.abs);
    if (known) return known;
    let buf = bytes;
    if (!buf) {
      try {
        buf = this.read(f.abs, f.path, Math.max(MAX_PDF_BYTES, MAX_CACHED_OFFICE_BYTES));
      } catch {
        return undefined; // said when the file is bound
      }
    }
    const sha = sha256(buf);
    this.opts.hashes?.remember(f.path, f.abs, sha);
    return sha;
  }

  ready(file: EvidenceFile): Promise<void> | undefined {
    return OFFICE_TYPES.has(file.type) ? this.officeDone : undefined;
  }

  /** The not-converted warning's params; a file that could not even be read throws (a bind-failed page). */
  async officeFailure(file: EvidenceFile): Promise<WarningDiag['params'] | undefined> {
    await this.officeDone;
    const c = this.conversions.get(file.path);
    if (!c || c.ok) return undefined;
    if ('unreadable' in c) throw new Error(c.unreadable);
    return c.params;
  }

  /** Load a PDF the way binding will: decrypting an owner-restricted file, repairing a damaged one. */
  private async open(file: EvidenceFile): Promise<PDFDocument> {
    if (OFFICE_TYPES.has(file.type)) await this.officeDone;
    // a multi-page TIFF is bound as the PDF its pages make
    if (isScan(file)) await this.scan(file);
    const source = this.sources.get(file.path) ?? file.abs;
    const read = this.read(source, file.path, MAX_PDF_BYTES);
    // (a converted or repaired copy has its hash from when it was written; this is the evidence file itself)
    if (this.opts.cache && !this.sourceHashes.has(file.path)) this.sourceHashes.set(file.path, source === file.abs ? this.hashOf(file, read)! : sha256(read));
    const { doc, rewritten } = await loadEvidencePdf(new Uint8Array(read));
    if (rewritten) {
      const out = this.file('pdf', 'pdf');
      this.write(out, rewritten);
      this.sources.set(file.path, out);
      if (this.opts.cache) this.sourceHashes.set(file.path, sha256(rewritten));
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
    if (!this.sources.has(file.path)) this.sources.set(file.path, file.abs);
    return doc.getPages().map((p) => {
      const crop = p.getCropBox();
      const rot = ((p.getRotation().angle % 360) + 360) % 360;
      return rot === 90 || rot === 270 ? { width: crop.height, height: crop.width } : { width: crop.width, height: crop.height };
    });
  }

  /**
   * Prepare these photos now, in this order, `jobs` at a time, without waiting for the volumes that
   * need them: while one A-level's volumes are written (one core), the next A-levels' photos are
   * prepared on the others. A photo asked for later (`photoSize`) takes its preparation from here.
   */
  prepareAhead(files: EvidenceFile[], jobs: number): void {
    const limit = pLimit(Math.max(1, jobs));
    for (const f of files) {
      if (isScan(f)) {
        once(this.scanJobs, f.path, () => limit(() => (this.stopped ? Promise.reject(new Error('装订已停止')) : this.prepareScanFile(f))));
        continue;
      }
      if (f.kind !== 'photo') continue;
      // (once the build stops, what is still queued is not started)
      once(this.photoJobs, f.path, () => limit(() => (this.stopped ? Promise.reject(new Error('装订已停止')) : this.preparePhotoFile(f))));
    }
  }

  /** Start nothing more, and wait for what is under way: the run's temporary folder can then go. */
  async settle(): Promise<void> {
    this.stopped = true;
    this.spawner.close();
    // (poppler and LibreOffice are stopped with the temporary folder; sharp's work cannot be)
    await Promise.allSettled([...this.photoJobs.values(), ...this.scanJobs.values()]);
  }

  /** A multi-page TIFF's pages prepared, once however often asked (binding, started ahead). */
  private scan(file: EvidenceFile): Promise<void> {
    return once(this.scanJobs, file.path, () => this.prepareScanFile(file));
  }

  /**
   * Every page of a multi-page TIFF prepared for the evidence area (from the cache when made
   * before), written as page images for the DOCX and as one PDF that binding copies pages from.
   */
  private async prepareScanFile(file: EvidenceFile): Promise<void> {
    const { cache } = this.opts;
    const box = this.opts.scanBox ?? { width: 538.58, height: 785.2, dpi: 200 };
    const keyOf = (sha: string) => cacheKey('scan', sha, box.width, box.height, box.dpi, SCAN_RECIPE, sharp.versions.vips);
    type Meta = { pages: { format: 'jpg' | 'png'; width: number; height: number; pointWidth: number; pointHeight: number; length: number }[] };
    let sha = cache ? this.opts.hashes?.lookup(file.path, file.abs) : undefined;
    const hit = sha ? cache!.getWith<Meta>('scan', keyOf(sha)) : undefined;
    let pages;
    if (hit) {
      let at = 0;
      pages = hit.meta.pages.map(({ length, ...p }) => {
        const bytes = new Uint8Array(hit.body.subarray(at, at + length));
        at += length;
        return { ...p, bytes };
      });
    } else {
      const bytes = this.read(file.abs, file.path, MAX_PHOTO_BYTES);
      pages = await prepareScan(file, bytes, box, box.dpi);
      if (cache) {
        sha ??= this.hashOf(file, bytes);
        const meta: Meta = { pages: pages.map(({ bytes: b, ...p }) => ({ ...p, length: b.length })) };
        if (sha) cache.putWith('scan', keyOf(sha), meta, Buffer.concat(pages.map((p) => p.bytes)));
      }
    }
    const images: PageImage[] = pages.map((p) => {
      const out = this.file('scans', p.format);
      this.write(out, p.bytes);
      return { file: out, width: p.width, height: p.height, format: p.format };
    });
    const pdf = await scanPdf(pages);
    const out = this.file('scans', 'pdf');
    this.write(out, pdf);
    this.sources.set(file.path, out);
    this.sourceHashes.set(file.path, sha256(pdf));
    this.scanPages.set(file.path, images);
  }

  photoSize(file: EvidenceFile): Promise<{ width: number; height: number }> {
    return once(this.photoJobs, file.path, () => this.preparePhotoFile(file));
  }

  private async preparePhotoFile(file: EvidenceFile): Promise<{ width: number; height: number }> {
    const { cache } = this.opts;
    const box = this.opts.photoBox;
    const keyOf = (sha: string) => cacheKey('photo', sha, file.type, box.width, box.height, PHOTO_RECIPE, sharp.versions.vips);
    let sha = cache ? this.opts.hashes?.lookup(file.path, file.abs) : undefined;
    let p: { bytes: Uint8Array; format: 'jpg' | 'png'; width: number; height: number } | undefined;
    const hit = sha ? cache!.getWith<{ format: 'jpg' | 'png'; width: number; height: number }>('photo', keyOf(sha)) : undefined;
    if (hit) p = { ...hit.meta, bytes: hit.body };
    else {
      // (a photo check prepared while measuring it is not read again, but for its cache key when unknown)
      const taken = this.opts.once?.take(file, box);
      const bytes = taken ? undefined : this.read(file.abs, file.path, MAX_PHOTO_BYTES);
      p = taken ?? (await preparePhoto(file, box.width, box.height, this.opts.evidenceRoot, bytes));
      if (cache) {
        sha ??= this.hashOf(file, bytes);
        if (sha) cache.putWith('photo', keyOf(sha), { format: p.format, width: p.width, height: p.height }, p.bytes);
      }
    }
    const out = this.file('photos', p.format);
    this.write(out, p.bytes);
    this.photos.set(file.path, { file: out, format: p.format, width: p.width, height: p.height });
    return { width: p.width, height: p.height };
  }

  async text(file: EvidenceFile): Promise<string> {
    return readText(this.read(file.abs, file.path, MAX_TEXT_BYTES));
  }

  async photo(p: string): Promise<{ bytes: Uint8Array; format: 'jpg' | 'png' }> {
    const a = this.photos.get(p);
    if (!a) throw new Error(`内部错误：照片 ${p} 没有准备`);
    return { bytes: new Uint8Array(readFileSync(a.file)), format: a.format };
  }

  pdf(p: string): Promise<PDFDocument> {
    return this.document(p);
  }

  /** The evidence document to copy pages from; the last two stay loaded (pages come in order). */
  private async document(p: string): Promise<PDFDocument> {
    const hit = this.loaded.find((x) => x.path === p);
    if (hit) return hit.doc;
    const source = this.sources.get(p);
    if (source === undefined) throw new Error(`内部错误：文件 ${p} 没有准备`);
    const { doc } = await loadEvidencePdf(new Uint8Array(this.read(source, p, MAX_PDF_BYTES)));
    stripActions(doc);
    this.loaded.unshift({ path: p, doc });
    this.loaded.length = Math.min(this.loaded.length, 2);
    return doc;
  }

  photoFile(p: string): { file: string; format: 'jpg' | 'png' } {
    const a = this.photos.get(p);
    if (!a) throw new Error(`内部错误：照片 ${p} 没有准备`);
    return { file: a.file, format: a.format };
  }

  /**
   * Start drawing these documents' pages now, one pdftoppm at a time: poppler works on the other
   * core while the PDF volume is written, and the DOCX finds its pages ready.
   */
  prefetchPages(paths: string[]): void {
    for (const p of paths) {
      // (a scan's pages are images already)
      if (this.rendered.has(p) || !this.sources.has(p) || this.scanJobs.has(p)) continue;
      this.queueRender(p, () => this.renderAll(p));
    }
  }

  /** Draw a document's pages after those queued before it (one pdftoppm at a time). */
  private queueRender(p: string, draw: () => Promise<string | null>): void {
    const job = this.renderQueue.then(draw);
    job.catch(() => {}); // whoever asks for the page gets the failure
    this.renderQueue = job.catch(() => undefined);
    this.rendered.set(p, job);
  }

  /**
   * Draw the pages of these PDF files for the DOCX from now on, one pdftoppm at a time, in this
   * order, each opened first as binding opens it (decrypted, repaired): poppler then works beside
   * the photos being prepared, and the last volumes do not wait for it at the end of the build.
   * (Office files are drawn once converted, when their A-level is bound: LibreOffice is not waited
   * for here.)
   */
  renderAhead(files: EvidenceFile[]): void {
    for (const f of files) {
      if (f.type !== 'pdf' || this.rendered.has(f.path)) continue;
      // (a file that cannot be opened has no pages to draw: binding says what is wrong with it)
      this.queueRender(f.path, () => this.pdfSizes(f).then(() => this.renderAll(f.path), () => null));
    }
  }

  /** Page `index` of an evidence document as a 150 dpi JPEG file, drawn by poppler; undefined when it cannot. */
  async pageImage(p: string, index: number): Promise<PageImage | undefined> {
    const scanned = this.scanPages.get(p);
    if (scanned) return scanned[index];
    let job = this.rendered.get(p);
    if (job === undefined) {
      job = this.renderAll(p);
      this.rendered.set(p, job);
    }
    const dir = await job;
    if (dir === null) return undefined;
    const prefix = 'page-';
    const name = readdirSync(dir).find((f) => f.startsWith(prefix) && Number(f.slice(prefix.length, -4)) === index + 1);
    if (!name) {
      this.renderFailure ??= 'pdftoppm 没有画出这一页';
      return undefined;
    }
    const file = path.join(dir, name);
    const size = jpegSize(readHead(file));
    return size ? { file, ...size } : undefined;
  }

  /**
   * Every page of one document through one pdftoppm, read from its stdin (any file name, any path
   * length); from the cache when this document's pages were drawn before.
   */
  private async renderAll(p: string): Promise<string | null> {
    const source = this.sources.get(p);
    if (source === undefined || this.stopped) return null;
    const dir = this.ws.sub(`pages/${String(++this.counter).padStart(6, '0')}`);
    mkdirSync(dir, { recursive: true });
    const { cache } = this.opts;
    const sha = this.sourceHashes.get(p);
    const key = cache && sha ? cacheKey('page-images', sha, ...PAGE_IMAGE_ARGS) : undefined;
    const hit = key ? cache!.getWith<{ pages: number[] }>('page-images', key) : undefined;
    if (hit) {
      let at = 0;
      hit.meta.pages.forEach((len, i) => {
        this.write(path.join(dir, `page-${i + 1}.jpg`), hit.body.subarray(at, at + len));
        at += len;
      });
      return dir;
    }
    // (started by the helper: a start from this process, holding hundreds of megabytes, costs ≈ 16 ms)
    const result = await this.spawner.run('pdftoppm', [...PAGE_IMAGE_ARGS, '-', path.join(dir, 'page')], source);
    if (result.error === 'ENOENT' || result.error === 'EACCES') {
      this.hasPageRenderer = false;
      return null;
    }
    if (result.error) {
      this.renderFailure = `pdftoppm 未能运行（${result.error}）`;
      return null;
    }
    if (result.code !== 0) {
      // pdftoppm writes its pages into our temporary folder: one that filled up stops the build,
      // said as such, instead of a DOCX of notice pages blaming the document
      if (!this.stopped) this.ws.checkRoom();
      // (poppler's own English stays out of the report: the wording says what failed)
      this.renderFailure = `pdftoppm 退出码 ${result.code}`;
    } else if (key) {
      // pages in order: page-1 … page-N, however many digits pdftoppm padded them to
      const names = readdirSync(dir)
        .filter((f) => /^page-\d+\.jpg$/.test(f))
        .sort((a, b) => Number(a.slice(5, -4)) - Number(b.slice(5, -4)));
      if (names.every((n, i) => Number(n.slice(5, -4)) === i + 1)) {
        const parts = names.map((n) => readFileSync(path.join(dir, n)));
        cache!.putWith('page-images', key, { pages: parts.map((b) => b.length) }, Buffer.concat(parts));
      }
    }
    return dir;
  }
}

/** The evidence file's own extension (a web page named .xls is read by Calc). */
function nameExt(f: EvidenceFile): string {
  const name = f.path.slice(f.path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The job kept under `key`, started by `make` the first time it is asked for (or started ahead). */
function once<T>(jobs: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let job = jobs.get(key);
  if (!job) {
    job = make();
    job.catch(() => {}); // whoever asks gets the failure; one started ahead may never be asked for
    jobs.set(key, job);
  }
  return job;
}

/** Width and height from a JPEG's frame header. */
function jpegSize(jpeg: Buffer): { width: number; height: number } | undefined {
  for (let i = 2; i < jpeg.length - 9; ) {
    if (jpeg[i] !== 0xff) break;
    const marker = jpeg[i + 1]!;
    const len = jpeg.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2) return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  return undefined;
}
