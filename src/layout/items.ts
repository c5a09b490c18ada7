// The pages of the evidence itself: photos with their captions directly under them (题名, 时间,
// 地点, 人物, 摄影者, 文字说明 — a field nobody filled in is a ruled blank to write on), typeset
// text, and pages of documents scaled into the area that leaves the number band free. The 归档章,
// when the manual asks for it, goes on each 件's first page.
import type { EvidenceFile, Manual } from '../model.js';
import type { Content, Item } from '../pipeline/supplement.js';
import { CAPTION, cnDate, TOC_ENTRY } from '../wording/volume.js';
import { contentBox, measureRow, numberOf, pageSize, sideOf, tableHeight, type CellSpec, type Side } from './geometry.js';
import { breakLines, type Measure } from './linebreak.js';
import type { Block, Rect, Row, VolumePage } from './model.js';
import { mm, type Layout } from './template.js';

/** The 归档章 of one 件: 全宗号 年度 件号 / 机构（问题） 保管期限 页数, red, top centre. */
export interface StampValues {
  fonds: string;
  year: string;
  seq: string;
  unitOrSubject: string;
  retention: string;
  pages: string;
}

function stampBlock(L: Layout, width: number, v: StampValues): { block: Block; bottom: number } {
  const S = L.stamp;
  const cols = [S.cellWidth, S.cellWidth, S.cellWidth];
  const x = (width - 3 * S.cellWidth) / 2;
  const cell = (t: string) => ({ lines: [t], style: S.style, align: 'center' as const, valign: 'middle' as const });
  const rows: Row[] = [
    { height: S.cellHeight, cells: [cell(v.fonds), cell(v.year), cell(v.seq)] },
    { height: S.cellHeight, cells: [cell(v.unitOrSubject), cell(v.retention), cell(v.pages)] },
  ];
  return { block: { type: 'table', x, y: S.fromTop, columns: cols, rows, padding: 0.5, frame: 'grid', color: 'red' }, bottom: S.fromTop + 2 * S.cellHeight };
}

/** Where photos go on a page with `perPage` of them: one slot each, caption included. */
export function photoSlots(L: Layout, perPage: 1 | 2 | 4, side: Side = 'recto'): Rect[] {
  const box = contentBox(L, side);
  const cols = perPage === 4 ? 2 : 1;
  const rows = perPage === 1 ? 1 : 2;
  const gap = L.photo.gap;
  const w = (box.w - (cols - 1) * gap) / cols;
  const h = (box.h - (rows - 1) * gap) / rows;
  return Array.from({ length: perPage }, (_, i) => ({ x: box.x + (i % cols) * (w + gap), y: box.y + Math.floor(i / cols) * (h + gap), w, h }));
}

function captionRows(L: Layout, m: Measure, width: number, file: EvidenceFile, fallbackTitle: string): Row[] {
  const P = L.photo;
  const meta = file.meta;
  const title = meta.title && !meta.deviceName ? meta.title : TOC_ENTRY.made(fallbackTitle);
  const fields: [string, string | undefined, number][] = [
    [CAPTION.title, title, 2],
    [CAPTION.date, meta.date ? cnDate(meta.date) : undefined, 1],
    [CAPTION.place, meta.place, 1],
    [CAPTION.people, meta.people, 2],
    [CAPTION.photographer, meta.photographer, 1],
    [CAPTION.caption, meta.caption, 3],
  ];
  const columns = [P.labelWidth, width - P.labelWidth];
  return fields.map(([label, value, maxLines]) =>
    measureRow(
      m,
      columns,
      [
        { text: `${label}：`, style: P.label, valign: 'top' },
        { text: value ?? '', style: P.value, valign: 'top', ruled: true, maxLines } satisfies CellSpec,
      ],
      0,
      P.value.lineHeight,
    ),
  );
}

/** The caption's height for a photo slot: what the photo's box is made from (six fields, as printed). */
export function captionHeight(L: Layout): number {
  // title 1 line, time, place, people, photographer, caption 1 line: the usual case; longer captions
  // take from the photo's height on their own page
  return 6 * L.photo.value.lineHeight;
}

/** The box a photo is prepared for (points): its slot less the caption under it. */
export function photoArea(L: Layout, perPage: 1 | 2 | 4): { width: number; height: number } {
  const slot = photoSlots(L, perPage)[0]!;
  return { width: slot.w, height: slot.h - captionHeight(L) - L.photo.captionGap };
}

export function photoPage(
  L: Layout,
  m: Measure,
  photos: Extract<Content, { kind: 'photos' }>['photos'],
  perPage: 1 | 2 | 4,
  fallbackTitle: string,
  n: number,
  stamp?: StampValues,
): VolumePage {
  const size = pageSize(L);
  const blocks: Block[] = [];
  const slots = photoSlots(L, perPage, sideOf(n));
  photos.forEach((ph, i) => {
    const slot = slots[i]!;
    const caption = captionRows(L, m, slot.w, ph.file, fallbackTitle);
    const capH = tableHeight(caption);
    const area = { w: slot.w, h: Math.max(slot.h * 0.3, slot.h - capH - L.photo.captionGap) };
    const scale = Math.min(area.w / ph.width, area.h / ph.height);
    const pw = ph.width * scale;
    const ph2 = ph.height * scale;
    // the photo and its caption as one group, centred in the slot: the caption right under the photo
    const top = slot.y + Math.max(0, (slot.h - (ph2 + L.photo.captionGap + capH)) / 2);
    const rect = { x: slot.x + (slot.w - pw) / 2, y: top, w: pw, h: ph2 };
    blocks.push({ type: 'photo', photo: { path: ph.file.path, width: ph.width, height: ph.height }, rect });
    blocks.push({ type: 'table', x: slot.x, y: top + ph2 + L.photo.captionGap, columns: [L.photo.labelWidth, slot.w - L.photo.labelWidth], rows: caption, padding: 0, frame: 'none' });
  });
  if (stamp) blocks.push(stampBlock(L, size.width, stamp).block);
  return { kind: 'photos', ...size, blocks, number: numberOf(L, n, size.width) };
}

/** Text evidence as lines, and how many a page holds. */
export function typesetText(L: Layout, m: Measure, text: string): { lines: string[]; perPage: number } {
  const T = L.text;
  const box = contentBox(L);
  const lines = breakLines(m, T.style.font, T.style.size, text.replace(/\t/g, '    '), box.w);
  const perPage = Math.max(1, Math.floor((box.h - T.header.lineHeight - T.headerGap) / T.style.lineHeight));
  return { lines, perPage };
}

export function textPage(L: Layout, m: Measure, heading: string, lines: string[], n: number, stamp?: StampValues): VolumePage {
  const T = L.text;
  const size = pageSize(L);
  const box = contentBox(L, sideOf(n));
  const ruleY = box.y + T.header.lineHeight + T.headerGap / 3;
  const head = breakLines(m, T.header.font, T.header.size, heading, box.w - mm(20))[0] ?? '';
  const blocks: Block[] = [
    { type: 'text', x: box.x, y: box.y, width: box.w, lines: [head], style: T.header, align: 'left' },
    { type: 'rule', x1: box.x, y1: ruleY, x2: box.x + box.w, y2: ruleY, width: 0.4 },
    { type: 'text', x: box.x, y: box.y + T.header.lineHeight + T.headerGap, width: box.w, lines, style: T.style, align: 'left' },
  ];
  if (stamp) blocks.push(stampBlock(L, size.width, stamp).block);
  return { kind: 'text', ...size, blocks, number: numberOf(L, n, size.width) };
}

/** A page of a document, on an A4 page of its own orientation, scaled into the evidence area. */
export function evidencePage(L: Layout, file: EvidenceFile, index: number, shown: { width: number; height: number }, n: number, stamp?: StampValues): VolumePage {
  const landscape = shown.width > shown.height;
  const size = pageSize(L, landscape);
  const E = L.evidence;
  const recto = sideOf(n) === 'recto';
  const left = recto ? E.binding : E.outer;
  const right = recto ? E.outer : E.binding;
  let top = E.top;
  const blocks: Block[] = [];
  if (stamp) {
    const s = stampBlock(L, size.width, stamp);
    blocks.push(s.block);
    top = Math.max(top, s.bottom + mm(2));
  }
  const rect = { x: left, y: top, w: size.width - left - right, h: size.height - top - E.bottom };
  blocks.unshift({ type: 'evidence', page: { path: file.path, index, width: shown.width, height: shown.height }, rect });
  return { kind: 'evidence', ...size, blocks, number: numberOf(L, n, size.width) };
}

/** The 归档章's values for an item. */
export function stampValues(manual: Manual, aCode: string, item: Item, seq: number): StampValues {
  return {
    fonds: manual.fonds ?? '',
    year: manual.year !== undefined ? String(manual.year) : '',
    seq: String(seq).padStart(4, '0'),
    unitOrSubject: aCode,
    retention: manual.retention,
    pages: String(item.pages),
  };
}
