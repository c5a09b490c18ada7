// `check`: collect → select → find gaps. Reads the evidence folder; writes nothing.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Assessment } from '../model.js';
import { assess } from '../pipeline/assess.js';
import type { Collected } from '../pipeline/collect.js';
import { select } from '../pipeline/select.js';
import { buildReport, type Report } from '../report/report.js';
import { Cache } from '../cache/store.js';
import { collectProject, UsageError, validateDate, validateProjectOptions, type ProjectOptions, type ProjectPaths } from '../project/index.js';

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

/** collect → select → find gaps. Reads the evidence folder; writes nothing. */
export async function check(opts: CheckOptions): Promise<CheckResult> {
  const r = await examine(opts);
  return { paths: r.paths, assessment: r.assessment, report: r.report };
}

/** `check`, and what collect found (what `plan` estimates from). */
export async function examine(opts: CheckOptions): Promise<CheckResult & { collected: Collected }> {
  validateProjectOptions(opts);
  const today = validateDate('today', opts?.today);
  if (opts.cache !== undefined && opts.cache !== null && (typeof opts.cache !== 'string' || opts.cache === '')) {
    throw new UsageError(`cache 应为缓存文件夹的路径，或 null（不用缓存），收到 ${JSON.stringify(opts.cache)}`);
  }
  const cache = opts.cache ? new Cache(path.resolve(opts.cache)) : undefined;
  const { paths, manual, collected } = await collectProject(opts, cache);
  const selection = await select(manual, collected, { ...(cache ? { cache } : {}), evidenceKey: realpathSync(paths.evidence) });
  const assessment = assess(manual, paths.evidence, selection, today);
  return { paths, assessment, report: buildReport(assessment), collected };
}
