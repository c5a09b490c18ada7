// `check`: collect → select → assess. Reads the evidence folder; writes nothing.
import { realpathSync } from 'node:fs';
import { Cache } from '../cache/store.js';
import type { Assessment } from '../model.js';
import { assess } from '../pipeline/assess.js';
import { select } from '../pipeline/select.js';
import { collectProject, validateConsole, type ProjectPaths } from '../project/index.js';
import { withConsole } from '../util/quiet.js';
import { buildReport, type Report } from '../report/report.js';
import { checkSettings, type CheckOptions } from './options.js';

export type { CheckOptions };

export interface CheckResult {
  paths: ProjectPaths;
  assessment: Assessment;
  report: Report;
}

/** collect → select → find gaps. Reads the evidence folder; writes nothing. */
export async function check(opts: CheckOptions = {}): Promise<CheckResult> {
  validateConsole(opts?.console);
  return withConsole(opts?.console, () => checkNow(opts));
}

async function checkNow(opts: CheckOptions): Promise<CheckResult> {
  const { paths, today, cacheDir } = checkSettings(opts);
  const cache = cacheDir ? new Cache(cacheDir) : undefined;
  const { manual, collected } = await collectProject(paths, cache);
  const selection = await select(manual, collected, { ...(cache ? { cache } : {}), evidenceKey: realpathSync(paths.evidence) });
  const assessment = assess(manual, paths.evidence, selection, today);
  return { paths, assessment, report: buildReport(assessment) };
}
