// issue 9, item 7: `chuangcheng import` turns the 任务分解表 a unit receives (Excel, WPS, CSV) into a
// commented manual.yaml. The tables are made by real tools: openpyxl (merged cells, title row, 合计,
// date cells, "8分"), LibreOffice (one .xls, made once), Python's csv module and iconv (UTF-8 with BOM, GBK).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importTable } from '../src/import/index.js';
import { splitCode } from '../src/import/indicators.js';
import { parseManual } from '../src/manual/parse.js';
import type { ManualInput } from '../src/manual/schema.js';
import { keysWithoutChineseComment, run, snapshot, tempDir } from './helpers.js';

const PY = '/usr/bin/python3'; // Debian's, with python3-openpyxl

function python(script: string, ...args: string[]): void {
  const r = spawnSync(PY, ['-c', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed (python3-openpyxl is needed: bash .ci/run installs it): ${r.stderr}`);
}

/** Rows for openpyxl: JSON, with {"date": "YYYY-MM-DD"} for a real Excel date cell. */
function xlsx(file: string, sheets: { title: string; rows: unknown[][]; merges?: string[] }[]): string {
  python(
    `import sys, json, datetime, openpyxl
spec = json.loads(sys.argv[2])
wb = openpyxl.Workbook()
wb.remove(wb.active)
for s in spec:
    ws = wb.create_sheet(s["title"])
    for row in s["rows"]:
        ws.append([datetime.datetime.strptime(v["date"], "%Y-%m-%d") if isinstance(v, dict) else v for v in row])
    for m in s.get("merges", []):
        ws.merge_cells(m)
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, datetime.datetime):
                c.number_format = "yyyy-mm-dd"
wb.save(sys.argv[1])`,
    file,
    JSON.stringify(sheets),
  );
  return file;
}

/** A CSV written by Python's csv module: `utf-8-sig` is Excel's “CSV UTF-8” (with BOM); `utf-16` and a tab its “Unicode 文本”. */
function csv(file: string, rows: (string | number)[][], encoding = 'utf-8-sig', delimiter = ','): string {
  python(
    `import sys, json, csv
with open(sys.argv[1], "w", encoding=sys.argv[3], newline="") as f:
    csv.writer(f, delimiter=sys.argv[4]).writerows(json.loads(sys.argv[2]))`,
    file,
    JSON.stringify(rows),
    encoding,
    delimiter,
  );
  return file;
}

const req = (title: string) => [{ title: `${title}材料`, kind: 'document' as const, min: 1 }];

// ---- the main table: a title row, a unit line, 测评项目 merged down, 合计 and a note at the end

const MAIN_ROWS: unknown[][] = [
  ['某某社区创建全国文明城市测评任务分解表'],
  ['填报单位：某某街道某某社区', null, null, null, null, '填报日期：2024年3月1日'],
  ['测评项目', '测评内容', '测评标准', '测评方法', '分值', '责任人', '完成时限'],
  ['一、组织领导', '1.领导机构健全', '成立创建工作领导小组\n职责分工明确', '材料审核', '8分', '李主任', { date: '2024-04-30' }],
  [null, '2.工作制度完善', '有年度计划和总结', '材料审核', 7, '王干事', '2024年5月10日'],
  [],
  ['二、社区环境（18分）', '（1）环境卫生整洁', '无卫生死角', '实地考察', '10分', '张主任', '2024/5/20'],
  [null, '（2）公益广告', '公益广告占比不低于20%', '实地考察', 5, '张主任', '长期坚持'],
  [null, null, '社区宣传栏有公益广告', null, '3分', null, null],
  ['W3 志愿服务', 'W3.1 志愿服务站点', '有固定的志愿服务站点', '实地考察', 4, '赵老师\n刘老师', { date: '2024-05-31' }],
  [null, '志愿者注册', '注册志愿者占常住人口13%以上', '网上申报', '4 分', '赵老师', '2024.6.1'],
  ['合计', null, null, null, 41],
  ['注：完成时限为材料上报的截止日期。'],
];
const MAIN_MERGES = ['A1:G1', 'A4:A5', 'A7:A9', 'B8:B9', 'A10:A11', 'A13:G13'];

const MAIN_MANUAL: ManualInput = {
  title: '某某社区创建全国文明城市测评任务分解表',
  unit: '某某街道某某社区',
  indicators: [
    {
      code: 'A1',
      title: '组织领导',
      indicators: [
        { code: 'A1.1', title: '领导机构健全', owner: '李主任', due: '2024-04-30', score: 8, method: '材料审核', standard: '成立创建工作领导小组\n职责分工明确', evidence: req('领导机构健全') },
        { code: 'A1.2', title: '工作制度完善', owner: '王干事', due: '2024-05-10', score: 7, method: '材料审核', standard: '有年度计划和总结', evidence: req('工作制度完善') },
      ],
    },
    {
      code: 'A2',
      title: '社区环境',
      score: 18,
      indicators: [
        { code: 'A2.1', title: '环境卫生整洁', owner: '张主任', due: '2024-05-20', score: 10, method: '实地考察', standard: '无卫生死角', evidence: req('环境卫生整洁') },
        // two rows: 测评内容 merged down, a second 标准 and more points
        { code: 'A2.2', title: '公益广告', owner: '张主任', score: 8, method: '实地考察', standard: '公益广告占比不低于20%\n社区宣传栏有公益广告', evidence: req('公益广告') },
      ],
    },
    {
      code: 'W3',
      title: '志愿服务',
      indicators: [
        { code: 'W3.1', title: '志愿服务站点', owner: '赵老师、刘老师', due: '2024-05-31', score: 4, method: '实地考察', standard: '有固定的志愿服务站点', evidence: req('志愿服务站点') },
        { code: 'W3.2', title: '志愿者注册', owner: '赵老师', due: '2024-06-01', score: 4, method: '网上申报', standard: '注册志愿者占常住人口13%以上', evidence: req('志愿者注册') },
      ],
    },
  ],
};

// ---- a CSV with other column names, 测评项目 written once and left blank below, codes of three kinds

const CSV_ROWS: (string | number)[][] = [
  ['序号', '一级指标', '二级指标', '具体要求', '方法', '分数', '责任部门', '截止时间', '备注'],
  [1, 'A1 组织领导', 'A1.1 领导机构', '成立领导小组，职责明确', '材料审核', '6分', '校办', '2024-04-30', ''],
  [2, '', 'A1.2 工作制度', '有计划、有总结\n有记录', '材料审核', 4, '校办', '2024年4月30日', '重点'],
  ['', '', '', '', '', '', '', '', ''],
  [3, 'Ⅱ 文明交通', 'Ⅱ-1 斑马线礼让', '机动车礼让行人', '实地考察', '5', '保卫处', '2024/5/1', ''],
  [4, '第三项 文明餐桌', '① 光盘行动', '食堂有“光盘行动”宣传', '实地考察', '3分', '后勤处', '', ''],
  [5, '', '② 公筷公勺', '', '问卷调查', '加分项', '', '五月底', ''],
  ['', '合 计', '', '', '', 18, '', '', ''],
];

const CSV_MANUAL: ManualInput = {
  title: '请填写档案标题（如：2024年度全国文明城市测评 材料审核档案）',
  unit: '请填写立档单位全称',
  indicators: [
    {
      code: 'A1',
      title: '组织领导',
      indicators: [
        { code: 'A1.1', title: '领导机构', owner: '校办', due: '2024-04-30', score: 6, method: '材料审核', standard: '成立领导小组，职责明确', evidence: req('领导机构') },
        { code: 'A1.2', title: '工作制度', owner: '校办', due: '2024-04-30', score: 4, method: '材料审核', standard: '有计划、有总结\n有记录', evidence: req('工作制度') },
      ],
    },
    {
      code: 'Ⅱ',
      title: '文明交通',
      indicators: [{ code: 'Ⅱ-1', title: '斑马线礼让', owner: '保卫处', due: '2024-05-01', score: 5, method: '实地考察', standard: '机动车礼让行人', evidence: req('斑马线礼让') }],
    },
    {
      code: 'A3',
      title: '文明餐桌',
      indicators: [
        { code: 'A3.1', title: '光盘行动', owner: '后勤处', score: 3, method: '实地考察', standard: '食堂有“光盘行动”宣传', evidence: req('光盘行动') },
        { code: 'A3.2', title: '公筷公勺', method: '问卷调查', evidence: req('公筷公勺') },
      ],
    },
  ],
};

let dir: string;
let mainXlsx: string;
let mainXls: string;
let utf8Csv: string;
let gbkCsv: string;

beforeAll(() => {
  dir = tempDir('import-');
  const tables = path.join(dir, 'tables');
  mkdirSync(tables);
  mainXlsx = xlsx(path.join(tables, '任务分解表.xlsx'), [
    { title: '填表说明', rows: [['请按下表填报。'], ['分值以测评体系为准。']] },
    { title: '任务分解', rows: MAIN_ROWS, merges: MAIN_MERGES },
  ]);
  utf8Csv = csv(path.join(tables, '分解表 UTF-8.csv'), CSV_ROWS);
  gbkCsv = path.join(tables, '分解表GBK.csv');
  // Excel's “CSV（逗号分隔）” on Chinese Windows: GBK
  writeFileSync(gbkCsv, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK', csv(path.join(dir, 'plain.csv'), CSV_ROWS, 'utf-8')]));
  // the one LibreOffice run of this file: the same workbook as a legacy .xls
  const xlsDir = path.join(dir, 'xls');
  const lo = spawnSync(
    'soffice',
    ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/lo-profile`, '--convert-to', 'xls', '--outdir', xlsDir, mainXlsx],
    { encoding: 'utf8', timeout: 180_000 },
  );
  mainXls = path.join(xlsDir, '任务分解表.xls');
  if (!existsSync(mainXls)) throw new Error(`LibreOffice could not make the .xls fixture: ${lo.stderr}`);
});

const out = (name = 'manual.yaml') => path.join(tempDir('import-out-'), name);

describe('import: reading the tables units receive', () => {
  it('.xlsx: finds the header under a title row, fills merged 测评项目 down, reads codes, 8分, dates; skips blank, 合计 and note rows', async () => {
    const output = out();
    const r = await importTable({ table: mainXlsx, output });
    expect(r.manual).toStrictEqual(MAIN_MANUAL);
    expect(parse(readFileSync(output, 'utf8'))).toStrictEqual(MAIN_MANUAL);
    expect(r).toMatchObject({ format: 'xlsx', sheet: '任务分解', sheets: 2, headerRow: 3, aLevels: 3, bLevels: 6, titleFrom: 'sheet', unitFrom: 'sheet' });
    expect(r.skipped).toEqual([
      { row: 6, reason: 'blank' },
      { row: 12, reason: 'total' },
      { row: 13, reason: 'note', text: '注：完成时限为材料上报的截止日期。' },
    ]);
    expect(r.warnings).toEqual([{ row: 8, message: expect.stringContaining('完成时限“长期坚持”不是日期') }]);
    expect(r.combined).toEqual([{ code: 'A2.2', rows: [8, 9] }]);
  });

  it('.csv in UTF-8 with BOM and in GBK: the same manual; other column names, codes kept (A1.1, Ⅱ-1) or made from numbering (第三项, ①)', async () => {
    const a = await importTable({ table: utf8Csv, output: out() });
    const b = await importTable({ table: gbkCsv, output: out() });
    const c = await importTable({ table: csv(path.join(tempDir('import-utf16-'), 'Unicode 文本.txt'), CSV_ROWS, 'utf-16', '\t'), output: out() });
    expect(a.manual).toStrictEqual(CSV_MANUAL);
    expect(b.manual).toStrictEqual(CSV_MANUAL);
    expect(c.manual).toStrictEqual(CSV_MANUAL);
    expect([a.encoding, b.encoding, c.encoding]).toEqual(['utf-8', 'gbk', 'utf-16']);
    expect(a.columns.map((c) => c.field)).toEqual(['a', 'b', 'standard', 'method', 'score', 'owner', 'due']);
    expect(a.ignoredColumns).toEqual(['序号', '备注']);
    expect(a.skipped).toEqual([{ row: 4, reason: 'blank' }, { row: 8, reason: 'total' }]);
    expect(a.warnings).toEqual([
      { row: 7, message: '完成时限“五月底”不是日期，没有写入 due（截止日期）。需要时请在手册中写成 YYYY-MM-DD。' },
      { row: 7, message: '分值“加分项”不是数字，没有写入 score。' },
    ]);
    expect([a.titleFrom, a.unitFrom]).toEqual(['placeholder', 'placeholder']);
  });

  it('.xls (legacy Excel) through LibreOffice gives the same manual as the .xlsx, and nothing is written beside the table', async () => {
    const before = snapshot(path.dirname(mainXls));
    const r = await importTable({ table: mainXls, output: out() });
    expect(r.format).toBe('xls');
    expect(r.manual).toStrictEqual(MAIN_MANUAL);
    expect(snapshot(path.dirname(mainXls))).toEqual(before);
  });

  it('.xls without LibreOffice: exit 2, saying to save it as .xlsx', async () => {
    const r = await run(['import', mainXls, '--output', out()], { env: { CHUANGCHENG_SOFFICE: 'none' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('需要 LibreOffice');
    expect(r.stderr).toContain('另存为”Excel 工作簿（.xlsx）');
  });

  it('.xlsx: an A-level row merged across 测评内容 carries its score and owner; a 分值 merged over its B-levels scores the A-level', async () => {
    const table = xlsx(path.join(tempDir('import-layout-'), '分解.xlsx'), [
      {
        title: 'Sheet1',
        rows: [
          ['测评项目', '测评内容', '分值', '责任单位', '截止日期'],
          ['一、组织领导', null, 15, '校办', null],
          [null, '领导机构', 8, '李老师', { date: '2024-03-31' }],
          [null, '工作制度', 7, null, null],
          ['二、宣传教育', '公益广告', 10, '宣传组', null],
          [null, '志愿服务', null, '团委', null],
          ['附：各项材料于每月底前上报。'],
        ],
        merges: ['A2:B2', 'A5:A6', 'C5:C6', 'A7:E7'],
      },
    ]);
    const r = await importTable({ table, output: out() });
    expect(r.manual.indicators).toStrictEqual([
      {
        code: 'A1',
        title: '组织领导',
        owner: '校办',
        score: 15,
        indicators: [
          { code: 'A1.1', title: '领导机构', owner: '李老师', due: '2024-03-31', score: 8, evidence: req('领导机构') },
          { code: 'A1.2', title: '工作制度', score: 7, evidence: req('工作制度') },
        ],
      },
      {
        code: 'A2',
        title: '宣传教育',
        score: 10,
        indicators: [
          { code: 'A2.1', title: '公益广告', owner: '宣传组', evidence: req('公益广告') },
          { code: 'A2.2', title: '志愿服务', owner: '团委', evidence: req('志愿服务') },
        ],
      },
    ]);
    expect(r.skipped).toEqual([{ row: 7, reason: 'note', text: '附：各项材料于每月底前上报。' }]);
  });

  it('.xlsx: a header over two rows, the header repeated further down, an Excel day number as 完成时限', async () => {
    const table = xlsx(path.join(tempDir('import-twohead-'), '分解.xlsx'), [
      {
        title: 'Sheet1',
        rows: [
          ['测评项目', '测评内容', '责任分工', null],
          [null, null, '责任单位', '完成时限'],
          ['组织领导', '领导小组', '办公室', 45412],
          ['测评项目', '测评内容', '责任单位', '完成时限'],
          ['宣传', '宣传栏', '宣传科', '2024-02-30'],
        ],
        merges: ['A1:A2', 'B1:B2', 'C1:D1'],
      },
    ]);
    const r = await importTable({ table, output: out() });
    expect(r.headerRow).toBe(2);
    expect(r.manual.indicators).toStrictEqual([
      { code: 'A1', title: '组织领导', indicators: [{ code: 'A1.1', title: '领导小组', owner: '办公室', due: '2024-04-30', evidence: req('领导小组') }] },
      { code: 'A2', title: '宣传', indicators: [{ code: 'A2.1', title: '宣传栏', owner: '宣传科', evidence: req('宣传栏') }] },
    ]);
    expect(r.skipped).toEqual([{ row: 4, reason: 'header' }]);
    expect(r.warnings).toEqual([{ row: 5, message: expect.stringContaining('完成时限“2024-02-30”不是日期') }]);
    expect(r.titleFrom).toBe('placeholder'); // the first header row is no title
  });

  it('takes codes from the text in the forms 测评体系 write them, and strips them from the title', () => {
    const cases: [string, string | number | undefined, string][] = [
      ['一、组织领导', 1, '组织领导'],
      ['十二、网络文明', 12, '网络文明'],
      ['（三）志愿服务', 3, '志愿服务'],
      ['1.领导机构', 1, '领导机构'],
      ['2、工作制度', 2, '工作制度'],
      ['（1）环境卫生', 1, '环境卫生'],
      ['3.2 公益广告', 2, '公益广告'],
      ['第一项 组织领导', 1, '组织领导'],
      ['第2条：宣传', 2, '宣传'],
      ['② 公筷公勺', 2, '公筷公勺'],
      ['A1 组织领导', 'A1', '组织领导'],
      ['A1.1领导机构健全', 'A1.1', '领导机构健全'],
      ['Ⅱ-1 斑马线礼让', 'Ⅱ-1', '斑马线礼让'],
      ['W1-2　志愿者', 'W1-2', '志愿者'],
      // not codes
      ['一站式服务大厅', undefined, '一站式服务大厅'],
      ['12345热线办理', undefined, '12345热线办理'],
      ['5G网络覆盖', undefined, '5G网络覆盖'],
      ['APP推广', undefined, 'APP推广'],
      ['2024年工作计划', undefined, '2024年工作计划'],
    ];
    for (const [text, code, title] of cases) {
      const s = splitCode(text);
      const got = s.code === undefined ? undefined : s.code.kind === 'literal' ? s.code.value : s.code.n;
      expect([text, got, s.title]).toEqual([text, code, title]);
    }
  });
});

describe('import: the manual it writes', () => {
  it('is accepted by check (after init makes the folders), every key with a Chinese comment', async () => {
    const project = tempDir('import-project-');
    const r = await run(['import', mainXlsx, '--output', path.join(project, 'manual.yaml')]);
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(project, 'manual.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./manual.schema.json');
    expect(text).toContain('本测评手册由 chuangcheng import 从“任务分解表.xlsx”的工作表“任务分解”导入');
    const { checked, missing } = await keysWithoutChineseComment(text);
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(50);
    expect(parseManual(text, path.join(project, 'manual.yaml')).ok).toBe(true);
    const init = await run(['init', project]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('已建立 6 个指标文件夹');
    expect(existsSync(path.join(project, 'evidence', 'A2 社区环境', 'A2.2 公益广告', '.gitkeep'))).toBe(true);
    const c = await run(['check', project, '--format', 'json', '--today', '2024-05-01']);
    expect(c.code).toBe(1); // runs, and reports what is missing: nothing is there yet
    expect(JSON.parse(c.stdout).summary).toMatchObject({ indicators: 6, unsatisfied: 6, gaps: 6, score: 41 });
  });

  it('prints what it did: counts, skipped rows and why, what to check, the next step', async () => {
    const project = tempDir('import-project-');
    const r = await run(['import', mainXlsx, '--output', path.join(project, 'manual.yaml')], { cwd: project });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('已生成测评手册 manual.yaml：3 个一级指标，6 个二级指标。');
    expect(lines[1]).toBe('  来源：任务分解表.xlsx，工作表“任务分解”（共 2 个），表头在第 3 行。');
    expect(r.stdout).toContain('  第 6 行：空行\n  第 12 行：合计行\n  第 13 行：说明文字，不是指标（“注：完成时限为材料上报的截止日期。”）');
    expect(r.stdout).toContain('A2.2（第 8–9 行）');
    expect(r.stdout).toContain('  第 8 行：完成时限“长期坚持”不是日期');
    expect(lines[lines.length - 1]).toBe('下一步：核对手册后运行 chuangcheng init .，为每个二级指标建立证据文件夹。');
  });

  it('uses --title and --unit; without a title row or a 单位 line it writes placeholders and says so', async () => {
    const a = await run(['import', utf8Csv, '--output', out(), '--title', '2024年度文明校园测评 材料审核档案', '--unit', '某某市第二中学']);
    expect(a.code).toBe(0);
    expect(a.stdout).not.toContain('占位文字');
    const output = out('手册.yaml');
    const b = await run(['import', utf8Csv, '--output', output]);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('title（档案标题）是占位文字');
    expect(b.stdout).toContain('unit（立档单位）是占位文字');
    expect(b.stdout).toContain(`--manual ${output}`);
    expect(readFileSync(output, 'utf8')).toContain('title（档案标题）和unit（立档单位）是占位文字');
  });
});

describe('import: where it writes', () => {
  it('refuses to replace an existing file without --force (exit 2), replaces it with --force, leaves no temporary file', async () => {
    const output = out();
    writeFileSync(output, '# 我自己的手册\n');
    const r = await run(['import', utf8Csv, '--output', output]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('已经存在，没有覆盖它');
    expect(r.stderr).toContain('--force');
    expect(readFileSync(output, 'utf8')).toBe('# 我自己的手册\n');
    const f = await run(['import', utf8Csv, '--output', output, '--force', '--unit', '某某中学']);
    expect(f.code).toBe(0);
    expect(parse(readFileSync(output, 'utf8')).unit).toBe('某某中学');
    expect(readdirSync(path.dirname(output))).toEqual(['manual.yaml']);
  });

  it('--output is required, may be a folder (manual.yaml in it), and is never the table itself', async () => {
    const none = await run(['import', utf8Csv]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('请用 --output 指定');
    const folder = tempDir('import-folder-');
    expect((await run(['import', utf8Csv, '--output', folder])).code).toBe(0);
    expect(readdirSync(folder)).toEqual(['manual.yaml']);
    const copy = path.join(tempDir('import-self-'), 'table.csv');
    copyFileSync(utf8Csv, copy);
    const self = await run(['import', copy, '--output', copy, '--force']);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('要导入的表格');
    expect(readFileSync(copy)).toEqual(readFileSync(utf8Csv));
  });
});

describe('import: errors name the row', () => {
  const csvTable = (rows: (string | number)[][]) => csv(path.join(tempDir('import-bad-'), '表.csv'), rows);
  const H = ['测评项目', '测评内容', '测评标准', '分值'];

  it('no header: exit 2, says which names it looks for; nothing written', async () => {
    const output = out();
    const r = await run(['import', csvTable([['姓名', '电话'], ['张三', '123']]), '--output', output]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('的前 15 行（第 1–15 行）里找不到表头');
    expect(r.stderr).toContain('“测评内容”');
    expect(existsSync(output)).toBe(false);
  });

  it('a 测评内容 before any 测评项目, duplicate codes, a 测评项目 without 测评内容 or in two places: every one, with its row', async () => {
    const table = csvTable([
      ['2024年任务分解表'],
      H,
      ['', '宣传栏', '有宣传栏', 2],
      ['一、组织领导', '1.领导机构', '成立', 5],
      ['', 'A1.1 重复的编号', '', 1],
      ['1 组织建设', '（1）制度', '', 1],
      ['三、空项目', '', '', 3],
      ['一、组织领导', '3.宣传', '', 1],
    ]);
    const r = await run(['import', table, '--output', out()]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      '错误：无法从 表.csv 生成测评手册，有 6 处需要先在表格中改正：',
      '  第 3 行：有测评内容“宣传栏”，但它上面还没有任何测评项目（一级指标）。请在这一行的“测评项目”列填上它所属的项目。',
      '  第 5 行：测评内容的编码“A1.1”与第 4 行重复。编码须全手册唯一，请改正其中一个的编号。',
      '  第 6 行：测评项目的编码“A1”与第 4 行重复。编码须全手册唯一，请改正其中一个的编号。',
      '  第 6 行：测评内容的编码“A1.1”与第 4 行重复。编码须全手册唯一，请改正其中一个的编号。',
      '  第 7 行：测评项目“三、空项目”下面没有测评内容（二级指标）。每个测评项目至少要有一项测评内容。',
      '  第 8 行：测评项目“一、组织领导”在第 4 行已经出现过。同一测评项目的各行要连在一起（可以合并单元格），请把它们排到一起。',
    ]);
  });

  it('an empty table: an empty file, and a header with nothing under it', async () => {
    const emptyFile = path.join(tempDir('import-empty-'), '空.csv');
    writeFileSync(emptyFile, '');
    const a = await run(['import', emptyFile, '--output', out()]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('是空文件');
    const b = await run(['import', csvTable([H, ['', '', '', ''], ['合计', '', '', 0]]), '--output', out()]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('的表头（第 1 行）下面没有任何指标行');
  });
});
