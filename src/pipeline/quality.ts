// 甄选 for photos: the same picture twice in one B-level, and blurred photos — what an inspector
// rejects at a glance. Each photo is measured once (decoded small, see evidence/quality.ts); the
// measurements are kept in the cache under the file's identity (path, size, modification time,
// inode), so a second `check` of an unchanged folder decodes nothing.
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import type { Cache } from '../cache/store.js';
import { fileIdentity, IdentityTable } from '../cache/by-identity.js';
import { BLURRY_BELOW, measurePhoto, nearDuplicate, type PhotoFacts } from '../evidence/quality.js';
import type { EvidenceFile, WarningDiag } from '../model.js';

const NAMESPACE = 'photo-facts-v3';

/**
 * Measure every kept photo (from the cache where the file is unchanged) and warn about
 * near-duplicates within a B-level and blurred photos.
 */
export async function photoQuality(kept: readonly EvidenceFile[], evidenceKey: string, cache?: Cache): Promise<WarningDiag[]> {
  const photos = kept.filter((f) => f.kind === 'photo');
  if (photos.length === 0) return [];
  // (null: a photo that could not be decoded; binding says what is wrong with it)
  const known = new IdentityTable<PhotoFacts | null>(cache, NAMESPACE, evidenceKey);
  const limit = pLimit(Math.max(1, availableParallelism()));
  const facts = new Map<string, PhotoFacts>();
  await Promise.all(
    photos.map((f) =>
      limit(async () => {
        const id = fileIdentity(f.abs);
        let measured = known.get(f.path, id);
        if (measured === undefined) {
          // a photo that cannot be decoded is not judged here: binding says what is wrong with it
          measured = await measurePhoto(f).catch(() => null);
          known.set(f.path, id, measured);
        }
        if (measured) facts.set(f.path, measured);
      }),
    ),
  );
  known.save();

  const warnings: WarningDiag[] = [];
  const byB = new Map<string, EvidenceFile[]>();
  for (const f of photos) byB.set(f.bCode, [...(byB.get(f.bCode) ?? []), f]);
  for (const [bCode, list] of byB) {
    // the later photo (in the folder's order) is the copy; it names the first it resembles
    for (let i = 1; i < list.length; i++) {
      const a = facts.get(list[i]!.path);
      if (!a) continue;
      for (let j = 0; j < i; j++) {
        const b = facts.get(list[j]!.path);
        if (!b) continue;
        const near = nearDuplicate(a, b);
        if (near) {
          warnings.push({ path: list[i]!.path, code: 'near-duplicate', params: { of: list[j]!.path, distance: near.distance }, indicator: bCode });
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
