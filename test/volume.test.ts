// contract §7, the volume as the page model decides it (in-process, nothing drawn): what every page
// holds, its number, the 卷内目录 against the numbers, bookmarks, page labels — and what an inspector
// must never read in it. test/pdf.test.ts and test/docx.test.ts check the drawn files.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block, VolumePage } from '../src/layout/model.js';
import { layout } from '../src/layout/template.js';
import { EXAMPLE, jpeg, LO_PDF, LO_PDF2, manualYaml, project, png } from './helpers.js';
import { A4, allText, pageText, projectModel, type ProjectModel } from './model.js';

const L = layout();
const numbered = (pages: VolumePage[]) => pages.filter((p) => p.number);
const blocksOf = <T extends Block['type']>(p: VolumePage, type: T) => p.blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);

describe('§7 the page model of the bundled example', () => {
  let ex: ProjectModel;
  const vol = (code: string) => ex.volumes.find((v) => v.code === code)!;
  beforeAll(async () => {
    ex = await projectModel(EXAMPLE);
  });

  it('one volume per A-level: cover, 卷内目录, the numbered pages, 备考表', () => {
    expect(ex.volumes.map((v) => v.code)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    for (const { model, plan } of ex.volumes) {
      const kinds = model.pages.map((p) => p.kind);
      expect(kinds[0]).toBe('cover');
      expect(kinds[1]).toBe('toc');
      expect(kinds[kinds.length - 1]).toBe('backnote');
      expect(numbered(model.pages)).toHaveLength(plan.pages);
    }
  });

  it('the cover: GB/T 9705 fields in order, 归档号 left blank to write, 时间 as YYYY.MM—YYYY.MM', () => {
    const cover = vol('A1').model.pages[0]!;
    const fields = blocksOf(cover, 'table')[0]!.rows.map((r) => [r.cells[0]!.lines.join(''), r.cells[1]!.lines.join('')]);
    expect(fields.map(([l]) => l)).toEqual(['全宗名称', '类目名称', '案卷题名', '时间', '保管期限', '件数', '页数', '归档号', '档号']);
    expect(Object.fromEntries(fields)).toMatchObject({
      全宗名称: '某某市第一小学',
      类目名称: 'A1 组织领导',
      案卷题名: '2024年度全国文明城市测评 未成年人思想道德建设材料审核档案——组织领导',
      时间: '2023.09',
      保管期限: '定期30年',
      件数: '3',
      页数: String(vol('A1').plan.pages),
      归档号: '',
      档号: 'Z109-2024-D30-A1',
    });
    // every value, blank or not, stands on a ruled line
    expect(blocksOf(cover, 'table')[0]!.rows.every((r) => r.cells[1]!.ruled)).toBe(true);
    expect(Object.fromEntries(blocksOf(vol('A2').model.pages[0]!, 'table')[0]!.rows.map((r) => [r.cells[0]!.lines.join(''), r.cells[1]!.lines.join('')])).时间).toBe('2023.10—2024.02');
  });

  it('案卷题名 breaks at the space, never inside a word', () => {
    const title = blocksOf(vol('A1').model.pages[0]!, 'table')[0]!.rows[2]!.cells[1]!.lines;
    expect(title).toEqual(['2024年度全国文明城市测评 未成年人思想道德建设', '材料审核档案——组织领导']);
  });

  it('卷内目录: a row per numbered unit; 页号 is the number its first page carries; the last row shows first-last', () => {
    for (const { model, plan } of ex.volumes) {
      const starts = new Map<number, number>();
      for (const p of model.pages) if (p.number && !starts.has(p.number.value)) starts.set(p.number.value, p.number.value);
      expect(model.toc).toHaveLength(plan.entries.length);
      model.toc.forEach((row, i) => {
        const e = plan.entries[i]!;
        const first = model.pages.find((p) => p.number?.value === e.first)!;
        expect(first).toBeDefined();
        const expected = i === model.toc.length - 1 && e.last !== e.first ? `${e.first}-${e.last}` : String(e.first);
        expect(row.pages).toBe(expected);
      });
      // the printed table holds exactly these rows
      const printed = model.pages.filter((p) => p.kind === 'toc').flatMap((p) => blocksOf(p, 'table')[0]!.rows.slice(1));
      expect(printed.map((r) => r.cells[5]!.lines.join(''))).toEqual(model.toc.map((r) => r.pages));
    }
    const a1 = vol('A1').model.toc;
    expect(a1[1]).toMatchObject({ seq: '1', docNo: '一小〔2023〕12号', author: '某某一小', title: '关于成立创城工作领导小组的通知', date: '20230901', pages: '2' });
    expect(a1.map((r) => r.title)).toContain('[缺项说明：年度工作总结]');
  });

  it('卷内目录 columns fit what they hold: headers and 文号 on one line, 8-digit dates unbroken', () => {
    const table = blocksOf(vol('A1').model.pages[1]!, 'table')[0]!;
    expect(table.rows[0]!.cells.map((c) => c.lines.length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    for (const r of table.rows.slice(1)) {
      expect(r.cells[1]!.lines.length).toBe(1); // 文号
      expect(r.cells[4]!.lines.length).toBe(1); // 日期
    }
    const width = table.columns.reduce((a, b) => a + b, 0);
    expect(width).toBeCloseTo(L.page.width - L.margins.binding - L.margins.outer, 3);
  });

  it('numbered pages: 1, 2, 3 … in one run; recto top right, verso top left; cover, 目录 and 备考表 carry none', () => {
    for (const { model } of ex.volumes) {
      const nums = numbered(model.pages);
      nums.forEach((p, i) => {
        expect(p.number!.value).toBe(i + 1);
        expect(p.number!.align).toBe((i + 1) % 2 === 1 ? 'right' : 'left');
        expect(p.number!.x).toBeCloseTo((i + 1) % 2 === 1 ? p.width - L.pageNumber.fromOuter : L.pageNumber.fromOuter, 3);
        expect(p.number!.y).toBeLessThan(L.evidence.top);
      });
      for (const p of model.pages.filter((x) => ['cover', 'toc', 'backnote'].includes(x.kind))) expect(p.number).toBeUndefined();
    }
  });

  it('evidence pages sit below the number band, scaled down only as much as needed; landscape pages stay landscape', async () => {
    for (const { model } of ex.volumes) {
      for (const p of model.pages.filter((x) => x.kind === 'evidence')) {
        const e = blocksOf(p, 'evidence')[0]!;
        expect(e.rect.y).toBeGreaterThanOrEqual(p.number!.y + p.number!.style.lineHeight);
        expect(e.rect.x).toBeGreaterThanOrEqual(0);
        expect(e.rect.y + e.rect.h).toBeLessThanOrEqual(p.height);
      }
    }
    const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 材料\n`));
    p.copy(LO_PDF, 'A1.1/2023-10-01 横表.pdf');
    const m = await projectModel(p.dir, { sizes: { 'A1.1/2023-10-01 横表.pdf': [{ width: 842, height: 595 }, { width: 300, height: 400 }] } });
    const [land, small] = m.volumes[0]!.model.pages.filter((x) => x.kind === 'evidence');
    expect([land!.width > land!.height, small!.width < small!.height]).toEqual([true, true]);
    // a page smaller than the area is not enlarged
    const rect = blocksOf(small!, 'evidence')[0]!.rect;
    expect(rect.w).toBeGreaterThan(300);
  });

  it('测评材料提交表: the indicator, 测评标准, 测评方法, 责任人, each requirement with found/min — and no deadline or overdue', () => {
    const form = vol('A1').model.pages.find((p) => p.kind === 'form' && pageText(p).join('\n').includes('A1.2'))!;
    const text = pageText(form).join('\n');
    for (const s of ['测评材料提交表', '测评项目 | A1 组织领导', '测评内容 | A1.2 工作制度完善', '有年度工作计划和总结', '材料审核', '李老师', '年度工作总结 | 文件材料 | 1份 | 0份 | 不齐全', '缺1项：年度工作总结（应交1份，实交0份）。', '填表人：', '审核人：', '日期：']) {
      expect([s, text.includes(s)]).toEqual([s, true]);
    }
    expect(text).not.toMatch(/逾期|截止|2024-04-30/);
  });

  it('缺项说明: a formal form — 测评内容, 缺少的材料, 要求/现有, 原因 in the unit’s words, 责任人, signature lines', () => {
    const gap = vol('A1').model.pages.find((p) => p.kind === 'gap')!;
    const rows = blocksOf(gap, 'table')[0]!.rows.map((r) => [r.cells[0]!.lines.join(''), r.cells[1]!.lines.join('')]);
    expect(rows).toEqual([
      ['测评内容', 'A1.2 工作制度完善'],
      ['缺少的材料', '年度工作总结（文件材料）'],
      ['要求/现有', '要求1份，现有0份'],
      ['原因', '年度工作总结在学年结束（2024年7月）后形成，届时补充归档。'],
      ['责任人', '李老师'],
    ]);
    const sig = blocksOf(gap, 'table')[1]!.rows[0]!.cells;
    expect(sig.map((c) => c.lines.join(''))).toEqual(['经办人：', '', '负责人：', '', '日期：', '']);
    expect(sig.filter((c) => c.ruled)).toHaveLength(3);
    // without a 缺项说明.txt: ruled lines to write the reason by hand
    const other = vol('A2').model.pages.find((p) => p.kind === 'gap')!;
    const reason = blocksOf(other, 'table')[0]!.rows[3]!.cells[1]!;
    expect(reason.ruled).toEqual({ width: L.lines.rule.width, raise: reason.style.lineHeight * L.lines.rule.raise });
    expect(reason.lines.length).toBeGreaterThanOrEqual(3);
    expect(reason.lines.every((l) => l === '')).toBe(true);
  });

  it('a 缺项说明.txt is the reason, never evidence: not counted, not warned about, not bound', () => {
    const report = JSON.stringify(ex.assessment.kept.map((f) => f.path)) + JSON.stringify(ex.assessment.warnings) + JSON.stringify(ex.assessment.dropped);
    expect(report).not.toContain('缺项说明.txt');
  });

  it('photos: each caption directly under its photo — 题名, 时间, 地点, 人物, 摄影者, 文字说明; unknown ones ruled blanks', () => {
    const photoPages = vol('A1').model.pages.filter((p) => p.kind === 'photos');
    expect(photoPages).toHaveLength(2);
    for (const p of photoPages) {
      const photo = blocksOf(p, 'photo')[0]!;
      const caption = blocksOf(p, 'table')[0]!;
      expect(caption.y).toBeCloseTo(photo.rect.y + photo.rect.h + L.photo.captionGap, 3);
      expect(caption.rows.map((r) => r.cells[0]!.lines.join(''))).toEqual(['题名：', '时间：', '地点：', '人物：', '摄影者：', '文字说明：']);
      expect(caption.rows.every((r) => r.cells[1]!.ruled)).toBe(true);
      expect(caption.y + caption.rows.reduce((h, r) => h + r.height, 0)).toBeLessThanOrEqual(p.height - L.margins.bottom + 0.01);
    }
    const captions = photoPages.map((p) => blocksOf(p, 'table')[0]!.rows.map((r) => r.cells[1]!.lines.join('')));
    expect(captions[0]).toEqual(['[领导小组第一次工作会议]', '2023年9月5日', '', '', '', '']);
    expect(captions[1]).toEqual(['[创城工作领导小组会议现场]', '2023年9月5日', '学校三楼会议室', '张校长、王主任、赵主任及全体成员', '李老师', '张校长部署本学年创城工作任务，明确各成员分工。']);
    // the portrait photo (EXIF orientation 6) is laid out upright: taller than wide
    const portrait = blocksOf(photoPages[1]!, 'photo')[0]!;
    expect(portrait.rect.h).toBeGreaterThan(portrait.rect.w);
  });

  it('卷内备考表: 件数, 页数, the gaps with their reasons; 立卷人, 检查人, 立卷时间', () => {
    const back = pageText(vol('A1').model.pages.at(-1)!).join('');
    for (const s of ['卷内备考表', '本卷情况说明', `本卷共3件，${vol('A1').plan.pages}页。`, '本卷缺1项', '见第', '页缺项说明', '原因：年度工作总结在学年结束（2024年7月）后形成', '立卷人：', '王主任', '检查人：', '刘某', '立卷时间：', '2024年5月20日']) {
      expect([s, back.includes(s)]).toEqual([s, true]);
    }
  });

  it('nothing of ours in any volume: no command, output name, overdue days or drop counts', () => {
    for (const { model } of ex.volumes) {
      const text = allText(model);
      for (const bad of [/chuangcheng/i, /report\.json/, /目录\.xlsx/, /manifest/, /逾期/, /截止日期/, /剔除/, /甄选/, /重新运行/, /build/, /\.pdf|\.docx|\.jpg/i, /垃圾/]) {
        expect([model.info.title, bad.source, bad.test(text)]).toEqual([model.info.title, bad.source, false]);
      }
    }
  });

  it('bookmarks: 封面, 卷内目录, each B-level with its items and 缺项说明, 卷内备考表 — at the right pages', () => {
    const { model } = vol('A1');
    expect(model.outline.map((o) => o.title)).toEqual(['封面', '卷内目录', 'A1.1 领导机构健全', 'A1.2 工作制度完善', '卷内备考表']);
    expect(model.outline[2]!.children!.map((c) => c.title)).toEqual(['1. 关于成立创城工作领导小组的通知', '2. 工作会议照片（2张）']);
    expect(model.outline[3]!.children!.map((c) => c.title)).toEqual(['3. 2023-2024学年创城工作计划', '缺项说明：年度工作总结']);
    for (const node of model.outline.flatMap((o) => [o, ...(o.children ?? [])])) expect(model.pages[node.page]).toBeDefined();
    expect(model.pages[model.outline[3]!.page]!.kind).toBe('form');
    expect(model.pages[model.outline[4]!.page]!.kind).toBe('backnote');
  });

  it('the renderers draw the layout: its frame and rule widths, the DOCX flow margins and number, a note for each evidence page', () => {
    const seen = { frame: 0, ruled: 0, box: 0, evidence: 0 };
    for (const { model } of ex.volumes) {
      const { margins, number } = model.flow;
      expect(margins).toEqual(L.flow);
      expect(number).toEqual({ fromTop: L.pageNumber.fromTop, fromOuter: L.pageNumber.fromOuter, style: L.pageNumber.style });
      for (const p of model.pages) {
        // the stamped number stands where the DOCX's header puts it: fromOuter in from the outer edge
        if (p.number) expect(p.number.align === 'right' ? p.width - p.number.x : p.number.x).toBeCloseTo(number.fromOuter, 6);
        for (const b of p.blocks) {
          // every block but the floating stamp lies inside the DOCX's margins (it is laid in the flow there)
          const [x0, y0, x1, y1] = b.type === 'text' ? [b.x, b.y, b.x + b.width, b.y + b.lines.length * b.style.lineHeight] : b.type === 'table' ? [b.x, b.y, b.x + b.columns.reduce((s, c) => s + c, 0), b.y + b.rows.reduce((s, r) => s + r.height, 0)] : [b.rect.x, b.rect.y, b.rect.x + b.rect.w, b.rect.y + b.rect.h];
          if (!(b.type === 'table' && b.role === 'stamp')) {
            expect([p.kind, x0 >= margins.left - 1e-6, y0 >= margins.top - 1e-6, x1 <= p.width - margins.right + 1e-6, y1 <= p.height - margins.bottom + 1e-6]).toEqual([p.kind, true, true, true, true]);
          }
          if (b.type === 'table') {
            if (b.frame !== undefined) {
              seen.frame++;
              expect(b.frame).toBe(L.lines.frame);
            }
            for (const c of b.rows.flatMap((r) => r.cells)) {
              if (!c.ruled) continue;
              seen.ruled++;
              expect(c.ruled).toEqual({ width: L.lines.rule.width, raise: c.style.lineHeight * L.lines.rule.raise });
            }
          }
          if (b.type === 'box') {
            seen.box++;
            expect(b.width).toBe(L.lines.frame);
          }
          if (b.type === 'evidence') {
            // what both formats print in the page's place when they cannot draw it: the catalogue's words where the layout says
            seen.evidence++;
            expect(b.notice).toEqual({ type: 'text', x: b.rect.x, y: b.rect.y + L.pageNotice.fromTop, width: b.rect.w, lines: ['此页原件未能复制到卷中，请以原件为准。'], style: L.pageNotice.style, align: L.pageNotice.align });
          }
        }
      }
    }
    expect(Object.values(seen).every((n) => n > 0)).toBe(true);
  });

  it('page labels: 封面, 目录, then the stamped numbers, 备考表', () => {
    const { model } = vol('A1');
    expect(model.labels).toEqual([
      { start: 0, prefix: '封面' },
      { start: 1, prefix: '目录' },
      { start: 2, numbered: { first: 1 } },
      { start: model.pages.length - 1, prefix: '备考表' },
    ]);
  });
});

describe('§7 titles a person would write, 归档章, splitting, photos per page', () => {
  it('camera and app file names never become titles; their dates are read', async () => {
    const p = project(
      manualYaml(`  - code: A1
    title: 组织
    indicators:
      - code: A1.1
        title: 活动
        evidence:
          - { title: 活动照片, kind: photo, min: 1 }
`),
    );
    const names = ['IMG_20230918_075510.jpg', '微信图片_20231016103000.jpg', 'mmexport1697420000000.jpg', 'IMG_0001.jpg', 'IMG_0002.jpg', 'DSC01234.jpg', 'Screenshot_2023-10-17-09-30-00.png', 'wx_camera_1697500000000.jpg', 'PXL_20231018_083000123.jpg'];
    let seed = 0;
    for (const n of names) p.write(`A1.1/${n}`, n.endsWith('.png') ? await png(1200 + seed++, 1000) : await jpeg({ seed: ++seed }));
    const { assessment, volumes } = await projectModel(p.dir);
    expect(assessment.kept).toHaveLength(names.length);
    const dates = Object.fromEntries(assessment.kept.map((f) => [f.path.split('/')[1], f.meta.date]));
    expect(dates).toMatchObject({
      'IMG_20230918_075510.jpg': '2023-09-18',
      '微信图片_20231016103000.jpg': '2023-10-16',
      'mmexport1697420000000.jpg': '2023-10-16',
      'Screenshot_2023-10-17-09-30-00.png': '2023-10-17',
      'wx_camera_1697500000000.jpg': '2023-10-17',
      'PXL_20231018_083000123.jpg': '2023-10-18',
    });
    for (const f of assessment.kept) expect([f.path, f.meta.deviceName, f.meta.title]).toEqual([f.path, true, '']);
    const text = allText(volumes[0]!.model);
    for (const bad of ['IMG', 'DSC', '微信图片', 'mmexport', 'Screenshot', 'wx_camera', 'PXL']) expect([bad, text.includes(bad)]).toEqual([bad, false]);
    const items = volumes[0]!.model.toc.filter((r) => r.seq !== '');
    expect(items.length).toBeGreaterThan(0);
    for (const r of items) expect(r.title).toMatch(/^\[活动照片(（\d+张）)?\]$/);
  });

  it('WeChat, mmexport and camera names carry their dates', async () => {
    const { deviceName, parseFileName } = await import('../src/evidence/names.js');
    expect(deviceName('微信图片_20231016103000')).toEqual({ date: '2023-10-16' });
    expect(deviceName('mmexport1697420000000')).toEqual({ date: '2023-10-16' });
    expect(deviceName('IMG_20230918_075510')).toEqual({ date: '2023-09-18' });
    expect(deviceName('PXL_20231018_083000123')).toEqual({ date: '2023-10-18' });
    expect(deviceName('屏幕截图 2023-10-16 103000')).toEqual({ date: '2023-10-16' });
    expect(deviceName('IMG_0001')).toEqual({});
    expect(deviceName('创城主题班会')).toBeUndefined();
    expect(parseFileName('2023-10-12 IMG_0001')).toMatchObject({ date: '2023-10-12', deviceName: true, title: '' });
    expect(parseFileName('2023-10-12 创城主题班会 1')).toMatchObject({ date: '2023-10-12', title: '创城主题班会 1' });
  });

  it('archiveStamp: each 件’s first page carries the 归档章 (全宗号 年度 件号 / 机构 保管期限 页数), above the evidence', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 材料\n`, 'fonds: Z109\nyear: 2024\nretention: 永久\narchiveStamp: true\n'));
    p.copy(LO_PDF, 'A1.1/2023-10-01 通知.pdf');
    p.write('A1.1/2023-10-02 记录.txt', '记录正文');
    const m = await projectModel(p.dir, { sizes: { 'A1.1/2023-10-01 通知.pdf': [A4, A4] } });
    const pages = numbered(m.volumes[0]!.model.pages);
    // the stamp is known by its role, never by its colour; its colour is the layout's, and nothing else has one
    const stamps = pages.map((pg) => pg.blocks.filter((b) => b.type === 'table' && b.role === 'stamp'));
    expect(stamps.map((s) => s.length)).toEqual([0, 1, 0, 1]); // 提交表, 通知 p1, 通知 p2, 记录
    const coloured = m.volumes[0]!.model.pages.flatMap((pg) => pg.blocks.filter((b) => (b.type === 'table' || b.type === 'text') && b.color !== undefined));
    expect(coloured).toEqual(stamps.flat());
    for (const s of stamps.flat()) expect(s.type === 'table' && s.color).toEqual(layout().stamp.color);
    const cells = (s: Block) => (s.type === 'table' ? s.rows.map((r) => r.cells.map((c) => c.lines.join(''))) : []);
    expect(cells(stamps[1]![0]!)).toEqual([['Z109', '2023', '0001'], ['组织', '永久', '2']]);
    expect(cells(stamps[3]![0]!)).toEqual([['Z109', '2023', '0002'], ['组织', '永久', '1']]);
    const stamp = stamps[1]![0] as Extract<Block, { type: 'table' }>;
    const evidence = blocksOf(pages[1]!, 'evidence')[0]!;
    expect(evidence.rect.y).toBeGreaterThan(stamp.y + stamp.rows.reduce((h, r) => h + r.height, 0));
  });

  it('splits before maxPages into 第1卷, 第2卷; an item longer than a volume is cut; each volume numbers from 1', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 材料\n`, 'volume: { maxPages: 10 }\n'));
    p.copy(LO_PDF, 'A1.1/2023-10-01 长文件.pdf');
    p.copy(LO_PDF2, 'A1.1/2023-10-02 短文件.pdf');
    const m = await projectModel(p.dir, { sizes: { 'A1.1/2023-10-01 长文件.pdf': Array(14).fill(A4), 'A1.1/2023-10-02 短文件.pdf': Array(3).fill(A4) } });
    expect(m.volumes.map((v) => [v.plan.index, v.plan.of, v.plan.pages])).toEqual([[1, 2, 10], [2, 2, 8]]);
    for (const v of m.volumes) expect(numbered(v.model.pages).map((pg) => pg.number!.value)).toEqual(Array.from({ length: v.plan.pages }, (_, i) => i + 1));
    expect(m.volumes[0]!.model.toc.map((r) => r.title)).toEqual(['[A1.1 材料 测评材料提交表]', '长文件（第1-9页）']);
    expect(m.volumes[1]!.model.toc.map((r) => r.title)).toEqual(['长文件（第10-14页）', '短文件']);
    expect(m.volumes[1]!.model.toc[0]!.note).toBe('跨卷');
    const back = pageText(m.volumes[0]!.model.pages.at(-1)!).join('');
    expect(back).toContain('本案卷共2卷，此为第1卷');
    expect(back).toContain('跨卷的件：长文件（第1-9页）');
    const cover = Object.fromEntries(blocksOf(m.volumes[1]!.model.pages[0]!, 'table')[0]!.rows.map((r) => [r.cells[0]!.lines.join(''), r.cells[1]!.lines.join('')]));
    expect(cover.案卷题名).toContain('（第2卷，共2卷）');
    expect(cover.档号).toBe('Y-A1-2');
  });

  it('a volume with no dated item shows 时间 “—”; a long 卷内目录 runs over pages with its header repeated', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n${Array.from({ length: 40 }, (_, i) => `      - code: A1.${i + 1}\n        title: 第${i + 1}项内容\n        evidence: []\n`).join('')}`));
    const m = await projectModel(p.dir);
    const { model } = m.volumes[0]!;
    const cover = Object.fromEntries(blocksOf(model.pages[0]!, 'table')[0]!.rows.map((r) => [r.cells[0]!.lines.join(''), r.cells[1]!.lines.join('')]));
    expect(cover.时间).toBe('—');
    const tocs = model.pages.filter((pg) => pg.kind === 'toc');
    expect(tocs.length).toBeGreaterThan(1);
    for (const t of tocs) expect(blocksOf(t, 'table')[0]!.rows[0]!.cells.map((c) => c.lines.join(''))).toEqual(['顺序号', '文号', '责任者', '题名', '日期', '页号', '备注']);
    expect(tocs.flatMap((t) => blocksOf(t, 'table')[0]!.rows.slice(1))).toHaveLength(40);
    for (const t of tocs) {
      const tb = blocksOf(t, 'table')[0]!;
      expect(tb.y + tb.rows.reduce((h, r) => h + r.height, 0)).toBeLessThanOrEqual(t.height - L.margins.bottom + 0.01);
    }
    expect(model.labels[1]).toEqual({ start: 1, prefix: '目录', numbered: { first: 1 } });
  });

  it('photosPerPage 2 and 4: that many photos a page, each with its own caption under it', async () => {
    for (const per of [2, 4] as const) {
      const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 活动\n`, `volume: { photosPerPage: ${per} }\n`));
      for (let i = 1; i <= 5; i++) p.write(`A1.1/2023-10-0${i} 活动${i}.jpg`, await jpeg({ seed: i, width: 1600, height: i % 2 ? 1200 : 2000 }));
      const m = await projectModel(p.dir);
      const pages = m.volumes[0]!.model.pages.filter((pg) => pg.kind === 'photos');
      expect(pages.map((pg) => blocksOf(pg, 'photo').length)).toEqual(per === 2 ? [1, 1, 1, 1, 1] : [1, 1, 1, 1, 1]);
      // one date each: five items; the same date: one item over ceil(5/per) pages
      const q = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 活动\n`, `volume: { photosPerPage: ${per} }\n`));
      for (let i = 1; i <= 5; i++) q.write(`A1.1/2023-10-01 活动 ${i}.jpg`, await jpeg({ seed: i }));
      const n = await projectModel(q.dir);
      const grouped = n.volumes[0]!.model.pages.filter((pg) => pg.kind === 'photos');
      expect(grouped.map((pg) => blocksOf(pg, 'photo').length)).toEqual(per === 2 ? [2, 2, 1] : [4, 1]);
      for (const pg of grouped) {
        const photos = blocksOf(pg, 'photo');
        const captions = blocksOf(pg, 'table');
        expect(captions).toHaveLength(photos.length);
        photos.forEach((ph, i) => {
          expect(captions[i]!.y).toBeCloseTo(ph.rect.y + ph.rect.h + L.photo.captionGap, 3);
          expect(captions[i]!.x).toBeLessThanOrEqual(ph.rect.x + 0.01);
        });
      }
    }
  });

  it('a long title never overflows the 卷内目录: the row is cut with an ellipsis and keeps its 页号', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 材料\n`));
    p.write('A1.1/2023-10-01 长.txt', '正文');
    p.write('A1.1/2023-10-01 长.txt.yaml', `title: "${'关于进一步加强创城工作的长标题'.repeat(160)}"\n`);
    const m = await projectModel(p.dir);
    const toc = m.volumes[0]!.model.pages.filter((pg) => pg.kind === 'toc');
    const row = toc.flatMap((t) => blocksOf(t, 'table')[0]!.rows).find((r) => r.cells[3]!.lines.join('').startsWith('关于'))!;
    expect(row.cells[3]!.lines.length).toBe(L.toc.maxTitleLines);
    expect(row.cells[3]!.lines.at(-1)!.endsWith('…')).toBe(true);
    expect(row.cells[5]!.lines).toEqual(['2']);
  });
});
