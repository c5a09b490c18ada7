// The DOCX twin of a volume: the same page model drawn as an editable Word document — one DOCX page
// per page, text as text, tables as Word tables, photos and document pages as pictures, the page
// number in the header of the numbered pages only. Blocks are laid in the flow at the heights the
// model gave (exact line heights, exact row heights), side by side in a borderless table where the
// model puts them side by side. The package is written as a stream: pictures are read from disk one
// at a time, so a volume of a thousand photos does not sit in memory. Every place, size, line width,
// colour, font name and word comes from the page model (the page margins and the header's number from its
// `flow`); a block's role, never its look, says what it is (the 归档章 floats).
import { createHash } from 'node:crypto';
import yazl from 'yazl';
import { fitInto, type Block, type Rect, type TextBlock, type Typeface, type VolumeModel, type VolumePage } from '../../layout/model.js';
import type { ByteSink } from '../../util/sink.js';
import { OBJECT_NAME } from '../../wording/volume.js';
import { esc, floatingBox, lines, NS, paragraph, picture, run, sectPr, table, tw, XML_HEAD, type CellXml, type RunFonts, type SectionOptions } from './ooxml.js';
import type { FontSet } from '../fonts.js';

export interface DocxAssets {
  /** the prepared photo's file */
  photoFile(path: string): { file: string; format: 'jpg' | 'png' };
  /** page `index` of an evidence document as an image file (JPEG unless `format` says); undefined when it cannot be drawn */
  pageImage(path: string, index: number): Promise<{ file: string; width: number; height: number; format?: 'jpg' | 'png' } | undefined>;
}

export interface DocxResult {
  sha256: string;
  /** pages of evidence that could not be drawn as pictures (a note stands in their place) */
  unrendered: number;
}

interface Media {
  name: string;
  file: string;
  rel: string;
}

class Flow {
  xml: string[] = [];
  media: Media[] = [];
  pictures = 0;
  unrendered = 0;
  constructor(
    readonly assets: DocxAssets,
    readonly fonts: RunFonts,
  ) {}

  addMedia(file: string, ext: string): string {
    const rel = `rIdm${this.media.length + 1}`;
    this.media.push({ name: `media/image${this.media.length + 1}.${ext}`, file, rel });
    return rel;
  }
}

/** The vertical extent of a block. */
function extent(b: Block): [number, number] {
  switch (b.type) {
    case 'text':
      return [b.y, b.y + b.lines.length * b.style.lineHeight];
    case 'table':
      return [b.y, b.y + b.rows.reduce((h, r) => h + r.height, 0)];
    case 'box':
    case 'photo':
    case 'evidence':
      return [b.rect.y, b.rect.y + b.rect.h];
  }
}

function horizontal(b: Block): [number, number] {
  switch (b.type) {
    case 'text':
      return [b.x, b.x + b.width];
    case 'table':
      return [b.x, b.x + b.columns.reduce((a, c) => a + c, 0)];
    default:
      return [b.rect.x, b.rect.x + b.rect.w];
  }
}

/** Lay `blocks` into the flow from (x, y) on, `width` wide; returns the XML and where it ends. */
async function flow(f: Flow, blocks: Block[], x: number, y: number, width: number, first: { pageBreak: boolean }): Promise<{ xml: string; y: number }> {
  const out: string[] = [];
  let cursor = y;
  let lastTable = false;
  const spacer = (to: number) => {
    // a paragraph as tall as the gap down to `to` (at least one point): tables cannot have space before
    const h = Math.max(1, to - cursor);
    out.push(paragraph('', { line: h, pageBreakBefore: first.pageBreak }));
    first.pageBreak = false;
    cursor += h;
    lastTable = false;
  };
  const sorted = [...blocks].sort((a, b) => extent(a)[0] - extent(b)[0]);
  // bands of blocks that share height; a band whose blocks stand side by side becomes a table
  const bands: { blocks: Block[]; end: number }[] = [];
  for (const b of sorted) {
    const [top, bottom] = extent(b);
    const last = bands[bands.length - 1];
    if (last && top < last.end - 0.5) {
      last.blocks.push(b);
      last.end = Math.max(last.end, bottom);
    } else bands.push({ blocks: [b], end: bottom });
  }
  for (const { blocks: band } of bands) {
    const box = band.find((b): b is Extract<Block, { type: 'box' }> => b.type === 'box');
    if (box) {
      // a framed area with text inside: one bordered cell holding that text
      spacer(box.rect.y);
      const inner = await flow(f, band.filter((b) => b !== box), box.rect.x, box.rect.y, box.rect.w, { pageBreak: false });
      out.push(table([box.rect.w], [{ height: box.rect.h, cells: [{ width: box.rect.w, content: inner.xml, valign: 'top', frame: box.width }] }], { indent: box.rect.x - x, padding: 0 }));
      cursor = box.rect.y + box.rect.h;
      lastTable = true;
      continue;
    }
    const columns = columnsOf(band);
    if (band.length > 1 && columns.length > 1) {
      const top = Math.min(...band.map((b) => extent(b)[0]));
      const bottom = Math.max(...band.map((b) => extent(b)[1]));
      spacer(top);
      const widths: number[] = [];
      const cells: CellXml[] = [];
      let at = columns[0]!.left;
      for (const col of columns) {
        if (col.left > at + 0.5) {
          widths.push(col.left - at);
          cells.push({ width: col.left - at, content: '', valign: 'top' });
        }
        const inner = await flow(f, col.blocks, col.left, top, col.right - col.left, { pageBreak: false });
        widths.push(col.right - col.left);
        cells.push({ width: col.right - col.left, content: inner.xml, valign: 'top' });
        at = col.right;
      }
      out.push(table(widths, [{ height: bottom - top, cells }], { indent: columns[0]!.left - x, padding: 0 }));
      cursor = bottom;
      lastTable = true;
      continue;
    }
    // text the model broke from paragraphs goes in as those paragraphs: Word wraps them itself
    const text = (b: TextBlock) => {
      out.push(
        lines(f.fonts, b.paragraphs ?? b.lines, b.style, {
          align: b.align,
          before: b.y - cursor,
          indLeft: b.x - x,
          indRight: x + width - (b.x + b.width),
          pageBreakBefore: first.pageBreak,
          ...(b.color ? { color: b.color } : {}),
        }),
      );
      first.pageBreak = false;
      cursor = b.y + b.lines.length * b.style.lineHeight;
      lastTable = false;
    };
    for (const b of band) {
      const [top, bottom] = extent(b);
      switch (b.type) {
        case 'text':
          text(b);
          break;
        case 'table': {
          if (lastTable || top - cursor > 0.5 || first.pageBreak) spacer(top);
          out.push(tableXml(f, b, x));
          cursor = bottom;
          lastTable = true;
          break;
        }
        case 'photo': {
          const p = f.assets.photoFile(b.photo.path);
          const rel = f.addMedia(p.file, p.format === 'jpg' ? 'jpeg' : 'png');
          const id = ++f.pictures;
          out.push(paragraph(picture(rel, id, OBJECT_NAME.picture(id), b.rect.w, b.rect.h), { before: top - cursor, indLeft: b.rect.x - x, pageBreakBefore: first.pageBreak }));
          first.pageBreak = false;
          cursor = bottom;
          lastTable = false;
          break;
        }
        case 'evidence': {
          const img = await f.assets.pageImage(b.page.path, b.page.index);
          if (!img) {
            // the note the layout puts in the page's place, as the PDF prints it for a page it cannot copy
            f.unrendered++;
            text(b.notice);
          } else {
            const fit = fitInto(b.rect, b.page.width, b.page.height);
            const rel = f.addMedia(img.file, img.format === 'png' ? 'png' : 'jpeg');
            const id = ++f.pictures;
            out.push(paragraph(picture(rel, id, OBJECT_NAME.picture(id), fit.w, fit.h), { before: fit.y - cursor, indLeft: fit.x - x, pageBreakBefore: first.pageBreak }));
            cursor = fit.y + fit.h;
            first.pageBreak = false;
            lastTable = false;
          }
          break;
        }
      }
    }
  }
  return { xml: out.join(''), y: cursor };
}

/** Blocks grouped into columns that do not overlap horizontally. */
function columnsOf(band: Block[]): { left: number; right: number; blocks: Block[] }[] {
  const cols: { left: number; right: number; blocks: Block[] }[] = [];
  for (const b of [...band].sort((a, c) => horizontal(a)[0] - horizontal(c)[0])) {
    const [l, r] = horizontal(b);
    const last = cols[cols.length - 1];
    if (last && l < last.right - 0.5) {
      last.right = Math.max(last.right, r);
      last.blocks.push(b);
    } else cols.push({ left: l, right: r, blocks: [b] });
  }
  return cols;
}

function tableXml(f: Flow, b: Extract<Block, { type: 'table' }>, x: number): string {
  return table(
    b.columns,
    b.rows.map((r) => ({
      height: r.height,
      cells: r.cells.map((c, i) => ({
        width: b.columns[i]!,
        valign: c.valign,
        ...(b.frame !== undefined ? { frame: b.frame } : {}),
        ...(b.color ? { color: b.color } : {}),
        // one ruled line: the cell's own bottom border; several: a rule under each paragraph
        ...(c.ruled && c.lines.length === 1 ? { underline: c.ruled.width } : {}),
        // a cell's text as one paragraph when the model broke it from one: Word wraps it in the cell
        content: lines(f.fonts, c.source !== undefined && !c.ruled ? [c.source] : c.lines, c.style, {
          align: c.align,
          ...(c.ruled && c.lines.length > 1 ? { ruled: { width: c.ruled.width, ...(b.color ? { color: b.color } : {}) } } : {}),
          ...(b.color ? { color: b.color } : {}),
        }),
      })),
    })),
    { indent: b.x - x, padding: b.padding, header: b.repeatHeader ?? false },
  );
}

/**
 * The header of odd (recto) or even (verso) pages: a PAGE field where the model's `flow.number`
 * puts the number — as far from the outer edge as the stamped numbers, the header as far below the
 * top edge as they are (the section's header distance). Its exact line is 1.2 of the number's: Word
 * clips the top of glyphs on an exact line no taller than the font.
 */
function numberHeader(fonts: RunFonts, flow: VolumeModel['flow'], side: 'odd' | 'even'): string {
  const { style, fromOuter } = flow.number;
  const field =
    `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
    `<w:r><w:fldChar w:fldCharType="separate"/></w:r>${run(fonts, '1', style)}<w:r><w:fldChar w:fldCharType="end"/></w:r>`;
  const ind = Math.max(0, fromOuter - (side === 'odd' ? flow.margins.right : flow.margins.left));
  return `${XML_HEAD}<w:hdr ${NS}>${paragraph(field, { align: side === 'odd' ? 'right' : 'left', line: style.lineHeight * 1.2, ...(side === 'odd' ? { indRight: ind } : { indLeft: ind }) })}</w:hdr>`;
}

export interface DocxOptions {
  /** the PDF's fonts: text they draw with a fallback (emoji, other scripts) names that font in its runs */
  fonts?: FontSet;
}

export async function renderDocx(model: VolumeModel, assets: DocxAssets, sink: ByteSink, opts: DocxOptions = {}): Promise<DocxResult> {
  const fonts = opts.fonts;
  const f = new Flow(assets, { faces: model.faces, ...(fonts ? { split: (role, text) => fonts.docxParts(role, text) } : {}) });
  const { top, left, right } = model.flow.margins;
  const margins = { ...model.flow.margins, header: model.flow.number.fromTop };
  const headers = { default: 'rIdh1', even: 'rIdh2' };
  const blank = { default: 'rIdh3', even: 'rIdh3' };

  const body: string[] = [];
  let section: SectionOptions | undefined;
  let firstNumbered = true;
  let pageInSection = 0;
  const sectionOf = (p: VolumePage): SectionOptions => ({
    width: p.width,
    height: p.height,
    margins,
    headers: p.number ? headers : blank,
    restartNumbering: p.number !== undefined && firstNumbered,
  });
  const same = (a: SectionOptions, b: SectionOptions) => a.width === b.width && a.height === b.height && a.headers === b.headers;

  for (const page of model.pages) {
    const want = sectionOf(page);
    if (section && !same(section, want)) {
      // the section's properties go into its last paragraph
      body.push(paragraph('', { line: 1 }).replace('<w:pPr>', `<w:pPr>${sectPr(section)}`));
      pageInSection = 0;
    }
    if (!section || !same(section, want)) {
      section = want;
      if (page.number) firstNumbered = false;
    }
    // the 归档章 floats at its place on the page and takes no room in the flow: a text box anchored
    // in a one-point paragraph that starts the page (a floating table would push LibreOffice's
    // pagination about).
    const floating = page.blocks.filter((b): b is Extract<Block, { type: 'table' }> => b.type === 'table' && b.role === 'stamp');
    const flowing = page.blocks.filter((b) => !(floating as Block[]).includes(b));
    let start = top;
    if (floating.length > 0) {
      const boxes = floating.map((t) => {
        const w = t.columns.reduce((a, c) => a + c, 0);
        const h = t.rows.reduce((a, r) => a + r.height, 0);
        const id = ++f.pictures;
        return floatingBox(tableXml(f, t, t.x), id, OBJECT_NAME.stamp(id), t.x, t.y, w, h);
      });
      body.push(paragraph(boxes.join(''), { line: 1, pageBreakBefore: pageInSection > 0 }));
      start = top + 1;
    }
    const r = await flow(f, flowing, left, start, page.width - left - right, { pageBreak: floating.length === 0 && pageInSection > 0 });
    body.push(r.xml);
    pageInSection++;
  }
  const document = `${XML_HEAD}<w:document ${NS}><w:body>${body.join('')}${section ? sectPr(section) : ''}</w:body></w:document>`;

  const date = new Date(`${model.info.date}T00:00:00Z`);
  const zip = new yazl.ZipFile();
  const text = (name: string, xml: string) => zip.addBuffer(Buffer.from(xml, 'utf8'), name, { mtime: date, compress: true, forceDosTimestamp: true });
  text('[Content_Types].xml', contentTypes());
  text('_rels/.rels', `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`);
  text('docProps/core.xml', core(model, date));
  text('docProps/app.xml', `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"></Properties>`);
  text('word/document.xml', document);
  text('word/styles.xml', styles(model.faces.song));
  text('word/settings.xml', `${XML_HEAD}<w:settings ${NS}><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`);
  text('word/header1.xml', numberHeader(f.fonts, model.flow, 'odd'));
  text('word/header2.xml', numberHeader(f.fonts, model.flow, 'even'));
  text('word/header3.xml', `${XML_HEAD}<w:hdr ${NS}>${paragraph('', { line: 1 })}</w:hdr>`);
  text(
    'word/_rels/document.xml.rels',
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rIds" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
      `<Relationship Id="rIdt" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
      [1, 2, 3].map((i) => `<Relationship Id="rIdh${i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header${i}.xml"/>`).join('') +
      f.media.map((m) => `<Relationship Id="${m.rel}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${m.name}"/>`).join('') +
      '</Relationships>',
  );
  for (const m of f.media) zip.addFile(m.file, `word/${m.name}`, { mtime: date, compress: false, forceDosTimestamp: true });
  zip.end();
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => {
      sink.write(chunk);
      hash.update(chunk);
    });
    zip.outputStream.on('end', resolve);
    zip.outputStream.on('error', reject);
  });
  return { sha256: hash.digest('hex'), unrendered: f.unrendered };
}

function contentTypes(): string {
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
    `<Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="png" ContentType="image/png"/>` +
    `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
    `<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
    `<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
    [1, 2, 3].map((i) => `<Override PartName="/word/header${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>`).join('') +
    `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
    `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`
  );
}

function core(model: VolumeModel, date: Date): string {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${esc(model.info.title)}</dc:title><dc:subject>${esc(model.info.subject)}</dc:subject><dc:creator>${esc(model.info.author)}</dc:creator>` +
    `<cp:keywords>${esc(model.info.keywords.join(' '))}</cp:keywords><cp:lastModifiedBy>${esc(model.info.author)}</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${iso}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${iso}</dcterms:modified></cp:coreProperties>`
  );
}

/** The document's defaults: text in `face` (what an empty paragraph's mark is set in; every run names its own). */
function styles(face: Typeface): string {
  return (
    `${XML_HEAD}<w:styles ${NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="${esc(face.latin)}" w:hAnsi="${esc(face.latin)}" w:eastAsia="${esc(face.eastAsia)}" w:cs="${esc(face.latin)}"/>` +
    `<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
    `<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
    `</w:styles>`
  );
}

export type { Rect };
export { tw };
