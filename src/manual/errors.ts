// What is wrong with a manual, each problem with its place in the file: what loading and parsing
// give back instead of a manual.
import type { Manual } from '../model.js';

export interface ManualError {
  file: string;
  line: number;
  col: number;
  /** e.g. indicators[0].indicators[2].code; empty for the whole document */
  path: string;
  message: string;
}

export type LoadResult = { ok: true; manual: Manual } | { ok: false; errors: ManualError[] };

export function formatManualError(e: ManualError): string {
  const where = `${e.file}:${e.line}:${e.col}`;
  return e.path ? `${where} ${e.path}: ${e.message}` : `${where} ${e.message}`;
}

export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out;
}
