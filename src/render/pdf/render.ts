// The PDF volume: the page model drawn, page by page, into a PDF written as it goes. Text in the
// volume's subset fonts (real, extractable Unicode), tables as lines, photos as images, pages of
// evidence as form XObjects scaled into their place — their visible annotations (seals, stamps, form
// appearances) drawn with them, their actions gone — and bookmarks, page labels and metadata. Every
// place, size, line width, colour and word comes from the page model: nothing here decides a page.
import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, PDFStream, type PDFDocument, type PDFEmbeddedPage, type PDFFont, type PDFPage } from 'pdf-lib';
import { baseline, fitInto, type Block, type Color, type OutlineNode, type Rect, type TextBlock, type TextStyle, type VolumeModel, type VolumePage } from '../../layout/model.js';
import type { Role } from '../../layout/template.js';
import { MISSING_EM, type FontSet } from '../fonts.js';
import { codePointLabel, isIgnorable, type Cluster, type Face, type HbFont, type Run } from '../fallback.js';
import { num, pdfText, PdfWriter, type ByteSink, type ScratchSession } from './writer.js';
import { passThroughPng, pngImageDict } from './png.js';
import { pdfFailure } from './load.js';

/** What the renderer needs from outside: prepared photos and evidence documents. */
export interface PdfAssets {
  photo(path: string): Promise<{ bytes: Uint8Array; format: 'jpg' | 'png' }>;
  /** the evidence document (decrypted, repaired, stripped of actions) */
  pdf(path: string): Promise<PDFDocument>;
}

export interface PdfRenderResult {
  sha256: string;
  /** evidence pages that could not be copied (a page with a note stands in their place) */
  failures: { path: string; index: number; message: string }[];
  /** characters no font has, drawn as a box with their code point: each with the pages (0-based) it is on */
  missing: { text: string; code: string; pages: number[] }[];
}

/** The default ink (ISO 32000-1 §8.4.1): what a block without a colour is drawn in, and what follows a coloured one. */
const BLACK: Color = [0, 0, 0];

/** Fill and stroke in `color`: a grey (red = green = blue) as DeviceGray, any other as DeviceRGB. */
function colorOps([r, g, b]: Color): string {
  return r === g && g === b ? `${num(r)} g ${num(r)} G` : `${num(r)} ${num(g)} ${num(b)} rg ${num(r)} ${num(g)} ${num(b)} RG`;
}

class Content {
  private ops: string[] = [];
  constructor(private readonly height: number) {}
  push(op: string): void {
    this.ops.push(op);
  }
  /** model y (down from the top) to PDF y (up from the bottom) */
  y(v: number): number {
    return this.height - v;
  }
  bytes(): Uint8Array {
    return new TextEncoder().encode(this.ops.join('\n'));
  }
}

export async function renderPdf(model: VolumeModel, fonts: FontSet, assets: PdfAssets, sink: ByteSink): Promise<PdfRenderResult> {
  const w = new PdfWriter(sink);
  const catalog = w.alloc();
  const pagesRoot = w.alloc();
  const failures: PdfRenderResult['failures'] = [];

  // fonts first: subset to every character the volume shows, one object set per font file
  const chars = collectChars(model, fonts);
  const embedded = new Map<Role, { font: PDFFont; name: string }>();
  let fontRefs = new Map<string, number>();
  await w.scratch(async (doc) => {
    const byRole = await fonts.embed(doc, chars.byRole);
    const refs: PDFRef[] = [];
    const names = new Map<PDFRef, string>();
    for (const [role, font] of byRole) {
      if (!names.has(font.ref)) names.set(font.ref, `F${names.size}`);
      embedded.set(role, { font, name: names.get(font.ref)! });
      await font.embed();
      refs.push(font.ref);
    }
    fontRefs = new Map([...names].map(([ref, name]) => [name, ref.objectNumber]));
    return refs;
  });
  // the fallback fonts (emoji, other scripts): subset, shaped with harfbuzz, written after the pages
  const fallback = new Map<Face, FallbackFont>();
  for (const [face, text] of chars.fallback) {
    const sub = await fonts.subsetFallback(face, [...text].join(''));
    const f: FallbackFont = { face, name: `G${fallback.size}`, ref: w.alloc(), bytes: sub.bytes, font: sub.font, used: new Map() };
    fallback.set(face, f);
    fontRefs.set(f.name, f.ref);
  }
  const fontResources = `/Font << ${[...fontRefs].map(([name, n]) => `/${name} ${n} 0 R`).join(' ')} >>`;

  const evidenceIndices = new Map<string, number[]>();
  for (const page of model.pages) {
    for (const b of page.blocks) if (b.type === 'evidence') evidenceIndices.set(b.page.path, [...(evidenceIndices.get(b.page.path) ?? []), b.page.index]);
  }
  const draw: DrawContext = { w, assets, embedded, fallback, fonts, xobjects: [], failures, evidenceIndices };
  const pageNums: number[] = [];
  for (const page of model.pages) {
    const c = new Content(page.height);
    const xobjects: string[] = [];
    draw.xobjects = xobjects;
    for (const block of page.blocks) await drawBlock(block, c, draw);
    if (page.number) {
      drawText(c, draw, String(page.number.value), page.number.x, page.number.y, page.number.style, page.number.align);
    }
    const contents = w.alloc();
    w.stream(contents, '', c.bytes());
    const n = w.alloc();
    pageNums.push(n);
    const res = `<< ${fontResources}${xobjects.length > 0 ? ` /XObject << ${xobjects.join(' ')} >>` : ''} /ProcSet [/PDF /Text /ImageB /ImageC] >>`;
    w.object(n, `<< /Type /Page /Parent ${pagesRoot} 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] /Resources ${res} /Contents ${contents} 0 R >>`);
  }
  for (const f of fallback.values()) writeFallbackFont(w, f);
  w.object(pagesRoot, `<< /Type /Pages /Kids [${pageNums.map((n) => `${n} 0 R`).join(' ')}] /Count ${pageNums.length} >>`);

  const outlines = writeOutline(w, model.outline, pageNums);
  const labels = model.labels
    .map((l) => `${l.start} << ${l.prefix ? `/P ${pdfText(l.prefix)}` : ''}${l.numbered ? ` /S /D /St ${l.numbered.first}` : ''} >>`)
    .join(' ');
  w.object(
    catalog,
    `<< /Type /Catalog /Pages ${pagesRoot} 0 R${outlines ? ` /Outlines ${outlines} 0 R /PageMode /UseOutlines` : ''} /PageLabels << /Nums [${labels}] >> /Lang ${pdfText('zh-CN')} /ViewerPreferences << /DisplayDocTitle true >> >>`,
  );
  const info = w.alloc();
  const d = `D:${model.info.date.replaceAll('-', '')}000000Z`;
  w.object(
    info,
    `<< /Title ${pdfText(model.info.title)} /Author ${pdfText(model.info.author)} /Subject ${pdfText(model.info.subject)} /Keywords ${pdfText(model.info.keywords.join(' '))} /Creator ${pdfText(model.info.author)} /CreationDate (${d}) /ModDate (${d}) >>`,
  );
  const missing = [...chars.missing].map(([text, pages]) => ({ text, code: codePointLabel(shownCode(text)), pages: [...pages].sort((a, b) => a - b) }));
  return { sha256: w.finish(catalog, info), failures, missing };
}

interface VolumeChars {
  /** characters each role's font draws */
  byRole: Map<Role, Set<string>>;
  /** clusters each fallback face draws */
  fallback: Map<Face, Set<string>>;
  /** clusters no font has, and the pages (0-based) they are on */
  missing: Map<string, Set<number>>;
}

const HEX = '0123456789ABCDEF';
const IDEOGRAPHIC_SPACE = '\u3000';

function collectChars(model: VolumeModel, fonts: FontSet): VolumeChars {
  const out: VolumeChars = { byRole: new Map(), fallback: new Map(), missing: new Map() };
  const add = (role: Role, s: string) => {
    let set = out.byRole.get(role);
    if (!set) out.byRole.set(role, (set = new Set()));
    for (const ch of s) set.add(ch);
  };
  const line = (role: Role, s: string, page: number) => {
    const items = fonts.itemize(role, s);
    if (!items) return add(role, s);
    for (const c of items) {
      if (c.pick.kind === 'primary') {
        const t = fonts.primaryText(role, c.text);
        add(role, c.level % 2 === 1 ? mirror(fonts, t) : t);
      } else if (c.pick.kind === 'fallback') {
        let set = out.fallback.get(c.pick.face);
        if (!set) out.fallback.set(c.pick.face, (set = new Set()));
        for (const ch of c.text) set.add(ch);
      } else {
        add(role, HEX + IDEOGRAPHIC_SPACE);
        let pages = out.missing.get(c.text);
        if (!pages) out.missing.set(c.text, (pages = new Set()));
        pages.add(page);
      }
    }
  };
  model.pages.forEach((p, i) => {
    if (p.number) line(p.number.style.font, String(p.number.value), i);
    for (const b of p.blocks) {
      if (b.type === 'text') for (const l of b.lines) line(b.style.font, l, i);
      if (b.type === 'table') for (const r of b.rows) for (const c of r.cells) for (const l of c.lines) line(c.style.font, l, i);
    }
  });
  // the note in the place of an evidence page is drawn only if the page cannot be copied, which is
  // known only while drawing: its characters are always there
  model.pages.forEach((p, i) => {
    for (const b of p.blocks) if (b.type === 'evidence') for (const l of b.notice.lines) line(b.notice.style.font, l, i);
  });
  return out;
}

/** The characters of a right-to-left run of the volume's own font as shown: brackets mirrored. */
function mirror(fonts: FontSet, s: string): string {
  let out = '';
  for (const ch of s) out += fonts.fallbacks.mirrored(ch);
  return out;
}

/** The code point a box shows for a cluster: its first visible character. */
function shownCode(cluster: string): number {
  for (const ch of cluster) {
    const cp = ch.codePointAt(0)!;
    if (!isIgnorable(cp)) return cp;
  }
  return cluster.codePointAt(0)!;
}

/** A fallback face embedded in this volume: its subset, and the glyphs drawn (with their text). */
interface FallbackFont {
  face: Face;
  /** resource name */
  name: string;
  /** object number of the Type0 font */
  ref: number;
  bytes: Uint8Array;
  /** the subset, shaped with when drawing */
  font: HbFont;
  /** glyph id → the text it stands for (ToUnicode) */
  used: Map<number, string>;
}

interface SourceSession {
  path: string;
  doc: PDFDocument;
  session: ScratchSession;
  pages: Map<number, PDFEmbeddedPage>;
}

interface DrawContext {
  w: PdfWriter;
  /** the evidence document being copied from, and the pages of each document the volume shows */
  source?: SourceSession;
  /** the last document that could not be opened, and why */
  unopened?: { path: string; err: unknown };
  evidenceIndices: Map<string, number[]>;
  assets: PdfAssets;
  embedded: Map<Role, { font: PDFFont; name: string }>;
  fallback: Map<Face, FallbackFont>;
  fonts: FontSet;
  xobjects: string[];
  failures: PdfRenderResult['failures'];
}

function drawText(c: Content, ctx: DrawContext, text: string, x: number, top: number, style: TextStyle, align: 'left' | 'center' | 'right', width = 0, line = 0): void {
  if (text === '') return;
  const { fonts } = ctx;
  const items = fonts.itemize(style.font, text);
  if (items) return drawMixed(c, ctx, items, x, top, style, align, width, line);
  const tw = fonts.width(style.font, text, style.size);
  const left = align === 'center' ? x + (width - tw) / 2 : align === 'right' ? x + (width === 0 ? -tw : width - tw) : x;
  drawPrimary(c, ctx, text, left, top, style, line);
}

/** Text in the role's own font from `left`. */
function drawPrimary(c: Content, ctx: DrawContext, text: string, left: number, top: number, style: TextStyle, line: number): void {
  const { fonts } = ctx;
  const f = ctx.embedded.get(style.font)!;
  const y = num(c.y(baseline(style, top, line)));
  if (!text.includes('——')) {
    c.push(`BT /${f.name} ${num(style.size)} Tf ${num(left)} ${y} Td ${f.font.encodeText(text).toString()} Tj ET`);
    return;
  }
  // "——" as a rule at the ideographs' centre line, two ems long, over the dash as invisible text
  // (scaled to those two ems) that search and copy find (see drawnText)
  let at = left;
  for (const part of text.split(/(——)/)) {
    if (part === '') continue;
    const hex = f.font.encodeText(part).toString();
    const w = fonts.width(style.font, part, style.size);
    if (part === '——') {
      const natural = fonts.natural(style.font, part, style.size);
      const base = c.y(baseline(style, top, line));
      const em = style.size;
      c.push(`q ${num(at + 0.06 * em)} ${num(base + 0.36 * em)} ${num(w - 0.12 * em)} ${num(0.045 * em)} re f Q`);
      c.push(`q BT 3 Tr /${f.name} ${num(em)} Tf ${num(natural > 0 ? (w / natural) * 100 : 100)} Tz ${num(at)} ${y} Td ${hex} Tj ET Q`);
    } else c.push(`BT /${f.name} ${num(style.size)} Tf ${num(at)} ${y} Td ${hex} Tj ET`);
    at += w;
  }
}

/**
 * A line some of whose characters the role's font lacks: runs of the role's font, of fallback fonts
 * (shaped by harfbuzz, glyphs placed one by one) and boxes for characters no font has, in visual
 * order. Each fallback run and box carries its text as /ActualText, so copy and search give back
 * the characters in their logical order, whatever glyphs show them.
 */
function drawMixed(c: Content, ctx: DrawContext, items: Cluster[], x: number, top: number, style: TextStyle, align: 'left' | 'center' | 'right', width: number, line: number): void {
  const { fonts } = ctx;
  const role = style.font;
  const size = style.size;
  const runs = fonts.fallbacks.runs(fonts.fallbacks.visual(items), true);
  const fontOf = (r: Run) => (r.pick.kind === 'fallback' ? ctx.fallback.get(r.pick.face)!.font : undefined);
  const widths = runs.map((r) => fonts.runWidth(role, r, size, fontOf(r)));
  const tw = widths.reduce((a, b) => a + b, 0);
  let at = align === 'center' ? x + (width - tw) / 2 : align === 'right' ? x + (width === 0 ? -tw : width - tw) : x;
  const base = c.y(baseline(style, top, line));
  runs.forEach((r, i) => {
    if (r.pick.kind === 'primary') {
      // a right-to-left run of the role's font (spaces, brackets between Arabic words): clusters as shown, mirrored
      const shown = r.level % 2 === 1 ? r.clusters.map((k) => mirror(fonts, fonts.primaryText(role, k.text))).join('') : fonts.primaryText(role, r.text);
      if (shown !== '') drawPrimary(c, ctx, shown, at, top, style, line);
    } else if (r.pick.kind === 'fallback') {
      drawGlyphs(c, ctx.fallback.get(r.pick.face)!, r, at, base, size, role === 'songBold');
    } else {
      drawMissing(c, ctx, r.text, at, base, style);
    }
    at += widths[i]!;
  });
}

/**
 * A shaped run of a fallback font, each glyph at its place (harfbuzz's advances and offsets), in
 * visual order. Each cluster (a letter with its marks, an emoji sequence, a ligature) is drawn as
 * its glyphs that advance (a base, an Indic vowel sign before it) in a marked span whose /ActualText
 * is the cluster's characters, then its other glyphs (marks, Arabic dots, Tibetan subjoined letters) in a span whose
 * /ActualText is empty: copy and search give back the text whatever glyphs show it (Noto Sans
 * Arabic draws a letter as a dotless form plus its dots), and a reader sees each cluster as one
 * character as wide as its advance (poppler takes a span's extent from its first and last glyphs,
 * and marks placed back over their base would open gaps read as spaces). Right-to-left text drawn
 * left to right is put back in logical order by readers, as for every PDF that holds Arabic.
 */
function drawGlyphs(c: Content, f: FallbackFont, r: Run, left: number, base: number, size: number, bold: boolean): void {
  const shaped = f.font.shape(r.text, r.level % 2 === 1);
  const scale = size / f.font.upem;
  const starts = [...new Set(shaped.glyphs.map((g) => g.cluster))].sort((a, b) => a - b);
  const textOf = (cluster: number) => r.text.slice(cluster, starts[starts.indexOf(cluster) + 1] ?? r.text.length);
  // glyphs grouped by cluster (harfbuzz keeps a cluster's glyphs together), each at its place
  const groups: { cluster: number; glyphs: { gid: number; advance: number; x: number; y: number }[] }[] = [];
  let pen = left;
  for (const g of shaped.glyphs) {
    const last = groups[groups.length - 1];
    const placed = { gid: g.gid, advance: g.xAdvance, x: pen + g.xOffset * scale, y: base + g.yOffset * scale };
    if (last && last.cluster === g.cluster) last.glyphs.push(placed);
    else groups.push({ cluster: g.cluster, glyphs: [placed] });
    pen += g.xAdvance * scale;
  }
  const show = (g: { gid: number; x: number; y: number }) => `1 0 0 1 ${num(g.x)} ${num(g.y)} Tm <${g.gid.toString(16).toUpperCase().padStart(4, '0')}> Tj`;
  const ops: string[] = [];
  // bold text: the regular fallback outlined as well as filled, about as much heavier as a bold face
  if (bold) ops.push(`q 2 Tr ${num(size * 0.03)} w`);
  ops.push(`BT /${f.name} ${num(size)} Tf`);
  for (const { cluster, glyphs } of groups) {
    const text = textOf(cluster);
    const advancing = glyphs.filter((g) => g.advance !== 0);
    const main = advancing.length > 0 ? advancing : glyphs.slice(0, 1);
    const others = glyphs.filter((g) => !main.includes(g));
    // the ToUnicode map, for readers without /ActualText: the first main glyph stands for its cluster
    main.forEach((g, i) => {
      if (i === 0 && !f.used.get(g.gid)) f.used.set(g.gid, text);
      else if (!f.used.has(g.gid)) f.used.set(g.gid, '');
    });
    for (const g of others) if (!f.used.has(g.gid)) f.used.set(g.gid, '');
    ops.push(`/Span << /ActualText ${pdfText(text)} >> BDC`, ...main.map(show), 'EMC');
    if (others.length > 0) ops.push('/Span << /ActualText () >> BDC', ...others.map(show), 'EMC');
  }
  ops.push('ET');
  if (bold) ops.push('Q');
  c.push(ops.join('\n'));
}

/**
 * A character no font has: a box one em wide holding its code point in hexadecimal (two rows, as
 * font tools show a missing glyph), with the character itself as /ActualText (copy and search find it).
 */
function drawMissing(c: Content, ctx: DrawContext, cluster: string, left: number, base: number, style: TextStyle): void {
  const f = ctx.embedded.get(style.font)!;
  const em = style.size;
  const hex = shownCode(cluster).toString(16).toUpperCase();
  const digits = hex.length <= 4 ? hex.padStart(4, '0') : hex.padStart(6, '0');
  const per = digits.length / 2;
  const ds = per === 2 ? 0.36 * em : 0.3 * em;
  const boxW = MISSING_EM * em * 0.84;
  const x0 = left + (MISSING_EM * em - boxW) / 2;
  const y0 = base - 0.12 * em;
  const h = 0.92 * em;
  const mid = y0 + h / 2;
  // the character itself: an invisible ideographic space one em wide on the line's baseline, so that
  // readers place the /ActualText where the box is; the box and its digits stand for nothing
  const ops = [
    `/Span << /ActualText ${pdfText(cluster)} >> BDC`,
    `q BT 3 Tr /${f.name} ${num(em)} Tf ${num(left)} ${num(base)} Td ${f.font.encodeText(IDEOGRAPHIC_SPACE).toString()} Tj ET Q`,
    'EMC',
    '/Span << /ActualText () >> BDC',
    `q ${num(0.05 * em)} w ${num(x0)} ${num(y0)} ${num(boxW)} ${num(h)} re S Q`,
  ];
  [digits.slice(0, per), digits.slice(per)].forEach((row, i) => {
    const rw = ctx.fonts.natural(style.font, row, ds);
    const y = i === 0 ? mid + 0.05 * em : mid - 0.05 * em - 0.72 * ds;
    ops.push(`BT /${f.name} ${num(ds)} Tf ${num(x0 + (boxW - rw) / 2)} ${num(y)} Td ${f.font.encodeText(row).toString()} Tj ET`);
  });
  ops.push('EMC');
  c.push(ops.join('\n'));
}

/**
 * A fallback face's subset as a Type0 font (Identity-H, glyph ids as codes): the font program, its
 * widths, and a ToUnicode map of the glyphs drawn (the /ActualText of each run is what readers that
 * know it use; the map serves the others, glyph by glyph).
 */
function writeFallbackFont(w: PdfWriter, f: FallbackFont): void {
  const fk = fontkit.create(Buffer.from(f.bytes)) as unknown as { unitsPerEm: number; bbox: { minX: number; minY: number; maxX: number; maxY: number }; ascent: number; descent: number; capHeight: number };
  const k = 1000 / fk.unitsPerEm;
  const tag = createHash('sha256').update(f.bytes).digest().subarray(0, 6).reduce((s, b) => s + String.fromCharCode(65 + (b % 26)), '');
  const baseName = `${tag}+${f.face.family.name.replaceAll(' ', '')}`;
  const file = w.alloc();
  w.stream(file, `/Length1 ${f.bytes.length}`, f.bytes);
  const descriptor = w.alloc();
  const bb = fk.bbox;
  w.object(
    descriptor,
    `<< /Type /FontDescriptor /FontName /${baseName} /Flags 4 /FontBBox [${[bb.minX, bb.minY, bb.maxX, bb.maxY].map((v) => num(v * k)).join(' ')}] /ItalicAngle 0 /Ascent ${num(fk.ascent * k)} /Descent ${num(fk.descent * k)} /CapHeight ${num((fk.capHeight || fk.ascent) * k)} /StemV 80 /FontFile2 ${file} 0 R >>`,
  );
  const gids = [...f.used.keys()].sort((a, b) => a - b);
  const widths = gids.map((g) => `${g} [${num(f.font.advanceOf(g) * k)}]`).join(' ');
  const cid = w.alloc();
  w.object(
    cid,
    `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${baseName} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptor} 0 R /W [${widths}] /CIDToGIDMap /Identity >>`,
  );
  const toUnicode = w.alloc();
  w.stream(toUnicode, '', new TextEncoder().encode(toUnicodeCMap(gids.filter((g) => f.used.get(g) !== '').map((g) => [g, f.used.get(g)!]))));
  w.object(f.ref, `<< /Type /Font /Subtype /Type0 /BaseFont /${baseName} /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${toUnicode} 0 R >>`);
}

function toUnicodeCMap(map: [number, string][]): string {
  const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  const utf16 = (s: string) => [...Array(s.length).keys()].map((i) => hex4(s.charCodeAt(i))).join('');
  const blocks: string[] = [];
  for (let i = 0; i < map.length; i += 100) {
    const part = map.slice(i, i + 100);
    blocks.push(`${part.length} beginbfchar\n${part.map(([g, t]) => `<${hex4(g)}> <${utf16(t)}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMapResource defineresource pop',
    'end',
    'end',
  ].join('\n');
}

function line(c: Content, x1: number, y1: number, x2: number, y2: number, width: number): void {
  c.push(`${num(width)} w ${num(x1)} ${num(c.y(y1))} m ${num(x2)} ${num(c.y(y2))} l S`);
}

function drawTextBlock(b: TextBlock, c: Content, ctx: DrawContext): void {
  if (b.color) c.push(colorOps(b.color));
  b.lines.forEach((l, i) => drawText(c, ctx, l, b.x, b.y, b.style, b.align, b.width, i));
  if (b.color) c.push(colorOps(BLACK));
}

async function drawBlock(b: Block, c: Content, ctx: DrawContext): Promise<void> {
  switch (b.type) {
    case 'text':
      drawTextBlock(b, c, ctx);
      return;
    case 'box':
      c.push(`${num(b.width)} w ${num(b.rect.x)} ${num(c.y(b.rect.y + b.rect.h))} ${num(b.rect.w)} ${num(b.rect.h)} re S`);
      return;
    case 'table': {
      if (b.color) c.push(colorOps(b.color));
      const total = b.columns.reduce((s, x) => s + x, 0);
      let y = b.y;
      for (const row of b.rows) {
        let x = b.x;
        row.cells.forEach((cell, i) => {
          const cw = b.columns[i]!;
          const blockH = cell.lines.length * cell.style.lineHeight;
          const top = cell.valign === 'top' ? y + b.padding : y + (row.height - blockH) / 2;
          cell.lines.forEach((l, k) => {
            drawText(c, ctx, l, x + b.padding, top, cell.style, cell.align, cw - 2 * b.padding, k);
            if (cell.ruled) {
              const ly = top + (k + 1) * cell.style.lineHeight - cell.ruled.raise;
              line(c, x + b.padding, ly, x + cw - b.padding, ly, cell.ruled.width);
            }
          });
          x += cw;
        });
        if (b.frame !== undefined) {
          c.push(`${num(b.frame)} w ${num(b.x)} ${num(c.y(y + row.height))} ${num(total)} ${num(row.height)} re S`);
          let cx = b.x;
          for (const cw of b.columns.slice(0, -1)) {
            cx += cw;
            line(c, cx, y, cx, y + row.height, b.frame);
          }
        }
        y += row.height;
      }
      if (b.color) c.push(colorOps(BLACK));
      return;
    }
    case 'photo': {
      const p = await ctx.assets.photo(b.photo.path);
      // a PNG as prepared (8-bit, no transparency) goes in as it is; others through pdf-lib
      const png = p.format === 'png' ? passThroughPng(p.bytes) : undefined;
      let image: number;
      if (png) {
        image = ctx.w.alloc();
        ctx.w.stream(image, pngImageDict(png), png.data, false);
      } else {
        const [ref] = await ctx.w.scratch(async (doc) => {
          const img = p.format === 'jpg' ? await doc.embedJpg(p.bytes) : await doc.embedPng(p.bytes);
          await img.embed();
          return [img.ref];
        });
        image = ref!.objectNumber;
      }
      const name = `I${ctx.xobjects.length}`;
      ctx.xobjects.push(`/${name} ${image} 0 R`);
      c.push(`q ${num(b.rect.w)} 0 0 ${num(b.rect.h)} ${num(b.rect.x)} ${num(c.y(b.rect.y + b.rect.h))} cm /${name} Do Q`);
      return;
    }
    case 'evidence': {
      const target = fitInto(b.rect, b.page.width, b.page.height);
      let form: PDFRef | undefined;
      let placement: number[] = [];
      try {
        const src = await evidenceSource(ctx, b.page.path);
        const embedded = src.pages.get(b.page.index)!;
        form = await src.session.use((doc) => pageForm(doc, embedded));
        src.session.flush([form]);
        placement = placementMatrix(src.doc.getPage(b.page.index), { x: target.x, y: c.y(target.y + target.h), w: target.w, h: target.h });
      } catch (err) {
        form = undefined;
        ctx.failures.push({ path: b.page.path, index: b.page.index, message: pdfFailure(err) });
      }
      if (form) {
        const name = `P${ctx.xobjects.length}`;
        ctx.xobjects.push(`/${name} ${form.objectNumber} 0 R`);
        c.push(`q ${placement.map(num).join(' ')} cm /${name} Do Q`);
      } else {
        // the note the layout puts in the page's place (the DOCX prints the same for a page it cannot draw)
        drawTextBlock(b.notice, c, ctx);
      }
      return;
    }
  }
}

/**
 * The evidence document pages are being copied from: all the pages this volume shows of it are
 * copied into one scratch document at once, so the fonts and images they share are written once.
 */
async function evidenceSource(ctx: DrawContext, p: string): Promise<SourceSession> {
  if (ctx.source?.path === p) return ctx.source;
  // (a document that could not be opened is not opened again for each of its pages)
  if (ctx.unopened?.path === p) throw ctx.unopened.err;
  let doc: PDFDocument;
  try {
    doc = await ctx.assets.pdf(p);
  } catch (err) {
    ctx.unopened = { path: p, err };
    throw err;
  }
  const session = await ctx.w.session();
  const indices = ctx.evidenceIndices.get(p) ?? [];
  const embedded = await session.use((scratch) =>
    scratch.embedPages(
      indices.map((i) => doc.getPage(i)),
      indices.map((i) => {
        const crop = doc.getPage(i).getCropBox();
        return { left: crop.x, bottom: crop.y, right: crop.x + crop.width, top: crop.y + crop.height };
      }),
      indices.map(() => [1, 0, 0, 1, 0, 0] as [number, number, number, number, number, number]),
    ),
  );
  ctx.source = { path: p, doc, session, pages: new Map(indices.map((i, k) => [i, embedded[k]!])) };
  return ctx.source;
}

/**
 * A page of an evidence document as one form XObject in its own coordinates (its crop box): the
 * page's content, then the appearance of each visible annotation at its rectangle — what a viewer
 * shows, flattened, so seals and filled-in forms survive.
 */
async function pageForm(doc: PDFDocument, embedded: PDFEmbeddedPage): Promise<PDFRef> {
  await embedded.embed();
  const ctx = doc.context;
  const embedder = (embedded as unknown as { embedder: { page: PDFDict; boundingBox: { left: number; bottom: number; right: number; top: number } } }).embedder;
  const copied = embedder.page;
  const box = embedder.boundingBox;
  const xobjects = ctx.obj({}) as PDFDict;
  xobjects.set(PDFName.of('P'), embedded.ref);
  const ops = ['/P Do'];
  const annots = copied.lookup(PDFName.of('Annots'));
  if (annots instanceof PDFArray) {
    for (let i = 0; i < annots.size(); i++) {
      const a = annots.lookup(i);
      if (!(a instanceof PDFDict)) continue;
      const flags = a.lookup(PDFName.of('F'));
      const f = flags instanceof PDFNumber ? flags.asNumber() : 0;
      if (f & 2 || f & 32) continue; // Hidden, NoView
      const subtype = a.lookup(PDFName.of('Subtype'));
      if (subtype instanceof PDFName && subtype.decodeText() === 'Popup') continue;
      const ap = a.lookup(PDFName.of('AP'));
      if (!(ap instanceof PDFDict)) continue;
      let n = ap.get(PDFName.of('N'));
      const nObj = n instanceof PDFRef ? ctx.lookup(n) : n;
      if (nObj instanceof PDFDict && !(nObj instanceof PDFStream)) {
        const as = a.lookup(PDFName.of('AS'));
        n = as instanceof PDFName ? nObj.get(as) : undefined;
      }
      const stream = n instanceof PDFRef ? ctx.lookup(n) : undefined;
      const rect = a.lookup(PDFName.of('Rect'));
      if (!(n instanceof PDFRef) || !(stream instanceof PDFStream) || !(rect instanceof PDFArray)) continue;
      const [rx0, ry0, rx1, ry1] = rect.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0)) as [number, number, number, number];
      const bbox = stream.dict.lookup(PDFName.of('BBox'));
      if (!(bbox instanceof PDFArray)) continue;
      const [bx0, by0, bx1, by1] = bbox.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0)) as [number, number, number, number];
      const mtx = stream.dict.lookup(PDFName.of('Matrix'));
      const mm = mtx instanceof PDFArray ? (mtx.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0)) as number[]) : [1, 0, 0, 1, 0, 0];
      // the appearance's box as its matrix transforms it, then mapped onto the annotation's rectangle
      const pts = [[bx0, by0], [bx1, by0], [bx0, by1], [bx1, by1]].map(([x, y]) => [mm[0]! * x! + mm[2]! * y! + mm[4]!, mm[1]! * x! + mm[3]! * y! + mm[5]!]);
      const tx0 = Math.min(...pts.map((p) => p[0]!));
      const tx1 = Math.max(...pts.map((p) => p[0]!));
      const ty0 = Math.min(...pts.map((p) => p[1]!));
      const ty1 = Math.max(...pts.map((p) => p[1]!));
      if (tx1 - tx0 <= 0 || ty1 - ty0 <= 0) continue;
      const sx = (Math.max(rx0, rx1) - Math.min(rx0, rx1)) / (tx1 - tx0);
      const sy = (Math.max(ry0, ry1) - Math.min(ry0, ry1)) / (ty1 - ty0);
      const name = `A${i}`;
      xobjects.set(PDFName.of(name), n);
      ops.push(`q ${num(sx)} 0 0 ${num(sy)} ${num(Math.min(rx0, rx1) - tx0 * sx)} ${num(Math.min(ry0, ry1) - ty0 * sy)} cm /${name} Do Q`);
    }
  }
  const wrapper = ctx.flateStream(new TextEncoder().encode(ops.join('\n')), {
    Type: 'XObject',
    Subtype: 'Form',
    FormType: 1,
    BBox: [box.left, box.bottom, box.right, box.top],
    Resources: ctx.obj({ XObject: xobjects }),
  });
  return ctx.register(wrapper);
}

/** The matrix that shows a page (crop box, /Rotate) upright in `rect` (PDF coordinates, y up). */
export function placementMatrix(page: PDFPage, rect: Rect): number[] {
  const crop = page.getCropBox();
  const rot = ((page.getRotation().angle % 360) + 360) % 360;
  const l = crop.x;
  const b = crop.y;
  const r = crop.x + crop.width;
  const t = crop.y + crop.height;
  const shownW = rot === 90 || rot === 270 ? crop.height : crop.width;
  const s = rect.w / shownW;
  const X = rect.x;
  const Y = rect.y;
  switch (rot) {
    case 90:
      return [0, -s, s, 0, X - s * b, Y + s * r];
    case 180:
      return [-s, 0, 0, -s, X + s * r, Y + s * t];
    case 270:
      return [0, s, -s, 0, X + s * t, Y - s * l];
    default:
      return [s, 0, 0, s, X - s * l, Y - s * b];
  }
}

function writeOutline(w: PdfWriter, nodes: OutlineNode[], pages: number[]): number | undefined {
  if (nodes.length === 0) return undefined;
  const root = w.alloc();
  const build = (list: OutlineNode[], parent: number): { first: number; last: number; count: number } => {
    const nums = list.map(() => w.alloc());
    list.forEach((node, i) => {
      const parts = [`/Title ${pdfText(node.title)}`, `/Parent ${parent} 0 R`, `/Dest [${pages[node.page]!} 0 R /XYZ null null null]`];
      if (i > 0) parts.push(`/Prev ${nums[i - 1]!} 0 R`);
      if (i < list.length - 1) parts.push(`/Next ${nums[i + 1]!} 0 R`);
      if (node.children && node.children.length > 0) {
        const sub = build(node.children, nums[i]!);
        // negative: closed, so a long volume opens as a short list of indicators
        parts.push(`/First ${sub.first} 0 R /Last ${sub.last} 0 R /Count -${sub.count}`);
      }
      w.object(nums[i]!, `<< ${parts.join(' ')} >>`);
    });
    return { first: nums[0]!, last: nums[nums.length - 1]!, count: list.length };
  };
  const top = build(nodes, root);
  w.object(root, `<< /Type /Outlines /First ${top.first} 0 R /Last ${top.last} 0 R /Count ${top.count} >>`);
  return root;
}

export type { VolumePage };
