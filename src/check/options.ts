// `check`'s options, checked once, as the CLI's are: a wrong one is a usage error, not a crash.
// `build` checks its own with the same pieces.
import path from 'node:path';
import { ChuangchengError } from '../errors.js';
import { resolvePaths, validateDate, validateProjectOptions, type ProjectOptions, type ProjectPaths } from '../project/index.js';
import { localDate } from '../util/dates.js';

export interface CheckOptions extends ProjectOptions {
  /** today's date, YYYY-MM-DD: what is `overdue` is judged against it (default: today, by this computer's clock) */
  today?: string;
  /**
   * A cache folder for what takes work to make again (photo measurements; for build also office
   * conversions, prepared photos, page images); null or absent: no cache.
   */
  cache?: string | null;
}

export interface CheckSettings {
  paths: ProjectPaths;
  today: string;
  /** the cache folder, absolute; undefined: no cache */
  cacheDir: string | undefined;
}

/** Today's date by this computer's clock: what `today` (and `build`'s `date`) default to. */
export function clockDate(): string {
  return localDate(new Date());
}

export function validateCacheOption(cache: unknown): string | undefined {
  if (cache !== undefined && cache !== null && (typeof cache !== 'string' || cache === '')) {
    throw new ChuangchengError('option-cache', { option: 'cache', received: cache });
  }
  return cache ? path.resolve(cache) : undefined;
}

export function checkSettings(opts: CheckOptions): CheckSettings {
  validateProjectOptions(opts ?? {});
  const today = opts?.today === undefined ? clockDate() : validateDate('today', opts.today);
  const cacheDir = validateCacheOption(opts.cache);
  return { paths: resolvePaths(opts), today, cacheDir };
}
