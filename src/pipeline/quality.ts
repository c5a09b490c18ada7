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
import { BLURRY_BELOW, hashWords, measurePhoto, NEAR_DUPLICATE_BITS, nearDuplicate, wordsDistance, type PhotoFacts } from '../evidence/quality.js';
import type { EvidenceFile, WarningDiag } from '../model.js';
import { MAX_PHOTO_BYTES } from '../evidence/limits.js';
import { readRegularFile } from '../util/fsx.js';
import { sha256 } from '../util/hash.js';

const NAMESPACE = 'photo-facts-v3';
const BY_CONTENT = 'photo-facts-sha-v3';

export interface KnownOfFiles {
  /** content hashes taken already (of photos that share a size), by path */
  hashes?: ReadonlyMap<string, string>;
  /** content hashes by file identity: where one taken here is remembered for the build */
  known?: FileHashes;
  /** the files' identities as collect saw them, by path */
  identities?: ReadonlyMap<string, string>;
}

/**
 * Measure every kept photo (from the cache where the file is unchanged) and warn about
 * near-duplicates within a B-level and blurred photos.
 */
export async function photoQuality(kept: readonly EvidenceFile[], evidenceKey: string, cache?: Cache, { hashes, known, identities }: KnownOfFiles = {}): Promise<WarningDiag[]> {
  const photos = kept.filter((f) => f.kind === 'photo');
  if (photos.length === 0) return [];
  // (null: a photo that could not be decoded; binding says what is wrong with it)
  const measuredBefore = new IdentityTable<PhotoFacts | null>(cache, NAMESPACE, evidenceKey);
  // Twice as many photos under way as there are cores (at least 4, at most 8): each is decoded by
  // libvips on a worker thread and then measured in JavaScript on the main one, and with only one
  // per core both often wait on the main thread while a core stands idle (measured: 28 → 18 ms a
  // photo on 2 cores). Each holds one photo's bytes and a 512-pixel copy.
  const limit = pLimit(Math.min(8, Math.max(4, 2 * availableParallelism())));
  const facts = new Map<string, PhotoFacts>();
  await Promise.all(
    photos.map((f) =>
      limit(async () => {
        const id = identities?.get(f.path) ?? fileIdentity(f.abs);
        let measured = measuredBefore.get(f.path, id);
        if (measured === undefined) {
          measured = await measureByContent(f, cache, hashes?.get(f.path) ?? known?.lookup(f.path, f.abs), (sha) => known?.remember(f.path, f.abs, sha));
          measuredBefore.set(f.path, id, measured);
        }
        if (measured) facts.set(f.path, measured);
      }),
    ),
  );
  measuredBefore.save();

  const warnings: WarningDiag[] = [];
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
    const s = facts.get(f.path)?.sharpness;
    if (s !== undefined && s < BLURRY_BELOW) warnings.push({ path: f.path, code: 'blurry', params: { sharpness: s, threshold: BLURRY_BELOW }, indicator: f.bCode });
  }
  return warnings;
}

/**
 * A photo's measurements from the cache by its content (`sha` when known already: the photo is then
 * not read at all), else measured, and kept so. Null: a photo that cannot be read or decoded is not
 * judged here: binding says what is wrong with it.
 */
async function measureByContent(f: EvidenceFile, cache: Cache | undefined, sha: string | undefined, hashed: (sha: string) => void): Promise<PhotoFacts | null> {
  const known = (digest: string) => cache!.getJson<PhotoFacts | null>(BY_CONTENT, cacheKey(BY_CONTENT, digest));
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
  const measured = await measurePhoto(f, bytes).catch(() => null);
  if (cache && sha) cache.putJson(BY_CONTENT, cacheKey(BY_CONTENT, sha), measured);
  return measured;
}
