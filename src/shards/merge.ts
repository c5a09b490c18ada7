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
import { UsageError } from '../errors.js';
import { LOCK, MANIFEST, OutputError, OutputFolder } from '../output/folder.js';
import { guardOutput } from '../output/guard.js';
import type { Report } from '../report/report.js';
import { SHARD_FILE, SHARD_FORMAT, SHARD_MARKER, type ShardRecord } from './plan.js';
import { errnoOf, errnoText, FileAccessError, isInside, openRegular, readRegularFile } from '../util/fsx.js';
import { sha256File } from '../util/hash.js';

export interface MergeOptions {
  /** the output folders of `build --shard i/N`, one for each of 1..N, in any order */
  shards: string[];
  /** the folder to write (as `build --out`) */
  out: string;
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

const who = (s: Loaded) => `${s.label}（第 ${s.record.shard.index}/${s.record.shard.of} 片）`;

function loadShard(label: string): Loaded {
  const dir = path.resolve(label);
  const st = (() => {
    try {
      return statSync(dir);
    } catch {
      return undefined;
    }
  })();
  if (!st) throw new UsageError(`找不到分片文件夹 ${label}。请检查路径：每个分片是 chuangcheng build --shard i/N 的输出文件夹。`);
  if (!st.isDirectory()) throw new UsageError(`${label} 不是文件夹。merge 要的是 chuangcheng build --shard i/N 写出的输出文件夹。`);
  const file = path.join(dir, SHARD_FILE);
  if (!existsSync(file)) {
    const whole = existsSync(path.join(dir, REPORT));
    throw new UsageError(
      `${label} 不是分片的输出：里面没有 ${SHARD_FILE}。${whole ? '它像是一次完整装订（不带 --shard）的输出，无需合并。' : ''}` +
        `merge 只合并 chuangcheng build --shard i/N 写出的文件夹。`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readRegularFile(file, `${label}/${SHARD_FILE}`, MAX_RECORD_BYTES).toString('utf8'));
  } catch (err) {
    const why = err instanceof FileAccessError ? err.detail : '不是有效的 JSON';
    throw new UsageError(`${label}/${SHARD_FILE} 无法读取（${why}）。请重新装订这一片（chuangcheng build --shard i/N），或重新下载它的输出。`);
  }
  const r = raw as Partial<ShardRecord> | null;
  if (!r || typeof r !== 'object' || r.kind !== SHARD_MARKER) {
    throw new UsageError(`${label}/${SHARD_FILE} 不是 chuangcheng 的分片记录。merge 只合并 chuangcheng build --shard i/N 写出的文件夹。`);
  }
  if (r.format !== SHARD_FORMAT) {
    throw new UsageError(
      `${label} 是 chuangcheng ${typeof r.version === 'string' ? r.version : '另一版本'} 装订的分片，记录格式与本版本不同。请用同一版本的 chuangcheng 装订所有分片并合并。`,
    );
  }
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success) {
    const at = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new UsageError(`${label}/${SHARD_FILE} 已损坏（${at || '内容'} 不符合分片记录的格式）。请重新装订这一片，或重新下载它的输出。`);
  }
  const record = raw as ShardRecord;
  const { index, of } = record.shard;
  const mine = record.plan[index - 1];
  const own = record.aLevels.map((p) => p.code);
  if (index > of || record.plan.length !== of || !mine || mine.join('\u0000') !== own.join('\u0000')) {
    throw new UsageError(`${label}/${SHARD_FILE} 自相矛盾（片号、分片计划与所装订的一级指标对不上）。请重新装订这一片。`);
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
  const fail = (message: string) => {
    throw new UsageError(message);
  };
  let d = odd(shards, (s) => s.record.version);
  if (d) {
    fail(
      `分片由不同版本的 chuangcheng 装订：${d.odd.map((s) => `${who(s)}是 ${s.record.version}`).join('，')}，而 ${who(d.ref)}是 ${d.ref.record.version}。` +
        `请用同一版本重新装订这些分片后再合并。`,
    );
  }
  d = odd(shards, (s) => s.record.manual);
  if (d) fail(`${d.odd.map(who).join('、')}装订时用的测评手册与 ${who(d.ref)}的不同（manual.yaml 有改动）。请用同一份手册重新装订所有分片后再合并。`);
  d = odd(shards, (s) => s.record.date);
  if (d) {
    fail(
      `分片的立卷时间（--date）不同：${d.odd.map((s) => `${who(s)}是 ${s.record.date}`).join('，')}，而 ${who(d.ref)}是 ${d.ref.record.date}。` +
        `所有分片必须用同一个 --date 装订：请用 --date ${d.ref.record.date} 重新装订${d.odd.length > 1 ? '这些分片' : '这一片'}。`,
    );
  }
  d = odd(shards, (s) => s.record.today);
  if (d) {
    fail(
      `分片判断逾期所用的日期（today）不同：${d.odd.map((s) => `${who(s)}是 ${s.record.today}`).join('，')}，而 ${who(d.ref)}是 ${d.ref.record.today}。请用同样的日期重新装订。`,
    );
  }
  d = odd(shards, (s) => [...s.record.formats].sort());
  if (d) {
    fail(
      `分片的输出格式（--format）不同：${d.odd.map((s) => `${who(s)}是 ${s.record.formats.join(',')}`).join('，')}，而 ${who(d.ref)}是 ${d.ref.record.formats.join(',')}。` +
        `请用同一个 --format 重新装订。`,
    );
  }
  d = odd(shards, (s) => s.record.shard.of);
  if (d) {
    fail(
      `分片的总片数不同：${d.odd.map((s) => `${s.label} 是共 ${s.record.shard.of} 片中的第 ${s.record.shard.index} 片`).join('，')}，而 ${d.ref.label} 是共 ${d.ref.record.shard.of} 片中的第 ${d.ref.record.shard.index} 片。` +
        `只能合并同一次分片（同一个 N）装订的输出。`,
    );
  }
  d = odd(shards, (s) => s.record.evidence.fingerprint);
  if (d) {
    const ref = d.ref;
    fail(
      `分片装订时的证据文件夹不一样：${d.odd.map((s) => `${who(s)}与 ${who(ref)}相比${evidenceDiff(s.record.evidence, ref.record.evidence) || '有差别'}`).join('；')}。` +
        `各分片之间材料有改动，合在一起会前后矛盾。请在材料不再变动时重新装订所有分片（在 CI 里，所有分片要检出同一个提交）。`,
    );
  }
  d = odd(shards, (s) => [s.record.plan, s.record.order, s.record.header, s.record.global]);
  if (d) {
    fail(`${d.odd.map(who).join('、')}的分片计划或对证据文件夹的记录与 ${who(d.ref)}不同，虽然材料相同。请用同一版本、同样的设置重新装订所有分片。`);
  }
  // each of 1..N exactly once
  const of = shards[0]!.record.shard.of;
  const byIndex = new Map<number, Loaded[]>();
  for (const s of shards) byIndex.set(s.record.shard.index, [...(byIndex.get(s.record.shard.index) ?? []), s]);
  const twice = [...byIndex.entries()].filter(([, list]) => list.length > 1).sort(([a], [b]) => a - b);
  if (twice.length > 0) {
    fail(
      `${twice.map(([i, list]) => `第 ${i}/${of} 片给了 ${list.length} 次（${list.map((s) => s.label).join('、')}）`).join('；')}。每一片只能给一次：请去掉重复的文件夹。`,
    );
  }
  const missing = Array.from({ length: of }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    fail(
      `缺少第 ${missing.join('、')} 片（共 ${of} 片，只给了第 ${[...byIndex.keys()].sort((a, b) => a - b).join('、')} 片）。` +
        `请把所有分片的输出文件夹都列出来：chuangcheng merge 片1 片2 … --out 输出文件夹。`,
    );
  }
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
      throw new UsageError(
        `${who(s)}里的 ${name} ${actual === undefined ? '不见了' : '与装订时写出的不同'}（下载不完整，或被改动过）。请重新下载这一片的输出，或重新装订这一片，再合并。`,
      );
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
    throw new UsageError(`${from} 在合并过程中被改动了。请等它不再变动后重新合并。`);
  }
}

export async function merge(opts: MergeOptions): Promise<MergeResult> {
  const started = performance.now();
  if (!Array.isArray(opts?.shards) || opts.shards.length === 0 || opts.shards.some((s) => typeof s !== 'string' || s === '')) {
    throw new UsageError('请给出要合并的分片文件夹：chuangcheng merge 片1 片2 … --out 输出文件夹');
  }
  if (typeof opts.out !== 'string' || opts.out === '') {
    throw new UsageError('请用 --out 指定合并后的输出文件夹，例如 chuangcheng merge 片1 片2 --out 案卷');
  }
  const shards = opts.shards.map(loadShard);
  checkAgreement(shards);
  shards.sort((a, b) => a.record.shard.index - b.record.shard.index);
  for (const s of shards) await checkFiles(s);
  const owner = new Map<string, Loaded>();
  for (const s of shards) {
    for (const name of Object.keys(s.record.files)) {
      const other = owner.get(name);
      if (other) throw new UsageError(`${who(other)}和 ${who(s)}都有 ${name}。分片的卷不应重名：请用同一版本重新装订所有分片。`);
      owner.set(name, s);
    }
  }
  // merge has no project: the evidence folder it must not write into is recognised from the
  // shards' records (output/guard.ts), checked now, before the volumes are read
  const evidenceAt = recordedEvidenceAt(shards[0]!.record);
  const outDir = guardOutput(opts.out, { option: '--out', kind: 'folder', evidenceAt });
  for (const s of shards) {
    if (isInside(s.dir, outDir)) {
      throw new UsageError(`合并的输出文件夹 ${opts.out} 是分片文件夹 ${s.label}${path.resolve(s.dir) === outDir ? '' : '里面的文件夹'}。请用 --out 另指定一个文件夹。`);
    }
  }
  if (existsSync(outDir) && !lstatSync(outDir).isDirectory()) {
    throw new UsageError(`--out ${opts.out} 已存在，但不是文件夹。请换一个名字。`);
  }

  // the parts of every A-level, from the shard that built it, in the manual's order
  const first = shards[0]!.record;
  const partOf = new Map(shards.flatMap((s) => s.record.aLevels.map((p) => [p.code, p] as const)));
  const assembly: Assembly = asRecorded({ header: first.header, global: first.global, aLevels: first.order.map((code) => partOf.get(code)!) });
  if (assembly.aLevels.some((p) => p === undefined || p === null)) {
    throw new UsageError('分片计划没有覆盖手册中的所有一级指标。请用同一版本重新装订所有分片。');
  }

  let out: OutputFolder;
  try {
    out = OutputFolder.open(outDir, { command: 'merge', evidenceAt });
  } catch (err) {
    if (err instanceof OutputError) throw new UsageError(err.message);
    throw err;
  }
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
    if (err instanceof OutputError) throw new UsageError(err.message);
    if (errnoOf(err)) throw new UsageError(`合并时无法读写文件（${errnoText(errnoOf(err))}）。请检查磁盘空间和权限后重试。`);
    throw err;
  } finally {
    out.release();
  }
}
