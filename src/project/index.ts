// A project: its folder, its manual and its evidence folder — found, read and listed, as every
// command that works on a project does first.
import { realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadManual } from '../manual/load.js';
import type { Manual } from '../model.js';
import { collect, type Collected } from '../pipeline/collect.js';
import { isCalendarDate } from '../util/dates.js';
import { FileAccessError } from '../util/fsx.js';

import { ChuangchengError } from '../errors.js';
import type { Cache } from '../cache/store.js';
import { IdentityTable } from '../cache/by-identity.js';
import type { Probe } from '../evidence/probe.js';
import type { LibraryConsole } from '../util/quiet.js';

export interface ProjectOptions {
  /**
   * Where what libraries print on the console goes while the command works (pdf-lib and exceljs
   * warn there in English): a console, or null (default) for nowhere. Our own words are in the result.
   */
  console?: LibraryConsole;
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

/** The manual, validated; `cache`: where a manual already validated is taken from, by its content. */
export async function readManual(file: string, cache?: Cache): Promise<Manual> {
  const result = await loadManual(file, cache);
  if (!result.ok) throw new ChuangchengError('manual-invalid', { file, errors: result.errors });
  return result.manual;
}

async function requireEvidenceDir(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => undefined);
  if (!st) throw new ChuangchengError('evidence-not-found', { dir });
  if (!st.isDirectory()) throw new ChuangchengError('evidence-not-folder', { dir });
}

/** Options from a program are checked as the CLI's are: a wrong one is a usage error, not a crash. */
export function validateProjectOptions(opts: ProjectOptions): void {
  for (const key of ['dir', 'manual', 'evidence'] as const) validatePath(key, opts[key]);
  validateConsole(opts.console);
}

/** A path option: absent, or text. */
export function validatePath(option: string, v: unknown): void {
  if (v !== undefined && (typeof v !== 'string' || v === '')) throw new ChuangchengError('option-path', { option, received: v });
}

/** The `console` option: absent, null, or something with the console's methods. */
export function validateConsole(c: unknown): void {
  if (c === undefined || c === null) return;
  if (typeof c !== 'object' || (['log', 'info', 'warn', 'error', 'debug'] as const).some((m) => typeof (c as Record<string, unknown>)[m] !== 'function')) {
    throw new ChuangchengError('option-console', { option: 'console', received: c });
  }
}

/** The `env` option: the environment of the programs a command starts (default: this process's). */
export function envOption(env: unknown): NodeJS.ProcessEnv {
  if (env === undefined) return process.env;
  if (env === null || typeof env !== 'object' || Object.values(env).some((v) => v !== undefined && typeof v !== 'string')) {
    throw new ChuangchengError('option-env', { option: 'env', received: env });
  }
  return env as NodeJS.ProcessEnv;
}

/** The `tempDir` option: where the run's temporary folder goes (default: the system's, os.tmpdir()). */
export function tempDirOption(dir: unknown): string {
  validatePath('tempDir', dir);
  return (dir as string | undefined) ?? tmpdir();
}

export function validateDate(option: 'today' | 'date', value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) throw new ChuangchengError('option-date', { option, received: value });
  return value;
}

/** The manual and what collect found in the evidence folder: every file's place, size and kind. Writes nothing. */
export async function collectProject(paths: ProjectPaths, cache?: Cache): Promise<{ manual: Manual; collected: Collected }> {
  const manual = await readManual(paths.manual, cache);
  await requireEvidenceDir(paths.evidence);
  // what is inside each file, from the cache where the file is unchanged since the last run
  const probes = new IdentityTable<Probe>(cache, 'probe-v2', realpathSync(paths.evidence));
  let collected: Collected;
  try {
    collected = await collect(manual, paths.evidence, { probes });
  } catch (err) {
    // the evidence folder itself cannot be listed (no permission): nothing can be checked
    if (err instanceof FileAccessError) throw new ChuangchengError('evidence-unreadable', { dir: paths.evidence, detail: err.detail }, { cause: err });
    throw err;
  }
  probes.save();
  return { manual, collected };
}
