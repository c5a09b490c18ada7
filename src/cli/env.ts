// What the CLI reads from the world for the API: today's date, SOURCE_DATE_EPOCH, where LibreOffice
// is. Nothing below src/cli/ reads the clock or the environment.
import path from 'node:path';
import { UsageError } from '../errors.js';
import { isCalendarDate, localDate } from '../util/dates.js';

export function today(flag: string | undefined, name = '--today'): string {
  if (flag !== undefined) {
    if (!isCalendarDate(flag)) throw new UsageError(`${name} 应为 YYYY-MM-DD 格式的日期，收到 "${flag}"`);
    return flag;
  }
  return localDate(new Date());
}

/** 立卷时间: --date, else the date of SOURCE_DATE_EPOCH (reproducible builds), else today. */
export function buildDate(flag: string | undefined): string {
  if (flag !== undefined) return today(flag, '--date');
  const sde = process.env.SOURCE_DATE_EPOCH;
  if (sde !== undefined && sde !== '') {
    const secs = /^\d+$/.test(sde) ? Number(sde) : NaN;
    const d = new Date(secs * 1000);
    if (!Number.isSafeInteger(secs) || Number.isNaN(d.getTime()) || d.getUTCFullYear() > 9999) {
      throw new UsageError(`环境变量 SOURCE_DATE_EPOCH 应为 Unix 时间戳（自 1970-01-01 起的秒数，如 1716163200），收到 "${sde}"。请改正或删除它，或用 --date 指定立卷时间。`);
    }
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
    if (flag === '') throw new UsageError('--cache 需要一个文件夹路径；不想用缓存请写 --no-cache');
    return path.resolve(flag);
  }
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'chuangcheng');
  const home = process.env.HOME ?? process.env.USERPROFILE;
  return home ? path.join(home, '.cache', 'chuangcheng') : null;
}

/** CHUANGCHENG_SOFFICE: a path to LibreOffice's soffice, or `none` to convert nothing. */
export function sofficeOption(): string | null | undefined {
  const v = process.env.CHUANGCHENG_SOFFICE;
  if (v === undefined || v === '') return undefined;
  return v === 'none' ? null : v;
}

/**
 * CHUANGCHENG_SOFFICE_MEMORY_MB: the memory LibreOffice may hold before the file it converts is
 * stopped (MB; default in convert/office.ts); `0` or `none`: no cap.
 */
export function sofficeMemoryOption(): number | null | undefined {
  const v = process.env.CHUANGCHENG_SOFFICE_MEMORY_MB;
  if (v === undefined || v === '') return undefined;
  if (v === '0' || v === 'none') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 256) {
    throw new UsageError(`环境变量 CHUANGCHENG_SOFFICE_MEMORY_MB 应为不小于 256 的整数（MB），或 0（不设上限），收到 "${v}"。请改正或删除它。`);
  }
  return n;
}

/** CHUANGCHENG_SOFFICE_TIMEOUT: seconds LibreOffice may spend on one file (default 120). */
export function sofficeTimeoutOption(): number | undefined {
  const v = process.env.CHUANGCHENG_SOFFICE_TIMEOUT;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`环境变量 CHUANGCHENG_SOFFICE_TIMEOUT 应为正数（秒），收到 "${v}"。请改正或删除它。`);
  }
  return n;
}
