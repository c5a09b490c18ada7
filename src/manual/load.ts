// Reads manual.yaml. Parsing and validating it (manual/parse.ts: the YAML parser and zod, with
// source positions for every problem) is done when the file is new; a manual the cache has seen,
// by its content, is taken from there, so a warm check loads neither.
import path from 'node:path';
import type { ManualParsed } from './schema.js';
import type { LoadResult } from './errors.js';
import { normalize } from './normalize.js';
import { MAX_MANUAL_BYTES } from '../evidence/limits.js';
import { FileAccessError, readRegularFile } from '../util/fsx.js';
import { cacheKey, type Cache } from '../cache/store.js';
import { sha256 } from '../util/hash.js';
import { ChuangchengError } from '../errors.js';

/** Where a validated manual is kept, by its text's SHA-256 (what it says does not depend on where it lies). */
const PARSED = 'manual-parsed-v1';

export async function loadManual(file: string, cache?: Cache): Promise<LoadResult> {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file, `测评手册 ${file}`, MAX_MANUAL_BYTES);
  } catch (err) {
    if (err instanceof FileAccessError && err.reason === 'not-found') throw new ChuangchengError('manual-not-found', { file }, { cause: err });
    if (err instanceof FileAccessError) throw new ChuangchengError('manual-unreadable', { file, detail: err.detail }, { cause: err });
    throw err;
  }
  // (only text that parsed is kept: what is found under its hash was UTF-8 and valid)
  const key = cache ? cacheKey(PARSED, sha256(bytes)) : undefined;
  const known = key ? cache!.getJson<ManualParsed>(PARSED, key) : undefined;
  if (known) return { ok: true, manual: normalize(known, path.resolve(file)) };
  const text = decodeManual(bytes, file);
  const { parseManualData } = await import('./parse.js');
  const parsed = parseManualData(text, file);
  if (!parsed.ok) return parsed;
  if (key) cache!.putJson(PARSED, key, parsed.data);
  return { ok: true, manual: normalize(parsed.data, path.resolve(file)) };
}

/** The manual's text; a file that is not UTF-8 is refused with its encoding named and how to fix it. */
export function decodeManual(bytes: Buffer, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) throw new ChuangchengError('manual-utf16', { file });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const gb = new TextDecoder('gb18030').decode(bytes);
    const looksChinese = !gb.includes('\uFFFD') && /[\u4e00-\u9fff]/u.test(gb);
    throw new ChuangchengError(looksChinese ? 'manual-gbk' : 'manual-not-utf8', { file });
  }
}
