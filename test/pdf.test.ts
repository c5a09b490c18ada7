// contract §5 build and §7 the bound PDF, read by independent readers: poppler (text, word boxes,
// pixels, images), qpdf (bookmarks, page labels, objects) and sha256sum. The example is built once
// for the whole run (test/global-setup.ts); other cases build small projects of their own.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { bindHere, EXAMPLE, EXAMPLE_EVIDENCE, LO_DOCX, LO_PDF, manualYaml, outlines, pageCount, pageText, project, run, stampedNumber, tempDir, tool, M_CONVERT } from './helpers.js';


/** Content hashes of every file below `dir` (not times: the shared copy was made by cp). */
function contents(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** The mean grey (0 black … 1 white) of a region of a page rendered by poppler at `dpi`. */
function ink(file: string, page: number, region: { x: number; y: number; w: number; h: number }, dpi = 72): number {
  const png = path.join(tempDir('ink-'), 'p');
  tool('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-png', '-singlefile', file, png]);
  const s = dpi / 72;
  return Number(
    tool(M_CONVERT, [`${png}.png`, '-crop', `${Math.max(1, Math.round(region.w * s))}x${Math.max(1, Math.round(region.h * s))}+${Math.round(region.x * s)}+${Math.round(region.y * s)}`, '-colorspace', 'gray', '-format', '%[fx:mean]', 'info:']),
  );
}

describe('§5 §7 the bundled example, bound once', () => {
  const dir = inject('exampleDir');
  const out = path.join(dir, 'out');
  const vol = (name: string) => path.join(out, name);
  let report: Report;
  beforeAll(() => {
    report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
  });

  it('one PDF and one DOCX per A-level, 目录.xlsx, report.json and a manifest that sha256sum verifies', () => {
    expect(readdirSync(out).sort()).toEqual(
      [
        ...['A1 组织领导', 'A2 理想信念教育', 'A3 道德品质教育', 'A4 校园文化与心理健康', 'A5 家校共育'].flatMap((v) => [`${v}.pdf`, `${v}.docx`]),
        'manifest-sha256.txt', 'report.json', '目录.xlsx',
      ].sort(),
    );
    expect(report.volumes!.map((v) => v.code)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(report.volumes![0]).toEqual({ code: 'A1', file: 'A1 组织领导.pdf', pages: 7, items: 3 });
    const sum = spawnSync('sha256sum', ['-c', '--strict', 'manifest-sha256.txt'], { cwd: out, encoding: 'utf8' });
    expect(sum.status).toBe(0);
    expect(sum.stdout.trim().split('\n')).toHaveLength(12);
  });

  it('never writes into the evidence folder', () => {
    expect(contents(path.join(dir, 'evidence'))).toEqual(contents(EXAMPLE_EVIDENCE));
  });

  it('the cover as poppler reads it: the GB/T 9705 fields, in embedded fonts that really render', () => {
    const t = pageText(vol('A1 组织领导.pdf'), 1);
    for (const s of ['案', '全宗名称', '某某市第一小学', '类目名称', 'A1 组织领导', '案卷题名', '材料审核档案——组织领导', '时间', '2023.09', '保管期限', '定期30年', '件数', '页数', '归档号', '档号', 'Z109-2024-D30-A1']) {
      expect([s, t.includes(s)]).toEqual([s, true]);
    }
    const fonts = tool('pdffonts', [vol('A1 组织领导.pdf')]).split('\n').slice(2).filter(Boolean);
    for (const f of fonts) expect([f, f.split(/\s+/).slice(-5, -4)[0]]).toEqual([f, 'yes']);
    const ours = fonts.join('\n');
    for (const name of ['NotoSerifSC-Regular', 'NotoSerifSC-Bold', 'NotoSansSC-Regular']) expect(ours).toContain(name);
    // a word's box (pdftotext -bbox) must hold ink when rendered: blank glyphs extract fine but print nothing
    const file = vol('A1 组织领导.pdf');
    for (const [page, word] of [[1, 'Z109-2024-D30-A1'], [1, '全宗名称'], [3, '测评材料提交表']] as [number, string][]) {
      const html = tool('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', file, '-']);
      const m = new RegExp(`<word xMin="([\\d.]+)" yMin="([\\d.]+)" xMax="([\\d.]+)" yMax="([\\d.]+)">${word}</word>`).exec(html);
      expect([word, m !== null]).toEqual([word, true]);
      const [x0, y0, x1, y1] = m!.slice(1).map(Number) as [number, number, number, number];
      expect([word, ink(file, page, { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, 100) < 0.9]).toEqual([word, true]);
    }
  });

  it('every 页号 in the 卷内目录 is the number stamped on that page (poppler), odd right, even left; front and back unnumbered', () => {
    for (const v of report.volumes!) {
      const file = vol(v.file);
      const toc = pageText(file, 2);
      const rows = [...toc.matchAll(/\s(\d+)(?:-(\d+))?\s*$/gm)].map((m) => Number(m[1]));
      expect(rows.length).toBeGreaterThan(0);
      for (let n = 1; n <= v.pages; n++) {
        expect([v.file, n, stampedNumber(file, 2 + n)]).toEqual([v.file, n, { side: n % 2 === 1 ? 'right' : 'left', value: String(n) }]);
      }
      for (const first of rows) expect(stampedNumber(file, 2 + first)?.value).toBe(String(first));
      for (const page of [1, 2, pageCount(file)]) expect(stampedNumber(file, page)).toBeUndefined();
      expect(pageCount(file)).toBe(v.pages + 3);
    }
  });

  it('bookmarks and page labels as qpdf reads them', () => {
    const file = vol('A1 组织领导.pdf');
    const o = outlines(file);
    expect(o.map((n) => [n.title, n.destpageposfrom1])).toEqual([['封面', 1], ['卷内目录', 2], ['A1.1 领导机构健全', 3], ['A1.2 工作制度完善', 7], ['卷内备考表', 10]]);
    expect(o[2]!.kids.map((k) => [k.title, k.destpageposfrom1])).toEqual([['1. 关于成立创城工作领导小组的通知', 4], ['2. 工作会议照片（2张）', 5]]);
    const pages = (JSON.parse(tool('qpdf', ['--json=2', '--json-key=pages', file])) as { pages: { label: Record<string, unknown> }[] }).pages;
    const label = (l: Record<string, unknown>) => (l['/P'] ? String(l['/P']).replace(/^u:/, '') : '') + (l['/S'] ? String(l['/St']) : '');
    expect(pages.map((p) => label(p.label))).toEqual(['封面', '目录', '1', '2', '3', '4', '5', '6', '7', '备考表']);
  });

  it('evidence survives: PDFs copied, office files converted by LibreOffice, owner-restricted PDFs decrypted, GBK text typeset', () => {
    expect(pageText(vol('A1 组织领导.pdf'), 4)).toContain('为深入推进全国文明城市创建工作');
    expect(tool('pdftotext', [vol('A1 组织领导.pdf'), '-'])).toMatch(/2023—2024\s*学年创城工作计划/);
    expect(tool('pdftotext', [vol('A4 校园文化与心理健康.pdf'), '-'])).toContain('每周三下午第二节');
    const a3 = tool('pdftotext', [vol('A3 道德品质教育.pdf'), '-']);
    expect(a3).toContain('听了周老师的讲座');
    expect(a3).toContain('We should be polite');
    expect(a3).toContain('服务内容'); // the .xlsx
    expect(a3).not.toMatch(/Page \d|第 \d+ 页/); // no LibreOffice footer
  });

  it('photos are upright (EXIF orientation applied) and captioned under the photo', () => {
    const file = vol('A1 组织领导.pdf');
    const list = tool('pdfimages', ['-list', file]).split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s+/));
    const dims = list.map((c) => ({ w: Number(c[3]), h: Number(c[4]), color: c[5] }));
    expect(dims.filter((d) => d.w < d.h)).toHaveLength(1); // the portrait photo stored turned, with orientation 6
    expect(dims.filter((d) => d.w > d.h)).toHaveLength(1);
    for (const d of dims) expect(d.color).toBe('rgb');
    const t = tool('pdftotext', ['-layout', '-f', '6', '-l', '6', file, '-']);
    for (const s of ['题名：', '创城工作领导小组会议现场', '地点：', '学校三楼会议室', '摄影者：', '文字说明：']) expect(t).toContain(s);
  });

  it('the same inputs and --date give byte-identical files (PDF, DOCX, xlsx)', async () => {
    const again = tempDir('again-');
    const r = await run(['build', dir, '--date', '2024-05-20', '--only', 'A1', '--out', again]);
    expect(r.code).toBe(0);
    for (const f of ['A1 组织领导.pdf', 'A1 组织领导.docx']) expect([f, readFileSync(path.join(again, f)).equals(readFileSync(vol(f)))]).toEqual([f, true]);
  });
});

describe('§7 numbers never sit on evidence', () => {
  it('a scan whose ink reaches every edge: the top band of each numbered page is blank but for the number', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 扫描件\n`));
    // two A4 pages, each one black picture edge to edge: what a full-page scan of a 红头文件 is
    const black = await sharp({ create: { width: 1240, height: 1754, channels: 3, background: { r: 0, g: 0, b: 0 } } }).jpeg().toBuffer();
    const two = await PDFDocument.create();
    const img = await two.embedJpg(new Uint8Array(black));
    for (let i = 0; i < 2; i++) two.addPage([595.28, 841.89]).drawImage(img, { x: 0, y: 0, width: 595.28, height: 841.89 });
    p.write('A1.1/2023-10-01 扫描件.pdf', await two.save());
    await bindHere(p.dir);
    const file = path.join(p.dir, 'out', 'A1 组织.pdf');
    for (const [filePage, n] of [[4, 2], [5, 3]] as const) {
      expect(stampedNumber(file, filePage)).toEqual({ side: n % 2 === 1 ? 'right' : 'left', value: String(n) });
      // the band above the evidence, less the number's corner: white
      const width = 595;
      const band = n % 2 === 1 ? { x: 0, y: 0, w: width - 70, h: 48 } : { x: 70, y: 0, w: width - 70, h: 48 };
      expect([n, ink(file, filePage, band)]).toEqual([n, 1]);
      // the scan itself is there, below the band
      expect(ink(file, filePage, { x: 100, y: 200, w: 300, h: 300 })).toBeLessThan(0.05);
    }
  });

  it('a page turned by /Rotate is shown upright on a page of its shape, its number at the shown top corner', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (const angle of [0, 90, 180, 270]) {
      const page = doc.addPage([595, 842]);
      page.drawText(`rotated ${angle}`, { x: 72, y: 400, size: 20, font });
      page.setRotation(degrees(angle));
    }
    const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 材料\n`));
    p.write('A1.1/2023-09-01 旋转.pdf', await doc.save());
    await bindHere(p.dir);
    const file = path.join(p.dir, 'out', 'A1 组织.pdf');
    for (const [filePage, n, angle] of [[4, 2, 0], [5, 3, 90], [6, 4, 180], [7, 5, 270]] as const) {
      expect(stampedNumber(file, filePage)).toEqual({ side: n % 2 === 1 ? 'right' : 'left', value: String(n) });
      const size = /Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)/.exec(tool('pdfinfo', ['-f', String(filePage), '-l', String(filePage), file]))!;
      const landscape = Number(size[1]) > Number(size[2]);
      expect([angle, landscape]).toEqual([angle, angle % 180 !== 0]);
      expect(pageText(file, filePage)).toContain(`rotated ${angle}`);
    }
  });
});

describe('§7 归档章', () => {
  it('archiveStamp: red, top centre of each 件’s first page only, above the evidence (poppler pixels and text)', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 材料\n`, 'fonds: Z109\nyear: 2024\narchiveStamp: true\n'));
    p.copy(LO_PDF, 'A1.1/2023-09-01 通知.pdf');
    p.write('A1.1/2023-09-02 记录.txt', '记录正文');
    await bindHere(p.dir);
    const file = path.join(p.dir, 'out', 'A1 组织.pdf');
    const red = (page: number) => {
      const png = path.join(tempDir('red-'), 'p');
      tool('pdftoppm', ['-r', '72', '-f', String(page), '-l', String(page), '-x', '230', '-y', '0', '-W', '135', '-H', '60', '-png', '-singlefile', file, png]);
      // the share of strongly red pixels in the top centre
      return Number(tool(M_CONVERT, [`${png}.png`, '-fx', 'r>0.6 && g<0.3 && b<0.3 ? 1 : 0', '-format', '%[fx:mean]', 'info:']));
    };
    expect(red(3)).toBe(0); // the 提交表
    expect(red(4)).toBeGreaterThan(0.01); // 通知, its first page
    expect(red(5)).toBeGreaterThan(0.01); // 记录
    const top = tool('pdftotext', ['-f', '4', '-l', '4', '-x', '200', '-y', '0', '-W', '200', '-H', '60', file, '-']).replace(/\s+/g, ' ');
    for (const s of ['Z109', '2023', '0001', '组织', '永久', '1']) expect(top).toContain(s); // the year the 件 was made
  });
});

describe('§7 images and failures', () => {
  it('HEIC, PNG, WebP, TIFF, BMP, GIF and CMYK JPEG photos are bound as sRGB images', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 照片\n`));
    const src = path.join(tempDir(), 'src.png');
    tool(M_CONVERT, ['-size', '600x500', 'gradient:#c33-#33c', src]);
    const base = path.join(p.evidence, 'A1.1');
    mkdirSync(base, { recursive: true });
    tool('heif-enc', ['-q', '60', '-o', path.join(base, '2023-10-01 苹果手机.heic'), src]);
    for (const [name, args] of [
      ['2023-10-02 截图.png', []],
      ['2023-10-03 网页.webp', []],
      ['2023-10-04 扫描.tif', []],
      ['2023-10-05 画图.bmp', []],
      ['2023-10-06 动图.gif', []],
      ['2023-10-07 印刷.jpg', ['-colorspace', 'CMYK']],
    ] as [string, string[]][]) {
      tool(M_CONVERT, [src, ...args, path.join(base, name)]);
    }
    const r = await bindHere(p.dir);
    expect(r.report.warnings.filter((w) => w.code === 'bind-failed' || w.code === 'not-converted')).toEqual([]);
    const file = path.join(p.dir, 'out', 'A1 t.pdf');
    const list = tool('pdfimages', ['-list', file]).split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s+/));
    expect(list).toHaveLength(7);
    for (const c of list) expect(c[5]).toBe('rgb');
  });

  it('a screenshot (PNG, with transparency) and a grey PNG go into the PDF as PNG data, flattened on white, pixel for pixel', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 截图\n`));
    const base = path.join(p.evidence, 'A1.1');
    mkdirSync(base, { recursive: true });
    // a half-transparent red bar over a gradient, with a fully transparent corner
    tool(M_CONVERT, ['-size', '900x600', 'gradient:#2a6-#fd4', '-fill', 'rgba(220,30,30,0.5)', '-draw', 'rectangle 100,100 800,300', '-alpha', 'set', '-region', '200x150+0+450', '-alpha', 'transparent', '+region', path.join(base, '2023-10-01 截图.png')]);
    tool(M_CONVERT, ['-size', '700x500', 'gradient:black-white', '-colorspace', 'Gray', path.join(base, '2023-10-02 灰度.png')]);
    await bindHere(p.dir, { cache: null });
    const file = path.join(p.dir, 'out', 'A1 t.pdf');
    // both images carried with PNG predictors, as their IDAT data
    expect(readFileSync(file, 'latin1').match(/\/Predictor 15/g)).toHaveLength(2);
    const dir = tempDir('png-out-');
    tool('pdfimages', ['-png', file, path.join(dir, 'i')]);
    const images = readdirSync(dir).sort();
    expect(images).toHaveLength(2);
    for (const [i, name] of ['2023-10-01 截图.png', '2023-10-02 灰度.png'].entries()) {
      const want = await sharp(path.join(base, name)).flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const got = await sharp(path.join(dir, images[i]!)).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      expect([got.info.width, got.info.height]).toEqual([want.info.width, want.info.height]);
      let diff = 0;
      for (let k = 0; k < want.data.length; k++) diff += Math.abs(want.data[k]! - got.data[k]!);
      expect(diff / want.data.length, name).toBeLessThan(1);
    }
  });

  it('without LibreOffice an office file gets a page in its place and a warning that says how to fix it; --strict fails', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 计划\n`));
    p.copy(LO_DOCX, 'A1.1/2023-09-10 工作计划.docx');
    const r = await bindHere(p.dir, { soffice: null });
    expect(r.problems).toBe(1); // what --strict fails on
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    const w = rep.warnings.find((x) => x.code === 'not-converted')!;
    expect(w).toMatchObject({ path: 'A1.1/2023-09-10 工作计划.docx', params: { cause: 'no-libreoffice' } });
    expect(w.detail).toContain('LibreOffice');
    // the volume says only what an inspector needs: which document, and to see the original
    const t = tool('pdftotext', [path.join(p.dir, 'out', 'A1 t.pdf'), '-']);
    expect(t).toContain('本件未能转换为页面');
    expect(t).toContain('《工作计划》原件为Word 文档(.docx)');
    expect(t).not.toMatch(/LibreOffice|chuangcheng|安装/);
    // the command line: the same as a warning, and --strict fails on it
    const strict = await run(['build', p.dir, '--date', '2024-05-20', '--format', 'pdf', '--strict'], { env: { CHUANGCHENG_SOFFICE: 'none' } });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('未能转换');
  });

  it('a page tree no reader can use is dropped by check, as readers fail on it; one misnamed, or holding itself after its page, is bound as poppler shows it', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 材料\n`));
    p.copy(LO_PDF, 'A1.1/2023-09-01 正常.pdf');
    // a sound trailer over a page tree that is garbage: poppler and mupdf find no page in it
    const good = readFileSync(LO_PDF, 'latin1');
    const tree = /(\d+) 0 obj\s*<<\/Type\/Pages/.exec(good)![1]!;
    const garbage = p.write('A1.1/2023-09-02 坏页树.pdf', Buffer.from(good.replace('/Type/Pages', '/Type/Pagez').replace('/Kids[', '/Kidz['), 'latin1'));
    expect(spawnSync('pdftotext', [garbage, '-'], { encoding: 'utf8' }).stderr).toContain('Kids object');
    // only the tree's /Type misspelt: readers (and qpdf, which rebuilds it for pdf-lib) find the page
    p.write('A1.1/2023-09-03 类型错.pdf', Buffer.from(good.replace('/Type/Pages', '/Type/Pagez'), 'latin1'));
    // a page tree holding itself after its page: poppler shows the page; pdf-lib and qpdf cannot walk it, our reader writes it once
    const loop = good.replace(/\/Kids\[ (\d+) 0 R \]/, (_, n: string) => `/Kids[ ${n} 0 R ${tree} 0 R ]`);
    expect(loop).not.toBe(good);
    p.write('A1.1/2023-09-04 循环.pdf', Buffer.from(loop, 'latin1'));
    const r = await bindHere(p.dir);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(rep.dropped.map((d) => [d.path, d.params])).toEqual([['A1.1/2023-09-02 坏页树.pdf', { cause: 'corrupt', type: 'pdf', what: '文件中没有可读的页面' }]]);
    expect(r.problems).toBe(0);
    expect(rep.warnings.filter((w) => w.code === 'bind-failed')).toEqual([]);
    const t = tool('pdftotext', [path.join(p.dir, 'out', 'A1 t.pdf'), '-']);
    expect(t.split('为深入推进全国文明城市创建工作').length - 1).toBe(3);
  });
});

describe('§7 office files print as an archivist expects', () => {
  it('a wide spreadsheet: A4 landscape, fitted to the width, no header or footer, 24-hour times, Chinese dates', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 台账\n`));
    const xlsx = path.join(p.evidence, 'A1.1', '2023-10-01 活动台账.xlsx');
    mkdirSync(path.dirname(xlsx), { recursive: true });
    // made by openpyxl, with Excel's own defaults: a header and footer, times in the locale's format
    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `import sys, datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '活动台账'
ws.append(['序号'] + ['第%d项记录' % i for i in range(1, 15)])
ws.append([1] + ['内容%d' % i for i in range(1, 15)])
ws['A3'] = datetime.time(14, 30, 0); ws['A3'].number_format = 'h:mm:ss'
ws['B3'] = datetime.datetime(2023, 10, 1); ws['B3'].number_format = 'yyyy"年"m"月"d"日"'
for c in 'ABCDEFGHIJKLMNO': ws.column_dimensions[c].width = 14
ws.oddHeader.center.text = '&A'; ws.oddFooter.center.text = 'Page &P'
wb.save(sys.argv[1])`,
        xlsx,
      ],
      { encoding: 'utf8' },
    );
    expect(py.status).toBe(0);
    await bindHere(p.dir);
    const file = path.join(p.dir, 'out', 'A1 组织.pdf');
    const page = 4; // cover, 目录, 提交表, then the sheet
    const size = /Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)/.exec(tool('pdfinfo', ['-f', String(page), '-l', String(page), file]))!;
    expect(Number(size[1])).toBeGreaterThan(Number(size[2])); // landscape
    expect(pageCount(file)).toBe(5); // one page wide: nothing spilled onto a second
    const t = pageText(file, page);
    expect(t).toContain('第14项记录');
    expect(t).toContain('14:30:00');
    expect(t).toContain('2023年10月1日');
    expect(t).not.toMatch(/Page 1|PM|活动台账\s*$/m);
  });
});

describe('§2 fonts: the manual can name local font files', () => {
  const WQY = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

  it('a TrueType collection (first face) replaces the bundled fonts, subset and embedded', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: 组织领导\n    indicators:\n      - code: A1.1\n        title: 领导机构健全\n`, `fonts:\n  song: ${WQY}\n  hei: ${WQY}\n`));
    p.write('A1.1/2023-10-01 记录.txt', '文泉驿微米黑排版的记录');
    await bindHere(p.dir);
    const file = path.join(p.dir, 'out', 'A1 组织领导.pdf');
    expect(tool('pdftotext', [file, '-'])).toContain('文泉驿微米黑排版的记录');
    const fonts = tool('pdffonts', [file]);
    expect(fonts).toContain('WenQuanYiMicroHei');
    expect(fonts).not.toContain('Noto');
  });

  it('a missing or unusable font file exits 2 and names it', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n`, 'fonts:\n  song: ./fonts/nope.ttf\n'));
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const r = await run(['build', p.dir, '--date', '2024-05-20']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.ttf');
    mkdirSync(path.join(p.dir, 'fonts'));
    writeFileSync(path.join(p.dir, 'fonts', 'nope.ttf'), 'not a font');
    const r2 = await run(['build', p.dir, '--date', '2024-05-20']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('不是可用的字体文件');
  });
});

void EXAMPLE;
