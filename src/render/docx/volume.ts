// The editable twin of a PDF volume: the same parts in the same order, one DOCX page per PDF page.
// Cover, 卷内目录 (a real table, 页号 as text: right in Word, WPS and LibreOffice alike), forms and
// notices are text; photos are images with text captions; pages of document evidence are images
// rendered by poppler at 150 dpi. Page numbers live in the header (odd right, even left) of the
// numbered section only. Fonts are named as Chinese offices have them (宋体, 黑体, 仿宋).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  AlignmentType, BorderStyle, Document, Header, HeightRule, ImageRun, LineRuleType, Packer, PageNumber, Paragraph,
  SectionType, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlign, WidthType,
  type FileChild, type ISectionOptions,
} from 'docx';
import { layout, MM, type Layout } from '../pdf/canvas.js';
import type { Role } from '../fonts.js';
import type { VolumePage } from '../volume-pages.js';
import { rezip } from '../../util/zip.js';
import type { Workspace } from '../../util/workspace.js';

const TWIP_PER_MM = 1440 / 25.4;
const tw = (mm: number) => Math.round(mm * TWIP_PER_MM);
const PX_PER_MM = 96 / 25.4;

const FONT: Record<Role, { ascii: string; eastAsia: string; hAnsi: string }> = {
  song: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' },
  songBold: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' },
  hei: { ascii: 'Arial', hAnsi: 'Arial', eastAsia: '黑体' },
  fang: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' },
};

function run(text: string, role: Role, sizePt: number): TextRun {
  return new TextRun({ text, font: FONT[role], size: Math.round(sizePt * 2), bold: role === 'songBold' });
}

/** A paragraph with an exact line height, so Word lays it out as the PDF did. */
function para(text: string, role: Role, sizePt: number, opts: { align?: 'left' | 'center' | 'right'; lineH?: number; before?: number; breakBefore?: boolean } = {}): Paragraph {
  return new Paragraph({
    children: [run(text, role, sizePt)],
    alignment: opts.align === 'center' ? AlignmentType.CENTER : opts.align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
    spacing: { line: Math.round((opts.lineH ?? sizePt * 1.5) * 20), lineRule: LineRuleType.EXACT, before: Math.round((opts.before ?? 0) * 20), after: 0 },
    pageBreakBefore: opts.breakBefore ?? false,
  });
}

/** Starts a new page; tables cannot carry a page break of their own. */
const pageStart = () =>
  new Paragraph({ children: [], pageBreakBefore: true, spacing: { line: 40, lineRule: LineRuleType.EXACT, before: 0, after: 0 } });

const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

type Frame = 'box' | 'underline' | 'none';

function cell(text: string, widthMm: number, role: Role, sizePt: number, align: 'left' | 'center' | 'right' = 'left', frame: Frame = 'box', valign: 'center' | 'top' = 'center'): TableCell {
  const lines = text === '' ? [''] : text.split('\n');
  const borders =
    frame === 'box'
      ? { top: thin, bottom: thin, left: thin, right: thin }
      : frame === 'underline'
        ? { top: none, bottom: thin, left: none, right: none }
        : { top: none, bottom: none, left: none, right: none };
  return new TableCell({
    width: { size: tw(widthMm), type: WidthType.DXA },
    verticalAlign: valign === 'top' ? VerticalAlign.TOP : VerticalAlign.CENTER,
    margins: { top: 30, bottom: 30, left: 40, right: 40 },
    borders,
    children: lines.map((l) => para(l, role, sizePt, { align, lineH: sizePt * 1.35 })),
  });
}

interface RowSpec {
  cells: string[];
  role: Role;
  size: number;
  aligns?: ('left' | 'center' | 'right')[];
  heightMm?: number;
  frames?: Frame[];
  valign?: 'center' | 'top';
}

function table(widthsMm: number[], rows: RowSpec[]): Table {
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: tw(widthsMm.reduce((a, b) => a + b, 0)), type: WidthType.DXA },
    columnWidths: widthsMm.map(tw),
    rows: rows.map(
      (r) =>
        new TableRow({
          ...(r.heightMm ? { height: { value: tw(r.heightMm), rule: HeightRule.ATLEAST } } : {}),
          cantSplit: true,
          children: r.cells.map((t, i) => cell(t, widthsMm[i]!, r.role, r.size, r.aligns?.[i] ?? 'left', r.frames?.[i] ?? 'box', r.valign)),
        }),
    ),
  });
}

export type PageImage = (bytes: Uint8Array, index: number) => { jpeg: Buffer; width: number; height: number } | undefined;

/**
 * Renders PDF pages with poppler's pdftoppm (which also draws PDFs whose Chinese fonts are not
 * embedded), in the run's temporary folder. `failure()` tells why the last page could not be drawn.
 */
export function popplerRenderer(ws: Workspace): { render: PageImage; failure: () => string | undefined; close: () => void } | undefined {
  const probe = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' });
  if (probe.error) return undefined;
  const dir = ws.sub('pages');
  // One pdftoppm call renders every page of a document (parsing it once); pages are read as asked.
  const docs = new Map<Uint8Array, string>();
  let lastFailure: string | undefined;
  return {
    render(bytes, index) {
      let base = docs.get(bytes);
      if (!base) {
        base = path.join(dir, `doc-${docs.size}`);
        writeFileSync(`${base}.pdf`, bytes);
        const r = spawnSync('pdftoppm', ['-r', '150', '-jpeg', '-jpegopt', 'quality=80', `${base}.pdf`, base], { encoding: 'utf8' });
        if (r.status !== 0) lastFailure = (r.stderr || '').trim().split('\n')[0] || `pdftoppm 退出码 ${r.status}`;
        docs.set(bytes, base);
      }
      // pdftoppm numbers pages with as many digits as the last page number needs
      const name = readdirSync(dir).find((f) => f.startsWith(`${path.basename(base!)}-`) && Number(f.slice(path.basename(base!).length + 1, -4)) === index + 1);
      if (!name) {
        lastFailure ??= 'pdftoppm 没有画出这一页';
        return undefined;
      }
      const jpeg = readFileSync(path.join(dir, name));
      return jpegSize(jpeg);
    },
    failure: () => lastFailure,
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Width and height from a JPEG's frame header. */
function jpegSize(jpeg: Buffer): { jpeg: Buffer; width: number; height: number } | undefined {
  for (let i = 2; i < jpeg.length - 9; ) {
    if (jpeg[i] !== 0xff) break;
    const marker = jpeg[i + 1]!;
    const len = jpeg.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2) return { jpeg, height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  return undefined;
}

function image(data: Uint8Array | Buffer, type: 'jpg' | 'png', wPx: number, hPx: number, boxWmm: number, boxHmm: number): ImageRun {
  const scale = Math.min((boxWmm * PX_PER_MM) / wPx, (boxHmm * PX_PER_MM) / hPx);
  return new ImageRun({ type, data, transformation: { width: Math.round(wPx * scale), height: Math.round(hPx * scale) } });
}

export interface DocxResult {
  bytes: Uint8Array;
  /** pages drawn as a notice because no renderer could draw them */
  unrendered: number;
}

export async function renderDocxVolume(pages: VolumePage[], date: string, render: PageImage | undefined): Promise<DocxResult> {
  const L: Layout = layout();
  const boxW = L.page.width - L.margins.left - L.margins.right;
  const boxH = L.page.height - L.margins.top - L.margins.bottom;
  let unrendered = 0;
  const front: FileChild[] = [];
  const numbered: FileChild[] = [];
  const back: FileChild[] = [];

  const pageOf = (p: VolumePage, first: boolean): FileChild[] => {
    const out: FileChild[] = [];
    const start = () => {
      if (!first) out.push(pageStart());
    };
    const title = (t: { text: string; font: Role; size: number }, text = t.text) =>
      out.push(para(text, t.font, t.size, { align: 'center', lineH: t.size * 1.8, breakBefore: !first && out.length === 0 }));
    switch (p.kind) {
      case 'cover': {
        const C = L.cover;
        const titleTop = C.title.fromTop ?? 45;
        out.push(para(C.title.text, C.title.font, C.title.size, { align: 'center', before: (titleTop - L.margins.top) * MM, lineH: C.title.size * 1.4, breakBefore: !first }));
        out.push(para('', C.valueFont, C.valueSize, { lineH: (C.fromTop - titleTop) * MM - C.title.size * 1.4 }));
        out.push(
          table(
            [10, C.labelWidth, boxW - 20 - C.labelWidth, 10],
            p.fields.map(([label, value]) => ({
              cells: ['', label, value, ''],
              role: C.valueFont,
              size: C.valueSize,
              heightMm: C.lineHeight + C.rowGap,
              frames: ['none', 'none', 'underline', 'none'] as Frame[],
            })),
          ),
        );
        out.push(para(p.unit, C.valueFont, C.valueSize + 2, { align: 'center', before: 60 }));
        break;
      }
      case 'toc': {
        const T = L.toc;
        title(T.title);
        const total = T.columns.reduce((s, c) => s + c.width, 0);
        const widths = T.columns.map((c) => (c.width / total) * boxW);
        const aligns = T.columns.map((c) => c.align);
        out.push(
          table(widths, [
            { cells: T.columns.map((c) => c.label), role: T.headerFont, size: T.headerSize, aligns: T.columns.map(() => 'center' as const), heightMm: T.minRowHeight },
            ...p.rows.map((r) => ({
              cells: T.columns.map((c) => (r as unknown as Record<string, string>)[c.key] ?? ''),
              role: T.rowFont,
              size: T.rowSize,
              aligns,
              heightMm: T.minRowHeight,
            })),
          ]),
        );
        break;
      }
      case 'form': {
        const F = L.form;
        title(F.title, p.heading);
        const rows = [...p.rows, p.footer];
        out.push(table([F.labelWidth, boxW - F.labelWidth], rows.slice(0, -1).map((r) => ({ cells: [r.label, r.value], role: F.font, size: F.size, aligns: ['center', 'left'] }))));
        const tw5 = p.table.widths.reduce((a, b) => a + b, 0);
        out.push(
          table(
            p.table.widths.map((w) => (w / tw5) * boxW),
            [
              { cells: p.table.header, role: F.labelFont, size: F.size, aligns: p.table.header.map((_, i) => (i === 0 ? 'left' : 'center')) },
              ...p.table.rows.map((r) => ({ cells: r, role: F.font, size: F.size, aligns: r.map((_, i) => (i === 0 ? 'left' : 'center') as 'left' | 'center') })),
            ],
          ),
        );
        out.push(table([F.labelWidth, boxW - F.labelWidth], [{ cells: [p.footer.label, p.footer.value], role: F.font, size: F.size, aligns: ['center', 'left'] }]));
        break;
      }
      case 'notice': {
        const G = L.gap;
        out.push(para(p.heading, G.title.font, G.title.size, { align: 'center', before: 28, lineH: G.title.size * 1.8, breakBefore: !first }));
        for (const line of p.body.split('\n')) out.push(para(line, G.font, G.size, { lineH: G.size * G.lineHeight }));
        break;
      }
      case 'text': {
        const X = L.text;
        out.push(para(p.heading, X.headerFont, X.headerSize, { lineH: X.headerSize * 2.5, breakBefore: !first }));
        for (const line of p.lines) out.push(para(line, X.font, X.size, { lineH: X.size * X.lineHeight }));
        break;
      }
      case 'photos': {
        const P = L.photo;
        const cols = p.perPage === 4 ? 2 : 1;
        const rowsN = p.perPage === 1 ? 1 : 2;
        const slotW = (boxW - (cols - 1) * P.gap) / cols;
        const captionH = (P.captionLines * P.captionSize * P.captionLineHeight) / MM;
        const slotH = (boxH - (rowsN - 1) * P.gap) / rowsN - captionH - P.gap / 2 - 4;
        start();
        const cellOf = (ph: (typeof p.photos)[number] | undefined) =>
          new TableCell({
            width: { size: tw(slotW), type: WidthType.DXA },
            borders: { top: none, bottom: none, left: none, right: none },
            children: ph
              ? [
                  new Paragraph({ alignment: AlignmentType.CENTER, children: [image(ph.bytes, ph.format, ph.width, ph.height, slotW, slotH)] }),
                  ...ph.caption.slice(0, P.captionLines).map((c) => para(c, P.captionFont, P.captionSize, { lineH: P.captionSize * P.captionLineHeight })),
                ]
              : [new Paragraph({ children: [] })],
          });
        const rows: TableRow[] = [];
        for (let r = 0; r < rowsN; r++) {
          const cells = Array.from({ length: cols }, (_, c) => cellOf(p.photos[r * cols + c]));
          if (cells.every((_, c) => !p.photos[r * cols + c])) continue;
          rows.push(new TableRow({ cantSplit: true, children: cells }));
        }
        out.push(new Table({ layout: TableLayoutType.FIXED, width: { size: tw(boxW), type: WidthType.DXA }, columnWidths: Array.from({ length: cols }, () => tw(slotW)), rows }));
        break;
      }
      case 'pdf': {
        const img = render?.(p.bytes, p.index);
        if (!img) {
          unrendered++;
          out.push(para('此页为证据原件的页面', L.gap.title.font, L.gap.title.size, { align: 'center', before: 28, breakBefore: !first }));
          out.push(para(render ? '这一页未能转成图片（PDF 渲染工具无法读取此页）。请查看同名 PDF 案卷中的这一页。' : '本机没有可用的 PDF 渲染工具（poppler 的 pdftoppm），未能把这一页转成图片。请查看同名 PDF 案卷中的这一页，或安装 poppler-utils 后重新装订。', L.gap.font, L.gap.size, { lineH: L.gap.size * L.gap.lineHeight }));
          break;
        }
        out.push(
          new Paragraph({
            pageBreakBefore: !first,
            alignment: AlignmentType.CENTER,
            spacing: { before: 0, after: 0 },
            children: [image(img.jpeg, 'jpg', img.width, img.height, boxW, boxH - 6)],
          }),
        );
        break;
      }
      case 'backnote': {
        const B = L.backnote;
        title(B.title);
        out.push(
          table([boxW], [{ cells: [`本卷情况说明：\n${p.explanation}`], role: B.font, size: B.size, heightMm: boxH - 60, valign: 'top' }]),
        );
        for (const s of p.signatures) out.push(para(`${s.label}：${s.value}`, B.font, B.size, { lineH: B.size * B.lineHeight * 1.6, align: 'left', before: 0 }));
        break;
      }
    }
    return out;
  };

  let firstNumbered = true;
  let firstBack = true;
  pages.forEach((p, i) => {
    if (p.kind === 'cover' || p.kind === 'toc') front.push(...pageOf(p, i === 0));
    else if (p.kind === 'backnote') {
      back.push(...pageOf(p, firstBack));
      firstBack = false;
    } else {
      numbered.push(...pageOf(p, firstNumbered));
      firstNumbered = false;
    }
  });

  const page = {
    size: { width: tw(L.page.width), height: tw(L.page.height) },
    margin: { top: tw(L.margins.top), bottom: tw(L.margins.bottom), left: tw(L.margins.left), right: tw(L.margins.right), header: tw(L.pageNumber.fromTop), footer: 0 },
  };
  const numberHeader = (align: 'left' | 'right') =>
    new Header({
      children: [
        new Paragraph({
          alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: [new TextRun({ children: [PageNumber.CURRENT], font: FONT.song, size: L.pageNumber.size * 2 })],
        }),
      ],
    });
  const emptyHeader = () => new Header({ children: [new Paragraph({ children: [] })] });
  const sections: ISectionOptions[] = [
    { properties: { page }, headers: { default: emptyHeader(), even: emptyHeader() }, children: front },
    {
      properties: { page: { ...page, pageNumbers: { start: 1 } }, type: SectionType.NEXT_PAGE },
      headers: { default: numberHeader('right'), even: numberHeader('left') },
      children: numbered,
    },
    { properties: { page, type: SectionType.NEXT_PAGE }, headers: { default: emptyHeader(), even: emptyHeader() }, children: back },
  ];
  const doc = new Document({
    creator: 'chuangcheng',
    lastModifiedBy: 'chuangcheng',
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: FONT.song, size: 21 } } } },
    sections,
  });
  const raw = await Packer.toBuffer(doc);
  // docProps/core.xml carries the creation time: pin it, and the zip entries' dates, to the build date
  const bytes = await rezip(raw, date, (name, xml) =>
    name === 'docProps/core.xml' ? xml.replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g, `$1${date}T00:00:00Z$2`) : xml,
  );
  return { bytes, unrendered };
}
