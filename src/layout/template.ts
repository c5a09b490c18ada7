// templates/layout.json, read once and checked: the numbers of every printed page (margins, column
// widths, font sizes) live there as data. Both renderers and the page model take them from here,
// converted to points (1/72 inch), the unit of the page model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TEMPLATES_DIR } from '../paths.js';
import { z } from 'zod';


export const MM = 72 / 25.4;
export const mm = (n: number) => n * MM;

const role = z.enum(['song', 'songBold', 'hei', 'fang']);
export type Role = z.infer<typeof role>;
const len = z.number().nonnegative();
const size = z.number().positive().max(96);
const font = z.strictObject({ font: role, size });
const text = z.strictObject({ font: role, size, lineHeight: z.number().min(1).max(4) });
const sides = z.strictObject({ top: len, bottom: len, binding: len, outer: len });
const align = z.enum(['left', 'center', 'right']);
/** a line width, points */
const stroke = z.number().positive().max(6);
const rgb = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)]);
/** a font as an office names it: its face for Latin letters and digits, its face for Chinese */
const face = z.strictObject({ latin: z.string().min(1), eastAsia: z.string().min(1), bold: z.boolean().optional() });

const schema = z.strictObject({
  $comment: z.string().optional(),
  page: z.strictObject({ width: len, height: len }),
  margins: sides,
  pageNumber: z.strictObject({ font: role, size, fromTop: len, fromOuter: len }),
  evidence: sides,
  pageNotice: z.strictObject({ font: role, size, lineHeight: z.number().min(1), fromTop: len, align }),
  flow: z.strictObject({ top: len, bottom: len, left: len, right: len }),
  lines: z.strictObject({ frame: stroke, rule: z.strictObject({ width: stroke, raise: z.number().min(0).max(1) }) }),
  faces: z.strictObject({ song: face, songBold: face, hei: face, fang: face }),
  title: z.strictObject({ font: role, size, lineHeight: z.number().min(1), after: len }),
  cover: z.strictObject({
    title: z.strictObject({ text: z.string(), font: role, size, fromTop: len }),
    fieldsFromTop: len,
    indent: len,
    labelWidth: len,
    label: font,
    value: text,
    rowGap: len,
    unit: z.strictObject({ font: role, size, fromBottom: len }),
  }),
  toc: z.strictObject({
    header: text,
    row: text,
    padding: len,
    minRowHeight: len,
    maxTitleLines: z.number().int().min(1),
    columns: z
      .array(
        z.strictObject({
          key: z.enum(['seq', 'docNo', 'author', 'title', 'date', 'pages', 'note']),
          label: z.string(),
          min: len,
          max: len,
          align,
        }),
      )
      .length(7),
  }),
  form: z.strictObject({ label: font, value: text, labelWidth: len, padding: len, minRowHeight: len, tableWidths: z.array(len).length(5), signatureGap: len }),
  gap: z.strictObject({
    label: font,
    value: text,
    labelWidth: len,
    padding: len,
    minRowHeight: len,
    reasonMinHeight: len,
    signatures: z.array(z.string()),
    signatureGap: len,
  }),
  notice: z.strictObject({ font: role, size, lineHeight: z.number().min(1), fromTop: len }),
  photo: z.strictObject({
    caption: z.strictObject({ label: font, value: text }),
    captionLabelWidth: len,
    captionLines: z.number().int().min(1).max(10),
    gap: len,
    captionGap: len,
    blankLine: len,
    dpi: z.number().int().min(72).max(600),
  }),
  text: z.strictObject({ font: role, size, lineHeight: z.number().min(1) }),
  backnote: z.strictObject({
    label: font,
    value: text,
    padding: len,
    signatureFromBottom: len,
    signatureLeft: z.number().min(0).max(1),
    signatureGap: z.number().min(1),
  }),
  stamp: z.strictObject({
    cellWidth: len,
    cellHeight: len,
    font: role,
    size,
    minSize: size,
    fromTop: len,
    color: rgb,
  }),
});

export type LayoutFile = z.infer<typeof schema>;
/** A font as an office names it (the DOCX's runs): Latin and Chinese faces, and whether it is set bold. */
export type Typeface = z.infer<typeof face>;

/** A font at a size, and the distance between baselines (points). */
export interface TextStyle {
  font: Role;
  size: number;
  lineHeight: number;
}

const style = (t: { font: Role; size: number; lineHeight?: number }, lh = 1.35): TextStyle => ({ font: t.font, size: t.size, lineHeight: t.size * (t.lineHeight ?? lh) });
const box = (s: z.infer<typeof sides>) => ({ top: mm(s.top), bottom: mm(s.bottom), binding: mm(s.binding), outer: mm(s.outer) });

/** Everything in points, text styles with absolute line heights. */
export function toPoints(f: LayoutFile) {
  return {
    page: { width: mm(f.page.width), height: mm(f.page.height) },
    margins: box(f.margins),
    pageNumber: { style: style(f.pageNumber, 1), fromTop: mm(f.pageNumber.fromTop), fromOuter: mm(f.pageNumber.fromOuter) },
    evidence: box(f.evidence),
    pageNotice: { style: style(f.pageNotice, f.pageNotice.lineHeight), fromTop: mm(f.pageNotice.fromTop), align: f.pageNotice.align },
    flow: { top: mm(f.flow.top), bottom: mm(f.flow.bottom), left: mm(f.flow.left), right: mm(f.flow.right) },
    /** line widths in points as they are; `rule.raise` a fraction of the line height */
    lines: { frame: f.lines.frame, rule: { ...f.lines.rule } },
    faces: f.faces,
    title: { style: style(f.title, f.title.lineHeight), after: mm(f.title.after) },
    cover: {
      title: { text: f.cover.title.text, style: style(f.cover.title, 1.2), fromTop: mm(f.cover.title.fromTop) },
      fieldsFromTop: mm(f.cover.fieldsFromTop),
      indent: mm(f.cover.indent),
      labelWidth: mm(f.cover.labelWidth),
      label: style(f.cover.label),
      value: style(f.cover.value),
      rowGap: mm(f.cover.rowGap),
      unit: { style: style(f.cover.unit), fromBottom: mm(f.cover.unit.fromBottom) },
    },
    toc: {
      header: style(f.toc.header),
      row: style(f.toc.row),
      padding: mm(f.toc.padding),
      minRowHeight: mm(f.toc.minRowHeight),
      maxTitleLines: f.toc.maxTitleLines,
      columns: f.toc.columns.map((c) => ({ ...c, min: mm(c.min), max: mm(c.max) })),
    },
    form: {
      label: style(f.form.label, f.form.value.lineHeight),
      value: style(f.form.value),
      labelWidth: mm(f.form.labelWidth),
      padding: mm(f.form.padding),
      minRowHeight: mm(f.form.minRowHeight),
      tableWidths: f.form.tableWidths,
      signatureGap: mm(f.form.signatureGap),
    },
    gap: {
      label: style(f.gap.label, f.gap.value.lineHeight),
      value: style(f.gap.value),
      labelWidth: mm(f.gap.labelWidth),
      padding: mm(f.gap.padding),
      minRowHeight: mm(f.gap.minRowHeight),
      reasonMinHeight: mm(f.gap.reasonMinHeight),
      signatures: f.gap.signatures,
      signatureGap: mm(f.gap.signatureGap),
    },
    notice: { style: style(f.notice, f.notice.lineHeight), fromTop: mm(f.notice.fromTop) },
    photo: {
      label: style(f.photo.caption.label, f.photo.caption.value.lineHeight),
      value: style(f.photo.caption.value),
      labelWidth: mm(f.photo.captionLabelWidth),
      captionLines: f.photo.captionLines,
      gap: mm(f.photo.gap),
      captionGap: mm(f.photo.captionGap),
      blankLine: mm(f.photo.blankLine),
      dpi: f.photo.dpi,
    },
    text: { style: style(f.text, f.text.lineHeight) },
    backnote: {
      label: style(f.backnote.label, f.backnote.value.lineHeight),
      value: style(f.backnote.value),
      padding: mm(f.backnote.padding),
      signatureFromBottom: mm(f.backnote.signatureFromBottom),
      signatureLeft: f.backnote.signatureLeft,
      signatureGap: f.backnote.signatureGap,
    },
    stamp: { ...f.stamp, cellWidth: mm(f.stamp.cellWidth), cellHeight: mm(f.stamp.cellHeight), fromTop: mm(f.stamp.fromTop), style: style(f.stamp, 1.1) },
  };
}

export type Layout = ReturnType<typeof toPoints>;

let cached: Layout | undefined;

/** The layout of every printed page, read from `templates/layout.json` once and validated. */
export function layout(): Layout {
  if (cached) return cached;
  const file = path.join(TEMPLATES_DIR, 'layout.json');
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    // (the layout is ours, shipped with the program: a wrong one is our bug, said as such by the CLI)
    throw new Error(`${file} 有误：${first.path.join('.')}：${first.message}`);
  }
  cached = toPoints(parsed.data);
  return cached;
}
