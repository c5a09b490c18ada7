// Photo preparation: each photo made ready for its place on the page (turned upright, scaled to its
// box, re-encoded) and each multi-page TIFF scan's pages for the evidence area, ahead of the volume
// that needs them, `jobs` at a time; from the cache when made before.
import { readFileSync } from 'node:fs';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { cacheKey } from '../../cache/store.js';
import { MAX_PHOTO_BYTES, PHOTO_RECIPE, preparePhoto } from '../../convert/photo.js';
import { prepareScan, SCAN_RECIPE, scanPdf } from '../../convert/scan.js';
import { isScan } from '../../evidence/filetype.js';
import type { EvidenceFile } from '../../model.js';
import type { FsPath } from '../../util/fsx.js';
import { sha256 } from '../../util/hash.js';
import { once, type AssetStore } from './store.js';

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

export class PhotoPreparation {
  private photos = new Map<string, PhotoAsset>();
  /** evidence path → its photo's preparation (started ahead, or when asked for) */
  private photoJobs = new Map<string, Promise<{ width: number; height: number }>>();
  /** evidence path → a multi-page TIFF's preparation: its pages as images and as one PDF (started ahead, or when asked for) */
  readonly scanJobs = new Map<string, Promise<void>>();
  /** evidence path → a prepared scan's page images (what the DOCX shows, as the PDF does) */
  readonly scanPages = new Map<string, PageImage[]>();

  constructor(private readonly store: AssetStore) {
    // Each photo is decoded once: libvips's operation cache would only hold decoded images (tens of
    // megabytes each) that are never asked for again.
    sharp.cache(false);
  }

  private get opts() {
    return this.store.opts;
  }

  private get stopped(): boolean {
    return this.store.stopped;
  }

  private read(source: FsPath, label: string, max: number): Buffer {
    return this.store.read(source, label, max);
  }

  private write(file: string, bytes: Uint8Array): void {
    this.store.write(file, bytes);
  }

  private file(dir: string, ext: string): string {
    return this.store.file(dir, ext);
  }

  private hashOf(f: EvidenceFile, bytes?: Buffer): string | undefined {
    return this.store.hashOf(f, bytes);
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

  /** What is under way, to wait for before the temporary folder goes (sharp's work cannot be stopped). */
  underway(): Promise<unknown>[] {
    return [...this.photoJobs.values(), ...this.scanJobs.values()];
  }

  /** A multi-page TIFF's pages prepared, once however often asked (binding, started ahead). */
  scan(file: EvidenceFile): Promise<void> {
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
    this.store.sources.set(file.path, out);
    this.store.sourceHashes.set(file.path, sha256(pdf));
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

  async photo(p: string): Promise<{ bytes: Uint8Array; format: 'jpg' | 'png' }> {
    const a = this.photos.get(p);
    if (!a) throw new Error(`内部错误：照片 ${p} 没有准备`);
    return { bytes: new Uint8Array(readFileSync(a.file)), format: a.format };
  }

  photoFile(p: string): { file: string; format: 'jpg' | 'png' } {
    const a = this.photos.get(p);
    if (!a) throw new Error(`内部错误：照片 ${p} 没有准备`);
    return { file: a.file, format: a.format };
  }
}
