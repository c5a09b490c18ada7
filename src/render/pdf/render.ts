// The PDF volume: the page model drawn, page by page, into a PDF written as it goes. Text in the
// volume's subset fonts (real, extractable Unicode), tables as lines, photos as images, pages of
// evidence as form XObjects scaled into their place — their visible annotations (seals, stamps, form
// appearances) drawn with them, their actions gone — and bookmarks, page labels and metadata.
import { failureMessage } from '../../errors.js';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, PDFStream, type PDFDocument, type PDFEmbeddedPage, type PDFFont, type PDFPage } from 'pdf-lib';
import { baseline, fitInto, type Block, type Color, type OutlineNode, type Rect, type TextStyle, type VolumeModel, type VolumePage } from '../../layout/model.js';
import type { Role } from '../../layout/template.js';
import type { FontSet } from '../fonts.js';
import { num, pdfText, PdfWriter, type ByteSink, type ScratchSession } from './writer.js';
import { passThroughPng, pngImageDict } from './png.js';

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
}

const COLORS: Record<Color, string> = { black: '0 g 0 G', grey: '0.45 g 0.45 G', red: '0.8 0.05 0.05 rg 0.8 0.05 0.05 RG' };

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
  const chars = collectChars(model);
  const embedded = new Map<Role, { font: PDFFont; name: string }>();
  let fontRefs = new Map<string, number>();
  await w.scratch(async (doc) => {
    const byRole = await fonts.embed(doc, chars);
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
  const fontResources = `/Font << ${[...fontRefs].map(([name, n]) => `/${name} ${n} 0 R`).join(' ')} >>`;

  const evidenceIndices = new Map<string, number[]>();
  for (const page of model.pages) {
    for (const b of page.blocks) if (b.type === 'evidence') evidenceIndices.set(b.page.path, [...(evidenceIndices.get(b.page.path) ?? []), b.page.index]);
  }
  const draw: DrawContext = { w, assets, embedded, fonts, xobjects: [], failures, evidenceIndices };
  const pageNums: number[] = [];
  for (const page of model.pages) {
    const c = new Content(page.height);
    const xobjects: string[] = [];
    draw.xobjects = xobjects;
    for (const block of page.blocks) await drawBlock(block, c, draw);
    if (page.number) {
      drawText(c, embedded, fonts, String(page.number.value), page.number.x, page.number.y, page.number.style, page.number.align);
    }
    const contents = w.alloc();
    w.stream(contents, '', c.bytes());
    const n = w.alloc();
    pageNums.push(n);
    const res = `<< ${fontResources}${xobjects.length > 0 ? ` /XObject << ${xobjects.join(' ')} >>` : ''} /ProcSet [/PDF /Text /ImageB /ImageC] >>`;
    w.object(n, `<< /Type /Page /Parent ${pagesRoot} 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] /Resources ${res} /Contents ${contents} 0 R >>`);
  }
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
  return { sha256: w.finish(catalog, info), failures };
}

function collectChars(model: VolumeModel): Map<Role, Set<string>> {
  const out = new Map<Role, Set<string>>();
  const add = (role: Role, s: string) => {
    let set = out.get(role);
    if (!set) out.set(role, (set = new Set()));
    for (const ch of s) set.add(ch);
  };
  for (const p of model.pages) {
    if (p.number) add(p.number.style.font, String(p.number.value));
    for (const b of p.blocks) {
      if (b.type === 'text') for (const l of b.lines) add(b.style.font, l);
      if (b.type === 'table') for (const r of b.rows) for (const c of r.cells) for (const l of c.lines) add(c.style.font, l);
    }
  }
  return out;
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
  evidenceIndices: Map<string, number[]>;
  assets: PdfAssets;
  embedded: Map<Role, { font: PDFFont; name: string }>;
  fonts: FontSet;
  xobjects: string[];
  failures: PdfRenderResult['failures'];
}

function drawText(c: Content, embedded: DrawContext['embedded'], fonts: FontSet, text: string, x: number, top: number, style: TextStyle, align: 'left' | 'center' | 'right', width = 0, line = 0): void {
  if (text === '') return;
  const f = embedded.get(style.font)!;
  const tw = fonts.width(style.font, text, style.size);
  const left = align === 'center' ? x + (width - tw) / 2 : align === 'right' ? x + (width === 0 ? -tw : width - tw) : x;
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

function line(c: Content, x1: number, y1: number, x2: number, y2: number, width: number): void {
  c.push(`${num(width)} w ${num(x1)} ${num(c.y(y1))} m ${num(x2)} ${num(c.y(y2))} l S`);
}

async function drawBlock(b: Block, c: Content, ctx: DrawContext): Promise<void> {
  const { embedded, fonts } = ctx;
  switch (b.type) {
    case 'text':
      if (b.color) c.push(COLORS[b.color]);
      b.lines.forEach((l, i) => drawText(c, embedded, fonts, l, b.x, b.y, b.style, b.align, b.width, i));
      if (b.color) c.push(COLORS.black);
      return;
    case 'rule':
      line(c, b.x1, b.y1, b.x2, b.y2, b.width);
      return;
    case 'box':
      c.push(`0.6 w ${num(b.rect.x)} ${num(c.y(b.rect.y + b.rect.h))} ${num(b.rect.w)} ${num(b.rect.h)} re S`);
      return;
    case 'table': {
      if (b.color) c.push(COLORS[b.color]);
      const total = b.columns.reduce((s, x) => s + x, 0);
      let y = b.y;
      for (const row of b.rows) {
        let x = b.x;
        row.cells.forEach((cell, i) => {
          const cw = b.columns[i]!;
          const blockH = cell.lines.length * cell.style.lineHeight;
          const top = cell.valign === 'top' ? y + b.padding : y + (row.height - blockH) / 2;
          cell.lines.forEach((l, k) => {
            drawText(c, embedded, fonts, l, x + b.padding, top, cell.style, cell.align, cw - 2 * b.padding, k);
            if (cell.ruled) {
              const ly = top + (k + 1) * cell.style.lineHeight - cell.style.lineHeight * 0.12;
              line(c, x + b.padding, ly, x + cw - b.padding, ly, 0.5);
            }
          });
          x += cw;
        });
        if (b.frame === 'grid') {
          c.push(`0.6 w ${num(b.x)} ${num(c.y(y + row.height))} ${num(total)} ${num(row.height)} re S`);
          let cx = b.x;
          for (const cw of b.columns.slice(0, -1)) {
            cx += cw;
            line(c, cx, y, cx, y + row.height, 0.6);
          }
        }
        y += row.height;
      }
      if (b.color) c.push(COLORS.black);
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
        ctx.failures.push({ path: b.page.path, index: b.page.index, message: failureMessage(err, 'pdf') });
      }
      if (form) {
        const name = `P${ctx.xobjects.length}`;
        ctx.xobjects.push(`/${name} ${form.objectNumber} 0 R`);
        c.push(`q ${placement.map(num).join(' ')} cm /${name} Do Q`);
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
  const doc = await ctx.assets.pdf(p);
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
