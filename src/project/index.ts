// A project: its folder, its manual and its evidence folder — found, read and listed, as every
// command that works on a project does first.
import { realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { formatManualError, type ManualError } from '../manual/errors.js';
import { loadManual, ManualFileError } from '../manual/load.js';
import type { Manual } from '../model.js';
import { collect, type Collected } from '../pipeline/collect.js';
import { isCalendarDate } from '../util/dates.js';
import { FileAccessError } from '../util/fsx.js';

import { UsageError } from '../errors.js';
import type { Cache } from '../cache/store.js';
import { IdentityTable } from '../cache/by-identity.js';
import type { Probe } from '../evidence/probe.js';

export { UsageError };

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
