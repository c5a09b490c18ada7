// `build`'s options, checked once, here, as the CLI's are (the CLI passes them on unchecked): a
// wrong one is a usage error before anything is read, never a crash half-way.
import path from 'node:path';
import { clockDate, validateCacheOption } from '../check/options.js';
import { ChuangchengError } from '../errors.js';
import { envOption, resolvePaths, tempDirOption, validateDate, validateProjectOptions } from '../project/index.js';
import { validateShardSpec } from '../shards/plan.js';
import type { BuildOptions, BuildSettings } from './types.js';

/** Below this LibreOffice cannot even start (≈ 210 MB resident for an ordinary document). */
export const MIN_SOFFICE_MEMORY_MB = 256;

export function buildSettings(opts: BuildOptions): BuildSettings {
  validateProjectOptions(opts ?? {});
  const date = opts.date === undefined ? clockDate() : validateDate('date', opts.date);
  const today = opts.today === undefined ? date : validateDate('today', opts.today);
  const formats = opts.formats ?? ['pdf', 'docx'];
  if (!Array.isArray(formats) || formats.length === 0 || formats.some((f) => f !== 'pdf' && f !== 'docx')) {
    const bad = Array.isArray(formats) ? formats.find((f) => f !== 'pdf' && f !== 'docx') : undefined;
    throw new ChuangchengError('option-formats', { option: 'formats', received: opts.formats, ...(bad !== undefined ? { bad } : {}) });
  }
  const jobs = opts.jobs ?? 2;
  if (!Number.isInteger(jobs) || jobs < 1) throw new ChuangchengError('option-jobs', { option: 'jobs', received: opts.jobs });
  if (opts.only !== undefined && (!Array.isArray(opts.only) || opts.only.some((c) => typeof c !== 'string'))) {
    throw new ChuangchengError('option-only', { option: 'only', received: opts.only });
  }
  if (opts.shard !== undefined) {
    validateShardSpec(opts.shard);
    if (opts.only !== undefined && opts.only.length > 0) throw new ChuangchengError('option-shard-with-only', {});
  }
  if (opts.soffice !== undefined && opts.soffice !== null && typeof opts.soffice !== 'string') {
    throw new ChuangchengError('option-soffice', { option: 'soffice', command: 'build', received: opts.soffice });
  }
  if (opts.sofficeTimeout !== undefined && !(typeof opts.sofficeTimeout === 'number' && opts.sofficeTimeout > 0 && Number.isFinite(opts.sofficeTimeout))) {
    throw new ChuangchengError('option-soffice-timeout', { option: 'sofficeTimeout', received: opts.sofficeTimeout });
  }
  if (opts.sofficeMemoryMB !== undefined && opts.sofficeMemoryMB !== null && !(Number.isInteger(opts.sofficeMemoryMB) && opts.sofficeMemoryMB >= MIN_SOFFICE_MEMORY_MB)) {
    throw new ChuangchengError('option-soffice-memory', { option: 'sofficeMemoryMB', min: MIN_SOFFICE_MEMORY_MB, received: opts.sofficeMemoryMB });
  }
  const cacheDir = validateCacheOption(opts.cache);
  const tempDir = tempDirOption(opts.tempDir);
  const env = envOption(opts.env);
  const paths = resolvePaths(opts);
  return {
    paths,
    out: opts.out ?? path.join(paths.dir, 'out'),
    formats: [...new Set(formats)],
    date,
    today,
    jobs,
    ...(opts.only && opts.only.length > 0 ? { only: opts.only } : {}),
    ...(opts.shard ? { shard: { index: opts.shard.index, of: opts.shard.of } } : {}),
    cacheDir,
    tempDir,
    env,
  };
}
