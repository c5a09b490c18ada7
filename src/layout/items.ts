// The pages of the evidence itself: photos with their captions directly under them (题名, 时间,
// 地点, 人物, 摄影者, 文字说明 — a field nobody filled in is a ruled blank to write on), typeset
// text, and pages of documents scaled into the area that leaves the number band free. The 归档章,
// when the manual asks for it, goes on each 件's first page.
import type { EvidenceFile, Manual } from '../model.js';
import type { Content, Item } from '../pipeline/supplement.js';
import { CAPTION, cnDate, PAGE_NOTICE, RETENTION_SHORT, TOC_ENTRY } from '../wording/volume.js';
import { contentBox, measureRow, numberOf, pageSize, sideOf, tableHeight, titleBlock, type CellSpec, type Side } from './geometry.js';
import { breakLines, fitLine, type Measure } from './linebreak.js';
import type { Block, Rect, Row, VolumePage } from './model.js';
import { mm, type Layout } from './template.js';

/** The 归档章 of one 件: 全宗号 年度 件号 / 机构（问题） 保管期限 页数, in the layout's colour, top centre. */
export interface StampValues {
  fonds: string;
  year: string;
  seq: string;
  unitOrSubject: string;
  retention: string;
  pages: string;
}

function stampBlock(L: Layout, m: Measure, width: number, v: StampValues): { block: Block; bottom: number } {
  const S = L.stamp;
  const cols = [S.cellWidth, S.cellWidth, S.cellWidth];
  const x = (width - 3 * S.cellWidth) / 2;
  // a value wider than its cell is set smaller (down to minSize), then cut
  const cell = (t: string) => {
    const room = S.cellWidth - 2;
    let size = S.style.size;
    while (size > S.minSize && m.width(S.style.font, size, t) > room) size -= 0.5;
    const style = { ...S.style, size, lineHeight: size * 1.1 };
    return { lines: [fitLine(m, style.font, size, t, room)], style, align: 'center' as const, valign: 'middle' as const };
  };
  const rows: Row[] = [
    { height: S.cellHeight, cells: [cell(v.fonds), cell(v.year), cell(v.seq)] },
    { height: S.cellHeight, cells: [cell(v.unitOrSubject), cell(v.retention), cell(v.pages)] },
  ];
  return {
    block: { type: 'table', x, y: S.fromTop, columns: cols, rows, padding: 0.5, frame: L.lines.frame, color: S.color, role: 'stamp' },
    bottom: S.fromTop + 2 * S.cellHeight,
  };
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
  // a photo's 题名 is always one the archivist writes: in [ ]
  const title = TOC_ENTRY.made(meta.title && !meta.deviceName ? meta.title : fallbackTitle);
  const fields: [string, string | undefined, number][] = [
    [CAPTION.title, title, 2],
    [CAPTION.date, meta.date ? cnDate(meta.date) : undefined, 1],
    [CAPTION.place, meta.place, 1],
    [CAPTION.people, meta.people, 2],
    [CAPTION.photographer, meta.photographer, 1],
    [CAPTION.caption, meta.caption, P.captionLines],
  ];
  const columns = [P.labelWidth, width - P.labelWidth];
  return fields.map(([label, value, maxLines]) =>
    measureRow(
      m,
      columns,
      [
        { text: `${label}：`, style: P.label, valign: 'top' },
        // 文字说明 always has its lines to write on
        { text: value ?? '', style: P.value, valign: 'top', ruled: L.lines.rule, maxLines, ...(label === CAPTION.caption ? { minLines: maxLines } : {}) } satisfies CellSpec,
      ],
      0,
      P.value.lineHeight,
    ),
  );
}

/** The caption's height for a photo slot: what the photo's box is made from (six fields, as printed). */
export function captionHeight(L: Layout): number {
  // one line each for 题名 … 摄影者 (the usual case), and the lines of 文字说明; longer values take
  // from the photo's height on their own page
  return (5 + L.photo.captionLines) * L.photo.value.lineHeight;
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
    blocks.push({ type: 'table', x: slot.x, y: top + ph2 + L.photo.captionGap, columns: [L.photo.labelWidth, slot.w - L.photo.labelWidth], rows: caption, padding: 0 });
  });
  if (stamp) blocks.push(stampBlock(L, m, size.width, stamp).block);
  return { kind: 'photos', ...size, blocks, number: numberOf(L, n, size.width) };
}

/**
 * Text evidence as pages of lines. The text is the document: no running header. Its title is set as
 * a heading on the first page only when the text does not begin with it already.
 */
export function typesetText(L: Layout, m: Measure, text: string, title: string): { heading?: string; pages: string[][] } {
  const T = L.text;
  const box = contentBox(L);
  const body = text.replace(/\t/g, '    ').replace(/^\s*\n/, '');
  const first = body.split('\n').find((l) => l.trim() !== '') ?? '';
  const squash = (s: string) => s.replace(/[\s\u3000]+/gu, '');
  const heading = title && !squash(first).includes(squash(title)) ? title : undefined;
  const lines = breakLines(m, T.style.font, T.style.size, body, box.w);
  const headingH = heading ? L.title.style.lineHeight + L.title.after : 0;
  const firstRoom = Math.max(1, Math.floor((box.h - headingH) / T.style.lineHeight));
  const room = Math.max(1, Math.floor(box.h / T.style.lineHeight));
  const pages: string[][] = [lines.slice(0, firstRoom)];
  for (let i = firstRoom; i < lines.length; i += room) pages.push(lines.slice(i, i + room));
  return { ...(heading ? { heading } : {}), pages };
}

export function textPage(L: Layout, m: Measure, heading: string | undefined, lines: string[], n: number, stamp?: StampValues): VolumePage {
  const T = L.text;
  const size = pageSize(L);
  const box = contentBox(L, sideOf(n));
  const blocks: Block[] = [];
  let y = box.y;
  if (heading) {
    const t = titleBlock(L, box, breakLines(m, L.title.style.font, L.title.style.size, heading, box.w)[0] ?? heading);
    blocks.push(t.block);
    y = t.bottom;
  }
  blocks.push({ type: 'text', x: box.x, y, width: box.w, lines, style: T.style, align: 'left' });
  if (stamp) blocks.push(stampBlock(L, m, size.width, stamp).block);
  return { kind: 'text', ...size, blocks, number: numberOf(L, n, size.width) };
}

/** The evidence area of a portrait page without a 归档章, in points: what a document's page is scaled into. */
export function evidenceArea(L: Layout): { width: number; height: number } {
  const size = pageSize(L);
  const E = L.evidence;
  return { width: size.width - E.binding - E.outer, height: size.height - E.top - E.bottom };
}

/** A page of a document, on an A4 page of its own orientation, scaled into the evidence area. */
export function evidencePage(L: Layout, m: Measure, file: EvidenceFile, index: number, shown: { width: number; height: number }, n: number, stamp?: StampValues): VolumePage {
  const landscape = shown.width > shown.height;
  const size = pageSize(L, landscape);
  const E = L.evidence;
  const recto = sideOf(n) === 'recto';
  const left = recto ? E.binding : E.outer;
  const right = recto ? E.outer : E.binding;
  let top = E.top;
  const blocks: Block[] = [];
  if (stamp) {
    const s = stampBlock(L, m, size.width, stamp);
    blocks.push(s.block);
    top = Math.max(top, s.bottom + mm(2));
  }
  const rect = { x: left, y: top, w: size.width - left - right, h: size.height - top - E.bottom };
  // what stands in the page's place when a format cannot draw it: the same note in the PDF and the DOCX
  const N = L.pageNotice;
  const notice = { type: 'text' as const, x: rect.x, y: rect.y + N.fromTop, width: rect.w, lines: breakLines(m, N.style.font, N.style.size, PAGE_NOTICE, rect.w), style: N.style, align: N.align };
  blocks.unshift({ type: 'evidence', page: { path: file.path, index, width: shown.width, height: shown.height }, rect, notice });
  return { kind: 'evidence', ...size, blocks, number: numberOf(L, n, size.width) };
}

/**
 * The 归档章's values for an item (DA/T 22): 年度 is the year the document was made (its date), else
 * the manual's; 机构（问题） the A-level's title; 保管期限 in its short form.
 */
export function stampValues(manual: Manual, aTitle: string, item: Item, seq: number): StampValues {
  const year = item.date ? item.date.slice(0, 4) : manual.year !== undefined ? String(manual.year) : '';
  return {
    fonds: manual.fonds ?? '',
    year,
    seq: String(seq).padStart(4, '0'),
    unitOrSubject: aTitle,
    retention: RETENTION_SHORT[manual.retention],
    pages: String(item.pages),
  };
}
