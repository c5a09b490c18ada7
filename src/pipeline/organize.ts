// 整理档案: order the entries of an A-level into one or more volumes, number their pages in one
// running sequence per volume, and give items their 件号. A volume ends before it would pass
// `volume.maxPages`; an item is split only when it alone is larger than a volume, its first part
// filling the volume it starts in.
import type { ALevel, Manual } from '../model.js';
import type { Entry } from './supplement.js';

export interface PlacedEntry {
  entry: Entry;
  /** stamped page numbers of this entry in its volume */
  first: number;
  last: number;
  /** for an item split across volumes: which of its own pages (1-based) this part holds */
  part?: { from: number; to: number };
  /** 件号 within the volume, for items */
  seq?: number;
}

export interface VolumePlan {
  a: ALevel;
  /** 1-based; `of` is the number of volumes of this A-level */
  index: number;
  of: number;
  entries: PlacedEntry[];
  /** numbered pages */
  pages: number;
  items: number;
  /** 档号 */
  archiveCode: string;
}

export function archiveCode(manual: Manual, a: ALevel, index: number, of: number): string {
  const parts = [manual.fonds, manual.year !== undefined ? String(manual.year) : undefined, manual.retentionCode, a.code];
  const base = parts.filter((p) => p !== undefined && p !== '').join('-');
  return of > 1 ? `${base}-${index}` : base;
}

export function organize(manual: Manual, a: ALevel, entries: Entry[]): VolumePlan[] {
  const max = manual.volume.maxPages;
  const chunks: { entry: Entry; part?: { from: number; to: number }; pages: number }[][] = [[]];
  let used = 0;
  const push = (c: { entry: Entry; part?: { from: number; to: number }; pages: number }) => {
    if (used > 0 && used + c.pages > max) {
      chunks.push([]);
      used = 0;
    }
    chunks[chunks.length - 1]!.push(c);
    used += c.pages;
  };
  for (const entry of entries) {
    if (entry.pages <= max) push({ entry, pages: entry.pages });
    else {
      // larger than a whole volume: its first part fills what is left of this one, then whole volumes
      for (let from = 1; from <= entry.pages; ) {
        const room = max - used > 0 ? max - used : max;
        const to = Math.min(entry.pages, from + room - 1);
        push({ entry, part: { from, to }, pages: to - from + 1 });
        from = to + 1;
      }
    }
  }
  const live = chunks.filter((c) => c.length > 0);
  return live.map((chunk, i) => {
    let page = 0;
    let seq = 0;
    const placed: PlacedEntry[] = chunk.map((c) => {
      const p: PlacedEntry = { entry: c.entry, first: page + 1, last: page + c.pages };
      if (c.part) p.part = c.part;
      if (c.entry.type === 'item') p.seq = ++seq;
      page += c.pages;
      return p;
    });
    return { a, index: i + 1, of: live.length, entries: placed, pages: page, items: seq, archiveCode: archiveCode(manual, a, i + 1, live.length) };
  });
}
