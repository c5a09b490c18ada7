// What the renderers draw that is not words: prepared photos, evidence PDFs ready to copy (decrypted,
// repaired, office files converted) and, for the DOCX, pages of those PDFs as images. Made once per
// build into the run's temporary folder, and read back one at a time while a volume is drawn, so
// memory holds one photo or one document, never a volume's worth.
import { closeSync, createReadStream, mkdirSync, openSync, readdirSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EncryptedPDFError, PDFDocument } from 'pdf-lib';
import { decryptPdf, repairPdf } from './convert/decrypt.js';
import { convertOffice, type Conversion } from './convert/office.js';
import { preparePhoto } from './convert/photo.js';
import { readText } from './convert/text.js';
import { MAX_PDF_BYTES, MAX_TEXT_BYTES } from './evidence/limits.js';
import { OFFICE_TYPES } from './evidence/filetype.js';
import type { EvidenceFile, WarningDiag } from './model.js';
import type { PageSize, Makers } from './pipeline/supplement.js';
import type { PdfAssets } from './render/pdf/render.js';
import type { DocxAssets } from './render/docx/render.js';
import { stripActions } from './render/pdf/sanitize.js';
import { readRegularFile, type FsPath } from './util/fsx.js';
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
  /** pdftoppm is wanted (a DOCX is made) */
  pageImages: boolean;
  /** LibreOffice: a path, null for none, undefined to look it up */
  soffice?: string | null | undefined;
  /** seconds one LibreOffice run may take (default 120, plus a quarter of that per file) */
  sofficeTimeout?: number | undefined;
  /**
   * The evidence folder's real path: every evidence file read must still lie inside it, however its
   * path changed since check (a file swapped for a link to /etc/passwd is refused, not bound).
   */
  evidenceRoot?: Buffer;
}

export class BuildAssets implements PdfAssets, DocxAssets, Makers {
  private photos = new Map<string, PhotoAsset>();
  /** evidence path → the PDF to copy pages from (the original, or a decrypted/repaired/converted copy) */
  private sources = new Map<string, FsPath>();
  private conversions = new Map<string, Conversion>();
  private loaded: { path: string; doc: PDFDocument }[] = [];
  private rendered = new Map<string, string | null>();
  private counter = 0;
  /** why poppler could not draw the last page asked for */
  renderFailure: string | undefined;
  /** false once pdftoppm turned out not to be installed */
  hasPageRenderer = true;

  constructor(
    private readonly ws: Workspace,
    private readonly opts: BuildAssetsOptions,
  ) {}

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
    const d = this.ws.sub(dir);
    return path.join(d, `${String(++this.counter).padStart(6, '0')}.${ext}`);
  }

  /** Every office file of the build in one LibreOffice run. */
  async convertOffice(files: EvidenceFile[]): Promise<void> {
    const office = files.filter((f) => OFFICE_TYPES.has(f.type) && !this.conversions.has(f.path));
    if (office.length === 0) return;
    const results = await convertOffice(
      office.map((f) => ({ abs: f.abs, ext: f.type, label: f.path, within: this.opts.evidenceRoot })),
      this.ws,
      { soffice: this.opts.soffice, timeout: this.opts.sofficeTimeout },
    );
    office.forEach((f, i) => {
      const r = results[i]!;
      if (r.ok) {
        const out = this.file('converted', 'pdf');
        this.write(out, r.pdf);
        this.sources.set(f.path, out);
        this.conversions.set(f.path, { ok: true, pdf: new Uint8Array() });
      } else this.conversions.set(f.path, r);
    });
  }

  /** The not-converted warning's params; a file that could not even be read throws (a bind-failed page). */
  officeFailure(file: EvidenceFile): WarningDiag['params'] | undefined {
    const c = this.conversions.get(file.path);
    if (!c || c.ok) return undefined;
    if ('unreadable' in c) throw new Error(c.unreadable);
    return c.params;
  }

  /** Load a PDF the way binding will: decrypting an owner-restricted file, repairing a damaged one. */
  private async open(file: EvidenceFile): Promise<PDFDocument> {
    const source = this.sources.get(file.path) ?? file.abs;
    let bytes: Uint8Array = new Uint8Array(this.read(source, file.path, MAX_PDF_BYTES));
    try {
      return await PDFDocument.load(bytes, { updateMetadata: false });
    } catch (err) {
      // pdf-lib refuses encrypted files (its error class is not reliably the one we import); other
      // failures are damaged structure, which qpdf rebuilds as poppler would read it
      const encrypted = err instanceof EncryptedPDFError || /encrypted/i.test(String((err as Error).message));
      bytes = encrypted ? await decryptPdf(bytes) : await repairPdf(bytes);
      const doc = await PDFDocument.load(bytes, { updateMetadata: false });
      const out = this.file('pdf', 'pdf');
      this.write(out, bytes);
      this.sources.set(file.path, out);
      return doc;
    }
  }

  async pdfSizes(file: EvidenceFile): Promise<PageSize[]> {
    const doc = await this.open(file);
    if (!this.sources.has(file.path)) this.sources.set(file.path, file.abs);
    return doc.getPages().map((p) => {
      const crop = p.getCropBox();
      const rot = ((p.getRotation().angle % 360) + 360) % 360;
      return rot === 90 || rot === 270 ? { width: crop.height, height: crop.width } : { width: crop.width, height: crop.height };
    });
  }

  async photoSize(file: EvidenceFile): Promise<{ width: number; height: number }> {
    const p = await preparePhoto(file, this.opts.photoBox.width, this.opts.photoBox.height, this.opts.evidenceRoot);
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
    const doc = await PDFDocument.load(new Uint8Array(this.read(source, p, MAX_PDF_BYTES)), { updateMetadata: false });
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

  /** Page `index` of an evidence document as a 150 dpi JPEG file, drawn by poppler; undefined when it cannot. */
  async pageImage(p: string, index: number): Promise<PageImage | undefined> {
    let dir = this.rendered.get(p);
    if (dir === undefined) {
      dir = await this.renderAll(p);
      this.rendered.set(p, dir);
    }
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

  /** Every page of one document through one pdftoppm, read from its stdin (any file name, any path length). */
  private async renderAll(p: string): Promise<string | null> {
    const source = this.sources.get(p);
    if (source === undefined) return null;
    const dir = this.ws.sub(`pages/${String(++this.counter).padStart(6, '0')}`);
    mkdirSync(dir, { recursive: true });
    const result = await new Promise<{ code: number | null; stderr: string; error?: Error }>((resolve) => {
      const child = this.ws.spawn('pdftoppm', ['-r', '150', '-jpeg', '-jpegopt', 'quality=80', '-', path.join(dir, 'page')], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', (error) => resolve({ code: null, stderr, error }));
      child.on('close', (code) => resolve({ code, stderr }));
      const input = createReadStream(source);
      input.on('error', () => child.stdin?.end());
      child.stdin?.on('error', () => {});
      input.pipe(child.stdin!);
    });
    if (result.error) {
      this.hasPageRenderer = false;
      return null;
    }
    if (result.code !== 0) this.renderFailure = result.stderr.trim().split('\n')[0] || `pdftoppm 退出码 ${result.code}`;
    return dir;
  }
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
