// What the assets' three jobs (office conversion, photo preparation, page images) share: the run's
// temporary folder and how files are read from the evidence folder and written into ours, the PDF
// each evidence document's pages are copied from, and the content hashes of evidence files.
import { writeFileSync } from 'node:fs';
import type { PhotosMeasuredOnce } from '../../convert/photo-once.js';
import path from 'node:path';
import type { Cache } from '../../cache/store.js';
import type { FileHashes } from '../../cache/hashes.js';
import { MAX_PDF_BYTES } from '../../evidence/limits.js';
import type { EvidenceFile } from '../../model.js';
import { readRegularFile, type FsPath } from '../../util/fsx.js';
import { sha256 } from '../../util/hash.js';
import { isWorkspaceFull, workspaceError, type Workspace } from '../../util/workspace.js';

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

/** Office conversions are cached only for files up to this size (larger ones are converted each time). */
export const MAX_CACHED_OFFICE_BYTES = 256 * 1024 * 1024;

export class AssetStore {
  /** evidence path → the PDF to copy pages from (the original, or a decrypted/repaired/converted copy) */
  readonly sources = new Map<string, FsPath>();
  /** evidence path → SHA-256 of the PDF pages are copied from (for the page-image cache) */
  readonly sourceHashes = new Map<string, string>();
  /** set once the build is done or failed: nothing more is started */
  stopped = false;
  private counter = 0;

  constructor(
    readonly ws: Workspace,
    readonly opts: BuildAssetsOptions,
  ) {}

  /** A file read whole: an evidence file only from inside the evidence folder, our own copies freely. */
  read(source: FsPath, label: string, max: number): Buffer {
    const ours = typeof source === 'string' && source.startsWith(this.ws.dir + path.sep);
    return readRegularFile(source, label, max, ours ? undefined : this.opts.evidenceRoot);
  }

  /** A temporary file of ours; a full or read-only temporary folder stops the build, said as such. */
  write(file: string, bytes: Uint8Array): void {
    try {
      writeFileSync(file, bytes);
    } catch (err) {
      if (isWorkspaceFull(err)) throw workspaceError(this.ws.dir, err);
      throw err;
    }
  }

  /** A new file's name in a sub-folder of the temporary folder. */
  file(dir: string, ext: string): string {
    // (a job finishing after the build stopped must not make the temporary folder again)
    if (this.stopped) throw new Error('装订已停止');
    const d = this.ws.sub(dir);
    return path.join(d, `${this.next()}.${ext}`);
  }

  /** The next number of a file or folder of ours, six digits. */
  next(): string {
    return String(++this.counter).padStart(6, '0');
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
}

/** The job kept under `key`, started by `make` the first time it is asked for (or started ahead). */
export function once<T>(jobs: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let job = jobs.get(key);
  if (!job) {
    job = make();
    job.catch(() => {}); // whoever asks gets the failure; one started ahead may never be asked for
    jobs.set(key, job);
  }
  return job;
}
