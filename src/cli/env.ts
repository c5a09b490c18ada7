// What the CLI reads from the world for the API: today's date, SOURCE_DATE_EPOCH, where LibreOffice
// is, the cache folder, the temporary folder, the environment of the programs it starts. Nothing
// below src/cli/ reads the environment; the options read here are checked by the API, once (its
// errors name these variables: see src/wording/errors.ts, the `cli` voice).
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChuangchengError } from '../errors.js';
import type { LibraryConsole } from '../util/quiet.js';
import { localDate } from '../util/dates.js';

/**
 * Every environment variable the command line reads, each through `variable` (the user guide
 * explains them; HOME and USERPROFILE only locate the default cache folder). The API is given the
 * environment whole, for the programs it starts (`runtime`).
 */
export const ENVIRONMENT = [
  'SOURCE_DATE_EPOCH',
  'XDG_CACHE_HOME',
  'HOME',
  'USERPROFILE',
  'CHUANGCHENG_SOFFICE',
  'CHUANGCHENG_SOFFICE_MEMORY_MB',
  'CHUANGCHENG_SOFFICE_TIMEOUT',
  'CHUANGCHENG_DEBUG',
] as const;

function variable(name: (typeof ENVIRONMENT)[number]): string | undefined {
  return process.env[name];
}

/** CHUANGCHENG_DEBUG=1: libraries' console chatter and our stack traces are shown, for maintainers. */
export function debugging(): boolean {
  return Boolean(variable('CHUANGCHENG_DEBUG'));
}

/**
 * What the API is given of the process: the temporary folder (TMPDIR), the environment of the
 * programs it starts, and where libraries' console chatter goes (the terminal only with
 * CHUANGCHENG_DEBUG=1, for maintainers; else nowhere: our users read our words, not pdf-lib's).
 */
export function runtime(): { tempDir: string; env: NodeJS.ProcessEnv; console: LibraryConsole } {
  return { tempDir: tmpdir(), env: process.env, console: libraryConsole() };
}

export function libraryConsole(): LibraryConsole {
  return debugging() ? console : null;
}

/** --today as given (checked by the API), else today by this computer's clock. */
export function today(flag: string | undefined): string {
  return flag ?? localDate(new Date());
}

/** 立卷时间: --date (checked by the API), else the date of SOURCE_DATE_EPOCH (reproducible builds), else today. */
export function buildDate(flag: string | undefined): string {
  if (flag !== undefined) return flag;
  const sde = variable('SOURCE_DATE_EPOCH');
  if (sde !== undefined && sde !== '') {
    const secs = /^\d+$/.test(sde) ? Number(sde) : NaN;
    const d = new Date(secs * 1000);
    if (!Number.isSafeInteger(secs) || Number.isNaN(d.getTime()) || d.getUTCFullYear() > 9999) throw new ChuangchengError('source-date-epoch', { received: sde });
    return d.toISOString().slice(0, 10);
  }
  return localDate(new Date());
}

/**
 * The cache folder: --cache DIR; none with --no-cache; else $XDG_CACHE_HOME/chuangcheng, else
 * ~/.cache/chuangcheng (none when neither is known).
 */
export function cacheOption(flag: string | boolean | undefined): string | null {
  if (flag === false) return null;
  if (typeof flag === 'string') {
    if (flag === '') throw new ChuangchengError('cache-empty', {});
    return path.resolve(flag);
  }
  const xdg = variable('XDG_CACHE_HOME');
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'chuangcheng');
  const home = variable('HOME') ?? variable('USERPROFILE');
  return home ? path.join(home, '.cache', 'chuangcheng') : null;
}

/** CHUANGCHENG_SOFFICE: a path to LibreOffice's soffice, or `none` to convert nothing. */
export function sofficeOption(): string | null | undefined {
  const v = variable('CHUANGCHENG_SOFFICE');
  if (v === undefined || v === '') return undefined;
  return v === 'none' ? null : v;
}

/** A number given as text: its value when it reads as one, else the text (which the API refuses, naming it). */
export function numberOf(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && !Number.isNaN(n) ? n : text;
}

/**
 * CHUANGCHENG_SOFFICE_MEMORY_MB: the memory LibreOffice may hold before the file it converts is
 * stopped (MB; default in convert/office.ts); `0` or `none`: no cap.
 */
export function sofficeMemoryOption(): number | null | undefined {
  const v = variable('CHUANGCHENG_SOFFICE_MEMORY_MB');
  if (v === undefined || v === '') return undefined;
  if (v === '0' || v === 'none') return null;
  return numberOf(v) as number;
}

/** CHUANGCHENG_SOFFICE_TIMEOUT: seconds LibreOffice may spend on one file (default 120). */
export function sofficeTimeoutOption(): number | undefined {
  const v = variable('CHUANGCHENG_SOFFICE_TIMEOUT');
  if (v === undefined || v === '') return undefined;
  return numberOf(v) as number;
}
