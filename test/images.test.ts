// Images offices really have (issue 18): multi-page TIFF scans, animated GIFs, AVIF photos, JPEGs
// with damaged scan data, camera clocks never set, and broken HEIC files. Every fixture is made here
// by ImageMagick, heif-enc and exiftool (or damaged by the code below, which says which bytes); what
// is bound is read back with poppler (pdftoppm pixels, pdfinfo, pdfimages) and the DOCX's own pictures.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { readExifDate } from '../src/evidence/probe.js';
import { HeifError, readHeif } from '../src/evidence/heif.js';
import { reportSchema } from '../src/report/schema.js';
import type { Report } from '../src/report/report.js';
import { bindHere, M_CONVERT, manualYaml, outlines, pageCount, project, reportOf, tempDir, tool, type Outline } from './helpers.js';

const work = tempDir('cc-images-');
const at = (name: string) => path.join(work, name);
const convert = (...args: string[]) => tool(M_CONVERT, args);
const exiftool = (...args: string[]) => tool('exiftool', ['-q', '-overwrite_original', ...args]);

// ---- fixtures

/** Three A4 pages at 150 dpi, each with one black shape in its own place: top left, centre, bottom right. */
const SHAPES = ['rectangle 100,100 500,400', 'circle 620,877 620,1077', 'rectangle 700,1400 1140,1650'];
const COLOURS = ['#d01010', '#108010', '#1010d0'];

function pages(prefix: string, colour: boolean): string[] {
  return SHAPES.map((shape, i) => {
    const out = at(`${prefix}-${i + 1}.png`);
    convert('-size', '1240x1754', 'xc:white', '-fill', colour ? COLOURS[i]! : 'black', '-draw', shape, out);
    return out;
  });
}

/** The offset of the first scan's data (after the first SOS segment) of a JPEG, found by its segment lengths. */
function scanStart(jpeg: Buffer): number {
  let pos = 2;
  for (;;) {
    const marker = jpeg[pos + 1]!;
    const length = jpeg.readUInt16BE(pos + 2);
    pos += 2 + length;
    if (marker === 0xda) return pos;
  }
}

/** A pseudo-random byte stream (a fixed linear congruential generator): the same garbage every run. */
function garbage(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

// ---- reading what was bound

/** The first page (1-based) of the item whose bookmark contains `title`. */
function itemPage(tree: Outline[], title: string): number {
  for (const node of tree) {
    if (node.title.includes(title) && /^\d+\. /.test(node.title)) return node.destpageposfrom1;
    const inside = itemPage(node.kids, title);
    if (inside > 0) return inside;
  }
  return 0;
}

interface Look {
  /** share of dark pixels (luma < 100), and their centroid as a share of the width and height */
  dark: number;
  cx: number;
  cy: number;
  /** share of pixels of each strong colour, and of flat mid grey (what libjpeg fills lost blocks with) */
  red: number;
  green: number;
  blue: number;
  grey: number;
}

async function look(image: Buffer | string): Promise<Look> {
  const { data, info } = await sharp(image).flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  let dark = 0, sx = 0, sy = 0, red = 0, green = 0, blue = 0, grey = 0;
  const n = info.width * info.height;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [data[i * info.channels]!, data[i * info.channels + 1]!, data[i * info.channels + 2]!];
    if (0.299 * r + 0.587 * g + 0.114 * b < 100) {
      dark++;
      sx += (i % info.width) / info.width;
      sy += Math.floor(i / info.width) / info.height;
    }
    if (r > 150 && g < 80 && b < 80) red++;
    if (g > 100 && r < 60 && b < 60) green++;
    if (b > 150 && r < 80 && g < 80) blue++;
    if (Math.abs(r - g) < 6 && Math.abs(g - b) < 6 && r > 110 && r < 150) grey++;
  }
  return { dark: dark / n, cx: dark ? sx / dark : 0, cy: dark ? sy / dark : 0, red: red / n, green: green / n, blue: blue / n, grey: grey / n };
}

/** Page `n` of a PDF as poppler draws it (30 dpi). */
function drawn(pdf: string, n: number): Buffer {
  const prefix = at(`page-${path.basename(pdf)}-${n}`);
  tool('pdftoppm', ['-r', '30', '-png', '-singlefile', '-f', String(n), '-l', String(n), pdf, prefix]);
  return readFileSync(`${prefix}.png`);
}

/** Where the one shape of page i (0, 1, 2) of the fixtures lies: its centroid's region. */
function expectShape(l: Look, i: number, what: string): void {
  expect(l.dark, `${what}: dark share`).toBeGreaterThan(0.005);
  if (i === 0) expect([l.cx < 0.45, l.cy < 0.35], `${what}: top left (${l.cx.toFixed(2)}, ${l.cy.toFixed(2)})`).toEqual([true, true]);
  if (i === 1) expect([Math.abs(l.cx - 0.5) < 0.1, Math.abs(l.cy - 0.5) < 0.1], `${what}: centre (${l.cx.toFixed(2)}, ${l.cy.toFixed(2)})`).toEqual([true, true]);
  if (i === 2) expect([l.cx > 0.55, l.cy > 0.65], `${what}: bottom right (${l.cx.toFixed(2)}, ${l.cy.toFixed(2)})`).toEqual([true, true]);
}

// ---- one project holding every case, checked and built once

const MANUAL = manualYaml(
  `  - code: A1
    title: 图像
    indicators:
      - code: A1.1
        title: 扫描件
        evidence:
          - { title: 扫描的文件, kind: document, min: 2 }
          - { title: 照片, kind: photo }
      - { code: A1.2, title: 动图 }
      - { code: A1.3, title: AVIF }
      - { code: A1.4, title: 损坏的照片 }
      - { code: A1.5, title: 相机时钟 }
      - { code: A1.6, title: HEIC }
`,
  'period: { from: 2023-06-01, to: 2024-05-31 }\n',
);

const p = project(MANUAL);
let report: Report;
let built: Report;
let pdf: string;
let docx: string;
/** what each damaged file was made from, for the record */
const damage: Record<string, string> = {};

beforeAll(async () => {
  // A1.1: a Group 4 scan (black and white) and an LZW scan (colour) of three pages each; the LZW
  // one also holds a 10 % thumbnail after its first page, which exiftool marks reduced-resolution
  // (NewSubfileType 1): not a page. And a one-page TIFF, which stays a photo.
  const bw = pages('bw', false);
  convert(...bw, '-density', '150', '-units', 'PixelsPerInch', '-monochrome', '-compress', 'Group4', p.write('A1.1/2023-10-01 通知扫描件.tif', ''));
  const col = pages('col', true);
  const thumb = at('thumb.png');
  convert(col[0]!, '-resize', '10%', thumb);
  const lzw = p.write('A1.1/2023-10-02 表格扫描件.tif', '');
  convert(col[0]!, thumb, col[1]!, col[2]!, '-density', '150', '-units', 'PixelsPerInch', '-compress', 'LZW', lzw);
  exiftool('-IFD1:SubfileType#=1', lzw);
  convert(col[1]!, '-compress', 'LZW', p.write('A1.1/2023-10-03 单页.tif', ''));

  // A1.2: a GIF of three frames, red, green, blue
  convert('-delay', '50', '-size', '900x600', 'xc:#d01010', 'xc:#108010', 'xc:#1010d0', '-loop', '0', p.write('A1.2/2023-10-05 动图.gif', ''));

  // A1.3: AVIF by libheif (aom) from a teal JPEG whose EXIF dates it; one dated outside the period;
  // one named .heic
  const teal = at('teal.jpg');
  convert('-size', '900x600', 'xc:#1a8f6a', teal);
  exiftool('-DateTimeOriginal=2023:10:12 09:30:00', teal);
  tool('heif-enc', ['-A', teal, '-o', p.write('A1.3/AVIF照片.avif', '')]);
  const old = at('old.jpg');
  convert('-size', '900x600', 'xc:#6a1a8f', old);
  exiftool('-DateTimeOriginal=2019:01:01 10:00:00', old);
  tool('heif-enc', ['-A', old, '-o', p.write('A1.3/旧照片.avif', '')]);
  const grey = at('grey.jpg');
  convert('-size', '900x600', 'xc:#808a80', grey);
  tool('heif-enc', ['-A', grey, '-o', p.write('A1.3/2023-10-13 名为heic.heic', '')]);

  // A1.4: one baseline and one progressive JPEG of the same plasma, by ImageMagick, then damaged:
  const base = at('base.jpg');
  convert('-size', '1600x1200', 'plasma:fractal', '-seed', '5', '-quality', '90', base);
  const baseline = readFileSync(base);
  const start = scanStart(baseline);
  const end = baseline.length - 2; // FF D9
  // - the baseline cut in the middle of its scan data, FF D9 put after it (a copy broken off, as viewers show it: the rest grey)
  const half = start + Math.floor((end - start) / 2);
  writeFileSync(p.write('A1.4/2023-10-20 后半截丢失.jpg', ''), Buffer.concat([baseline.subarray(0, half), Buffer.from([0xff, 0xd9])]));
  damage.cut = `bytes ${half}..${end} of the scan data dropped, FF D9 appended`;
  // - the progressive one with FF 09 (a marker code no JPEG has) written over two bytes in the middle of its first scan
  const progFile = at('prog.jpg');
  convert(base, '-interlace', 'JPEG', '-quality', '90', progFile);
  const prog = Buffer.from(readFileSync(progFile));
  const firstScan = scanStart(prog);
  const nextMarker = prog.indexOf(Buffer.from([0xff, 0xc4]), firstScan);
  const mid = Math.floor((firstScan + nextMarker) / 2);
  prog[mid] = 0xff;
  prog[mid + 1] = 0x09;
  writeFileSync(p.write('A1.4/2023-10-21 坏标记.jpg', ''), prog);
  damage.marker = `bytes ${mid}, ${mid + 1} = FF 09 inside the first scan (${firstScan}..${nextMarker})`;
  // - the baseline with the 16 code-length counts of its first Huffman table set to FF: no decoder can use it
  const bad = Buffer.from(baseline);
  const dht = bad.indexOf(Buffer.from([0xff, 0xc4]));
  bad.fill(0xff, dht + 5, dht + 21);
  writeFileSync(p.write('A1.4/2023-10-22 坏码表.jpg', ''), bad);
  damage.table = `bytes ${dht + 5}..${dht + 20} (the DHT counts) = FF`;

  // A1.5: EXIF dates that are no dates, written raw (-TAG#=) by exiftool, and one real one
  const clocks: [string, string][] = [
    ['二月三十日.jpg', '2024:02:30 10:00:00'],
    ['二十五点.jpg', '2024:03:05 25:61:00'],
    ['1970年.jpg', '1970:01:01 08:00:00'],
    ['全零.jpg', '0000:00:00 00:00:00'],
    ['正常.jpg', '2023:11:02 10:00:00'],
    ['2023-10-30 名字有日期.jpg', '0000:00:00 00:00:00'],
  ];
  for (const [i, [name, value]] of clocks.entries()) {
    const f = p.write(`A1.5/${name}`, '');
    convert('-size', '1200x1000', 'plasma:fractal', '-seed', String(20 + i), f);
    exiftool(`-DateTimeOriginal#=${value}`, f);
  }

  // A1.6: a HEIC (x265) from a JPEG dated by EXIF, which libheif copies into an Exif item; one dated
  // outside the period; the first one cut at 60 %; its ftyp and meta boxes followed by 30 000 bytes
  // of garbage; and 3000 bytes of garbage named .heic
  const heicSrc = at('heic.jpg');
  convert('-size', '1200x1000', 'plasma:fractal', '-seed', '9', heicSrc);
  exiftool('-DateTimeOriginal=2023:12:24 18:00:00', heicSrc);
  const heic = p.write('A1.6/苹果手机.heic', '');
  tool('heif-enc', [heicSrc, '-o', heic]);
  exiftool('-DateTimeOriginal=2018:06:01 08:00:00', heicSrc);
  tool('heif-enc', [heicSrc, '-o', p.write('A1.6/过期的.heic', '')]);
  const whole = readFileSync(heic);
  writeFileSync(p.write('A1.6/2023-12-25 截断.heic', ''), whole.subarray(0, Math.floor(whole.length * 0.6)));
  const ftyp = whole.readUInt32BE(0);
  const meta = whole.readUInt32BE(ftyp);
  expect(whole.subarray(ftyp + 4, ftyp + 8).toString('latin1')).toBe('meta');
  writeFileSync(p.write('A1.6/2023-12-26 乱码尾.heic', ''), Buffer.concat([whole.subarray(0, ftyp + meta), garbage(30_000)]));
  writeFileSync(p.write('A1.6/2023-12-27 乱码.heic', ''), garbage(3000, 11));

  report = await reportOf(p.dir);
  await bindHere(p.dir, { formats: ['pdf', 'docx'] });
  built = JSON.parse(readFileSync(path.join(p.dir, 'out/report.json'), 'utf8')) as Report;
  pdf = path.join(p.dir, 'out/A1 图像.pdf');
  docx = path.join(p.dir, 'out/A1 图像.docx');
}, 300_000);

const b = (code: string) => report.indicators[0]!.indicators.find((x) => x.code === code)!;
/** every file a B-level keeps (its requirements', then its other materials) */
const keptIn = (code: string) => [...b(code).requirements.flatMap((r) => r.files), ...b(code).other];
const warned = (code: string, rep: Report = report) => rep.warnings.filter((w) => w.code === code);
const droppedAt = (file: string) => report.dropped.find((d) => d.path === file);

describe('the report of these files', () => {
  it('is valid against the report schema, and check and build agree on every file', () => {
    reportSchema.parse(report);
    reportSchema.parse(built);
    expect(built.dropped).toEqual(report.dropped);
    expect(built.summary.kept).toBe(report.summary.kept);
    // nothing that check kept failed to bind
    expect(warned('bind-failed', built)).toEqual([]);
    expect(warned('not-converted', built)).toEqual([]);
    // no library's English reaches a person
    for (const e of [...built.dropped, ...built.warnings]) expect(e.detail, e.path).not.toMatch(/Vips|libjpeg|Huffman|marker|[A-Za-z]{12,}/);
  });
});

describe('a cold build (no cache) measures each photo from the decode that prepares it (issue 19)', () => {
  it("warns and drops as check did, and binds the same PDF as the build that took check's measurements from the cache", async () => {
    const cold = await bindHere(p.dir, { out: path.join(p.dir, 'out-cold'), cache: null });
    const coldReport = JSON.parse(readFileSync(path.join(p.dir, 'out-cold/report.json'), 'utf8')) as Report;
    const quality = (r: Report) => r.warnings.filter((w) => ['damaged-image', 'multi-frame', 'blurry', 'near-duplicate'].includes(w.code));
    expect(quality(coldReport)).toEqual(quality(report));
    expect(quality(coldReport).map((w) => w.code).sort()).toEqual(['damaged-image', 'damaged-image', 'multi-frame']);
    expect(coldReport.dropped).toEqual(report.dropped);
    expect(cold.report.warnings.filter((w) => w.code === 'bind-failed')).toEqual([]);
    expect(readFileSync(path.join(p.dir, 'out-cold/A1 图像.pdf')).equals(readFileSync(pdf))).toBe(true);
  });
});

describe('multi-page TIFF scans', () => {
  it('a TIFF of several pages is a document (its thumbnail is no page); one of a single page stays a photo', () => {
    expect(b('A1.1').requirements[0]!.files).toEqual(['A1.1/2023-10-01 通知扫描件.tif', 'A1.1/2023-10-02 表格扫描件.tif']);
    expect(b('A1.1').requirements[1]!.files).toEqual(['A1.1/2023-10-03 单页.tif']);
    // a document is never judged as a photo
    expect(report.warnings.filter((w) => w.path.includes('扫描件') && w.code !== 'undated')).toEqual([]);
  });

  it('binds every page, in order, upright, as full pages in the PDF (black and white kept 1-bit)', async () => {
    const tree = outlines(pdf);
    for (const [title, colour] of [['通知扫描件', false], ['表格扫描件', true]] as const) {
      const first = itemPage(tree, title);
      expect(first, title).toBeGreaterThan(0);
      for (let i = 0; i < 3; i++) {
        const l = await look(drawn(pdf, first + i));
        expectShape(l, i, `${title} page ${i + 1}`);
        if (colour) expect([l.red, l.green, l.blue][i], `${title} page ${i + 1} colour`).toBeGreaterThan(0.01);
      }
    }
    // each scan is an item of exactly three pages: the next item starts three pages on
    const starts = tree.find((n) => n.title.startsWith('A1.1 '))!.kids.map((k) => k.destpageposfrom1);
    expect([starts[1]! - starts[0]!, starts[2]! - starts[1]!]).toEqual([3, 3]);
    expect(pageCount(pdf)).toBeGreaterThan(starts[2]!);
    const list = tool('pdfimages', ['-list', pdf]).split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s+/));
    // (columns: page num type width height color comp bpc …) the Group 4 pages are 1-bit grey, at 150 dpi as scanned
    const bilevel = list.filter((c) => c[5] === 'gray' && c[7] === '1');
    expect(bilevel.map((c) => `${c[3]}x${c[4]}`)).toEqual(['1240x1754', '1240x1754', '1240x1754']);
  });

  it('the DOCX twin shows the same pages', async () => {
    const zip = await JSZip.loadAsync(readFileSync(docx));
    const media = Object.keys(zip.files)
      .filter((n) => n.startsWith('word/media/'))
      .sort((x, y) => Number(/(\d+)\./.exec(x)![1]) - Number(/(\d+)\./.exec(y)![1]));
    // in the order of the volume: the Group 4 scan's pages (PNG), then the LZW scan's (JPEG)
    expect(media.slice(0, 6).map((n) => path.extname(n))).toEqual(['.png', '.png', '.png', '.jpeg', '.jpeg', '.jpeg']);
    for (const [k, name] of media.slice(0, 6).entries()) {
      const l = await look(await zip.file(name)!.async('nodebuffer'));
      expectShape(l, k % 3, name);
    }
  });
});

describe('animated GIF', () => {
  it('warns that only the first of its frames is bound, and binds that frame', async () => {
    expect(warned('multi-frame')).toEqual([
      expect.objectContaining({ path: 'A1.2/2023-10-05 动图.gif', params: { frames: 3 }, detail: expect.stringContaining('共 3 帧，卷中只有第一帧') }),
    ]);
    const l = await look(drawn(pdf, itemPage(outlines(pdf), '动图')));
    expect(l.red).toBeGreaterThan(0.1);
    expect(l.green + l.blue).toBeLessThan(0.001);
  });
});

describe('AVIF photos', () => {
  it('are AVIF, not HEIC: kept as photos, dated by their EXIF; a .heic that holds an AVIF is said to be one', () => {
    expect(keptIn('A1.3')).toEqual(['A1.3/2023-10-13 名为heic.heic', 'A1.3/AVIF照片.avif']);
    expect(droppedAt('A1.3/旧照片.avif')).toMatchObject({ reason: 'out-of-period', params: { date: '2019-01-01', source: 'exif' } });
    expect(warned('type-mismatch')).toEqual([expect.objectContaining({ path: 'A1.3/2023-10-13 名为heic.heic', params: { detected: 'avif', ext: 'heic' } })]);
    expect(warned('undated').map((w) => w.path)).not.toContain('A1.3/AVIF照片.avif');
  });

  it('are decoded and bound: their colour is on the page', async () => {
    const page = drawn(pdf, itemPage(outlines(pdf), 'AVIF照片'));
    const l = await look(page);
    const { data } = await sharp(page).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    let teal = 0;
    for (let i = 0; i < data.length; i += 3) if (Math.abs(data[i]! - 0x1a) < 20 && Math.abs(data[i + 1]! - 0x8f) < 20 && Math.abs(data[i + 2]! - 0x6a) < 20) teal++;
    expect(teal / (data.length / 3)).toBeGreaterThan(0.1);
    expect(l.dark).toBeLessThan(0.5);
  });
});

describe('JPEGs with damaged scan data', () => {
  it('are bound with a warning when they decode (the bytes damaged: see `damage` above)', () => {
    expect(Object.keys(damage)).toEqual(['cut', 'marker', 'table']);
    expect(warned('damaged-image')).toEqual([
      expect.objectContaining({ path: 'A1.4/2023-10-20 后半截丢失.jpg', params: { cause: 'corrupt-data' } }),
      expect.objectContaining({ path: 'A1.4/2023-10-21 坏标记.jpg', params: { cause: 'invalid-markers' } }),
    ]);
    expect(keptIn('A1.4')).toEqual(['A1.4/2023-10-20 后半截丢失.jpg', 'A1.4/2023-10-21 坏标记.jpg']);
  });

  it('are dropped by check, in Chinese, when nothing decodes them', () => {
    const d = droppedAt('A1.4/2023-10-22 坏码表.jpg')!;
    expect(d).toMatchObject({ reason: 'unreadable', params: { cause: 'corrupt', type: 'jpg' } });
    expect(d.detail).toContain('图像数据已损坏，无法解码');
  });

  it("show what a viewer shows: the cut photo's lost half grey, the other bound in full", async () => {
    const tree = outlines(pdf);
    const cut = await look(drawn(pdf, itemPage(tree, '后半截丢失')));
    const marker = await look(drawn(pdf, itemPage(tree, '坏标记')));
    expect(cut.grey).toBeGreaterThan(0.05);
    expect(marker.grey).toBeLessThan(cut.grey);
    // re-encoded, never passed through with its damage
    const list = tool('pdfimages', ['-list', pdf]);
    expect(list).toMatch(/jpeg/);
  });
});

describe('EXIF dates are validated', () => {
  it.each([
    ['2023:10:12 09:30:00', { date: '2023-10-12' }],
    ['2024:02:29 23:59:59', { date: '2024-02-29' }],
    ['2024:02:30 10:00:00', { invalid: '2024:02:30 10:00:00' }],
    ['2023:02:29 10:00:00', { invalid: '2023:02:29 10:00:00' }],
    ['2024:03:05 25:61:00', { invalid: '2024:03:05 25:61:00' }],
    ['2024:13:01 10:00:00', { invalid: '2024:13:01 10:00:00' }],
    ['1970:01:01 08:00:00', { invalid: '1970:01:01 08:00:00' }],
    ['0000:00:00 00:00:00', { invalid: '0000:00:00 00:00:00' }],
    ['2023:10:12', { date: '2023-10-12' }],
    ['garbage', { invalid: 'garbage' }],
    ['    :  :     :  :  ', undefined],
    ['', undefined],
  ])('%s', (raw, expected) => {
    expect(readExifDate(raw)).toEqual(expected);
  });

  it('a date that is no date is not used, and the undated warning names the camera clock', () => {
    const byPath = Object.fromEntries(warned('undated').filter((w) => w.path.startsWith('A1.5/')).map((w) => [w.path, w]));
    expect(Object.keys(byPath).sort()).toEqual(['A1.5/1970年.jpg', 'A1.5/二十五点.jpg', 'A1.5/二月三十日.jpg', 'A1.5/全零.jpg'].sort());
    expect(byPath['A1.5/二月三十日.jpg']!.params).toEqual({ cause: 'camera-clock', exif: '2024:02:30 10:00:00' });
    expect(byPath['A1.5/二十五点.jpg']!.params).toEqual({ cause: 'camera-clock', exif: '2024:03:05 25:61:00' });
    expect(byPath['A1.5/1970年.jpg']!.params).toEqual({ cause: 'camera-clock', exif: '1970:01:01 08:00:00' });
    expect(byPath['A1.5/全零.jpg']!.detail).toContain('“0000:00:00 00:00:00”不是真实日期');
    // (none became 2024-03-01 or 2024-03-06: out of the period they would be dropped, they are kept)
    expect(report.dropped.filter((d) => d.path.startsWith('A1.5/'))).toEqual([]);
  });
});

describe('HEIC', () => {
  it('a real HEIC is kept and dated by the EXIF inside it', () => {
    expect(keptIn('A1.6')).toEqual(['A1.6/苹果手机.heic']);
    expect(warned('undated').map((w) => w.path)).not.toContain('A1.6/苹果手机.heic');
    expect(droppedAt('A1.6/过期的.heic')).toMatchObject({ reason: 'out-of-period', params: { date: '2018-06-01', source: 'exif' } });
  });

  it('a cut, garbled or garbage .heic is dropped as unreadable', () => {
    expect(droppedAt('A1.6/2023-12-25 截断.heic')).toMatchObject({ reason: 'unreadable', params: { cause: 'truncated', type: 'heic' } });
    expect(droppedAt('A1.6/2023-12-26 乱码尾.heic')).toMatchObject({ reason: 'unreadable', params: { cause: 'corrupt', type: 'heic' } });
    expect(droppedAt('A1.6/2023-12-27 乱码.heic')).toMatchObject({ reason: 'unreadable', params: { cause: 'unrecognized', ext: 'heic' } });
  });

  it('readHeif finds the Exif item through iloc, and says a cut file is cut', () => {
    const whole = readFileSync(path.join(p.evidence, 'A1.6/苹果手机.heic'));
    const read = (buf: Buffer) => (pos: number, len: number) => buf.subarray(pos, pos + len);
    const { exif } = readHeif(read(whole), whole.length);
    expect(Buffer.from(exif!.subarray(0, 4)).toString('latin1')).toMatch(/^(II\*\0|MM\0\*)$/);
    const cut = whole.subarray(0, whole.length - 10);
    expect(() => readHeif(read(cut), cut.length)).toThrow(HeifError);
  });
});
