// issue 4 (Excel): 目录.xlsx after build, and check --format xlsx, read back by openpyxl
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { EXAMPLE, readXlsx, run, tempDir, type Sheet } from './helpers.js';

describe('Excel: 目录.xlsx and the 台账', () => {
  const out = path.join(inject('exampleDir'), 'out');
  let sheets: Sheet[];
  beforeAll(() => {
    sheets = readXlsx(path.join(out, '目录.xlsx'));
  });

  it('has one 卷内目录 sheet per volume, then the 台账', () => {
    expect(sheets.map((s) => s.title)).toEqual(['A1 组织领导', 'A2 理想信念教育', 'A3 道德品质教育', 'A4 校园文化与心理健康', 'A5 家校共育', '台账']);
  });

  it('each volume sheet holds its 卷内目录 with the same 页号 as the PDF, and item 档号', () => {
    const a1 = sheets[0]!;
    expect(a1.rows[0]).toEqual(['顺序号', '档号', '文号', '责任者', '题名', '日期', '页号', '备注']);
    expect(a1.rows.slice(1)).toEqual([
      // 顺序号 and a single 页号 are numbers; a range stays text
      [null, null, null, null, '[A1.1 领导机构健全 测评材料提交表]', null, 1, null],
      [1, 'Z109-2024-D30-A1-0001', '一小〔2023〕12号', '某某一小', '关于成立创城工作领导小组的通知', '20230901', 2, null],
      [2, 'Z109-2024-D30-A1-0002', null, '某某一小', '[工作会议照片（2张）]', '20230905', 3, null],
      [null, null, null, null, '[A1.2 工作制度完善 测评材料提交表]', null, 5, null],
      [3, 'Z109-2024-D30-A1-0003', null, '某某一小', '2023-2024学年创城工作计划', '20230910', 6, null],
      [null, null, null, null, '[缺项说明：年度工作总结]', null, 7, null],
    ]);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as { volumes: { pages: number }[] };
    const last = sheets[1]!.rows[sheets[1]!.rows.length - 1]!;
    expect(last[6]).toBe(`10-${report.volumes[1]!.pages}`);
  });

  it('the 台账 lists every evidence file with indicator, requirement, date, status and warnings', () => {
    const ledger = sheets[5]!;
    expect(ledger.rows[0]).toEqual(['文件', '一级指标', '二级指标', '材料要求', '日期', '状态', '说明', '提醒']);
    expect(ledger.rows).toHaveLength(1 + 36); // every file the report counts
    const byPath = new Map(ledger.rows.slice(1).map((r) => [r[0], r]));
    expect(byPath.get('A1 组织领导/A1.1 领导机构健全/会议现场.jpg')).toEqual([
      'A1 组织领导/A1.1 领导机构健全/会议现场.jpg', 'A1 组织领导', 'A1.1 领导机构健全', '工作会议照片', '2023-09-05', '采用', null, null,
    ]);
    expect(byPath.get('A3 道德品质教育/A3.2 志愿服务/2024-03-01 志愿者名单.pdf')![5]).toBe('剔除：有打开密码');
    expect(byPath.get('其他/说明.txt')![5]).toBe('未归类');
    expect(String(byPath.get('A3 道德品质教育/A3.2 志愿服务/2024-03-05 学雷锋关爱老人.jpg')![7])).toContain('照片分辨率低');
  });

  it('filters on, header frozen, widths that fit Chinese text; printed A4, fitted to the width, header row repeated', () => {
    for (const s of sheets) {
      expect(s.freeze).toBe('A2');
      expect(s.filter).toMatch(/^A1:[A-Z]+\d+$/);
      expect(s.print).toEqual({ paper: '9', fitToWidth: 1, fitToHeight: 0, titles: '$1:$1' });
    }
    const ledger = sheets[5]!;
    // the 文件 column is as wide as its longest path (two columns a Chinese character), capped at 60
    expect(ledger.widths.A).toBe(60);
    expect(sheets[0]!.widths.E).toBeGreaterThanOrEqual(30); // 题名
  });

  it('check --format xlsx writes the 台账 and a coverage sheet; it needs --output', async () => {
    const dir = tempDir();
    const file = path.join(dir, '台账.xlsx');
    const r = await run(['check', EXAMPLE, '--format', 'xlsx', '--output', file, '--today', '2024-05-20']);
    expect(r.code).toBe(1);
    const s = readXlsx(file);
    expect(s.map((x) => x.title)).toEqual(['覆盖情况', '台账']);
    expect(s[0]!.rows[0]).toEqual(['一级指标', '二级指标', '负责人', '截止日期', '逾期', '材料要求', '类型', '需要', '已有', '状态', '说明']);
    expect(s[0]!.rows).toContainEqual(['A1 组织领导', 'A1.2 工作制度完善', '李老师', '2024-04-30', '是', '年度工作总结', '文档', 1, 0, '缺项', null]);
    expect(s[0]!.rows).toContainEqual(['A4 校园文化与心理健康', 'A4.1 校园环境整洁', '孙主任', null, null, '（无需提交材料）', null, 0, 0, '满足', null]);
    expect(s[1]!.rows).toHaveLength(37);
    const again = path.join(dir, 'again.xlsx');
    await run(['check', EXAMPLE, '--format', 'xlsx', '--output', again, '--today', '2024-05-20']);
    expect(readFileSync(again).equals(readFileSync(file))).toBe(true); // same inputs, same bytes
    const bare = await run(['check', EXAMPLE, '--format', 'xlsx']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--output');
  });
});
