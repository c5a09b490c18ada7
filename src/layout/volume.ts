// layoutVolume: the whole volume as a page model — cover, 卷内目录, for each B-level its 提交表,
// items and 缺项说明, 卷内备考表 — with stamped numbers, bookmarks and page labels. Pure: it reads
// nothing and draws nothing; it measures text with the `measure` it is given.
import type { Manual } from '../model.js';
import type { VolumePlan } from '../pipeline/organize.js';
import type { Content, Item } from '../pipeline/supplement.js';
import { OUTLINE, PAGE_LABEL, volumeTitle } from '../wording/volume.js';
import { backnotePage, coverPage, tocPages, tocRows, type TocRow } from './front.js';
import { formPage, gapPage, noticePage } from './forms.js';
import { evidencePage, photoPage, stampValues, textPage, type StampValues } from './items.js';
import type { Measure } from './linebreak.js';
import type { OutlineNode, PageLabel, VolumeModel, VolumePage } from './model.js';
import type { Layout } from './template.js';

export interface LayoutContext {
  manual: Manual;
  /** 立卷时间, YYYY-MM-DD */
  date: string;
  measure: Measure;
  layout: Layout;
}

export interface LaidOutVolume extends VolumeModel {
  /** the rows of the 卷内目录, as printed (also for 目录.xlsx) */
  toc: TocRow[];
}

/** The pages `from`..`to` (1-based, of the item's own pages) of one item, numbered from `n`. */
function itemPages(ctx: LayoutContext, aCode: string, item: Item, range: { from: number; to: number }, n: number, stamp?: StampValues): VolumePage[] {
  const { layout: L, measure: m } = ctx;
  const out: VolumePage[] = [];
  let offset = 0;
  const fallback = item.title.replace(/（\d+张）$/u, '');
  for (const c of item.content) {
    const from = Math.max(range.from, offset + 1) - offset;
    const to = Math.min(range.to, offset + c.pages) - offset;
    offset += c.pages;
    for (let p = from; p <= to; p++) {
      const number = n + out.length;
      const s = out.length === 0 ? stamp : undefined;
      out.push(contentPage(L, m, c, p, fallback, number, s));
    }
  }
  void aCode;
  return out;
}

function contentPage(L: Layout, m: Measure, c: Content, p: number, fallbackTitle: string, n: number, stamp?: StampValues): VolumePage {
  switch (c.kind) {
    case 'pdf':
      return evidencePage(L, m, c.file, p - 1, c.sizes[p - 1]!, n, stamp);
    case 'photos':
      return photoPage(L, m, c.photos.slice((p - 1) * c.perPage, p * c.perPage), c.perPage, fallbackTitle, n, stamp);
    case 'text':
      return textPage(L, m, p === 1 ? c.heading : undefined, c.chunks[p - 1]!, n, stamp);
    case 'notice':
      return noticePage(L, m, c, c.file.meta.title || fallbackTitle, n);
  }
}

export function layoutVolume(plan: VolumePlan, ctx: LayoutContext): LaidOutVolume {
  const { manual, layout: L, measure: m } = ctx;
  const pages: VolumePage[] = [];
  const outline: OutlineNode[] = [];
  const toc = tocRows(plan);

  pages.push(coverPage(L, m, manual, plan));
  outline.push({ title: OUTLINE.cover, page: 0 });
  const tocStart = pages.length;
  pages.push(...tocPages(L, m, toc));
  outline.push({ title: OUTLINE.toc, page: tocStart });
  const firstNumbered = pages.length;

  let bNode: OutlineNode | undefined;
  for (const p of plan.entries) {
    const start = pages.length;
    const n = p.first;
    const e = p.entry;
    if (e.type === 'form') {
      pages.push(formPage(L, m, plan, e.b, n));
      bNode = { title: `${e.b.indicator.code} ${e.b.indicator.title}`, page: start, children: [] };
      outline.push(bNode);
    } else if (e.type === 'gap') {
      pages.push(gapPage(L, m, plan, e.b, e.req, n));
      bNode?.children?.push({ title: OUTLINE.gap(e.req.requirement.title), page: start });
    } else {
      const range = p.part ?? { from: 1, to: e.item.pages };
      const stamp = manual.archiveStamp && range.from === 1 ? stampValues(manual, plan.a.title, e.item, p.seq!) : undefined;
      pages.push(...itemPages(ctx, plan.a.code, e.item, range, n, stamp));
      bNode?.children?.push({ title: `${p.seq}. ${e.item.title}`, page: start });
    }
    const made = pages.length - start;
    if (made !== p.last - p.first + 1) throw new Error(`内部错误：第 ${p.first} 页起的一项预计 ${p.last - p.first + 1} 页，排出 ${made} 页`);
  }
  const backIndex = pages.length;
  pages.push(backnotePage(L, m, manual, plan, ctx.date));
  outline.push({ title: OUTLINE.backnote, page: backIndex });

  const labels: PageLabel[] = [
    { start: 0, prefix: PAGE_LABEL.cover },
    { start: tocStart, prefix: PAGE_LABEL.toc, ...(firstNumbered - tocStart > 1 ? { numbered: { first: 1 } } : {}) },
    ...(backIndex > firstNumbered ? [{ start: firstNumbered, numbered: { first: 1 } }] : []),
    { start: backIndex, prefix: PAGE_LABEL.backnote },
  ];
  const title = volumeTitle(manual.title, plan.a.title, plan.index, plan.of);
  return {
    pages,
    outline,
    labels,
    toc,
    info: { title, author: manual.unit, subject: manual.title, keywords: [plan.archiveCode, plan.a.code], date: ctx.date },
    flow: { margins: { ...L.flow }, number: { fromTop: L.pageNumber.fromTop, fromOuter: L.pageNumber.fromOuter, style: L.pageNumber.style } },
    faces: { ...L.faces, fang: manual.fonts.fang ? L.faces.fang : L.faces.song },
  };
}
