// Names in the scripts a Chinese office meets, and emoji: the 卷内目录 and every page we typeset draw
// them with fallback fonts, never as blanks; a character no font has is a visible box holding its
// code point, which report.json names. Read back by independent tools: pdftotext (text and word
// boxes), pdffonts (embedded fonts), pdftoppm pixels, and the DOCX's XML.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { bindHere, jpeg, manualYaml, project, tempDir, tool } from './helpers.js';

/** The titles (from file names), by what they test; a space sets the fallback part apart as its own word. */
const TITLES: Record<string, string> = {
  emoji: '笑脸 😀',
  skinTone: '点赞 👍🏻',
  zwj: '家庭 👨‍👩‍👧',
  arabic: '报告 تقرير',
  uyghur: 'ئۇيغۇرچە',
  hebrew: 'שלום עולם',
  thai: 'ภาษาไทย',
  cyrillic: 'Київ',
  greek: 'Ελληνικά',
  tibetan: 'བོད་ཡིག',
  devanagari: 'हिन्दी',
  // CJK Extension B and a private-use character: no shipped font has them
  none: '罕见 𠀋 \u{10FFFD}',
};
const KEYS = Object.keys(TITLES);
const dateOf = (i: number) => `2023-10-${String(i + 1).padStart(2, '0')}`;

/** Bidi controls poppler puts round right-to-left text it reorders. */
const plain = (s: string) => s.replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '');

interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function words(file: string, page: number): Word[] {
  const html = tool('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-']);
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    x0: Number(m[1]),
    y0: Number(m[2]),
    x1: Number(m[3]),
    y1: Number(m[4]),
    text: m[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'),
  }));
}

/** Dark pixels (grey < 128) in a region (points) of a page poppler renders at 150 dpi, and the region's pixels. */
async function ink(png: string, r: { x0: number; y0: number; x1: number; y1: number }): Promise<{ dark: number; area: number }> {
  const s = 150 / 72;
  const left = Math.floor(r.x0 * s);
  const top = Math.floor(r.y0 * s);
  const width = Math.max(1, Math.ceil(r.x1 * s) - left);
  const height = Math.max(1, Math.ceil(r.y1 * s) - top);
  const px = await sharp(png).extract({ left, top, width, height }).greyscale().raw().toBuffer();
  let dark = 0;
  for (const v of px) if (v < 128) dark++;
  return { dark, area: px.length };
}

const NON_PRIMARY = /[^\p{sc=Han}\s\d\-()]/u;

describe('emoji and other scripts in the volumes', () => {
  const p = project(
    manualYaml(
      `  - code: A1
    title: 组织领导
    indicators:
      - code: A1.1
        title: 领导机构健全
`,
    ).replace('title: 测试档案', 'title: 测试档案 ئۈرۈمچى'),
  );
  KEYS.forEach((k, i) => p.write(`A1.1/${dateOf(i)} ${TITLES[k]}.txt`, `第 ${i + 1} 份材料。\n内容：${TITLES[k]}\n`));
  let pdf: string;
  let docx: string;
  let report: Report;
  let tocPng: string;

  beforeAll(async () => {
    // a photo whose sidecar caption holds emoji and Arabic
    p.write('A1.1/2023-11-01 升旗.jpg', await jpeg({ date: '2023:11:01 08:00:00' }));
    p.write('A1.1/2023-11-01 升旗.jpg.yaml', 'caption: 升旗仪式 😀 تقرير\n');
    const r = await bindHere(p.dir, { formats: ['pdf', 'docx'] });
    report = r.report;
    pdf = path.join(p.dir, 'out', 'A1 组织领导.pdf');
    docx = path.join(p.dir, 'out', 'A1 组织领导.docx');
    tocPng = path.join(tempDir('toc-'), 'toc');
    tool('pdftoppm', ['-r', '150', '-f', '2', '-l', '2', '-png', '-singlefile', pdf, tocPng]);
    tocPng += '.png';
  });

  it('pdftotext gives every name back from the 卷内目录, in logical order', () => {
    const text = plain(tool('pdftotext', ['-f', '2', '-l', '2', pdf, '-']));
    for (const k of KEYS) for (const part of TITLES[k]!.split(' ')) expect(text, `${k}: ${part}`).toContain(part);
  });

  it('the fallback fonts are embedded (pdffonts)', () => {
    const fonts = tool('pdffonts', [pdf])
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '')
      .map((l) => ({ name: l.split(/\s+/)[0]!, emb: l.slice(l.indexOf('Identity-H') + 'Identity-H'.length).trim().startsWith('yes') }));
    for (const family of ['NotoEmoji', 'NotoSansArabic', 'NotoSansHebrew', 'NotoSansThai', 'NotoSerifTibetan', 'NotoSans']) {
      const f = fonts.find((x) => x.name.replace(/^[A-Z]{6}\+/, '') === family);
      expect(f, family).toBeDefined();
      expect(f!.emb, family).toBe(true);
    }
  });

  it('every fallback name has ink where pdftotext places it in the 卷内目录; the empty 备注 cells have none', async () => {
    const ws = words(pdf, 2);
    const dateWord = (i: number) => ws.find((w) => w.text === dateOf(i).replaceAll('-', ''))!;
    const header = ws.find((w) => w.text === '备注')!;
    for (const [i, k] of KEYS.entries()) {
      const d = dateWord(i);
      expect(d, k).toBeDefined();
      const row = ws.filter((w) => w.y0 < d.y1 && w.y1 > d.y0 && w.x1 < d.x0 && NON_PRIMARY.test(w.text) && !/^[\u{2000B}\u{10FFFD}]$/u.test(w.text));
      const missing = ws.filter((w) => w.y0 < d.y1 && w.y1 > d.y0 && /^[\u{2000B}\u{10FFFD}]$/u.test(w.text));
      const boxes = k === 'none' ? missing : row;
      expect(boxes.length, k).toBeGreaterThan(0);
      const region = { x0: Math.min(...boxes.map((b) => b.x0)), y0: Math.min(...boxes.map((b) => b.y0)), x1: Math.max(...boxes.map((b) => b.x1)), y1: Math.max(...boxes.map((b) => b.y1)) };
      const { dark, area } = await ink(tocPng, region);
      // a blank glyph (what these names printed as) gives 0; a drawn one covers several per cent
      expect(dark / area, `${k} ${JSON.stringify(region)}`).toBeGreaterThan(0.04);
      const note = await ink(tocPng, { x0: header.x0, y0: d.y0, x1: header.x1, y1: d.y1 });
      expect(note.dark, k).toBe(0);
    }
  });

  it('a character no font has is a boxed code point, and report.json names it, its pages and its file', async () => {
    const { reportSchema } = await import('../src/report/schema.js');
    const parsed = reportSchema.safeParse(JSON.parse(JSON.stringify(report)));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const w = report.warnings.filter((x) => x.code === 'missing-glyph');
    expect(w).toHaveLength(1);
    const warning = w[0]! as Extract<Report['warnings'][number], { code: 'missing-glyph' }>;
    expect(warning.path).toBe('A1 组织领导.pdf');
    expect(warning.params.chars).toEqual([
      { text: '𠀋', code: 'U+2000B' },
      { text: '\u{10FFFD}', code: 'U+10FFFD' },
    ]);
    expect(warning.params.pages).toContain(2);
    expect(warning.params.places).toEqual(expect.arrayContaining(['toc', 'text']));
    expect(warning.params.files).toEqual([`A1.1/${dateOf(KEYS.indexOf('none'))} ${TITLES.none}.txt`]);
    expect(warning.detail).toContain('U+2000B');
    expect(warning.detail).toContain('卷内目录');
    // no other character went missing
    expect(report.warnings.filter((x) => x.code === 'missing-glyph' && x !== warning)).toEqual([]);
  });

  it('the cover, the text pages and the photo caption draw them too', () => {
    const all = plain(tool('pdftotext', [pdf, '-']));
    expect(plain(tool('pdftotext', ['-f', '1', '-l', '1', pdf, '-']))).toContain('ئۈرۈمچى');
    expect(all).toContain('内容：家庭 👨‍👩‍👧');
    expect(all).toContain('内容：ภาษาไทย');
    expect(all).toContain('升旗仪式 😀');
    expect(all).toContain('تقرير');
    // every fallback run of every page is in a subset font: no character came out as an unmapped glyph
    expect(all).not.toContain('\uFFFD');
  });

  it('the DOCX names the fallback font in the runs of those characters, right-to-left ones marked', async () => {
    const zip = await JSZip.loadAsync(readFileSync(docx));
    const xml = await zip.file('word/document.xml')!.async('string');
    const runs = [...xml.matchAll(/<w:r><w:rPr>(.*?)<\/w:rPr><w:t xml:space="preserve">(.*?)<\/w:t><\/w:r>/g)].map((m) => ({ props: m[1]!, text: m[2]! }));
    const runOf = (t: string) => runs.find((r) => r.text.includes(t));
    expect(runOf('تقرير')!.props).toContain('w:ascii="Noto Sans Arabic"');
    expect(runOf('تقرير')!.props).toContain('<w:rtl/>');
    expect(runOf('👨‍👩‍👧')!.props).toContain('w:ascii="Noto Emoji"');
    expect(runOf('ภาษาไทย')!.props).toContain('w:cs="Noto Sans Thai"');
    expect(runOf('བོད་ཡིག')!.props).toContain('w:cs="Noto Serif Tibetan"');
    expect(runOf('שלום')!.props).toContain('<w:rtl/>');
    // Chinese text keeps the office faces
    expect(runOf('领导机构健全')!.props).not.toContain('Noto');
  });
});
