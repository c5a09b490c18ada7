// `NAME.EXT.yaml` beside an evidence file: the strongest source of its metadata.
import type { FileMeta, WarningParams } from '../model.js';
import { yamlErrorText } from '../manual/parse.js';
import { FileAccessError, readRegularFile, type FsPath } from '../util/fsx.js';
import { MAX_SIDECAR_BYTES } from './limits.js';
import { parseLooseDate } from './names.js';

export const SIDECAR_KEYS = ['title', 'date', 'docNo', 'author', 'place', 'people', 'photographer', 'caption', 'note', 'order'] as const;

export interface SidecarResult {
  meta: Partial<FileMeta>;
  /** problems a person should fix; the valid keys are still used */
  problems: WarningParams['bad-sidecar'][];
}

export async function readSidecar(abs: FsPath, label: string): Promise<SidecarResult> {
  let data: unknown;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readRegularFile(abs, label, MAX_SIDECAR_BYTES));
  } catch (err) {
    const message = err instanceof FileAccessError ? err.detail : err instanceof TypeError ? '不是 UTF-8 编码的文字，请用 UTF-8 保存' : String(err);
    return { meta: {}, problems: [{ cause: 'unusable', message }] };
  }
  // (the YAML parser is loaded only for a folder that has sidecars)
  const { parse } = await import('yaml');
  try {
    // a sidecar is a few lines: aliases have no business there (and could multiply)
    data = parse(text.replace(/^\uFEFF/, ''), { maxAliasCount: 0 });
  } catch (err) {
    // in Chinese, by the parser's error code: its own English never reaches the report
    const message = yamlErrorText((err as { code?: unknown } | null)?.code);
    return { meta: {}, problems: [{ cause: 'yaml', message }] };
  }
  if (data === null || data === undefined) return { meta: {}, problems: [] };
  if (typeof data !== 'object' || Array.isArray(data)) return { meta: {}, problems: [{ cause: 'not-a-map' }] };
  const meta: Partial<FileMeta> = {};
  const problems: SidecarResult['problems'] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (!(SIDECAR_KEYS as readonly string[]).includes(key)) {
      problems.push({ cause: 'unknown-key', key });
      continue;
    }
    if (key === 'order') {
      if (typeof value === 'number' && Number.isFinite(value)) meta.order = value;
      else problems.push({ cause: 'bad-order' });
      continue;
    }
    const v = Array.isArray(value) ? value.map(String).join('、') : value instanceof Date ? value.toISOString().slice(0, 10) : value;
    if (typeof v !== 'string' && typeof v !== 'number') {
      problems.push({ cause: 'not-text', key });
      continue;
    }
    const s = String(v).trim();
    if (!s) continue;
    if (key === 'date') {
      const d = parseLooseDate(s);
      if (d) meta.date = d;
      else problems.push({ cause: 'bad-date', value: s });
      continue;
    }
    (meta as Record<string, string>)[key] = s;
  }
  return { meta, problems };
}
