// Sharded builds: `plan` splits the A-levels into N shards of about equal work, `build --shard i/N`
// binds shard i and records in shard.json what `merge` needs to check and combine, `merge` puts the
// shards together into what one build writes.
//
// Each shard may see only its own files: in CI a job pulls only its A-levels' folders from Git LFS,
// the rest stay pointers. So everything a shard decides or records about the whole folder is the
// same whichever files are really there: the plan is estimated from names, extensions and sizes (a
// pointer says the size of its file), never from content; the evidence state counts a pointer as
// the content it stands for (its oid is that content's SHA-256); and the report's parts a shard
// records are those of its own A-levels, whose files it has.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import pLimit from 'p-limit';
import { collectProject, resolvePaths, validateProjectOptions, type ProjectOptions } from '../project/index.js';
import type { FileHashes } from '../cache/hashes.js';
import { ChuangchengError } from '../errors.js';
import { typeFromExtension, OFFICE_TYPES, PHOTO_TYPES } from '../evidence/filetype.js';
import { placeFile } from '../evidence/placement.js';
import { lfsPointer } from '../evidence/probe.js';
import { walkEvidence } from '../evidence/walk.js';
import type { DropParams, Manual } from '../model.js';
import { repoPrefix, type Collected } from '../pipeline/collect.js';
import type { AssemblyALevel } from '../report/assemble.js';
import type { GlobalPart, ReportHeader } from '../report/report.js';
import { errnoOf, readRegularFile } from '../util/fsx.js';
import { sha256, sha256File } from '../util/hash.js';
import { naturalCompare } from '../util/natural.js';
import { withConsole } from '../util/quiet.js';

export const SHARD_FILE = 'shard.json';
/** GitHub Actions runs at most 256 jobs of one matrix. */
export const MAX_SHARDS = 256;

export interface ShardSpec {
  index: number;
  of: number;
}

/** `--shard 2/4` → { index: 2, of: 4 } (whether shard 2 of 4 can be is checked by build: validateShardSpec). */
export function parseShardSpec(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ChuangchengError('option-shard-syntax', { option: 'shard', received: text });
  return { index: Number(m[1]), of: Number(m[2]) };
}

export function validateShardSpec(s: unknown): ShardSpec {
  const spec = s as Partial<ShardSpec> | undefined;
  const of = spec?.of;
  const index = spec?.index;
  if (typeof of !== 'number' || !Number.isInteger(of) || of < 1 || of > MAX_SHARDS) {
    throw new ChuangchengError('option-shard-count', { option: 'shard', max: MAX_SHARDS, received: of });
  }
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 1 || index > of) {
    throw new ChuangchengError('option-shard-index', { option: 'shard', of, received: index });
  }
  return { index, of };
}

export function validateShardCount(n: unknown): number {
  const v = typeof n === 'string' && /^\s*\d+\s*$/.test(n) ? Number(n) : n;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_SHARDS) {
    throw new ChuangchengError('option-shards', { option: 'shards', max: MAX_SHARDS, received: n });
  }
  return v;
}

// ---- the plan

export interface Estimate {
  /** numbered pages and the cover, 目录 and 备考表, estimated (see `planShards`) */
  pages: number;
  /** the evidence files' sizes (a Git LFS pointer counts as the file it stands for) */
  bytes: number;
  files: number;
}

export interface PlannedShard {
  index: number;
  /** the A-level codes of this shard, in the manual's order (empty when there are more shards than A-levels) */
  only: string[];
  estimate: Estimate;
  /**
   * The evidence of these A-levels as patterns for `git lfs pull --include`, from the repository's
   * root: a B-level folder as `folder/**`, a file that carries its code in its own name as itself.
   */
  folders: string[];
  /** `folders` joined by commas: what `git lfs pull -I` takes (empty for an empty shard) */
  include: string;
}

export interface ShardPlan {
  shards: PlannedShard[];
}

/** Pages a document of this many bytes is guessed to have: its content is not read (it may not be there). */
const BYTES_PER_PAGE = { pdf: 100 * 1024, office: 30 * 1024, text: 3 * 1024 } as const;
/** A page costs about as much work as this many bytes read: the weight of pages against bytes. */
const PAGE_WORK = 200 * 1024;

/**
 * Split the A-levels into `n` shards of about equal work: largest first, each into the shard with
 * the least work so far (the first such shard on a tie). Work is bytes plus pages, estimated from
 * what is the same in every checkout (names, extensions, sizes; a pointer's recorded size): a photo
 * is 1/photosPerPage page, a PDF a page per 100 KB, an office file a page per 30 KB, a text file a
 * page per 3 KB, each volume its cover, 目录, 备考表 and one 提交表 per B-level. Deterministic: the
 * same manual and evidence give the same plan in every shard.
 */
export function planShards(manual: Manual, collected: Collected, n: number, evidenceDir: string): ShardPlan {
  const codes = new Map<string, string>();
  for (const a of manual.indicators) for (const b of a.indicators) codes.set(b.code, a.code);
  const prefix = repoPrefix(evidenceDir);
  const fromRoot = (rel: string) => (prefix ? `${prefix}/${rel}` : rel);
  interface Tally {
    code: string;
    order: number;
    files: number;
    bytes: number;
    photos: number;
    pages: number;
    folders: Set<string>;
  }
  const tallies = new Map<string, Tally>(
    manual.indicators.map((a, i) => [a.code, { code: a.code, order: i, files: 0, bytes: 0, photos: 0, pages: 3 + a.indicators.length, folders: new Set<string>() }]),
  );
  for (const f of collected.files) {
    if (!f.placement) continue;
    // junk, excluded, empty: not evidence in any checkout
    if (f.early && f.early.reason !== 'lfs-pointer') continue;
    const t = tallies.get(f.placement.aCode);
    if (!t) continue;
    const size = f.early ? (f.early.params as DropParams['lfs-pointer']).size : f.size;
    t.files++;
    t.bytes += size;
    const type = typeFromExtension(f.ext);
    if (type && PHOTO_TYPES.has(type)) t.photos++;
    else if (type === 'pdf') t.pages += Math.max(1, Math.round(size / BYTES_PER_PAGE.pdf));
    else if (type && OFFICE_TYPES.has(type)) t.pages += Math.max(1, Math.round(size / BYTES_PER_PAGE.office));
    else if (type === 'txt' || type === 'md') t.pages += Math.max(1, Math.ceil(size / BYTES_PER_PAGE.text));
    // the folder that places it, or the file itself when its own name carries the code
    const parts = f.path.split('/');
    const name = parts[parts.length - 1]!;
    if (placeFile(name, codes)) t.folders.add(fromRoot(f.path));
    else t.folders.add(`${fromRoot(parts.slice(0, parts.length - f.placement.inner.split('/').length).join('/'))}/**`);
  }
  for (const t of tallies.values()) t.pages += Math.ceil(t.photos / manual.volume.photosPerPage);
  const work = (t: Tally) => t.bytes + t.pages * PAGE_WORK;
  const loads = Array.from({ length: n }, () => 0);
  const members: Tally[][] = Array.from({ length: n }, () => []);
  for (const t of [...tallies.values()].sort((x, y) => work(y) - work(x) || x.order - y.order)) {
    let best = 0;
    for (let i = 1; i < n; i++) if (loads[i]! < loads[best]!) best = i;
    loads[best]! += work(t);
    members[best]!.push(t);
  }
  return {
    shards: members.map((ts, i) => {
      const mine = ts.sort((x, y) => x.order - y.order);
      const folders = outermost([...new Set(mine.flatMap((t) => [...t.folders]))]);
      return {
        index: i + 1,
        only: mine.map((t) => t.code),
        estimate: {
          pages: mine.reduce((s, t) => s + t.pages, 0),
          bytes: mine.reduce((s, t) => s + t.bytes, 0),
          files: mine.reduce((s, t) => s + t.files, 0),
        },
        folders,
        include: folders.join(','),
      };
    }),
  };
}

/** The patterns in natural order, without those a `folder/**` before them already covers. */
function outermost(patterns: string[]): string[] {
  const sorted = patterns.sort(naturalCompare);
  const folders = sorted.filter((p) => p.endsWith('/**')).map((p) => p.slice(0, -2));
  return sorted.filter((p) => !folders.some((f) => p !== `${f}**` && p.startsWith(f)));
}

// ---- the evidence state

export interface EvidenceState {
  /** SHA-256 of `files` */
  fingerprint: string;
  /**
   * Every entry of the evidence folder and what it holds: [path, SHA-256 of the content] — for a Git
   * LFS pointer the SHA-256 of the file it stands for (its oid), so that a shard with only its own
   * files pulled records the same state as one with all of them; a link or a special file its kind.
   */
  files: [string, string][];
}

/** What the evidence folder holds now, file by file: shards are merged only when theirs agree. */
export async function evidenceState(evidenceDir: string, hashes: FileHashes): Promise<EvidenceState> {
  const walked = walkEvidence(evidenceDir);
  const limit = pLimit(4);
  const files: [string, string][] = await Promise.all(
    walked.entries.map((e) =>
      limit(async (): Promise<[string, string]> => {
        if (e.kind === 'special') return [e.rel, `special:${e.special ?? 'device'}`];
        try {
          const known = hashes.lookup(e.rel, e.io);
          if (known) return [e.rel, known];
          if (statSync(e.io).size <= 1024) {
            const head = readRegularFile(e.io, e.rel, 1024);
            return [e.rel, lfsPointer(head)?.oid ?? sha256(head)];
          }
          const sha = await sha256File(e.io);
          hashes.remember(e.rel, e.io, sha);
          return [e.rel, sha];
        } catch (err) {
          return [e.rel, `unreadable:${errnoOf(err) ?? (err as Error).message}`];
        }
      }),
    ),
  );
  for (const p of walked.problems) files.push([p.rel, p.kind]);
  files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { fingerprint: createHash('sha256').update(JSON.stringify(files)).digest('hex'), files };
}

// ---- shard.json

export const SHARD_MARKER = 'chuangcheng-shard';
export const SHARD_FORMAT = 1;

/** What one shard's output folder holds besides its volumes: shard.json. */
export interface ShardRecord {
  kind: typeof SHARD_MARKER;
  format: typeof SHARD_FORMAT;
  /** chuangcheng's version */
  version: string;
  shard: ShardSpec;
  /** the A-level codes of every shard: the plan this shard was one part of */
  plan: string[][];
  /** every A-level code, in the manual's order */
  order: string[];
  /** SHA-256 of the manual file */
  manual: string;
  evidence: EvidenceState;
  /** 立卷时间 */
  date: string;
  /** the day `overdue` was judged on */
  today: string;
  formats: ('pdf' | 'docx')[];
  header: ReportHeader;
  /** the evidence outside every A-level (the same in every shard) */
  global: GlobalPart;
  /** this shard's A-levels: their parts of the report, and what binding made */
  aLevels: AssemblyALevel[];
  /** the volume files in this folder → SHA-256 of their bytes */
  files: Record<string, string>;
}

// ---- `plan`

export interface PlanOptions extends ProjectOptions {
  /** how many shards, 1 to 256 (a text of digits, as a command line gives it, counts as its number) */
  shards: number | string;
}

export interface PlanResult extends ShardPlan {
  /** A-level code → title, for people */
  titles: Record<string, string>;
}

/** The plan of a sharded build: which A-levels each of `shards` builds. Reads names and sizes only; writes nothing. */
export async function plan(opts: PlanOptions): Promise<PlanResult> {
  const n = validateShardCount(opts?.shards);
  validateProjectOptions(opts);
  return withConsole(opts?.console, () => planNow(opts, n));
}

async function planNow(opts: PlanOptions, n: number): Promise<PlanResult> {
  const paths = resolvePaths(opts);
  const { manual, collected } = await collectProject(paths);
  return { ...planShards(manual, collected, n, paths.evidence), titles: Object.fromEntries(manual.indicators.map((a) => [a.code, a.title])) };
}
