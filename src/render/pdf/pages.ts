// The pages we draw ourselves: cover, 卷内目录, 测评材料提交表, 缺项说明, notices, text, photos and
// 卷内备考表. Sizes and positions come from templates/layout.json; wording from ./words.ts.
import type { PDFDocument, PDFImage, PDFPage } from 'pdf-lib';
import type { Role } from '../fonts.js';
import { Canvas, layout, mm, type Layout } from './canvas.js';

export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

export function pageSize(L: Layout = layout()): [number, number] {
  return [mm(L.page.width), mm(L.page.height)];
}

export function contentBox(L: Layout = layout()): Box {
  const [W, H] = pageSize(L);
  const left = mm(L.margins.left);
  const right = W - mm(L.margins.right);
  const top = H - mm(L.margins.top);
  const bottom = mm(L.margins.bottom);
  return { left, right, top, bottom, width: right - left, height: top - bottom };
}

function newPage(doc: PDFDocument): PDFPage {
  return doc.addPage(pageSize());
}

function title(c: Canvas, page: PDFPage, spec: { text: string; font: Role; size: number }, top: number): number {
  const b = contentBox();
  c.textTop(page, spec.font, spec.size, b.left, top, spec.text, 'center', b.width);
  return top - spec.size * 1.8;
}

// ---------------------------------------------------------------- cover

export function drawCover(doc: PDFDocument, c: Canvas, fields: [string, string][], unitLine: string): PDFPage {
  const L = layout().cover;
  const page = newPage(doc);
  const [, H] = pageSize();
  const b = contentBox();
  c.textTop(page, L.title.font, L.title.size, b.left, H - mm(L.title.fromTop ?? 45), L.title.text, 'center', b.width);
  let y = H - mm(L.fromTop);
  const labelX = b.left + mm(10);
  const valueX = labelX + mm(L.labelWidth);
  const valueW = b.right - mm(10) - valueX;
  for (const [label, value] of fields) {
    const lines = c.wrap(L.valueFont, L.valueSize, value || ' ', valueW);
    c.textTop(page, L.labelFont, L.labelSize, labelX, y, label, 'left');
    for (const line of lines) {
      c.textTop(page, L.valueFont, L.valueSize, valueX, y, line, 'left');
      c.line(page, valueX, y - mm(L.lineHeight) + mm(1.2), valueX + valueW, y - mm(L.lineHeight) + mm(1.2), 0.5);
      y -= mm(L.lineHeight);
    }
    y -= mm(L.rowGap);
  }
  c.textTop(page, L.valueFont, L.valueSize + 2, b.left, mm(L.unitFromBottom) + L.valueSize, unitLine, 'center', b.width);
  return page;
}

// ---------------------------------------------------------------- 卷内目录

export interface TocRow {
  seq: string;
  docNo: string;
  author: string;
  title: string;
  date: string;
  pages: string;
  note: string;
}

/** Lay out the rows into as many pages as they need; returns the pages added and their rows. */
export function drawToc(doc: PDFDocument, c: Canvas, rows: TocRow[]): { pages: PDFPage[]; rowsByPage: TocRow[][] } {
  const L = layout().toc;
  const b = contentBox();
  const cols = L.columns;
  const scale = b.width / mm(cols.reduce((s, col) => s + col.width, 0));
  const widths = cols.map((col) => mm(col.width) * scale);
  const pad = mm(L.rowPadding);
  const lineH = L.rowSize * 1.35;
  const headerLines = cols.map((col, i) => c.wrap(L.headerFont, L.headerSize, col.label, widths[i]! - 2 * pad));
  const headerH = Math.max(mm(L.minRowHeight), Math.max(...headerLines.map((l) => l.length)) * L.headerSize * 1.35 + 2 * pad);
  const pages: PDFPage[] = [];
  const rowsByPage: TocRow[][] = [];
  let page!: PDFPage;
  let y = 0;

  const header = () => {
    page = newPage(doc);
    pages.push(page);
    rowsByPage.push([]);
    y = title(c, page, L.title, b.top);
    let x = b.left;
    c.rect(page, b.left, y - headerH, b.width, headerH);
    cols.forEach((_col, i) => {
      if (i > 0) c.line(page, x, y, x, y - headerH);
      const lines = headerLines[i]!;
      let ty = y - (headerH - lines.length * L.headerSize * 1.35) / 2;
      for (const line of lines) {
        c.textTop(page, L.headerFont, L.headerSize, x, ty - L.headerSize * 0.175, line, 'center', widths[i]!);
        ty -= L.headerSize * 1.35;
      }
      x += widths[i]!;
    });
    y -= headerH;
  };
  header();

  // A row never outgrows a page: a title longer than that is cut with an ellipsis (the full title
  // stays in 目录.xlsx), so the row keeps its 页号.
  const roomLines = Math.max(1, Math.min(10, Math.floor((b.height - L.title.size * 1.8 - headerH - 2 * pad) / lineH)));
  for (const row of rows) {
    const cells = cols.map((col, i) => {
      const lines = c.wrap(L.rowFont, L.rowSize, (row as unknown as Record<string, string>)[col.key] ?? '', widths[i]! - 2 * pad);
      if (lines.length <= roomLines) return lines;
      return [...lines.slice(0, roomLines - 1), c.fit(L.rowFont, L.rowSize, `${lines[roomLines - 1]}…`, widths[i]! - 2 * pad)];
    });
    const h = Math.max(mm(L.minRowHeight), Math.max(...cells.map((l) => l.length)) * lineH + 2 * pad);
    if (y - h < b.bottom) header();
    rowsByPage[rowsByPage.length - 1]!.push(row);
    let x = b.left;
    c.rect(page, b.left, y - h, b.width, h);
    cells.forEach((lines, i) => {
      if (i > 0) c.line(page, x, y, x, y - h);
      const col = cols[i]!;
      const blockH = lines.length * lineH;
      let ty = y - (h - blockH) / 2;
      for (const line of lines) {
        c.textTop(page, L.rowFont, L.rowSize, x + pad, ty - (lineH - L.rowSize) / 2, line, col.align, widths[i]! - 2 * pad);
        ty -= lineH;
      }
      x += widths[i]!;
    });
    y -= h;
  }
  return { pages, rowsByPage };
}

// ---------------------------------------------------------------- forms and notices

export interface FormRow {
  label: string;
  value: string;
}

/** A framed two-column form (label | value) under a title, then free lines. */
export function drawForm(doc: PDFDocument, c: Canvas, heading: string, rows: FormRow[], table?: { header: string[]; widths: number[]; rows: string[][] }, footer?: FormRow): PDFPage {
  const L = layout().form;
  const b = contentBox();
  const page = newPage(doc);
  let y = title(c, page, { ...L.title, text: heading }, b.top);
  const labelW = mm(L.labelWidth);
  const lineH = L.size * L.lineHeight;
  const pad = mm(1.5);
  const maxBottom = b.bottom + mm(8);
  const row = (label: string, value: string, valueRole: Role = L.font) => {
    let lines = c.wrap(valueRole, L.size, value, b.width - labelW - 2 * pad);
    const room = Math.floor((y - maxBottom - 2 * pad) / lineH);
    if (lines.length > room) lines = [...lines.slice(0, Math.max(1, room - 1)), c.fit(valueRole, L.size, lines[Math.max(1, room - 1)] ?? '', b.width - labelW - 2 * pad - L.size) + '…'];
    const h = Math.max(lineH + 2 * pad, lines.length * lineH + 2 * pad);
    c.rect(page, b.left, y - h, b.width, h);
    c.line(page, b.left + labelW, y, b.left + labelW, y - h);
    c.textTop(page, L.labelFont, L.size, b.left, y - (h - L.size) / 2, label, 'center', labelW);
    let ty = y - pad;
    for (const line of lines) {
      c.textTop(page, valueRole, L.size, b.left + labelW + pad, ty - (lineH - L.size) / 2, line);
      ty -= lineH;
    }
    y -= h;
  };
  for (const r of rows) row(r.label, r.value);
  if (table) {
    const total = table.widths.reduce((s, w) => s + w, 0);
    const ws = table.widths.map((w) => (w / total) * b.width);
    const draw = (cells: string[], role: Role) => {
      const wrapped = cells.map((t, i) => c.wrap(role, L.size, t, ws[i]! - 2 * pad));
      const h = Math.max(...wrapped.map((l) => l.length)) * lineH + 2 * pad;
      if (y - h < maxBottom) return;
      c.rect(page, b.left, y - h, b.width, h);
      let x = b.left;
      wrapped.forEach((lines, i) => {
        if (i > 0) c.line(page, x, y, x, y - h);
        let ty = y - pad;
        for (const line of lines) {
          c.textTop(page, role, L.size, x + pad, ty - (lineH - L.size) / 2, line, i === 0 ? 'left' : 'center', ws[i]! - 2 * pad);
          ty -= lineH;
        }
        x += ws[i]!;
      });
      y -= h;
    };
    draw(table.header, L.labelFont);
    for (const r of table.rows) draw(r, L.font);
  }
  if (footer) row(footer.label, footer.value);
  return page;
}

/** A page of plain paragraphs under a heading (缺项说明, a file that could not be converted). */
export function drawNotice(doc: PDFDocument, c: Canvas, heading: string, body: string): PDFPage {
  const L = layout().gap;
  const b = contentBox();
  const page = newPage(doc);
  let y = title(c, page, { ...L.title, text: heading }, b.top - mm(10));
  const lineH = L.size * L.lineHeight;
  for (const line of c.wrap(L.font, L.size, body, b.width - mm(10))) {
    if (y - lineH < b.bottom) break;
    c.textTop(page, L.font, L.size, b.left + mm(5), y, line);
    y -= lineH;
  }
  return page;
}

// ---------------------------------------------------------------- text evidence

export function textLines(c: Canvas, text: string): { lines: string[]; perPage: number } {
  const L = layout().text;
  const b = contentBox();
  const lineH = L.size * L.lineHeight;
  const lines = c.wrap(L.font, L.size, text.replace(/\t/g, '    '), b.width);
  const perPage = Math.max(1, Math.floor((b.height - L.headerSize * 2.5) / lineH));
  return { lines, perPage };
}

export function drawTextPages(doc: PDFDocument, c: Canvas, heading: string, lines: string[], perPage: number, from: number, to: number): PDFPage[] {
  const L = layout().text;
  const b = contentBox();
  const lineH = L.size * L.lineHeight;
  const pages: PDFPage[] = [];
  for (let p = from; p <= to; p++) {
    const page = newPage(doc);
    pages.push(page);
    c.textTop(page, L.headerFont, L.headerSize, b.left, b.top, c.fit(L.headerFont, L.headerSize, heading, b.width - mm(20)), 'left');
    c.line(page, b.left, b.top - L.headerSize * 1.6, b.right, b.top - L.headerSize * 1.6, 0.4);
    let y = b.top - L.headerSize * 2.5;
    for (const line of lines.slice((p - 1) * perPage, p * perPage)) {
      c.textTop(page, L.font, L.size, b.left, y, line);
      y -= lineH;
    }
  }
  return pages;
}

// ---------------------------------------------------------------- photos

/** The box one photo gets on a page with `perPage` photos, caption excluded, in points. */
export function photoSlot(perPage: 1 | 2 | 4): { width: number; height: number; captionH: number } {
  const L = layout().photo;
  const b = contentBox();
  const captionH = L.captionLines * L.captionSize * L.captionLineHeight;
  const cols = perPage === 4 ? 2 : 1;
  const rows = perPage === 1 ? 1 : 2;
  const gap = mm(L.gap);
  const slotW = (b.width - (cols - 1) * gap) / cols;
  const slotH = (b.height - (rows - 1) * gap) / rows;
  return { width: slotW, height: slotH - captionH - gap / 2, captionH };
}

export interface PhotoOnPage {
  image: PDFImage;
  /** pixel size, for aspect */
  width: number;
  height: number;
  caption: string[];
}

export function drawPhotoPage(doc: PDFDocument, c: Canvas, photos: PhotoOnPage[], perPage: 1 | 2 | 4): PDFPage {
  const L = layout().photo;
  const b = contentBox();
  const page = newPage(doc);
  const slot = photoSlot(perPage);
  const cols = perPage === 4 ? 2 : 1;
  const gap = mm(L.gap);
  const rowH = slot.height + slot.captionH + gap / 2;
  photos.forEach((p, i) => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    const x0 = b.left + col * (slot.width + gap);
    const top = b.top - row * (rowH + gap);
    const scale = Math.min(slot.width / p.width, slot.height / p.height);
    const w = p.width * scale;
    const h = p.height * scale;
    const x = x0 + (slot.width - w) / 2;
    const y = top - (slot.height - h) / 2 - h;
    page.drawImage(p.image, { x, y, width: w, height: h });
    let ty = top - slot.height - gap / 2;
    const lineH = L.captionSize * L.captionLineHeight;
    const lines = p.caption.flatMap((t) => c.wrap(L.captionFont, L.captionSize, t, slot.width)).slice(0, L.captionLines);
    for (const line of lines) {
      c.textTop(page, L.captionFont, L.captionSize, x0, ty, line);
      ty -= lineH;
    }
  });
  return page;
}

// ---------------------------------------------------------------- 卷内备考表

export function drawBacknote(doc: PDFDocument, c: Canvas, explanation: string, signatures: FormRow[]): PDFPage {
  const L = layout().backnote;
  const b = contentBox();
  const page = newPage(doc);
  let y = title(c, page, L.title, b.top);
  const lineH = L.size * L.lineHeight;
  const sigH = signatures.length * lineH * 1.6 + mm(10);
  const boxTop = y;
  const boxBottom = b.bottom + sigH;
  c.rect(page, b.left, boxBottom, b.width, boxTop - boxBottom);
  c.textTop(page, L.labelFont, L.size, b.left + mm(4), y - mm(4), '本卷情况说明：');
  y -= mm(4) + lineH * 1.3;
  const lines = c.wrap(L.font, L.size, explanation, b.width - mm(12));
  const room = Math.floor((y - boxBottom - mm(4)) / lineH);
  const shown = lines.length > room ? [...lines.slice(0, room - 1), '（其余见 report.json）'] : lines;
  for (const line of shown) {
    c.textTop(page, L.font, L.size, b.left + mm(8), y, line);
    y -= lineH;
  }
  let sy = boxBottom - mm(8);
  for (const s of signatures) {
    c.textTop(page, L.labelFont, L.size, b.left + b.width * 0.45, sy, `${s.label}：`);
    c.textTop(page, L.font, L.size, b.left + b.width * 0.45 + mm(24), sy, s.value);
    sy -= lineH * 1.6;
  }
  return page;
}
