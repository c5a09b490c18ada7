// contract §7: bound volumes, checked with independent readers (poppler, qpdf, ImageMagick)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { EXAMPLE, jpeg, LO_DOCX, LO_PDF, manualYaml, outlines, pageCount, pageText, project, run, snapshot, stampedNumber, tempDir, tool } from './helpers.js';

describe('§7 build on the bundled example', () => {
  let dir: string;
  let out: string;
  let report: Report;
  let evidenceBefore: Map<string, string>;
  const vol = (name: string) => path.join(out, name);

  beforeAll(async () => {
    dir = tempDir('build-');
    cpSync(EXAMPLE, dir, { recursive: true });
    evidenceBefore = snapshot(path.join(dir, 'evidence'));
    const r = await run(['build', dir, '--date', '2024-05-20']);
    expect(r.stderr).not.toContain('内部');
    expect(r.code).toBe(0);
    out = path.join(dir, 'out');
    report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
  });

  it('writes one PDF per A-level, report.json with volumes, and a manifest that sha256sum verifies', () => {
    expect(readdirSync(out).sort()).toEqual(
      [
        ...['A1 组织领导', 'A2 理想信念教育', 'A3 道德品质教育', 'A4 校园文化与心理健康', 'A5 家校共育'].flatMap((v) => [`${v}.pdf`, `${v}.docx`]),
        'manifest-sha256.txt', 'report.json', '目录.xlsx',
      ].sort(),
    );
    expect(report.volumes!.map((v) => v.code)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(report.volumes![0]).toEqual({ code: 'A1', file: 'A1 组织领导.pdf', pages: expect.any(Number), items: 3 });
    const sum = spawnSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: out, encoding: 'utf8' });
    expect(sum.status).toBe(0);
    expect(sum.stdout.trim().split('\n')).toHaveLength(12);
  });

  it('never writes into the evidence folder', () => {
    expect(snapshot(path.join(dir, 'evidence'))).toEqual(evidenceBefore);
  });

  it('the cover carries the GB/T 9705 fields', () => {
    const t = pageText(vol('A1 组织领导.pdf'), 1);
    for (const s of ['全宗名称', '某某市第一小学', '类目名称', 'A1 组织领导', '案卷题名', '未成年人思想道德建设', '时间', '2023.09', '保管期限', '定期30年', '件数', '页数', '档号', 'Z109-2024-D30-A1']) {
      expect(t).toContain(s);
    }
    const pages = report.volumes![0]!.pages;
    expect(t).toMatch(new RegExp(`页数\\s+${pages}\\b`));
    expect(t).toMatch(/件数\s+3\b/);
  });

  it('every 页号 in the 卷内目录 is the number stamped on that item’s first page; odd right, even left', () => {
    for (const v of report.volumes!) {
      const file = vol(v.file);
      const toc = pageText(file, 2);
      expect(toc).toMatch(/卷\s*内\s*目\s*录/);
      // rows end with a page number or a range; collect (page) from each row's 页号 column
      const rows = toc.split('\n').filter((l) => /\s\d+(-\d+)?\s*$/.test(l) || /\s\d+(-\d+)?\s{2,}\S*$/.test(l));
      expect(rows.length).toBeGreaterThan(0);
      const tocPages = 1; // the example's tables fit on one page
      for (let n = 1; n <= v.pages; n++) {
        const stamp = stampedNumber(file, 1 + tocPages + n);
        expect([v.file, n, stamp]).toEqual([v.file, n, { side: n % 2 === 1 ? 'right' : 'left', value: String(n) }]);
      }
      // the cover, the 目录 and the 备考表 carry none
      expect(stampedNumber(file, 1)).toBeUndefined();
      expect(stampedNumber(file, 2)).toBeUndefined();
      expect(stampedNumber(file, pageCount(file))).toBeUndefined();
      expect(pageCount(file)).toBe(v.pages + 3);
    }
  });

  it('the 卷内目录 lists each item with 文号, 责任者, 题名, 8-digit date and first page; the last row shows first-last', () => {
    const toc = pageText(vol('A1 组织领导.pdf'), 2);
    expect(toc).toMatch(/^1\s+(?:\S+\s+)?关于成立创城工作领导小组的通知\s+20230901\s+2$/m);
    expect(toc).toContain('一小〔'); // 文号, wrapped in its narrow column, the number kept whole
    expect(toc).toMatch(/2023〕12/);
    expect(toc).toMatch(/某某市第\S*\s[\s\S]*一小学/); // 责任者 defaults to the unit, wrapped in its column
    expect(toc).toContain('[A1.1 领导机构健全 测评材料提交');
    expect(toc).toMatch(/^2\s+(?:\S+\s+)?\[工作会议照片（2张）\]\s+20230905\s+3$/m); // a made title stands in [ ]
    expect(toc).toMatch(/\[缺项说明：年度工作总结\]\s+7\s*$/m);
    const a2 = pageText(vol('A2 理想信念教育.pdf'), 2);
    expect(a2).toContain('[创城主题班会（3张）]'); // the 副本 duplicate was dropped
    expect(a2).toMatch(/我们的节日活动总结\s+20240220\s+10-12\s*$/m); // the last row: first-last
  });

  it('bookmarks: 封面, 卷内目录, each B-level with its items, 备考表 — pointing at the right pages (qpdf)', () => {
    const o = outlines(vol('A1 组织领导.pdf'));
    expect(o.map((x) => [x.title, x.destpageposfrom1])).toEqual([
      ['封面', 1],
      ['卷内目录', 2],
      ['A1.1 领导机构健全', 3],
      ['A1.2 工作制度完善', 7],
      ['卷内备考表', pageCount(vol('A1 组织领导.pdf'))],
    ]);
    expect(o[2]!.kids.map((k) => [k.title, k.destpageposfrom1])).toEqual([
      ['1. 关于成立创城工作领导小组的通知', 4],
      ['2. 工作会议照片（2张）', 5],
    ]);
    expect(o[3]!.kids.map((k) => k.title)).toEqual(['3. 2023-2024学年创城工作计划', '缺项说明：年度工作总结']);
  });

  it('the 测评材料提交表, 缺项说明 and 备考表 say what they must', () => {
    const file = vol('A1 组织领导.pdf');
    const form = pageText(file, 7);
    for (const s of ['测评材料提交表', 'A1.2 工作制度完善', '有年度工作计划和总结', '材料审核', '李老师', '2024-04-30（已逾期 20 天）', '年度工作总结', '缺项']) expect(form).toContain(s);
    const gap = pageText(file, 9);
    for (const s of ['缺项说明', '缺少的材料：年度工作总结（文档）', '要求 1 份，现有 0 份', '责任人：李老师']) expect(gap).toContain(s);
    const back = pageText(file, pageCount(file));
    for (const s of ['卷内备考表', '本卷情况说明', '本卷共 3 件', '缺项 1 项', '立卷人', '王主任', '检查人', '刘某', '立卷时间', '2024年5月20日']) {
      expect(back).toContain(s);
    }
    // what 甄选 dropped is ours to report (check, report.json), not the inspectors' to read
    expect(back).not.toMatch(/剔除|report\.json|垃圾/);
  });

  it('evidence text survives: PDFs copied, office files converted by LibreOffice, restricted PDFs decrypted, GBK text typeset', () => {
    expect(pageText(vol('A1 组织领导.pdf'), 4)).toContain('为深入推进全国文明城市创建工作');
    expect(tool('pdftotext', [vol('A1 组织领导.pdf'), '-'])).toMatch(/2023—2024\s*学年创城工作计划/);
    expect(tool('pdftotext', [vol('A4 校园文化与心理健康.pdf'), '-'])).toContain('每周三下午第二节');
    const a3 = tool('pdftotext', [vol('A3 道德品质教育.pdf'), '-']);
    expect(a3).toContain('听了周老师的讲座');
    expect(a3).toContain('We should be polite');
    expect(a3).toContain('服务内容'); // the .xlsx
  });

  it('photos carry captions from the sidecar and are upright (EXIF orientation applied)', () => {
    const file = vol('A1 组织领导.pdf');
    const t = tool('pdftotext', ['-layout', file, '-']);
    for (const s of ['题名：创城工作领导小组会议现场', '地点：学校三楼会议室', '人物：张校长、王主任、赵主任及全体成员', '摄影者：李老师', '文字说明：张校长部署本学年创城工作任务']) {
      expect(t).toContain(s);
    }
    // pdfimages lists the embedded images: the rotated camera photo (1600×1200, orientation 6) is portrait now
    const list = tool('pdfimages', ['-list', file]).split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s+/));
    const dims = list.map((c) => ({ w: Number(c[3]), h: Number(c[4]), color: c[5] }));
    // both camera photos are 1600×1200 pixels; the one with EXIF orientation 6 must stand portrait
    expect(dims.filter((d) => d.w < d.h)).toHaveLength(1);
    expect(dims.filter((d) => d.w > d.h)).toHaveLength(1);
    for (const d of dims) expect(d.color).toBe('rgb');
  });

  it('fonts are embedded, and glyphs really render (not blank boxes)', () => {
    for (const v of report.volumes!) {
      const fonts = tool('pdffonts', [vol(v.file)]).split('\n').slice(2).filter(Boolean);
      for (const f of fonts) expect([v.file, f.split(/\s+/).slice(-5, -4)[0]]).toEqual([v.file, 'yes']);
    }
    const ours = tool('pdffonts', [vol('A1 组织领导.pdf')]);
    expect(ours).toContain('NotoSerifSC-Regular');
    expect(ours).toContain('NotoSerifSC-Bold');
    expect(ours).toContain('NotoSansSC-Regular');
    // find words with pdftotext -bbox, render the page, and measure ink inside each word's box:
    // a font whose glyphs come out blank extracts fine but leaves white paper
    const file = vol('A1 组织领导.pdf');
    const png = path.join(tempDir(), 'page');
    const scale = 100 / 72;
    for (const [page, word] of [[1, 'Z109-2024-D30-A1'], [1, '全宗名称'], [2, '关于成立创城工作领导小组的通知'], [7, '测评材料提交表']] as [number, string][]) {
      const html = tool('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', file, '-']);
      const m = new RegExp(`<word xMin="([\\d.]+)" yMin="([\\d.]+)" xMax="([\\d.]+)" yMax="([\\d.]+)">${word}</word>`).exec(html);
      expect([word, m !== null]).toEqual([word, true]);
      const [x0, y0, x1, y1] = m!.slice(1).map((v) => Number(v) * scale);
      tool('pdftoppm', ['-r', '100', '-f', String(page), '-l', String(page), '-png', '-singlefile', file, png]);
      const ink = Number(tool('convert', [`${png}.png`, '-crop', `${Math.round(x1! - x0!)}x${Math.round(y1! - y0!)}+${Math.round(x0!)}+${Math.round(y0!)}`, '-colorspace', 'gray', '-format', '%[fx:mean]', 'info:']));
      expect([word, ink < 0.9]).toEqual([word, true]);
    }
  });

  it('the same inputs and --date give byte-identical files', async () => {
    const other = tempDir('again-');
    const r = await run(['build', dir, '--date', '2024-05-20', '--out', other]);
    expect(r.code).toBe(0);
    for (const f of readdirSync(out)) expect([f, readFileSync(path.join(other, f)).equals(readFileSync(path.join(out, f)))]).toEqual([f, true]);
  });
});

describe('§5 build options', () => {
  it('--only builds the named A-levels; --strict fails on gaps; a bad --only or --format exits 2', async () => {
    const dir = tempDir('only-');
    cpSync(EXAMPLE, dir, { recursive: true });
    const r = await run(['build', dir, '--only', 'A3', '--date', '2024-05-20', '--strict']);
    expect(r.code).toBe(0); // A3 has no gaps
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['A3 道德品质教育.docx', 'A3 道德品质教育.pdf', 'manifest-sha256.txt', 'report.json', '目录.xlsx']);
    const strict = await run(['build', dir, '--only', 'A1,A2', '--date', '2024-05-20', '--strict']);
    expect(strict.code).toBe(1);
    // the previous manifest's A3 volume is gone: only what this build made is listed and kept
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['A1 组织领导.docx', 'A1 组织领导.pdf', 'A2 理想信念教育.docx', 'A2 理想信念教育.pdf', 'manifest-sha256.txt', 'report.json', '目录.xlsx']);
    expect((await run(['build', dir, '--only', 'Z9'])).code).toBe(2);
    expect((await run(['build', dir, '--format', 'html'])).code).toBe(2);
    expect((await run(['build', dir, '--date', '2024-02-30'])).code).toBe(2);
    expect((await run(['build', dir, '--jobs', '0'])).code).toBe(2);
  });

  it('refuses an output folder inside the evidence folder', async () => {
    const dir = tempDir('out-');
    cpSync(EXAMPLE, dir, { recursive: true });
    const r = await run(['build', dir, '--out', path.join(dir, 'evidence', 'out')]);
    expect(r.code).toBe(2);
    expect(existsSync(path.join(dir, 'evidence', 'out'))).toBe(false);
  });

  it('SOURCE_DATE_EPOCH sets the 立卷时间 when --date is absent', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: 组织领导\n    owner: 王主任\n    indicators:\n      - code: A1.1\n        title: 领导机构健全\n`));
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const r = await run(['build', p.dir], { env: { SOURCE_DATE_EPOCH: String(Date.UTC(2024, 2, 15) / 1000) } });
    expect(r.code).toBe(0);
    const file = path.join(p.dir, 'out', 'A1 组织领导.pdf');
    expect(tool('pdftotext', [file, '-'])).toContain('2024年3月15日');
    expect(tool('pdfinfo', ['-isodates', file])).toMatch(/CreationDate:\s+2024-03-15/);
  });
});

describe('§7 splitting, photos per page, images and failures', () => {
  async function manyPagesPdf(n: number): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let i = 1; i <= n; i++) doc.addPage([595, 842]).drawText(`Source page ${i}`, { x: 72, y: 700, size: 24, font });
    return doc.save();
  }

  it('splits before volume.maxPages into 第1卷, 第2卷; an item larger than a volume is split across them', async () => {
    const p = project(
      manualYaml(
        `  - code: A1\n    title: 组织领导\n    indicators:\n      - code: A1.1\n        title: 甲\n      - code: A1.2\n        title: 乙\n`,
        'volume: { maxPages: 10 }\n',
      ),
    );
    p.write('A1.1/2023-10-01 八页.pdf', await manyPagesPdf(8));
    p.write('A1.2/2023-10-02 二十三页.pdf', await manyPagesPdf(23));
    const r = await run(['build', p.dir, '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const out = path.join(p.dir, 'out');
    const rep = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    // 提交表 + 8 pages + the next 提交表 = 10 | the 23-page item alone is larger: 10 | 10 | 3
    expect(rep.volumes!.map((v) => [v.file, v.pages])).toEqual([
      ['A1 组织领导 第1卷.pdf', 10],
      ['A1 组织领导 第2卷.pdf', 10],
      ['A1 组织领导 第3卷.pdf', 10],
      ['A1 组织领导 第4卷.pdf', 3],
    ]);
    const second = path.join(out, 'A1 组织领导 第2卷.pdf');
    expect(pageText(second, 1)).toContain('第2卷，共4卷');
    expect(pageText(second, 1)).toMatch(/档号\s+Y-A1-2/); // no fonds or year in this manual: 保管期限-A code-卷号
    expect(pageText(second, 3)).toContain('Source page 1');
    expect(pageText(second, 2)).toContain('（第1-10页）');
    expect(pageText(path.join(out, 'A1 组织领导 第4卷.pdf'), 3)).toContain('Source page 21');
    // each volume numbers its own pages from 1
    expect(stampedNumber(second, 3)).toEqual({ side: 'right', value: '1' });
  });

  it('a long 卷内目录 runs over several pages, and the numbers still match the stamps', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 记录\n`));
    for (let i = 1; i <= 70; i++) p.write(`A1.1/2023-10-${String((i % 28) + 1).padStart(2, '0')} 第${i}次活动记录.txt`, `第${i}次活动的记录。`);
    const r = await run(['build', p.dir, '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const file = path.join(p.dir, 'out', 'A1 t.pdf');
    const o = outlines(file);
    expect(o[1]!.title).toBe('卷内目录');
    const firstNumbered = o[2]!.destpageposfrom1; // the B-level's 提交表, page 1
    const tocPages = firstNumbered - 2;
    expect(tocPages).toBeGreaterThanOrEqual(2);
    for (let n = 2; n <= tocPages + 1; n++) expect(pageText(file, n)).toMatch(/卷\s*内\s*目\s*录/);
    // each item's row names its first page, and that page carries the number and the item's title
    const toc = Array.from({ length: tocPages }, (_, i) => pageText(file, 2 + i)).join('\n');
    const rows = [...toc.matchAll(/(第\d+次活动记录)\s+\d{8}\s+(\d+)/g)];
    expect(rows.length).toBeGreaterThanOrEqual(69); // the last row shows first-last
    for (const [, title, page] of rows) {
      const filePage = firstNumbered + Number(page) - 1;
      expect(stampedNumber(file, filePage)?.value).toBe(page);
      expect(pageText(file, filePage)).toContain(title!);
    }
    expect([...toc.matchAll(/第\d+次活动记录/g)]).toHaveLength(70);
  });

  it('photosPerPage 2 and 4 put that many captioned photos on a page', async () => {
    for (const per of [2, 4]) {
      const p = project(
        manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 照片\n`, `volume: { photosPerPage: ${per} }\n`),
      );
      for (let i = 1; i <= 5; i++) p.write(`A1.1/2023-10-01 活动 ${i}.jpg`, await jpeg({ seed: i, date: '2023:10:01 10:00:00' }));
      const r = await run(['build', p.dir, '--date', '2024-05-20']);
      expect(r.code).toBe(0);
      const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
      // one 件 (same requirement and date): 提交表 + ceil(5 / per) pages
      expect([per, rep.volumes![0]!.pages, rep.volumes![0]!.items]).toEqual([per, 1 + Math.ceil(5 / per), 1]);
      const file = path.join(p.dir, 'out', 't.pdf'.replace('t.pdf', 'A1 t.pdf'));
      const firstPhotoPage = pageText(file, 4);
      expect(firstPhotoPage.match(/题名：活动/g)).toHaveLength(per);
    }
  });

  it('HEIC, PNG, WebP, TIFF, BMP, GIF and CMYK JPEG photos are bound as sRGB images', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 照片\n`));
    const src = path.join(tempDir(), 'src.png');
    tool('convert', ['-size', '1200x1000', 'gradient:#c33-#33c', src]);
    const base = path.dirname(p.write('A1.1/.keep', ''));
    tool('heif-enc', ['-q', '60', '-o', path.join(base, '2023-10-01 苹果手机.heic'), src]);
    for (const [name, args] of [
      ['2023-10-02 截图.png', []],
      ['2023-10-03 网页.webp', []],
      ['2023-10-04 扫描.tif', []],
      ['2023-10-05 画图.bmp', []],
      ['2023-10-06 动图.gif', []],
      ['2023-10-07 印刷.jpg', ['-colorspace', 'CMYK']],
    ] as [string, string[]][]) {
      tool('convert', [src, ...args, path.join(base, name)]);
    }
    const r = await run(['build', p.dir, '--date', '2024-05-20']);
    expect(r.stdout + r.stderr).not.toContain('未能');
    const file = path.join(p.dir, 'out', 'A1 t.pdf');
    const list = tool('pdfimages', ['-list', file]).split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s+/));
    expect(list).toHaveLength(7);
    for (const c of list) expect([c[5], c[3], c[4]]).toEqual(['rgb', '1200', '1000']);
  });

  it('without LibreOffice, an office file gets a page saying so and how to fix it; --strict fails', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 计划\n`));
    p.copy(LO_DOCX, 'A1.1/2023-09-10 工作计划.docx');
    const r = await run(['build', p.dir, '--date', '2024-05-20', '--strict'], { env: { CHUANGCHENG_SOFFICE: 'none' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('未能转换');
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(rep.warnings).toContainEqual(expect.objectContaining({ path: 'A1.1/2023-09-10 工作计划.docx', code: 'not-converted' }));
    const t = tool('pdftotext', [path.join(p.dir, 'out', 'A1 t.pdf'), '-']);
    expect(t).toContain('此文件未能转换成页面');
    expect(t).toContain('LibreOffice');
    const plain = await run(['build', p.dir, '--date', '2024-05-20'], { env: { CHUANGCHENG_SOFFICE: 'none' } });
    expect(plain.code).toBe(0);
  });

  it('a file that passed check but cannot be bound is reported with a page in its place; the rest is bound', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 材料\n`));
    p.copy(LO_PDF, 'A1.1/2023-09-01 正常.pdf');
    // a PDF with a sound trailer whose page tree is garbage: the probe passes, pdf-lib cannot use it
    const good = readFileSync(LO_PDF, 'latin1');
    p.write('A1.1/2023-09-02 坏页树.pdf', Buffer.from(good.replace('/Type /Pages', '/Type /Pagez').replace(/\/Kids\s*\[/, '/Kidz ['), 'latin1'));
    const r = await run(['build', p.dir, '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(rep.warnings).toContainEqual(expect.objectContaining({ path: 'A1.1/2023-09-02 坏页树.pdf', code: 'bind-failed' }));
    const t = tool('pdftotext', [path.join(p.dir, 'out', 'A1 t.pdf'), '-']);
    expect(t).toContain('为深入推进全国文明城市创建工作');
    expect(t).toContain('此文件无法装订');
    const strict = await run(['build', p.dir, '--date', '2024-05-20', '--strict']);
    expect(strict.code).toBe(1);
  });

  it('a rotated evidence page gets its number upright at the shown top corner', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (const angle of [0, 90, 180, 270]) {
      const page = doc.addPage([595, 842]);
      page.drawText(`rot ${angle}`, { x: 72, y: 400, size: 20, font });
      page.setRotation({ type: 'degrees' as never, angle } as never);
    }
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 材料\n`));
    p.write('A1.1/2023-09-01 旋转.pdf', await doc.save());
    const r = await run(['build', p.dir, '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const file = path.join(p.dir, 'out', 'A1 t.pdf');
    // pages 3..6 of the file are stamped 2..5
    for (const [filePage, n] of [[4, 2], [5, 3], [6, 4], [7, 5]]) {
      expect(stampedNumber(file, filePage!)).toEqual({ side: n! % 2 === 1 ? 'right' : 'left', value: String(n) });
    }
  });
});

describe('§2 fonts: the manual can name local font files', () => {
  const WQY = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

  it('a TrueType collection (first face) replaces the bundled fonts, subset and embedded', async () => {
    const p = project(
      manualYaml(`  - code: A1\n    title: 组织领导\n    indicators:\n      - code: A1.1\n        title: 领导机构健全\n`, `fonts:\n  song: ${WQY}\n  hei: ${WQY}\n`),
    );
    p.write('A1.1/2023-10-01 记录.txt', '文泉驿微米黑排版的记录');
    const r = await run(['build', p.dir, '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const file = path.join(p.dir, 'out', 'A1 组织领导.pdf');
    expect(tool('pdftotext', [file, '-'])).toContain('文泉驿微米黑排版的记录');
    const fonts = tool('pdffonts', [file]);
    expect(fonts).toContain('WenQuanYiMicroHei');
    expect(fonts).not.toContain('Noto');
  });

  it('a missing or unusable font file exits 2 and names it', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n`, 'fonts:\n  song: ./fonts/nope.ttf\n'));
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const r = await run(['build', p.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.ttf');
    mkdirSync(path.join(p.dir, 'fonts'));
    writeFileSync(path.join(p.dir, 'fonts', 'nope.ttf'), 'not a font');
    const r2 = await run(['build', p.dir]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('不是可用的字体文件');
  });
});
