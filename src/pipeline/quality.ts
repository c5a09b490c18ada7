// 甄选 for photos: the same picture twice in one B-level, and blurred photos — what an inspector
// rejects at a glance. Each photo is measured once (decoded small, see evidence/quality.ts); the
// measurements are kept in the cache twice: under the file's identity (path, size, modification
// time, inode), so a second `check` of an unchanged folder reads no photo, and under the photo's
// content hash, so a fresh checkout of the same folder (CI, a copy, a colleague's clone: every
// identity new) reads each photo once to hash it but decodes none.
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { cacheKey, type Cache } from '../cache/store.js';
import type { FileHashes } from '../cache/hashes.js';
import { fileIdentity, IdentityTable } from '../cache/by-identity.js';
import { BLURRY_BELOW, hashWords, measurePhoto, NEAR_DUPLICATE_BITS, nearDuplicate, UndecodableError, wordsDistance, type PhotoFacts } from '../evidence/quality.js';
import type { EvidenceFile, WarningDiag } from '../model.js';
import type { MeasurePhoto } from '../convert/photo-once.js';
import { MAX_PHOTO_BYTES } from '../evidence/limits.js';
import { readRegularFile } from '../util/fsx.js';
import { sha256 } from '../util/hash.js';

const NAMESPACE = 'photo-facts-v4';
const BY_CONTENT = 'photo-facts-sha-v4';

/** What a measurement found: the facts, null (the file could not be read now), or a photo no decoder of ours can decode. */
type Measured = PhotoFacts | null | 'undecodable';

export interface PhotoQuality {
  warnings: WarningDiag[];
  /** photos whose image data cannot be decoded: they cannot be bound (select drops them) */
  undecodable: EvidenceFile[];
  /** photos whose image data is damaged but decodes (a `damaged-image` warning each) */
  damaged: Set<string>;
}

export interface KnownOfFiles {
  /** content hashes taken already (of photos that share a size), by path */
  hashes?: ReadonlyMap<string, string>;
  /** content hashes by file identity: where one taken here is remembered for the build */
  known?: FileHashes;
  /** the files' identities as collect saw them, by path */
  identities?: ReadonlyMap<string, string>;
  /** how a photo the cache has no measurement of is measured (default: as check does; a build: while preparing it) */
  measure?: MeasurePhoto | undefined;
}

/**
 * Measure every kept photo (from the cache where the file is unchanged) and warn about
 * near-duplicates within a B-level, blurred photos, animations (only the first frame is bound) and
 * damaged image data; photos that cannot be decoded at all are returned to be dropped: binding
 * decodes them the same way, and would fail.
 */
export async function photoQuality(kept: readonly EvidenceFile[], evidenceKey: string, cache?: Cache, { hashes, known, identities, measure = measurePhoto }: KnownOfFiles = {}): Promise<PhotoQuality> {
  const all = kept.filter((f) => f.kind === 'photo');
  const result: PhotoQuality = { warnings: [], undecodable: [], damaged: new Set() };
  if (all.length === 0) return result;
  // (null: a photo that could not be read now; binding says what is wrong with it)
  const measuredBefore = new IdentityTable<Measured>(cache, NAMESPACE, evidenceKey);
  // Twice as many photos under way as there are cores (at least 4, at most 8): each is decoded by
  // libvips on a worker thread and then measured in JavaScript on the main one, and with only one
  // per core both often wait on the main thread while a core stands idle (measured: 28 → 18 ms a
  // photo on 2 cores). Each holds one photo's bytes and a 512-pixel copy.
  const limit = pLimit(Math.min(8, Math.max(4, 2 * availableParallelism())));
  const facts = new Map<string, PhotoFacts>();
  await Promise.all(
    all.map((f) =>
      limit(async () => {
        const id = identities?.get(f.path) ?? fileIdentity(f.abs);
        let measured = measuredBefore.get(f.path, id);
        if (measured === undefined) {
          measured = await measureByContent(f, cache, hashes?.get(f.path) ?? known?.lookup(f.path, f.abs), (sha) => known?.remember(f.path, f.abs, sha), measure);
          measuredBefore.set(f.path, id, measured);
        }
        if (measured === 'undecodable') result.undecodable.push(f);
        else if (measured) facts.set(f.path, measured);
      }),
    ),
  );
  measuredBefore.save();

  const gone = new Set(result.undecodable.map((f) => f.path));
  const photos = all.filter((f) => !gone.has(f.path));
  const warnings = result.warnings;
  const byB = new Map<string, { path: string; facts: PhotoFacts; words: [number, number] }[]>();
  for (const f of photos) {
    const measured = facts.get(f.path);
    if (!measured) continue;
    const list = byB.get(f.bCode) ?? byB.set(f.bCode, []).get(f.bCode)!;
    list.push({ path: f.path, facts: measured, words: hashWords(measured.hash) });
  }
  for (const [bCode, list] of byB) {
    // the later photo (in the folder's order) is the copy; it names the first it resembles
    for (let i = 1; i < list.length; i++) {
      const a = list[i]!;
      for (let j = 0; j < i; j++) {
        const b = list[j]!;
        // (the hash words first: most pairs are told apart by them alone)
        const near = wordsDistance(a.words, b.words) <= NEAR_DUPLICATE_BITS && nearDuplicate(a.facts, b.facts);
        if (near) {
          warnings.push({ path: a.path, code: 'near-duplicate', params: { of: b.path, distance: near.distance }, indicator: bCode });
          break;
        }
      }
    }
  }
  for (const f of photos) {
    const measured = facts.get(f.path);
    const s = measured?.sharpness;
    if (s !== undefined && s < BLURRY_BELOW) warnings.push({ path: f.path, code: 'blurry', params: { sharpness: s, threshold: BLURRY_BELOW }, indicator: f.bCode });
    if (measured?.frames !== undefined) warnings.push({ path: f.path, code: 'multi-frame', params: { frames: measured.frames }, indicator: f.bCode });
    if (measured?.damage) {
      warnings.push({ path: f.path, code: 'damaged-image', params: { cause: measured.damage }, indicator: f.bCode });
      result.damaged.add(f.path);
    }
  }
  return result;
}

/**
 * A photo's measurements from the cache by its content (`sha` when known already: the photo is then
 * not read at all), else measured, and kept so. Null: a photo that cannot be read now is not judged
 * here (binding says what is wrong with it); 'undecodable': its content decodes to no picture.
 */
async function measureByContent(f: EvidenceFile, cache: Cache | undefined, sha: string | undefined, hashed: (sha: string) => void, measure: MeasurePhoto): Promise<Measured> {
  const known = (digest: string) => cache!.getJson<Measured>(BY_CONTENT, cacheKey(BY_CONTENT, digest));
  if (cache && sha) {
    const hit = known(sha);
    if (hit !== undefined) return hit;
  }
  let bytes: Buffer;
  try {
    bytes = readRegularFile(f.abs, f.path, MAX_PHOTO_BYTES);
  } catch {
    return null;
  }
  if (cache && !sha) {
    sha = sha256(bytes);
    hashed(sha);
    const hit = known(sha);
    if (hit !== undefined) return hit;
  }
  // (sharp is loaded by the first photo measured: a check whose photos are all in the cache needs none)
  const measured: Measured = await measure(f, bytes).catch((err: unknown) => (err instanceof UndecodableError ? 'undecodable' : null));
  if (cache && sha) cache.putJson(BY_CONTENT, cacheKey(BY_CONTENT, sha), measured);
  return measured;
}
