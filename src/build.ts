// `build`: the whole pipeline — collect → select → supplement → organize → bind — one A-level at
// a time, so memory is bounded by one volume. Writes only inside the output folder, each file via a
// temporary name and a rename; the manifest is written last.
import { tmpdir } from 'node:os';
import path from 'node:path';
import { examine, resolvePaths, UsageError, validateDate, validateProjectOptions, type CheckOptions } from './api.js';
import { CATALOGUE, REPORT } from './assemble.js';
import type { ShardRun } from './bind.js';
import { MAX_MANUAL_BYTES } from './evidence/limits.js';
import { planShards, SHARD_FILE, validateShardSpec, type ShardSpec } from './shard.js';
import { readRegularFile } from './util/fsx.js';
import { sha256 } from './util/hash.js';
import { MANIFEST, OutputError, OutputFolder } from './output/folder.js';
import type { Report } from './report/report.js';
import { uniqueNames } from './util/filename.js';
import { Workspace, WorkspaceError } from './util/workspace.js';
import { PhotosMeasuredOnce } from './convert/photo-once.js';
import type { EvidenceFile, Manual } from './model.js';
import type { Collected } from './pipeline/collect.js';

export type BuildEvent =
  | { type: 'start'; volumes: number; files: number }
  | { type: 'volume'; code: string; title: string; index: number; of: number }
  | { type: 'file'; path: string }
  /** `reused`: the volume's inputs did not change since it was written, and it was kept as it is */
  | { type: 'written'; files: string[]; pages: number; items: number; reused?: boolean };

export interface BuildOptions extends Omit<CheckOptions, 'today'> {
  /** 立卷时间, YYYY-MM-DD: printed on every 备考表, the date of the files */
  date: string;
  /** today's date for `overdue` in report.json (default: `date`) */
  today?: string;
  out?: string;
  /** A-level codes to build (default: all) */
  only?: string[];
  /**
   * Build shard `index` of `of` (see `plan`): its A-levels' volumes and shard.json, which `merge`
   * combines with the other shards' into what one build writes. Not with `only`.
   */
  shard?: ShardSpec;
  formats?: ('pdf' | 'docx')[];
  strict?: boolean;
  /** files prepared at once (default 2) */
  jobs?: number;
  /** LibreOffice's soffice: a path; null to bind office files as not convertible; default: looked up on the PATH */
  soffice?: string | null;
  /** seconds LibreOffice may spend on one file before it is stopped (default 120) */
  sofficeTimeout?: number;
  /**
   * The memory LibreOffice may hold, in MB, before it is stopped and the file it was converting is
   * reported (`memory-limit`); default 2048 (or half the machine's memory when less); null: no cap.
   * Watched on Linux (/proc); elsewhere there is no cap.
   */
  sofficeMemoryMB?: number | null;
  /** where the run's temporary folder goes (default: the system's) */
  tempDir?: string;
  onProgress?: (e: BuildEvent) => void;
}

export interface BuildResult {
  report: Report;
  outDir: string;
  files: string[];
  /** outputs of an earlier build that this one would have removed, left because they were changed */
  leftAlone: string[];
  /** volumes kept from the previous build because nothing they are made from changed */
  reused: number;
  /** requirements without material in the A-levels built (all of them unless `only`) */
  gaps: number;
  /** what --strict fails on: gaps, and files that could not be bound */
  problems: number;
  seconds: number;
  /** a shard build: which, and its A-levels */
  shard?: ShardSpec & { only: string[] };
}

/** Below this LibreOffice cannot even start (≈ 210 MB resident for an ordinary document). */
export const MIN_SOFFICE_MEMORY_MB = 256;

function validateBuildOptions(opts: BuildOptions): { formats: ('pdf' | 'docx')[]; date: string; jobs: number } {
  validateProjectOptions(opts);
  const date = validateDate('date（立卷时间）', opts?.date);
  if (opts.today !== undefined) validateDate('today', opts.today);
  const formats = opts.formats ?? ['pdf', 'docx'];
  if (!Array.isArray(formats) || formats.length === 0 || formats.some((f) => f !== 'pdf' && f !== 'docx')) {
    throw new UsageError(`formats 只能是 pdf、docx 或两者，收到 ${JSON.stringify(opts.formats)}`);
  }
  const jobs = opts.jobs ?? 2;
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`jobs 应为正整数，收到 ${JSON.stringify(opts.jobs)}`);
  if (opts.only !== undefined && (!Array.isArray(opts.only) || opts.only.some((c) => typeof c !== 'string'))) {
    throw new UsageError(`only 应为一级指标编码的列表，收到 ${JSON.stringify(opts.only)}`);
  }
  if (opts.shard !== undefined) {
    validateShardSpec(opts.shard);
    if (opts.only !== undefined && opts.only.length > 0) {
      throw new UsageError('--shard 和 --only 不能同时使用：分片装订的一级指标由分片计划决定（chuangcheng plan 可查看）。请去掉其中一个。');
    }
  }
  if (opts.soffice !== undefined && opts.soffice !== null && typeof opts.soffice !== 'string') {
    throw new UsageError(`soffice 应为 LibreOffice 的路径，或 null（不转换 Office 文件），收到 ${JSON.stringify(opts.soffice)}`);
  }
  if (opts.sofficeTimeout !== undefined && !(typeof opts.sofficeTimeout === 'number' && opts.sofficeTimeout > 0 && Number.isFinite(opts.sofficeTimeout))) {
    throw new UsageError(`sofficeTimeout 应为正数（秒），收到 ${JSON.stringify(opts.sofficeTimeout)}`);
  }
  if (opts.sofficeMemoryMB !== undefined && opts.sofficeMemoryMB !== null && !(Number.isInteger(opts.sofficeMemoryMB) && opts.sofficeMemoryMB >= MIN_SOFFICE_MEMORY_MB)) {
    throw new UsageError(`sofficeMemoryMB 应为不小于 ${MIN_SOFFICE_MEMORY_MB} 的整数（MB），或 null（不设上限），收到 ${JSON.stringify(opts.sofficeMemoryMB)}`);
  }
  return { formats: [...new Set(formats)], date, jobs };
}

/** Which photos this build binds (its A-levels: --only, --shard's plan): only those are prepared while measured. */
function bound(opts: BuildOptions, manual: Manual, collected: Collected, evidence: string): (f: EvidenceFile) => boolean {
  const codes = opts.shard ? planShards(manual, collected, opts.shard.of, evidence).shards[opts.shard.index - 1]?.only : opts.only?.length ? opts.only : undefined;
  if (!codes) return () => true;
  const set = new Set(codes);
  return (f) => set.has(f.aCode);
}

export async function build(opts: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { formats, date, jobs } = validateBuildOptions(opts);
  const paths = resolvePaths(opts);
  // The output is guarded and locked before the (long) look at the evidence: a wrong --out or a
  // second build fails at once. (A build that fails before writing anything takes away the
  // folders it made for the output: see OutputFolder.release.)
  let out: OutputFolder;
  try {
    out = OutputFolder.open(opts.out ?? path.join(paths.dir, 'out'), { command: 'build', evidence: [paths.evidence] });
  } catch (err) {
    if (err instanceof OutputError) throw new UsageError(err.message);
    throw err;
  }
  let ws: Workspace | undefined;
  const workspace = () => (ws ??= Workspace.create(opts.tempDir ?? tmpdir()));
  // one decode per photo: check measures the photos this build binds while preparing them for binding
  const once = new PhotosMeasuredOnce(() => workspace().sub('measured'));
  try {
    const { assessment, collected } = await examine({ ...opts, today: opts.today ?? date }, { measurePhotos: (manual, found) => once.measurer(manual, bound(opts, manual, found, paths.evidence)) });
    const manual = assessment.manual;
    let aLevels = assessment.indicators;
    if (opts.only && opts.only.length > 0) {
      const known = new Set(aLevels.map((a) => a.indicator.code));
      const unknown = opts.only.filter((c) => !known.has(c));
      if (unknown.length > 0) {
        throw new UsageError(`--only 中的一级指标编码不存在：${unknown.join('、')}。可用的有：${[...known].join('、')}`);
      }
      aLevels = aLevels.filter((a) => opts.only!.includes(a.indicator.code));
    }
    // a shard: the A-levels the plan gives it (the same plan in every shard, from what every checkout has)
    let shard: ShardRun | undefined;
    if (opts.shard) {
      const plan = planShards(manual, collected, opts.shard.of, paths.evidence).shards.map((s) => s.only);
      const mine = new Set(plan[opts.shard.index - 1]);
      aLevels = aLevels.filter((a) => mine.has(a.indicator.code));
      let manualHash: string;
      try {
        manualHash = sha256(readRegularFile(paths.manual, paths.manual, MAX_MANUAL_BYTES));
      } catch (err) {
        throw new UsageError(`${err instanceof Error ? err.message : String(err)}。测评手册在检查之后读不出来了，请确认它还在原处后重新装订。`);
      }
      shard = { spec: { index: opts.shard.index, of: opts.shard.of }, plan, manualHash };
    }
    // Volume file names, unique over the whole manual (so `--only` and `--shard` do not change them).
    const allA = manual.indicators;
    const baseNames = new Map(uniqueNames(allA.map((a) => `${a.code} ${a.title}`)).map((n, i) => [allA[i]!.code, n]));
    out.assertWritable([
      ...(shard ? [SHARD_FILE] : [REPORT, CATALOGUE]),
      MANIFEST,
      ...aLevels.flatMap((a) => formats.map((f) => `${baseNames.get(a.indicator.code)!}.${f}`)),
    ]);
    // pdf-lib, sharp, fonts and the renderers are loaded only now: a build refused above answers at once
    const { bindAll } = await import('./bind.js');
    const result = await bindAll(out, workspace(), { opts, formats, date, jobs, assessment, aLevels, baseNames, started, once, ...(shard ? { shard } : {}) });
    return shard ? { ...result, shard: { ...shard.spec, only: aLevels.map((a) => a.indicator.code) } } : result;
  } catch (err) {
    if (err instanceof OutputError || err instanceof WorkspaceError) throw new UsageError(err.message);
    throw err;
  } finally {
    out.release();
    ws?.disposeSync();
  }
}

