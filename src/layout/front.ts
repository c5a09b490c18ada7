// The pages around the evidence: 案卷封面, 卷内目录 (over as many pages as it needs, its columns
// sized to what they hold) and 卷内备考表.
import type { Manual } from '../model.js';
import type { PlacedEntry, VolumePlan } from '../pipeline/organize.js';
import { digits8 } from '../util/dates.js';
import { BACKNOTE, cnDate, COVER_LABEL, coverPeriod, PAGE_TITLE, TOC_ENTRY, volumeTitle } from '../wording/volume.js';
import { contentBox, measureRow, pageSize, ruleFor, tableHeight, titleBlock, type CellSpec } from './geometry.js';
import { breakLines, clampLines, type Measure } from './linebreak.js';
import type { Block, Row, VolumePage } from './model.js';
import { mm, type Layout } from './template.js';

export interface TocRow {
  seq: string;
  docNo: string;
  author: string;
  title: string;
  date: string;
  pages: string;
  note: string;
}

function entryTitle(p: PlacedEntry): string {
  const e = p.entry;
  if (e.type === 'form') return TOC_ENTRY.form(e.b.indicator.code, e.b.indicator.title);
  if (e.type === 'gap') return TOC_ENTRY.gap(e.req.requirement.title);
  const t = e.item.madeTitle ? TOC_ENTRY.made(e.item.title) : e.item.title;
  return p.part ? `${t}${TOC_ENTRY.part(p.part.from, p.part.to)}` : t;
}

/** One row per numbered unit; 页号 is its first page, the last row shows first-last. */
export function tocRows(plan: VolumePlan): TocRow[] {
  return plan.entries.map((p, i) => {
    const last = i === plan.entries.length - 1;
    const item = p.entry.type === 'item' ? p.entry.item : undefined;
    return {
      seq: p.seq !== undefined ? String(p.seq) : '',
      docNo: item?.docNo ?? '',
      author: item?.author ?? '',
      title: entryTitle(p),
      date: digits8(item?.date),
      pages: last && p.last !== p.first ? `${p.first}-${p.last}` : String(p.first),
      note: item?.note ?? (p.part ? TOC_ENTRY.splitNote : ''),
    };
  });
}

export function coverPage(L: Layout, m: Measure, manual: Manual, plan: VolumePlan): VolumePage {
  const size = pageSize(L);
  const box = contentBox(L);
  const C = L.cover;
  const dates = plan.entries.flatMap((p) => (p.entry.type === 'item' && p.entry.item.date ? [p.entry.item.date] : [])).sort();
  const fields: [string, string][] = [
    [COVER_LABEL.unit, manual.unit],
    [COVER_LABEL.category, `${plan.a.code} ${plan.a.title}`],
    [COVER_LABEL.title, volumeTitle(manual.title, plan.a.title, plan.index, plan.of)],
    [COVER_LABEL.period, coverPeriod(dates[0], dates[dates.length - 1])],
    [COVER_LABEL.retention, manual.retention],
    [COVER_LABEL.items, String(plan.items)],
    [COVER_LABEL.pages, String(plan.pages)],
    [COVER_LABEL.filingNo, manual.filingNo ?? ''],
    [COVER_LABEL.archiveCode, plan.archiveCode],
  ];
  const x = box.x + C.indent;
  const columns = [C.labelWidth, box.w - 2 * C.indent - C.labelWidth];
  const rows = fields.map(([label, value]) => {
    const row = measureRow(
      m,
      columns,
      [
        { text: label, style: { ...C.label, lineHeight: C.value.lineHeight }, valign: 'top', align: 'left' },
        { text: value, style: C.value, valign: 'top', ruled: L.lines.rule, prefer: true },
      ],
      0,
      0,
    );
    return { ...row, height: row.height + C.rowGap };
  });
  const blocks: Block[] = [
    { type: 'text', x: box.x, y: C.title.fromTop, width: box.w, lines: [C.title.text], style: C.title.style, align: 'center' },
    { type: 'table', x, y: C.fieldsFromTop, columns, rows, padding: 0 },
    {
      type: 'text',
      x: box.x,
      y: size.height - C.unit.fromBottom - C.unit.style.lineHeight,
      width: box.w,
      lines: clampLines(m, C.unit.style.font, C.unit.style.size, breakLines(m, C.unit.style.font, C.unit.style.size, manual.unit, box.w), 1, box.w),
      style: C.unit.style,
      align: 'center',
    },
  ];
  return { kind: 'cover', ...size, blocks };
}

/** Column widths from what the columns hold: narrow ones as wide as their widest cell, the title the rest. */
function tocColumns(L: Layout, m: Measure, rows: TocRow[], total: number): number[] {
  const T = L.toc;
  const natural = T.columns.map((c) => {
    if (c.key === 'title') return c.min;
    const widest = Math.max(m.width(T.header.font, T.header.size, c.label), ...rows.map((r) => m.width(T.row.font, T.row.size, r[c.key])));
    // room beyond the widest: Word and LibreOffice set digits and Latin in their own (wider) faces
    return Math.min(c.max, Math.max(c.min, widest + 2 * T.padding + mm(2.5)));
  });
  const ti = T.columns.findIndex((c) => c.key === 'title');
  const widths = [...natural];
  widths[ti] = total - natural.reduce((s, w, i) => (i === ti ? s : s + w), 0);
  // too little left for the title: take from the columns that wrap best first (the unit's name),
  // a 文号 or a date last
  for (const key of ['author', 'note', 'docNo', 'seq', 'pages', 'date'] as const) {
    const need = T.columns[ti]!.min - widths[ti]!;
    if (need <= 0) break;
    const i = T.columns.findIndex((c) => c.key === key);
    const take = Math.min(need, widths[i]! - T.columns[i]!.min);
    if (take > 0) {
      widths[i] = widths[i]! - take;
      widths[ti] = widths[ti]! + take;
    }
  }
  return widths;
}

/** The 卷内目录 over as many pages as it needs, the header row repeated on each. */
export function tocPages(L: Layout, m: Measure, rows: TocRow[]): VolumePage[] {
  const T = L.toc;
  const size = pageSize(L);
  const box = contentBox(L);
  const columns = tocColumns(L, m, rows, box.w);
  const header = measureRow(m, columns, T.columns.map((c) => ({ text: c.label, style: T.header, align: 'center' as const })), T.padding, T.minRowHeight);
  const body: Row[] = rows.map((r) =>
    measureRow(
      m,
      columns,
      T.columns.map<CellSpec>((c) => ({
        text: r[c.key],
        style: T.row,
        align: c.align,
        ...(c.key === 'title' ? { prefer: true, maxLines: T.maxTitleLines } : {}),
      })),
      T.padding,
      T.minRowHeight,
    ),
  );
  const pages: VolumePage[] = [];
  let i = 0;
  do {
    const title = titleBlock(L, box, PAGE_TITLE.toc);
    const room = box.y + box.h - title.bottom - header.height;
    const take: Row[] = [];
    let used = 0;
    while (i < body.length && (take.length === 0 || used + body[i]!.height <= room)) {
      used += body[i]!.height;
      take.push(body[i++]!);
    }
    pages.push({
      kind: 'toc',
      ...size,
      blocks: [title.block, { type: 'table', x: box.x, y: title.bottom, columns, rows: [header, ...take], padding: T.padding, frame: L.lines.frame, repeatHeader: true }],
    });
  } while (i < body.length);
  return pages;
}

export function backnotePage(L: Layout, m: Measure, manual: Manual, plan: VolumePlan, date: string): VolumePage {
  const B = L.backnote;
  const size = pageSize(L);
  const box = contentBox(L);
  const title = titleBlock(L, box, PAGE_TITLE.backnote);
  const gaps = plan.entries.flatMap((p) => {
    if (p.entry.type !== 'gap') return [];
    const { b, req } = p.entry;
    return [
      BACKNOTE.gap({
        code: b.indicator.code,
        title: b.indicator.title,
        requirement: req.requirement.title,
        kind: req.requirement.kind,
        missing: req.requirement.min - req.files.length,
        page: p.first,
        ...(b.reason ? { reason: b.reason } : {}),
      }),
    ];
  });
  const split = plan.entries.flatMap((p) => (p.part && p.entry.type === 'item' ? [`${p.entry.item.title}${TOC_ENTRY.part(p.part.from, p.part.to)}`] : []));
  const paragraphs = [
    BACKNOTE.counts(plan.items, plan.pages) + (plan.of > 1 ? BACKNOTE.part(plan.index, plan.of) : ''),
    gaps.length > 0 ? `${BACKNOTE.gaps(gaps.length)}${gaps.join('；')}。` : BACKNOTE.noGaps,
    ...(split.length > 0 ? [BACKNOTE.split(split)] : []),
  ];
  const sigTop = size.height - B.signatureFromBottom;
  const boxRect = { x: box.x, y: title.bottom, w: box.w, h: sigTop - 8 - title.bottom };
  const inner = boxRect.w - 4 * B.padding;
  const headingY = boxRect.y + B.padding;
  let lines = paragraphs.flatMap((p) => breakLines(m, B.value.font, B.value.size, p, inner));
  const room = Math.floor((boxRect.h - 2 * B.padding - B.label.lineHeight) / B.value.lineHeight);
  lines = clampLines(m, B.value.font, B.value.size, lines, Math.max(1, room), inner);
  const sigX = box.x + box.w * B.signatureLeft;
  const sigs: [string, string][] = [
    [BACKNOTE.signatures.maker, plan.a.owner ?? ''],
    [BACKNOTE.signatures.checker, manual.checker ?? ''],
    [BACKNOTE.signatures.date, cnDate(date)],
  ];
  const sigRows = sigs.map(([label, value]) => ({
    height: B.value.lineHeight * B.signatureGap,
    cells: [
      { lines: [`${label}：`], style: B.label, align: 'left' as const, valign: 'middle' as const },
      { lines: [value], style: B.value, align: 'left' as const, valign: 'middle' as const, ruled: ruleFor(L.lines.rule, B.value) },
    ],
  }));
  const labelW = Math.max(...sigs.map(([l]) => m.width(B.label.font, B.label.size, `${l}：`))) + 4;
  const blocks: Block[] = [
    title.block,
    { type: 'box', rect: boxRect, width: L.lines.frame },
    { type: 'text', x: boxRect.x + B.padding, y: headingY, width: inner, lines: [BACKNOTE.heading], style: B.label, align: 'left' },
    { type: 'text', x: boxRect.x + 3 * B.padding, y: headingY + B.label.lineHeight, width: inner, lines, style: B.value, align: 'left', paragraphs },
    { type: 'table', x: sigX, y: sigTop, columns: [labelW, box.x + box.w - sigX - labelW], rows: sigRows, padding: 0 },
  ];
  return { kind: 'backnote', ...size, blocks };
}

export { tableHeight };
