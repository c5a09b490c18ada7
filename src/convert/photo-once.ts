// One decode per photo in a cold build (issue 19). `build` runs `check` first, and check measures
// every photo it has no measurement of; binding then prepares every photo for its page. Here the
// measurement of a photo that will be bound is taken from the decode that prepares it
// (convert/photo-measured.ts): the prepared photo is written into the run's temporary folder and
// handed to binding, which takes it instead of decoding the photo again. A photo measured from the
// cache is not decoded by check at all (binding prepares it: its one decode); a photo of an A-level
// not built (--only, --shard) is measured as check measures it. Whatever goes wrong here (the folder
// full, the file changed since) only means binding prepares the photo itself, and says so if it fails.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileIdentity } from '../cache/by-identity.js';
import type { PhotoFacts } from '../evidence/quality.js';
import type { EvidenceFile, Manual } from '../model.js';
import type { PreparedPhoto } from './photo.js';

/** How a photo that the cache has no measurement of is measured: its facts from its bytes (throws UndecodableError). */
export type MeasurePhoto = (file: EvidenceFile, bytes: Buffer) => Promise<PhotoFacts>;

interface Handed {
  file: string;
  format: 'jpg' | 'png';
  width: number;
  height: number;
  /** the box it was prepared for, `w×h` */
  box: string;
  /** the evidence file's identity when it was read */
  identity: string;
}

export class PhotosMeasuredOnce {
  private readonly handed = new Map<string, Handed>();
  private counter = 0;
  /** photos measured while prepared, and how many of those binding took (what the tests count) */
  readonly counts = { prepared: 0, taken: 0 };
  /** how the photos measured here were decoded (see prepareAndMeasure): what the bench reports */
  readonly decodes = { once: 0, measured: 0, twice: 0 };

  /** `folder`: where prepared photos wait for binding (made when the first one is written) */
  constructor(private readonly folder: () => string) {}

  /**
   * The measure for `check` inside a build of this manual: a photo that `bound` says will be bound
   * is prepared for its box and measured from that decode; any other is measured as check measures it.
   */
  measurer(manual: Manual, bound: (file: EvidenceFile) => boolean = () => true): MeasurePhoto {
    let tools: Promise<{ m: typeof import('./photo-measured.js'); q: typeof import('../evidence/quality.js'); box: { width: number; height: number } }> | undefined;
    const load = () =>
      (tools ??= (async () => {
        // (sharp and the layout are loaded by the first photo measured: a warm check needs neither)
        const [m, q, { default: sharp }] = await Promise.all([import('./photo-measured.js'), import('../evidence/quality.js'), import('sharp')]);
        // each photo is decoded once: libvips's operation cache would only hold decoded images never asked for again
        sharp.cache(false);
        return { m, q, box: m.photoBoxFor(manual) };
      })());
    return async (file, bytes) => {
      const { m, q, box } = await load();
      if (file.kind !== 'photo' || !bound(file)) return q.measurePhoto(file, bytes);
      const identity = fileIdentity(file.abs);
      const measured = await m.prepareAndMeasure(file, box.width, box.height, bytes);
      this.decodes[measured.decoded]++;
      if (measured.decoded !== 'measured' && identity !== undefined) this.keep(file, measured.photo, `${box.width}×${box.height}`, identity);
      return measured.facts;
    };
  }

  private keep(file: EvidenceFile, photo: PreparedPhoto, box: string, identity: string): void {
    try {
      const out = path.join(this.folder(), `${String(++this.counter).padStart(6, '0')}.${photo.format}`);
      writeFileSync(out, photo.bytes);
      this.handed.set(file.path, { file: out, format: photo.format, width: photo.width, height: photo.height, box, identity });
      this.counts.prepared++;
    } catch {
      // (binding prepares this photo itself, and says what is wrong with the temporary folder)
    }
  }

  /**
   * The photo prepared for this box while it was measured, once; undefined when there is none, or
   * the file is no longer what was read then (binding then prepares it).
   */
  take(file: EvidenceFile, box: { width: number; height: number }): PreparedPhoto | undefined {
    const h = this.handed.get(file.path);
    if (!h) return undefined;
    this.handed.delete(file.path);
    let bytes: Buffer | undefined;
    try {
      if (h.box === `${box.width}×${box.height}` && h.identity === fileIdentity(file.abs)) bytes = readFileSync(h.file);
      rmSync(h.file, { force: true });
    } catch {
      // (unreadable now: prepared again)
    }
    if (!bytes) return undefined;
    this.counts.taken++;
    return { bytes: new Uint8Array(bytes), format: h.format, width: h.width, height: h.height };
  }
}
