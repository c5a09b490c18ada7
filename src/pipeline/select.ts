// 甄选材料: decide what is kept, what is dropped (and why), and what deserves a warning.
import pLimit from 'p-limit';
import type { DropDiag, EvidenceFile, Manual, WarningDiag } from '../model.js';
import { kindOfFile } from '../evidence/filetype.js';
import { UNDECODABLE } from '../wording/diagnostics.js';
import { hasCopyMarker } from '../evidence/names.js';
import { sha256File, sha256Head } from '../util/hash.js';
import { FileHashes } from '../cache/hashes.js';
import { naturalCompare } from '../util/natural.js';
import type { Collected, CollectedFile } from './collect.js';
import type { Cache } from '../cache/store.js';
import { photoQuality } from './quality.js';
import type { MeasurePhoto } from '../convert/photo-once.js';

export const LOW_RESOLUTION_PX = 1000;

export interface Selection {
  kept: EvidenceFile[];
  /** B-level code → the unit's reason for its gaps */
  reasons: Map<string, string>;
  dropped: DropDiag[];
  unassigned: string[];
  warnings: WarningDiag[];
  /**
   * Content SHA-256 of the files that could be equal to another (same size, same first 64 KiB):
   * duplicates are found from them here, and `reused` when the report is composed.
   */
  hashes: Map<string, string>;
}

export interface SelectOptions {
  /** the cache for photo measurements; none: every photo is measured */
  cache?: Cache;
  /** what names this evidence folder in the cache (its real path) */
  evidenceKey?: string;
  /** how a photo the cache has no measurement of is measured (a build: while preparing it); default: as check does */
  measure?: MeasurePhoto | undefined;
}

export async function select(manual: Manual, collected: Collected, opts: SelectOptions = {}): Promise<Selection> {
  const dropped: DropDiag[] = [...collected.folders];
  const unassigned: string[] = [];
  const warnings: WarningDiag[] = [...collected.warnings];
  let candidates: EvidenceFile[] = [];

  for (const f of collected.files) {
    const indicator = f.placement ? { indicator: f.placement.bCode } : {};
    if (f.early) {
      dropped.push({ path: f.path, ...f.early, ...indicator } as DropDiag);
      continue;
    }
    if (!f.placement) {
      unassigned.push(f.path);
      continue;
    }
    const probe = f.probe!;
    if (!probe.ok) {
      dropped.push({ path: f.path, reason: probe.reason, params: probe.params, ...indicator } as DropDiag);
      continue;
    }
    const meta = f.meta!;
    if (manual.period && meta.date && (meta.date < manual.period.from || meta.date > manual.period.to)) {
      dropped.push({
        path: f.path,
        reason: 'out-of-period',
        params: { date: meta.date, source: meta.dateSource ?? 'name', from: manual.period.from, to: manual.period.to },
        ...indicator,
      });
      continue;
    }
    candidates.push(toEvidence(f));
  }

  // content hashes remembered by file identity: a warm check reads no unchanged file to find duplicates
  const known = opts.cache ? new FileHashes(opts.cache, opts.evidenceKey ?? '', collected.identities) : undefined;
  const hashes = await hashSameSize(candidates, known);
  candidates = dropDuplicates(candidates, hashes, dropped);

  const order = (a: { path: string }, b: { path: string }) => naturalCompare(a.path, b.path);
  candidates.sort(order);
  // every photo decoded small (or its measurement taken from the cache): one that decodes to no
  // picture is dropped now, as binding would fail on it; a damaged one is marked for binding
  const quality = await photoQuality(candidates, opts.evidenceKey ?? '', opts.cache, { hashes, known, identities: collected.identities, measure: opts.measure });
  if (quality.undecodable.length > 0) {
    const gone = new Set(quality.undecodable.map((f) => f.path));
    for (const f of quality.undecodable) dropped.push({ path: f.path, reason: 'unreadable', params: { cause: 'corrupt', type: f.type, what: UNDECODABLE }, indicator: f.bCode });
    candidates = candidates.filter((f) => !gone.has(f.path));
  }
  for (const f of candidates) if (quality.damaged.has(f.path)) f.damaged = true;
  warnings.push(...quality.warnings);

  const byPath = new Map(collected.files.map((x) => [x.path, x]));
  for (const f of candidates) {
    const c = byPath.get(f.path);
    if (c?.probe?.ok && c.probe.mismatch) {
      warnings.push({ path: f.path, code: 'type-mismatch', params: c.probe.mismatch, indicator: f.bCode });
    }
    if (f.xfa) warnings.push({ path: f.path, code: 'xfa-form', params: {}, indicator: f.bCode });
    if (!f.meta.date) {
      // an EXIF date that is no real date (a camera clock never set) is named, so the user knows why
      const exif = c?.probe?.ok ? c.probe.badDate : undefined;
      warnings.push({ path: f.path, code: 'undated', params: exif !== undefined ? { cause: 'camera-clock', exif } : {}, indicator: f.bCode });
    }
    if (c?.probe?.ok && c.probe.textEncoding) {
      warnings.push({ path: f.path, code: 'text-encoding', params: c.probe.textEncoding, indicator: f.bCode });
    }
    if (f.kind === 'photo' && f.width !== undefined && f.height !== undefined && Math.min(f.width, f.height) < LOW_RESOLUTION_PX) {
      warnings.push({ path: f.path, code: 'low-resolution', params: { width: f.width, height: f.height, min: LOW_RESOLUTION_PX }, indicator: f.bCode });
    }
  }
  known?.save();
  return {
    reasons: collected.reasons,
    kept: candidates,
    hashes,
    dropped: dropped.sort(order),
    unassigned: unassigned.sort(naturalCompare),
    warnings: warnings.sort((a, b) => naturalCompare(a.path, b.path) || a.code.localeCompare(b.code)),
  };
}

function toEvidence(f: CollectedFile): EvidenceFile {
  const probe = f.probe!;
  if (!probe.ok) throw new Error('toEvidence on a failed probe');
  const e: EvidenceFile = {
    path: f.path,
    abs: f.abs,
    size: f.size,
    type: probe.type,
    kind: kindOfFile(probe.type, probe.pages),
    aCode: f.placement!.aCode,
    bCode: f.placement!.bCode,
    inner: f.placement!.inner,
    meta: f.meta!,
  };
  if (probe.width !== undefined) e.width = probe.width;
  if (probe.height !== undefined) e.height = probe.height;
  if (probe.orientation !== undefined) e.orientation = probe.orientation;
  if (probe.pages !== undefined) e.pages = probe.pages;
  if (probe.xfa) e.xfa = true;
  return e;
}

/** Files up to this size that share their size with another are hashed whole, not first bytes first. */
const WHOLE_AT_ONCE = 1024 * 1024;

/**
 * Hash only files that could be equal: same size, then (for large ones) the same first 64 KiB. A
 * file whose hash an earlier run remembered under its identity is not read at all.
 */

async function hashSameSize(files: EvidenceFile[], known?: FileHashes): Promise<Map<string, string>> {
  const groupBy = (list: EvidenceFile[], key: (f: EvidenceFile) => string | undefined) => {
    const m = new Map<string, EvidenceFile[]>();
    for (const f of list) {
      const k = key(f);
      if (k === undefined) continue;
      // pushed, not spread into a new array per file: thousands of files can share a size
      const g = m.get(k);
      if (g) g.push(f);
      else m.set(k, [f]);
    }
    return [...m.values()].filter((g) => g.length > 1);
  };
  const hashes = new Map<string, string>();
  // A file hashed by an earlier run and unchanged since (same identity) is not read again. Where a
  // whole group of one size is new, first bytes tell most of them apart before whole files are read.
  const toHash: EvidenceFile[] = [];
  const fresh: EvidenceFile[] = [];
  for (const group of groupBy(files, (f) => String(f.size))) {
    const unknown = group.filter((f) => {
      const sha = known?.lookup(f.path, f.abs);
      if (sha) hashes.set(f.path, sha);
      return !sha;
    });
    // small files are hashed whole at once (and remembered); first bytes first only for large ones
    if (unknown.length === group.length && group[0]!.size > WHOLE_AT_ONCE) fresh.push(...unknown);
    else toHash.push(...unknown);
  }
  const heads = groupBy(fresh, (f) => {
    try {
      return `${f.size}:${sha256Head(f.abs)}`;
    } catch {
      return undefined; // unreadable now: leave it to binding to report
    }
  }).flat();
  toHash.push(...heads);
  const limit = pLimit(4);
  await Promise.all(
    toHash.map((f) =>
      limit(async () => {
        try {
          const sha = await sha256File(f.abs);
          hashes.set(f.path, sha);
          known?.remember(f.path, f.abs, sha);
        } catch {
          // unreadable now: leave it to binding to report
        }
      }),
    ),
  );
  return hashes;
}

/** Within one B-level, keep one copy of each content: the one without 副本/copy/(1) marks, else the first by name. */
function dropDuplicates(files: EvidenceFile[], hashes: Map<string, string>, dropped: DropDiag[]): EvidenceFile[] {
  const groups = new Map<string, EvidenceFile[]>();
  for (const f of files) {
    const h = hashes.get(f.path);
    if (!h) continue;
    const key = `${f.bCode}\u0000${h}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const drop = new Set<string>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const ranked = [...group].sort((a, b) => {
      const ma = hasCopyMarker(a.path.slice(a.path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '')) ? 1 : 0;
      const mb = hasCopyMarker(b.path.slice(b.path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '')) ? 1 : 0;
      return ma - mb || naturalCompare(a.path, b.path);
    });
    const keep = ranked[0]!;
    for (const f of ranked.slice(1)) {
      drop.add(f.path);
      dropped.push({ path: f.path, reason: 'duplicate', params: { of: keep.path }, indicator: f.bCode });
    }
  }
  return files.filter((f) => !drop.has(f.path));
}
