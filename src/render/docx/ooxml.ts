// WordprocessingML pieces, written by hand: paragraphs with exact line heights, fixed tables, inline
// pictures, sections. Only what the volume needs, so that Word, WPS and LibreOffice lay a page out
// the way the page model did. Units: points in, twips (1/20 pt) and EMU (12,700 a point) out.
// Nothing here is module-wide state: the faces a volume's text is named with (the page model's) come
// in a `RunFonts` made for each render, so that two volumes rendered at once do not change each
// other's fonts.
import { xmlText } from '../../util/xml.js';
import type { Align, Color, Role, TextStyle, Typeface } from '../../layout/model.js';

export const tw = (pt: number) => Math.round(pt * 20);
export const emu = (pt: number) => Math.round(pt * 12700);

/** Text for XML: escaped, and without what XML 1.0 cannot hold (see util/xml.ts). */
export function esc(s: string): string {
  return xmlText(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * A piece of a run's text as the PDF draws it: `font`, the fallback family that draws it there
 * (emoji, Arabic and Uyghur, Tibetan …); `rtl`, inside a right-to-left stretch (bidi level above the
 * paragraph's), so Word and WPS order it as the PDF does.
 */
export interface RunPart {
  text: string;
  font?: string;
  rtl?: boolean;
}

/**
 * How one volume's runs name their fonts: each role's face (the page model's `faces`), and how run
 * text is split into parts, naming the fallback fonts the PDF draws some of it with (undefined: one part).
 */
export interface RunFonts {
  faces: Readonly<Record<Role, Typeface>>;
  split?: (role: Role, text: string) => RunPart[];
}

/** Word's default ink: what a block without a colour is drawn in. */
const BLACK = '000000';

/** A colour of the page model as Word writes it: RRGGBB. */
export function hex(color: Color | undefined): string {
  if (!color) return BLACK;
  return color.map((v) => Math.round(v * 255).toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** Line widths Word draws a single border with, in eighths of a point (it shows any other as the nearest). */
const WORD_BORDERS = [2, 4, 6, 8, 12, 18, 24, 36, 48];

/** A line width of the page model (points) as a border's `w:sz`: the nearest width Word draws. */
export function borderSize(width: number): number {
  return WORD_BORDERS.reduce((best, sz) => (Math.abs(sz - width * 8) < Math.abs(best - width * 8) ? sz : best));
}

export function runProps(fonts: RunFonts, style: { font: Role; size: number }, color?: Color, part: Omit<RunPart, 'text'> = {}): string {
  const f = fonts.faces[style.font];
  const half = Math.round(style.size * 2);
  // a fallback family in every slot: Word picks the slot by character class, and names a missing font's substitute by script
  const names = part.font
    ? `<w:rFonts w:ascii="${esc(part.font)}" w:hAnsi="${esc(part.font)}" w:eastAsia="${esc(part.font)}" w:cs="${esc(part.font)}"/>`
    : `<w:rFonts w:ascii="${esc(f.latin)}" w:hAnsi="${esc(f.latin)}" w:eastAsia="${esc(f.eastAsia)}" w:cs="${esc(f.latin)}"/>`;
  return `<w:rPr>${names}${f.bold ? '<w:b/><w:bCs/>' : ''}${
    color ? `<w:color w:val="${hex(color)}"/>` : ''
  }<w:sz w:val="${half}"/><w:szCs w:val="${half}"/>${part.rtl ? '<w:rtl/>' : ''}</w:rPr>`;
}

export function run(fonts: RunFonts, text: string, style: { font: Role; size: number }, color?: Color): string {
  if (text === '') return '';
  const parts = fonts.split ? fonts.split(style.font, text) : [{ text }];
  return parts.map((p) => `<w:r>${runProps(fonts, style, color, p)}<w:t xml:space="preserve">${esc(p.text)}</w:t></w:r>`).join('');
}

export interface ParaOptions {
  align?: Align;
  /** space before, points */
  before?: number;
  /** exact line height, points (undefined: single, for pictures) */
  line?: number;
  indLeft?: number;
  indRight?: number;
  pageBreakBefore?: boolean;
  /** a rule under the line (a blank to write on): its width (points) and colour */
  ruled?: { width: number; color?: Color };
  keepNext?: boolean;
}

export function paragraph(content: string, o: ParaOptions = {}): string {
  const jc = o.align === 'center' ? 'center' : o.align === 'right' ? 'right' : 'left';
  const spacing = o.line !== undefined ? `w:line="${tw(o.line)}" w:lineRule="exact"` : 'w:line="240" w:lineRule="auto"';
  return (
    `<w:p><w:pPr>${o.keepNext ? '<w:keepNext/>' : ''}${o.pageBreakBefore ? '<w:pageBreakBefore/>' : ''}` +
    // "between" as well: Word and LibreOffice draw one border round a run of paragraphs bordered alike
    `${o.ruled ? `<w:pBdr><w:bottom ${borderLine(o.ruled.width, o.ruled.color)}/><w:between ${borderLine(o.ruled.width, o.ruled.color)}/></w:pBdr>` : ''}` +
    // no automatic space between Chinese and Latin or digits: the PDF sets "2024年" tight
    `<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/><w:spacing w:before="${tw(Math.max(0, o.before ?? 0))}" w:after="0" ${spacing}/>` +
    `<w:ind w:left="${tw(o.indLeft ?? 0)}" w:right="${tw(o.indRight ?? 0)}"/><w:jc w:val="${jc}"/></w:pPr>${content}</w:p>`
  );
}

/** A single border line `width` points wide. */
function borderLine(width: number, color?: Color): string {
  return `w:val="single" w:sz="${borderSize(width)}" w:space="0" w:color="${hex(color)}"`;
}

/** Lines of text, one paragraph each, at an exact line height. */
export function lines(fonts: RunFonts, texts: string[], style: TextStyle, o: Omit<ParaOptions, 'line'> & { color?: Color } = {}): string {
  return texts.map((t, i) => paragraph(run(fonts, t, style, o.color), { ...o, line: style.lineHeight, before: i === 0 ? o.before : 0, pageBreakBefore: i === 0 && o.pageBreakBefore })).join('');
}

export interface CellXml {
  width: number;
  content: string;
  valign: 'top' | 'middle';
  /** the width of the lines round the cell (points); none without it */
  frame?: number;
  /** a rule along the cell's bottom (a one-line blank to write on): its width */
  underline?: number;
  color?: Color;
}

export interface TableOptions {
  indent: number;
  padding: number;
  /** repeat the first row on each page */
  header?: boolean;
}

export function table(columns: number[], rows: { height: number; cells: CellXml[] }[], o: TableOptions): string {
  const total = columns.reduce((a, b) => a + b, 0);
  const border = (c: CellXml) => {
    const side = c.frame !== undefined ? borderLine(c.frame, c.color) : 'w:val="nil"';
    const bottom = c.frame === undefined && c.underline !== undefined ? borderLine(c.underline, c.color) : side;
    return `<w:top ${side}/><w:left ${side}/><w:bottom ${bottom}/><w:right ${side}/>`;
  };
  const pad = tw(o.padding);
  let xml = `<w:tbl><w:tblPr><w:tblW w:w="${tw(total)}" w:type="dxa"/><w:tblInd w:w="${tw(o.indent)}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="${pad}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="${pad}" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>${columns
    .map((c) => `<w:gridCol w:w="${tw(c)}"/>`)
    .join('')}</w:tblGrid>`;
  rows.forEach((r, ri) => {
    xml += `<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="${tw(r.height)}" w:hRule="exact"/>${o.header && ri === 0 ? '<w:tblHeader/>' : ''}</w:trPr>`;
    for (const c of r.cells) {
      xml += `<w:tc><w:tcPr><w:tcW w:w="${tw(c.width)}" w:type="dxa"/><w:tcBorders>${border(c)}</w:tcBorders><w:vAlign w:val="${c.valign === 'top' ? 'top' : 'center'}"/></w:tcPr>${c.content || paragraph('')}</w:tc>`;
    }
    xml += '</w:tr>';
  });
  return `${xml}</w:tbl>`;
}

/** An inline picture of `w`×`h` points, from relationship `rel`; `name` is what Word shows for it. */
export function picture(rel: string, id: number, name: string, w: number, h: number): string {
  const cx = emu(w);
  const cy = emu(h);
  return (
    `<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${cx}" cy="${cy}"/><wp:docPr id="${id}" name="${esc(name)}"/>` +
    `<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
    `<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
    `<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="${id}" name="image${id}"/><pic:cNvPicPr/></pic:nvPicPr>` +
    `<pic:blipFill><a:blip r:embed="${rel}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
    `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>` +
    `</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`
  );
}

/**
 * `content` (a table, paragraphs) in a text box at a fixed place on the page (points from its
 * top-left corner), in front of the text and not pushing it: how Word places a stamp. `name` is what
 * Word shows for it.
 */
export function floatingBox(content: string, id: number, name: string, x: number, y: number, w: number, h: number): string {
  const pos = (axis: 'H' | 'V', v: number) =>
    `<wp:position${axis} relativeFrom="page"><wp:posOffset>${emu(v)}</wp:posOffset></wp:position${axis}>`;
  return (
    `<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="${251658240 + id}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">` +
    `<wp:simplePos x="0" y="0"/>${pos('H', x)}${pos('V', y)}` +
    `<wp:extent cx="${emu(w)}" cy="${emu(h)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="${id}" name="${esc(name)}"/><wp:cNvGraphicFramePr/>` +
    `<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">` +
    `<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${emu(w)}" cy="${emu(h)}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>` +
    `<wps:txbx><w:txbxContent>${content}${paragraph('', { line: 1 })}</w:txbxContent></wps:txbx>` +
    `<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>` +
    `</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>`
  );
}

export interface SectionOptions {
  width: number;
  height: number;
  margins: { top: number; bottom: number; left: number; right: number; header: number };
  headers?: { default: string; even: string };
  restartNumbering?: boolean;
}

export function sectPr(o: SectionOptions): string {
  const landscape = o.width > o.height;
  return (
    `<w:sectPr>${o.headers ? `<w:headerReference w:type="default" r:id="${o.headers.default}"/><w:headerReference w:type="even" r:id="${o.headers.even}"/>` : ''}` +
    `<w:type w:val="nextPage"/><w:pgSz w:w="${tw(o.width)}" w:h="${tw(o.height)}"${landscape ? ' w:orient="landscape"' : ''}/>` +
    `<w:pgMar w:top="${tw(o.margins.top)}" w:right="${tw(o.margins.right)}" w:bottom="${tw(o.margins.bottom)}" w:left="${tw(o.margins.left)}" w:header="${tw(o.margins.header)}" w:footer="0" w:gutter="0"/>` +
    `${o.restartNumbering ? '<w:pgNumType w:start="1"/>' : ''}<w:docGrid w:linePitch="312"/></w:sectPr>`
  );
}

export const NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' +
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"';

export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
