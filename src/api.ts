// The programmatic API. The CLI is a thin layer over these functions.
import { realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { formatManualError, loadManual, ManualFileError, type ManualError } from './manual/load.js';
import type { Assessment, Manual } from './model.js';
import { assess } from './pipeline/assess.js';
import { collect, type Collected } from './pipeline/collect.js';
import { select } from './pipeline/select.js';
import { buildReport, type Report } from './report/report.js';
import { writeFileAtomic } from './util/atomic.js';
import { isCalendarDate } from './util/dates.js';
import { errnoOf, errnoText, FileAccessError } from './util/fsx.js';

import { UsageError } from './errors.js';
import { Cache } from './cache/store.js';
import { IdentityTable } from './cache/by-identity.js';
import type { Probe } from './evidence/probe.js';
import type { MeasurePhoto } from './convert/photo-once.js';

export { UsageError };

/** Write an output whole (temporary file, then rename); a failure is the user's to fix: exit 2. */
export async function writeOutput(file: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(file, data);
  } catch (err) {
    throw new UsageError(`无法写入 ${file}（${errnoText(errnoOf(err))}）。请检查路径、写入权限和磁盘空间，或换一个位置。`);
  }
}

export interface ProjectOptions {
  /** project folder (default `.`) */
  dir?: string;
  /** manual file (default `<dir>/manual.yaml`) */
  manual?: string;
  /** evidence folder (default `<dir>/evidence`) */
  evidence?: string;
}

export interface ProjectPaths {
  dir: string;
  manual: string;
  evidence: string;
}

export function resolvePaths(opts: ProjectOptions): ProjectPaths {
  const dir = path.resolve(opts.dir ?? '.');
  return {
    dir,
    manual: opts.manual ? path.resolve(opts.manual) : path.join(dir, 'manual.yaml'),
    evidence: opts.evidence ? path.resolve(opts.evidence) : path.join(dir, 'evidence'),
  };
}

export class ManualInvalidError extends UsageError {
  constructor(
    file: string,
    readonly errors: ManualError[],
  ) {
    super(`测评手册 ${file} 有 ${errors.length} 处错误，请改正后再运行：`, errors.map(formatManualError));
  }
}

/** The manual, validated; `cache`: where a manual already validated is taken from, by its content. */
export async function readManual(file: string, cache?: Cache): Promise<Manual> {
  let result;
  try {
    result = await loadManual(file, cache);
  } catch (err) {
    if (err instanceof ManualFileError) throw new UsageError(err.message);
    throw err;
  }
  if (!result.ok) throw new ManualInvalidError(file, result.errors);
  return result.manual;
}

async function requireEvidenceDir(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => undefined);
  if (!st) {
    throw new UsageError(
      `找不到证据文件夹 ${dir}。请新建 evidence 文件夹并按指标放入材料（chuangcheng init 可按手册生成文件夹），或用 --evidence 指定位置。`,
    );
  }
  if (!st.isDirectory()) throw new UsageError(`${dir} 不是文件夹。--evidence 应指向存放佐证材料的文件夹。`);
}

export interface CheckOptions extends ProjectOptions {
  /** today's date, YYYY-MM-DD: what is `overdue` is judged against it */
  today: string;
  /**
   * A cache folder for what takes work to make again (photo measurements; for build also office
   * conversions, prepared photos, page images); null or absent: no cache.
   */
  cache?: string | null;
}

export interface CheckResult {
  paths: ProjectPaths;
  assessment: Assessment;
  report: Report;
}

/** Options from a program are checked as the CLI's are: a wrong one is a usage error, not a crash. */
export function validateProjectOptions(opts: ProjectOptions): void {
  for (const key of ['dir', 'manual', 'evidence'] as const) {
    const v = opts[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw new UsageError(`选项 ${key} 应为路径文字，收到 ${JSON.stringify(v)}`);
  }
}

export function validateDate(name: string, value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new UsageError(`${name} 应为 YYYY-MM-DD 格式的真实日期，收到 ${JSON.stringify(value)}`);
  }
  return value;
}

/** collect → select → find gaps. Reads the evidence folder; writes nothing. */
export async function check(opts: CheckOptions): Promise<CheckResult> {
  const r = await examine(opts);
  return { paths: r.paths, assessment: r.assessment, report: r.report };
}

/** The manual and what collect found in the evidence folder: every file's place, size and kind. Writes nothing. */
export async function collectProject(opts: ProjectOptions, cache?: Cache): Promise<{ paths: ProjectPaths; manual: Manual; collected: Collected }> {
  validateProjectOptions(opts);
  const paths = resolvePaths(opts);
  const manual = await readManual(paths.manual, cache);
  await requireEvidenceDir(paths.evidence);
  // what is inside each file, from the cache where the file is unchanged since the last run
  const probes = new IdentityTable<Probe>(cache, 'probe-v2', realpathSync(paths.evidence));
  let collected: Collected;
  try {
    collected = await collect(manual, paths.evidence, { probes });
  } catch (err) {
    // the evidence folder itself cannot be listed (no permission): nothing can be checked
    if (err instanceof FileAccessError) throw new UsageError(`${err.detail}。请检查文件夹权限，或用 --evidence 指定别的位置。`);
    throw err;
  }
  probes.save();
  return { paths, manual, collected };
}

/**
 * `check`, and what collect found (what `plan` estimates from). `measurePhotos`: how photos the cache
 * has no measurement of are measured, given the manual and what collect found (a build: while they
 * are prepared, see convert/photo-once.ts); default: as check measures them.
 */
export async function examine(opts: CheckOptions, { measurePhotos }: { measurePhotos?: (manual: Manual, collected: Collected) => MeasurePhoto } = {}): Promise<CheckResult & { collected: Collected }> {
  validateProjectOptions(opts);
  const today = validateDate('today', opts?.today);
  if (opts.cache !== undefined && opts.cache !== null && (typeof opts.cache !== 'string' || opts.cache === '')) {
    throw new UsageError(`cache 应为缓存文件夹的路径，或 null（不用缓存），收到 ${JSON.stringify(opts.cache)}`);
  }
  const cache = opts.cache ? new Cache(path.resolve(opts.cache)) : undefined;
  const { paths, manual, collected } = await collectProject(opts, cache);
  const selection = await select(manual, collected, { ...(cache ? { cache } : {}), evidenceKey: realpathSync(paths.evidence), measure: measurePhotos?.(manual, collected) });
  const assessment = assess(manual, paths.evidence, selection, today);
  return { paths, assessment, report: buildReport(assessment), collected };
}
