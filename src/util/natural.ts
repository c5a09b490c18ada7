// Natural order (`2` before `10`), the order people number their files in.
import { compare } from 'natural-orderby';

const cmp = compare();

export function naturalCompare(a: string, b: string): number {
  const c = cmp(a, b);
  return c !== 0 ? c : a < b ? -1 : a > b ? 1 : 0;
}
