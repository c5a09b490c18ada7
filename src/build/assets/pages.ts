// Page images for the DOCX: each evidence document's pages drawn by poppler (pdftoppm, one at a time,
// started by the spawner's helper process) as 150 dpi JPEGs, ahead of the volume that shows them;
// from the cache when drawn before. A scan's pages are images already (photos.ts).
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { cacheKey } from '../../cache/store.js';
import type { EvidenceFile } from '../../model.js';
import { Spawner } from '../../util/spawner.js';
import type { PageImage } from './photos.js';
import type { AssetStore } from './store.js';

/** Page images for the DOCX: how they are drawn (part of their cache key). */
const PAGE_IMAGE_ARGS = ['-r', '150', '-jpeg', '-jpegopt', 'quality=80'];

export class PageImages {
  /** evidence path → the folder its pages are drawn into (null: they cannot be) */
  private rendered = new Map<string, Promise<string | null>>();
  /** page drawing started ahead, one pdftoppm after another */
  private renderQueue: Promise<unknown> = Promise.resolve();
  /** starts pdftoppm for the page images (see util/spawner.ts) */
  private readonly spawner: Spawner;
  /** why poppler could not draw the last page asked for */
  renderFailure: string | undefined;
  /** false once pdftoppm turned out not to be installed */
  hasPageRenderer = true;

  constructor(
    private readonly store: AssetStore,
    /** a scan's pages, prepared as images (undefined: not a scan) */
    private readonly scanPages: (p: string) => PageImage[] | undefined,
    /** whether the file is a scan (its pages are not drawn) */
    private readonly isScan: (p: string) => boolean,
  ) {
    this.spawner = new Spawner(store.ws);
  }

  /**
   * Start drawing these documents' pages now, one pdftoppm at a time: poppler works on the other
   * core while the PDF volume is written, and the DOCX finds its pages ready.
   */
  prefetch(paths: string[]): void {
    for (const p of paths) {
      // (a scan's pages are images already)
      if (this.rendered.has(p) || !this.store.sources.has(p) || this.isScan(p)) continue;
      this.queue(p, () => this.renderAll(p));
    }
  }

  /** Draw a document's pages after those queued before it (one pdftoppm at a time). */
  private queue(p: string, draw: () => Promise<string | null>): void {
    const job = this.renderQueue.then(draw);
    job.catch(() => {}); // whoever asks for the page gets the failure
    this.renderQueue = job.catch(() => undefined);
    this.rendered.set(p, job);
  }

  /**
   * Draw the pages of these PDF files for the DOCX from now on, one pdftoppm at a time, in this
   * order, each opened first by `open` as binding opens it (decrypted, repaired): poppler then works
   * beside the photos being prepared, and the last volumes do not wait for it at the end of the build.
   * (Office files are drawn once converted, when their A-level is bound: LibreOffice is not waited
   * for here.)
   */
  ahead(files: EvidenceFile[], open: (f: EvidenceFile) => Promise<unknown>): void {
    for (const f of files) {
      if (f.type !== 'pdf' || this.rendered.has(f.path)) continue;
      // (a file that cannot be opened has no pages to draw: binding says what is wrong with it)
      this.queue(f.path, () => open(f).then(() => this.renderAll(f.path), () => null));
    }
  }

  /** Page `index` of an evidence document as a 150 dpi JPEG file, drawn by poppler; undefined when it cannot. */
  async pageImage(p: string, index: number): Promise<PageImage | undefined> {
    const scanned = this.scanPages(p);
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
    const { store } = this;
    const source = store.sources.get(p);
    if (source === undefined || store.stopped) return null;
    const dir = store.ws.sub(`pages/${store.next()}`);
    mkdirSync(dir, { recursive: true });
    const { cache } = store.opts;
    const sha = store.sourceHashes.get(p);
    const key = cache && sha ? cacheKey('page-images', sha, ...PAGE_IMAGE_ARGS) : undefined;
    const hit = key ? cache!.getWith<{ pages: number[] }>('page-images', key) : undefined;
    if (hit) {
      let at = 0;
      hit.meta.pages.forEach((len, i) => {
        store.write(path.join(dir, `page-${i + 1}.jpg`), hit.body.subarray(at, at + len));
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
      if (!store.stopped) store.ws.checkRoom();
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

  /** Start no more pdftoppm (those running end with the temporary folder). */
  close(): void {
    this.spawner.close();
  }
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
