// `NAME.EXT.yaml` beside an evidence file: the strongest source of its metadata.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { FileMeta } from '../model.js';
import { parseLooseDate } from './names.js';

export const SIDECAR_KEYS = ['title', 'date', 'docNo', 'author', 'place', 'people', 'photographer', 'caption', 'note', 'order'] as const;

export interface SidecarResult {
  meta: Partial<FileMeta>;
  /** problems a person should fix; the valid keys are still used */
  problems: string[];
}

export async function readSidecar(abs: string): Promise<SidecarResult> {
  let data: unknown;
  try {
    data = parse(await readFile(abs, 'utf8'));
  } catch (err) {
    const msg = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    return { meta: {}, problems: [`说明文件不是有效的 YAML（${msg}），已忽略`] };
  }
  if (data === null || data === undefined) return { meta: {}, problems: [] };
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { meta: {}, problems: ['说明文件应为“键: 值”的形式，如 title: 创城主题班会'] };
  }
  const meta: Partial<FileMeta> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (!(SIDECAR_KEYS as readonly string[]).includes(key)) {
      problems.push(`未知的键 "${key}"（可用：${SIDECAR_KEYS.join('、')}）`);
      continue;
    }
    if (key === 'order') {
      if (typeof value === 'number' && Number.isFinite(value)) meta.order = value;
      else problems.push('order 应为数字');
      continue;
    }
    const text = Array.isArray(value) ? value.map(String).join('、') : value instanceof Date ? value.toISOString().slice(0, 10) : value;
    if (typeof text !== 'string' && typeof text !== 'number') {
      problems.push(`${key} 应为文字`);
      continue;
    }
    const s = String(text).trim();
    if (!s) continue;
    if (key === 'date') {
      const d = parseLooseDate(s);
      if (d) meta.date = d;
      else problems.push(`date "${s}" 不是有效日期，请写成 YYYY-MM-DD`);
      continue;
    }
    (meta as Record<string, string>)[key] = s;
  }
  return { meta, problems };
}
