// `merge`: the outputs of `build --shard 1/N … N/N` into what one `build` writes — the same volume
// files (copied byte for byte), one report.json, one 目录.xlsx, one manifest. Everything is checked
// before anything is written: that every folder is a shard output, that all were made by the same
// version from the same manual, evidence, date and formats under the same plan, that each of 1..N
// is there exactly once, and that every volume file is still what its shard wrote. The output
// folder is then written as build writes it: locked, each file whole, nothing replaced that is not
// ours.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { asRecorded, CATALOGUE, REPORT, writeAssembly, type Assembly } from '../report/assemble.js';
import { ChuangchengError } from '../errors.js';
import { LOCK, MANIFEST, OutputFolder } from '../output/folder.js';
import { guardOutput } from '../output/guard.js';
import type { Report } from '../report/report.js';
import { SHARD_FILE, SHARD_FORMAT, SHARD_MARKER, type ShardRecord } from './plan.js';
import { errnoOf, FileAccessError, isInside, openRegular, readRegularFile } from '../util/fsx.js';
import type { ShardLabel } from '../wording/errors.js';
import { sha256File } from '../util/hash.js';
import { withConsole, type LibraryConsole } from '../util/quiet.js';
import { validateConsole } from '../project/index.js';

export interface MergeOptions {
  /** the output folders of `build --shard i/N`, one for each of 1..N, in any order */
  shards: string[];
  /** the folder to write (as `build --out`) */
  out: string;
  /** where what libraries print on the console goes (default: nowhere; see ProjectOptions.console) */
  console?: LibraryConsole;
}

export interface MergeResult {
  report: Report;
  outDir: string;
  /** the files written, manifest included */
  files: string[];
  /** outputs of an earlier run in the folder that this one would have removed, left because they were changed */
  leftAlone: string[];
  /** the shards, in order: where each was read from, and its A-levels */
  shards: { dir: string; index: number; of: number; only: string[] }[];
  seconds: number;
}

/** shard.json is read whole: far above any real one (a few MB for tens of thousands of files). */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;

const RESERVED = new Set([REPORT, CATALOGUE, MANIFEST, SHARD_FILE, LOCK]);
/** A volume file name as build writes them: a plain name in the folder, never one of ours or a path. */
const volumeName = z
  .string()
  .refine((n) => /^[^/\\\u0000]+\.(pdf|docx)$/.test(n) && !n.startsWith('.') && !RESERVED.has(n), { message: '不是卷文件的名字' });
const sha = z.string().regex(/^[0-9a-f]{64}$/);
const diag = z.object({ path: z.string() });

/** What merge relies on in a shard.json (the rest is report data, passed on as it is). */
const recordSchema = z.object({
  kind: z.literal(SHARD_MARKER),
  format: z.literal(SHARD_FORMAT),
  version: z.string(),
  shard: z.object({ index: z.number().int().min(1), of: z.number().int().min(1) }),
  plan: z.array(z.array(z.string())),
  order: z.array(z.string()),
  manual: sha,
  evidence: z.object({ fingerprint: sha, files: z.array(z.tuple([z.string(), z.string()])) }),
  date: z.string(),
  today: z.string(),
  formats: z.array(z.enum(['pdf', 'docx'])).min(1),
  header: z.object({ title: z.string(), unit: z.string(), today: z.string() }),
  global: z.object({ dropped: z.array(diag), warnings: z.array(diag), unassigned: z.array(z.string()), suggestions: z.array(z.object({ path: z.string(), indicator: z.string() })) }),
  aLevels: z.array(
    z.object({
      code: z.string(),
      report: z.object({ code: z.string(), title: z.string(), indicators: z.array(z.object({ code: z.string(), requirements: z.array(z.object({ status: z.string() })) })) }),
      kept: z.array(z.object({ path: z.string(), bCode: z.string() })),
      dropped: z.array(diag),
      warnings: z.array(diag),
      misplaced: z.array(diag),
      built: z.object({
        volumes: z.array(z.object({ code: z.string(), file: volumeName, pages: z.number(), items: z.number() })),
        catalogue: z.array(z.object({ name: z.string(), rows: z.array(z.object({ seq: z.string(), title: z.string() })) })),
        warnings: z.array(diag),
      }),
    }),
  ),
  files: z.record(volumeName, sha),
});

interface Loaded {
  /** as the user wrote it */
  label: string;
  dir: string;
  record: ShardRecord;
}

/** The shard as the errors name it: the folder given, its place in the plan. */
const who = (s: Loaded): ShardLabel => ({ label: s.label, index: s.record.shard.index, of: s.record.shard.of });

function loadShard(label: string): Loaded {
  const dir = path.resolve(label);
  const st = (() => {
    try {
      return statSync(dir);
    } catch {
      return undefined;
    }
  })();
  if (!st) throw new ChuangchengError('shard-not-found', { label });
  if (!st.isDirectory()) throw new ChuangchengError('shard-not-folder', { label });
  const file = path.join(dir, SHARD_FILE);
  if (!existsSync(file)) {
    throw new ChuangchengError('shard-no-record', { label, file: SHARD_FILE, whole: existsSync(path.join(dir, REPORT)) });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readRegularFile(file, `${label}/${SHARD_FILE}`, MAX_RECORD_BYTES).toString('utf8'));
  } catch (err) {
    throw new ChuangchengError('shard-record-unreadable', { label, file: SHARD_FILE, ...(err instanceof FileAccessError ? { detail: err.detail } : {}) }, { cause: err });
  }
  const r = raw as Partial<ShardRecord> | null;
  if (!r || typeof r !== 'object' || r.kind !== SHARD_MARKER) {
    throw new ChuangchengError('shard-record-foreign', { label, file: SHARD_FILE });
  }
  if (r.format !== SHARD_FORMAT) {
    throw new ChuangchengError('shard-record-format', { label, ...(typeof r.version === 'string' ? { version: r.version } : {}) });
  }
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success) {
    const at = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new ChuangchengError('shard-record-damaged', { label, file: SHARD_FILE, at });
  }
  const record = raw as ShardRecord;
  const { index, of } = record.shard;
  const mine = record.plan[index - 1];
  const own = record.aLevels.map((p) => p.code);
  if (index > of || record.plan.length !== of || !mine || mine.join('\u0000') !== own.join('\u0000')) {
    throw new ChuangchengError('shard-record-inconsistent', { label, file: SHARD_FILE });
  }
  return { label, dir, record };
}

/**
 * Shards that disagree on `value`: those outside the largest group of equal values (on a tie, the
 * group of the first shard given is taken as right).
 */
function odd<T>(shards: Loaded[], value: (s: Loaded) => T): { odd: Loaded[]; ref: Loaded } | undefined {
  const groups = new Map<string, Loaded[]>();
  for (const s of shards) {
    const k = JSON.stringify(value(s));
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  if (groups.size < 2) return undefined;
  const ranked = [...groups.values()].sort((a, b) => b.length - a.length || shards.indexOf(a[0]!) - shards.indexOf(b[0]!));
  return { ref: ranked[0]![0]!, odd: ranked.slice(1).flat() };
}

/** What changed between two evidence states, a few paths of each kind. */
function evidenceDiff(a: ShardRecord['evidence'], ref: ShardRecord['evidence']): string {
  const mine = new Map(a.files);
  const theirs = new Map(ref.files);
  const added = [...mine.keys()].filter((p) => !theirs.has(p));
  const gone = [...theirs.keys()].filter((p) => !mine.has(p));
  const changed = [...mine.keys()].filter((p) => theirs.has(p) && theirs.get(p) !== mine.get(p));
  const few = (list: string[]) => `${list.slice(0, 3).join('、')}${list.length > 3 ? ` 等 ${list.length} 个` : ''}`;
  const parts = [
    added.length > 0 ? `多了 ${few(added)}` : '',
    gone.length > 0 ? `少了 ${few(gone)}` : '',
    changed.length > 0 ? `内容不同：${few(changed)}` : '',
  ].filter(Boolean);
  return parts.join('；');
}

/** Refuse shards that were not made from the same things, naming the odd ones. */
function checkAgreement(shards: Loaded[]): void {
  /** the odd shards and the reference, each with its `value` as the error shows it */
  const valued = (d: { odd: Loaded[]; ref: Loaded }, value: (s: Loaded) => string) => ({
    odd: d.odd.map((s) => ({ ...who(s), value: value(s) })),
    ref: { ...who(d.ref), value: value(d.ref) },
  });
  let d = odd(shards, (s) => s.record.version);
  if (d) throw new ChuangchengError('shards-versions', valued(d, (s) => s.record.version));
  d = odd(shards, (s) => s.record.manual);
  if (d) throw new ChuangchengError('shards-manuals', { odd: d.odd.map(who), ref: who(d.ref) });
  d = odd(shards, (s) => s.record.date);
  if (d) throw new ChuangchengError('shards-dates', valued(d, (s) => s.record.date));
  d = odd(shards, (s) => s.record.today);
  if (d) throw new ChuangchengError('shards-todays', valued(d, (s) => s.record.today));
  d = odd(shards, (s) => [...s.record.formats].sort());
  if (d) throw new ChuangchengError('shards-formats', valued(d, (s) => s.record.formats.join(',')));
  d = odd(shards, (s) => s.record.shard.of);
  if (d) throw new ChuangchengError('shards-counts', { odd: d.odd.map(who), ref: who(d.ref) });
  d = odd(shards, (s) => s.record.evidence.fingerprint);
  if (d) {
    const ref = d.ref;
    throw new ChuangchengError('shards-evidence', { odd: d.odd.map((s) => ({ ...who(s), diff: evidenceDiff(s.record.evidence, ref.record.evidence) })), ref: who(ref) });
  }
  d = odd(shards, (s) => [s.record.plan, s.record.order, s.record.header, s.record.global]);
  if (d) throw new ChuangchengError('shards-plans', { odd: d.odd.map(who), ref: who(d.ref) });
  // each of 1..N exactly once
  const of = shards[0]!.record.shard.of;
  const byIndex = new Map<number, Loaded[]>();
  for (const s of shards) byIndex.set(s.record.shard.index, [...(byIndex.get(s.record.shard.index) ?? []), s]);
  const twice = [...byIndex.entries()].filter(([, list]) => list.length > 1).sort(([a], [b]) => a - b);
  if (twice.length > 0) throw new ChuangchengError('shards-twice', { of, twice: twice.map(([index, list]) => ({ index, labels: list.map((s) => s.label) })) });
  const missing = Array.from({ length: of }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new ChuangchengError('shards-missing', { of, missing, given: [...byIndex.keys()].sort((a, b) => a - b) });
}

/** Every volume file a shard recorded is there, a regular file, with the bytes the shard wrote. */
async function checkFiles(s: Loaded): Promise<void> {
  for (const [name, expected] of Object.entries(s.record.files)) {
    const file = path.join(s.dir, name);
    let actual: string | undefined;
    try {
      actual = await sha256File(file);
    } catch {
      actual = undefined;
    }
    if (actual !== expected) {
      throw new ChuangchengError('shard-file-changed', { shard: who(s), name, gone: actual === undefined });
    }
  }
}

/**
 * Whether a folder is the evidence folder the shards were built from, as their records describe it
 * (shard.json lists every evidence file by its path inside that folder): most of a sample of the
 * recorded files are there. A record made on another machine (CI) still recognises the checkout.
 */
export function recordedEvidenceAt(record: ShardRecord): (dir: string) => boolean {
  const files = record.evidence.files.filter(([, state]) => /^[0-9a-f]{64}$/.test(state)).map(([rel]) => rel);
  const step = Math.max(1, Math.floor(files.length / 64));
  const sample = files.filter((_, i) => i % step === 0).slice(0, 64);
  if (sample.length === 0) return () => false;
  const need = Math.ceil(sample.length / 2);
  return (dir) => {
    let there = 0;
    for (const rel of sample) {
      try {
        if (lstatSync(path.join(dir, ...rel.split('/'))).isFile() && ++there >= need) return true;
      } catch {
        // not there
      }
    }
    return false;
  };
}

async function copyInto(out: OutputFolder, from: string, name: string, expected: string): Promise<void> {
  const h = createHash('sha256');
  await out.writeWith(name, async (sink) => {
    const { fd } = openRegular(from, from);
    try {
      for await (const chunk of createReadStream('', { fd, autoClose: false })) {
        sink.write(chunk as Buffer);
        h.update(chunk as Buffer);
      }
    } finally {
      closeSync(fd);
    }
  });
  if (h.digest('hex') !== expected) {
    throw new ChuangchengError('merge-file-changed', { file: from });
  }
}

export async function merge(opts: MergeOptions): Promise<MergeResult> {
  validateConsole(opts?.console);
  return withConsole(opts?.console, () => mergeNow(opts));
}

async function mergeNow(opts: MergeOptions): Promise<MergeResult> {
  const started = performance.now();
  if (!Array.isArray(opts?.shards) || opts.shards.length === 0 || opts.shards.some((s) => typeof s !== 'string' || s === '')) {
    throw new ChuangchengError('merge-no-shards', {});
  }
  if (typeof opts.out !== 'string' || opts.out === '') {
    throw new ChuangchengError('merge-no-out', {});
  }
  const shards = opts.shards.map(loadShard);
  checkAgreement(shards);
  shards.sort((a, b) => a.record.shard.index - b.record.shard.index);
  for (const s of shards) await checkFiles(s);
  const owner = new Map<string, Loaded>();
  for (const s of shards) {
    for (const name of Object.keys(s.record.files)) {
      const other = owner.get(name);
      if (other) throw new ChuangchengError('shards-same-volume', { name, first: who(other), second: who(s) });
      owner.set(name, s);
    }
  }
  // merge has no project: the evidence folder it must not write into is recognised from the
  // shards' records (output/guard.ts), checked now, before the volumes are read
  const evidenceAt = recordedEvidenceAt(shards[0]!.record);
  const outDir = guardOutput(opts.out, { option: '--out', kind: 'folder', evidenceAt });
  for (const s of shards) {
    if (isInside(s.dir, outDir)) {
      throw new ChuangchengError('merge-out-in-shard', { out: opts.out, label: s.label, inside: path.resolve(s.dir) !== outDir });
    }
  }
  if (existsSync(outDir) && !lstatSync(outDir).isDirectory()) {
    throw new ChuangchengError('merge-out-not-folder', { out: opts.out });
  }

  // the parts of every A-level, from the shard that built it, in the manual's order
  const first = shards[0]!.record;
  const partOf = new Map(shards.flatMap((s) => s.record.aLevels.map((p) => [p.code, p] as const)));
  const assembly: Assembly = asRecorded({ header: first.header, global: first.global, aLevels: first.order.map((code) => partOf.get(code)!) });
  if (assembly.aLevels.some((p) => p === undefined || p === null)) {
    throw new ChuangchengError('shards-plan-incomplete', {});
  }

  const out = OutputFolder.open(outDir, { command: 'merge', evidenceAt });
  try {
    out.assertWritable([REPORT, CATALOGUE, MANIFEST, ...owner.keys()]);
    for (const s of shards) {
      for (const [name, expected] of Object.entries(s.record.files)) await copyInto(out, path.join(s.dir, name), name, expected);
    }
    const report = await writeAssembly(out, assembly, first.date);
    const files = out.files;
    const { kept: leftAlone } = await out.finish();
    return {
      report,
      outDir: out.dir,
      files: [...files, MANIFEST],
      leftAlone,
      shards: shards.map((s) => ({ dir: s.dir, index: s.record.shard.index, of: s.record.shard.of, only: s.record.aLevels.map((p) => p.code) })),
      seconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    const errno = errnoOf(err);
    if (errno) throw new ChuangchengError('merge-io', { errno }, { cause: err });
    throw err;
  } finally {
    out.release();
  }
}
