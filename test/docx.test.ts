// issue 4 (DOCX): the editable twin of each PDF volume, checked by LibreOffice (the same page count and
// 卷内目录 as our PDF), by unzip + an XML parser (valid OOXML), and byte for byte on a rebuild.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { layout } from '../src/layout/template.js';
import { layoutVolume, type LaidOutVolume } from '../src/layout/volume.js';
import { renderDocx, type DocxOptions } from '../src/render/docx/render.js';
import { bundledFontFiles, FontSet, fontFiles } from '../src/render/fonts.js';
import { renderPdf } from '../src/render/pdf/render.js';
import type { Report } from '../src/report/report.js';
import { EXAMPLE, LO_PDF, manualYaml, pageCount, project, run, stampedNumber, tempDir, tool } from './helpers.js';
import { projectModel } from './model.js';

/** Every XML part of the package, parsed by Python's expat; returns the part names. */
function parseParts(docx: string): string[] {
  const py = spawnSync(
    'python3',
    [
      '-c',
      `import sys, zipfile, json, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
for n in names:
    if n.endswith('.xml') or n.endswith('.rels'):
        xml.dom.minidom.parseString(z.read(n))
print(json.dumps(names))`,
      docx,
    ],
    { encoding: 'utf8' },
  );
  if (py.status !== 0) throw new Error(py.stderr);
  return JSON.parse(py.stdout) as string[];
}

const documentXml = (docx: string) => tool('unzip', ['-p', docx, 'word/document.xml']);

describe('DOCX volumes', () => {
  const dir = inject('exampleDir');
  const out = path.join(dir, 'out');
  /** LibreOffice's print of each DOCX, made once for the run */
  const converted = (file: string) => path.join(inject('exampleDocxPdf'), file);
  let report: Report;

  beforeAll(() => {
    report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
  });

  it('are made beside every PDF volume by default, and listed in the manifest', () => {
    for (const v of report.volumes!) expect(existsSync(path.join(out, v.file.replace(/\.pdf$/, '.docx')))).toBe(true);
    const manifest = readFileSync(path.join(out, 'manifest-sha256.txt'), 'utf8');
    expect(manifest).toContain('  A1 组织领导.docx');
  });

  it('open in LibreOffice with the same page count as the PDF, and the same 卷内目录', () => {
    for (const v of report.volumes!) {
      const lo = converted(v.file);
      const ours = path.join(out, v.file);
      expect([v.file, pageCount(lo)]).toEqual([v.file, pageCount(ours)]);
      // every row of our 卷内目录 (目录.xlsx holds them as printed) stands in LibreOffice's print of
      // the DOCX: its title, its date and its 页号, read cell by cell (-raw)
      const theirs = tool('pdftotext', ['-raw', '-f', '2', '-l', '2', lo, '-']).replace(/\s+/g, '');
      const ourToc = tool('pdftotext', ['-raw', '-f', '2', '-l', '2', ours, '-']).replace(/\s+/g, '');
      expect(theirs).toBe(ourToc);
    }
  });

  it('carry page numbers in the header of the numbered pages only: odd right, even left', () => {
    const lo = converted('A2 理想信念教育.pdf');
    const total = pageCount(lo);
    const numbered = report.volumes![1]!.pages;
    expect(stampedNumber(lo, 1)).toBeUndefined();
    expect(stampedNumber(lo, 2)).toBeUndefined();
    expect(stampedNumber(lo, total)).toBeUndefined();
    for (let n = 1; n <= numbered; n++) {
      expect([n, stampedNumber(lo, 2 + n)]).toEqual([n, { side: n % 2 === 1 ? 'right' : 'left', value: String(n) }]);
    }
  });

  it('captions stand directly under the photo, as in the PDF (LibreOffice word boxes)', () => {
    // the photo page of A1 (page 6): the caption's first label sits just below the picture
    const lo = converted('A1 组织领导.pdf');
    const words = (file: string) => {
      const html = tool('pdftotext', ['-f', '6', '-l', '6', '-bbox', file, '-']);
      return Object.fromEntries([...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<\/word>/g)].map((m) => [m[3]!, Number(m[2])]));
    };
    const ours = words(path.join(out, 'A1 组织领导.pdf'));
    const theirs = words(lo);
    expect(theirs['题名：']).toBeDefined();
    expect(Math.abs(theirs['题名：']! - ours['题名：']!)).toBeLessThan(12);
  });

  it('are valid OOXML with editable text: cover fields, a real 卷内目录 table, captions; evidence pages as images', () => {
    const docx = path.join(out, 'A1 组织领导.docx');
    const parts = parseParts(docx);
    expect(parts).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/settings.xml']));
    expect(parts.filter((p) => p.startsWith('word/media/')).length).toBeGreaterThanOrEqual(3); // 2 photos + the 通知 page
    const xml = documentXml(docx);
    const text = xml.replace(/<[^>]+>/g, '');
    for (const s of ['全宗名称', '某某市第一小学', 'Z109-2024-D30-A1', '卷内目录', '关于成立创城工作领导小组的通知', '20230901', '测评材料提交表', '缺项说明', '卷内备考表', '地点：学校三楼会议室']) {
      expect([s, text.includes(s)]).toEqual([s, true]);
    }
    expect(xml.match(/<w:tbl>/g)!.length).toBeGreaterThanOrEqual(4);
    expect(tool('unzip', ['-p', docx, 'word/settings.xml'])).toContain('w:evenAndOddHeaders');
    // fonts a Chinese office has, named for Word, WPS and LibreOffice
    expect(xml).toContain('w:eastAsia="宋体"');
    expect(xml).toContain('w:eastAsia="黑体"');
  });

  it('--format docx alone writes no PDF; without poppler, evidence pages become notice pages and a warning', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 材料\n`));
    cpSync(path.join(EXAMPLE, 'evidence', 'A1 组织领导', 'A1.1 领导机构健全', '2023-09-01 关于成立创城工作领导小组的通知 一小〔2023〕12号.pdf'), path.join(p.evidence, 'A1.1', '2023-09-01 通知.pdf'), { recursive: true });
    const emptyPath = tempDir('nopath-');
    // (no cache: page images of this PDF drawn by an earlier build would leave poppler nothing to do)
    const r = await run(['build', p.dir, '--format', 'docx', '--date', '2024-05-20', '--no-cache'], { env: { PATH: emptyPath } });
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(p.dir, 'out')).sort()).toEqual(['A1 t.docx', 'manifest-sha256.txt', 'report.json', '目录.xlsx']);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(rep.warnings).toContainEqual(expect.objectContaining({ path: 'A1 t.docx', code: 'not-converted', params: { cause: 'no-page-renderer', pages: 1 } }));
    // the page in its place says only what an inspector needs
    const xml = documentXml(path.join(p.dir, 'out', 'A1 t.docx'));
    expect(xml).toContain('请以原件为准');
    expect(xml).not.toContain('pdftoppm');
    // the same note, centred, that the PDF prints for a page it cannot copy (test/pdf-readers.test.ts §7)
    const note = xml.split('<w:p>').find((s) => s.includes('此页原件未能复制到卷中，请以原件为准。'));
    expect(note).toContain('<w:jc w:val="center"/>');
  });
});

describe('the PDF and the DOCX drawn from the page model alone', () => {
  // one volume with text in every role, names in other scripts (fallback fonts), a 归档章 and the pages of a document
  const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 材料\n`, 'fonds: Z1\nyear: 2024\nretention: 永久\narchiveStamp: true\n'));
  let model: LaidOutVolume;
  /** the same volume laid out for a manual that gives a 仿宋 font */
  let withFangFont: LaidOutVolume;
  let fonts: FontSet;
  /** the DOCX of a volume, its evidence pages not drawable (a note in their place); `slow` lets other renders run between its pages */
  const docx = async (opts: DocxOptions, slow = false, of: LaidOutVolume = model): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    await renderDocx(
      of,
      {
        photoFile: () => {
          throw new Error('this volume has no photo');
        },
        pageImage: async () => {
          if (slow) await new Promise((r) => setTimeout(r, 5));
          return undefined;
        },
      },
      { write: (c) => chunks.push(Buffer.from(c)) },
      opts,
    );
    return Buffer.concat(chunks);
  };

  beforeAll(async () => {
    p.copy(LO_PDF, 'A1.1/2023-10-01 通知.pdf');
    p.write('A1.1/2023-10-02 记录 😀.txt', '记录正文 تقرير\n');
    const m = await projectModel(p.dir);
    model = m.volumes[0]!.model;
    fonts = await FontSet.load(fontFiles({ ...m.assessment.manual, fonts: {} }));
    const manual = { ...m.assessment.manual, fonts: { fang: bundledFontFiles().fang } };
    withFangFont = layoutVolume(m.volumes[0]!.plan, { manual, date: '2024-05-20', measure: fonts.measure, layout: layout() });
  });

  it('the DOCX names the faces of the layout: 仿宋 text with the 宋体 face unless the manual gives a 仿宋 font', () => {
    const L = layout();
    expect(model.faces).toEqual({ ...L.faces, fang: L.faces.song });
    expect(withFangFont.faces).toEqual(L.faces);
  });

  it('two volumes rendered at once give the bytes each gives alone (no font state shared between renders)', async () => {
    const alone = [await docx({ fonts }, false, withFangFont), await docx({})];
    const together = await Promise.all([docx({ fonts }, true, withFangFont), docx({}, true)]);
    expect(together[0]!.equals(alone[0]!)).toBe(true);
    expect(together[1]!.equals(alone[1]!)).toBe(true);
    // and they differ where their volumes and options do: the 仿宋 face, the fallback font named for the emoji
    const xml = async (b: Buffer) => (await JSZip.loadAsync(b)).file('word/document.xml')!.async('string');
    const [withFang, withSong] = await Promise.all(alone.map(xml));
    expect([withFang!.includes('w:eastAsia="仿宋"'), withSong!.includes('w:eastAsia="仿宋"')]).toEqual([true, false]);
    expect([withFang!.includes('w:ascii="Noto Emoji"'), withSong!.includes('w:ascii="Noto Emoji"')]).toEqual([true, false]);
  });

  it('the 归档章 floats by its role, in the colour the layout gives, its lines as wide as the layout’s frame', async () => {
    const xml = await (await JSZip.loadAsync(await docx({}))).file('word/document.xml')!.async('string');
    const anchors = [...xml.matchAll(/<wp:anchor\b[\s\S]*?<\/wp:anchor>/g)].map((m) => m[0]);
    const stamps = model.pages.filter((pg) => pg.blocks.some((b) => b.type === 'table' && b.role === 'stamp'));
    expect(anchors).toHaveLength(stamps.length);
    const [r, g, b] = layout().stamp.color.map((v) => Math.round(v * 255).toString(16).toUpperCase().padStart(2, '0'));
    for (const a of anchors) {
      expect(a).toContain('name="归档章 ');
      expect(a).toContain(`<w:color w:val="${r}${g}${b}"/>`);
      // 0.6 pt is drawn by Word as its nearest border width, ½ pt (w:sz in eighths)
      expect(a).toContain(`w:sz="4" w:space="0" w:color="${r}${g}${b}"`);
    }
    // nothing outside the stamps is coloured
    expect(xml.replace(/<wp:anchor\b[\s\S]*?<\/wp:anchor>/g, '')).not.toContain('<w:color ');
  });

  it('a page neither can draw: the same note in both, centred where the layout puts it; the 归档章 in the layout’s colour in both (pdftotext word boxes, poppler’s pixels, LibreOffice’s print of the DOCX)', async () => {
    const dir = tempDir('note-');
    const pdfFile = path.join(dir, 'vol.pdf');
    const chunks: Buffer[] = [];
    const r = await renderPdf(
      model,
      fonts,
      {
        photo: () => Promise.reject(new Error('this volume has no photo')),
        pdf: () => Promise.reject(new Error('cannot be read')),
      },
      { write: (c) => chunks.push(Buffer.from(c)) },
    );
    writeFileSync(pdfFile, Buffer.concat(chunks));
    const evidencePages = model.pages.flatMap((pg, i) => (pg.kind === 'evidence' ? [i] : []));
    expect(r.failures).toHaveLength(evidencePages.length);
    const docxFile = path.join(dir, 'vol.docx');
    writeFileSync(docxFile, await docx({ fonts }));
    const lo = spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/lo-profile`, '--convert-to', 'pdf', '--outdir', path.join(dir, 'lo'), docxFile], { encoding: 'utf8' });
    expect(lo.status).toBe(0);
    const loFile = path.join(dir, 'lo', 'vol.pdf');
    expect(pageCount(loFile)).toBe(model.pages.length);
    const note = '此页原件未能复制到卷中，请以原件为准。';
    const box = (file: string, page: number) => {
      const html = tool('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-']);
      const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)];
      const w = words.find((m) => m[5] === note);
      return w ? { x0: Number(w[1]), y0: Number(w[2]), x1: Number(w[3]), y1: Number(w[4]) } : undefined;
    };
    for (const i of evidencePages) {
      const block = model.pages[i]!.blocks.find((b) => b.type === 'evidence')!;
      if (block.type !== 'evidence') continue;
      const n = block.notice;
      const ours = box(pdfFile, i + 1);
      const theirs = box(loFile, i + 1);
      expect([i, ours !== undefined, theirs !== undefined]).toEqual([i, true, true]);
      // centred in the page's place, inside the line box the layout gives it (the two prints name
      // different faces for 仿宋, whose glyph boxes differ in height: each is checked against the model)
      const centre = n.x + n.width / 2;
      expect(Math.abs((ours!.x0 + ours!.x1) / 2 - centre)).toBeLessThan(1);
      expect(Math.abs((theirs!.x0 + theirs!.x1) / 2 - centre)).toBeLessThan(3);
      for (const word of [ours!, theirs!]) {
        expect(word.y0).toBeGreaterThanOrEqual(n.y - 1);
        expect(word.y1).toBeLessThanOrEqual(n.y + n.style.lineHeight + 1);
      }
    }
    // the 归档章 on the first of those pages, in the layout's colour in both prints (poppler's pixels
    // inside the stamp's place: its lines and digits at their darkest are that colour)
    const first = evidencePages[0]!;
    const stamp = model.pages[first]!.blocks.find((b) => b.type === 'table' && b.role === 'stamp');
    expect(stamp?.type).toBe('table');
    if (stamp?.type !== 'table') return;
    const want = layout().stamp.color.map((v) => v * 255);
    const DPI = 150;
    const k = DPI / 72;
    const region = { left: Math.floor(stamp.x * k), top: Math.floor(stamp.y * k), width: Math.ceil(stamp.columns.reduce((s, c) => s + c, 0) * k), height: Math.ceil(stamp.rows.reduce((s, r) => s + r.height, 0) * k) };
    for (const file of [pdfFile, loFile]) {
      const png = path.join(dir, `stamp-${path.basename(path.dirname(file))}`);
      tool('pdftoppm', ['-png', '-r', String(DPI), '-f', String(first + 1), '-l', String(first + 1), '-singlefile', file, png]);
      const { data, info } = await sharp(`${png}.png`).extract(region).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      let inked = 0;
      let near = 0;
      let dark = 0;
      for (let o = 0; o < data.length; o += info.channels) {
        const px = [data[o]!, data[o + 1]!, data[o + 2]!];
        if (px.every((v) => v > 230)) continue;
        inked++;
        if (px.every((v, c) => Math.abs(v - want[c]!) < 40)) near++;
        if (Math.max(...px) < 100) dark++;
      }
      // inked in the stamp's colour (or paler, antialiased towards white), nothing in black
      expect([file, inked > 100, near > 20, dark]).toEqual([file, true, true, 0]);
    }
  });
});
