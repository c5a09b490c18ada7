// contract §1 and §5: the project on disk, commands and exit codes; §6: the report formats
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { parseManual } from '../src/manual/parse.js';
import { MANUAL_KEYS, type ManualInput } from '../src/manual/schema.js';
import { STARTER_MANUAL, starterManualYaml } from '../src/manual/starter.js';
import { manualToYaml } from '../src/manual/write.js';
import type { Report } from '../src/report/report.js';
import { EXAMPLE, EXAMPLE_EVIDENCE, jpeg, keysWithoutChineseComment, manualYaml, ONE_B, project, reportOf, ROOT, run, snapshot, tempDir } from './helpers.js';

const TEMPLATE = path.join(ROOT, 'templates/starter-manual.yaml');

function copyExample(): string {
  const dir = tempDir('example-');
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

describe('§1 a project on disk', () => {
  it('takes the folder as a positional argument, defaulting to the current directory', async () => {
    const dir = copyExample();
    const a = await run(['check', dir, '--format', 'json', '--today', '2024-05-20']);
    const b = await run(['check', '--format', 'json', '--today', '2024-05-20'], { cwd: dir });
    expect(a.code).toBe(1);
    expect(b.stdout).toBe(a.stdout);
  });

  it('--manual and --evidence override the defaults', async () => {
    const dir = copyExample();
    const other = tempDir();
    const r = await run(['check', other, '--manual', path.join(dir, 'manual.yaml'), '--evidence', path.join(dir, 'evidence'), '--format', 'json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Report).summary.kept).toBeGreaterThan(10);
  });

  it('a missing evidence folder exits 2 with what to do', async () => {
    const p = project(manualYaml(ONE_B));
    const r = await run(['check', p.dir, '--evidence', path.join(p.dir, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('找不到证据文件夹');
    expect(r.stderr).toContain('chuangcheng init');
  });

  it('an evidence path that is a file exits 2', async () => {
    const p = project(manualYaml(ONE_B));
    writeFileSync(path.join(p.dir, 'file'), 'x');
    const r = await run(['check', p.dir, '--evidence', path.join(p.dir, 'file')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('不是文件夹');
  });
});

describe('§5 check: exit codes', () => {
  it('0 when nothing is missing', async () => {
    const p = project(manualYaml(ONE_B));
    p.write('A1.1/2023-10-01 照片.jpg', await jpeg());
    const r = await run(['check', p.dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('全部 1 项二级指标材料齐全');
  });

  it('1 when the archive has gaps', async () => {
    const r = await run(['check', EXAMPLE, '--today', '2024-05-20']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('共缺 3 项材料');
  });

  it.each([
    [['check', '--format', 'pdf'], '错误：选项 --format 的值“pdf”无效，只能是：text、json、junit、markdown、xlsx、html。'],
    [['check', '--by', 'person'], '错误：选项 --by 的值“person”无效，只能是：indicator、owner。'],
    [['check', '--today', '2024-13-01'], '错误：--today 应为 YYYY-MM-DD 格式的日期'],
    [['check', '--bogus'], '错误：没有 --bogus 这个选项。'],
    [['check', '--outptu', 'x'], '错误：没有 --outptu 这个选项。你是不是想用 --output？'],
    [['chek'], '错误：没有 chek 这个命令。你是不是想用 check？'],
    [['frobnicate'], '错误：没有 frobnicate 这个命令。可用的命令：check、build、plan、merge、init、import、schema。'],
    [['check', '--format'], '错误：选项 --format 后面需要写一个值。'],
    [['build', 'a', 'b'], '错误：build 命令的参数太多：最多 1 个，收到了 2 个。'],
  ])('2 on a usage error, said in Chinese: %j', async (args, said) => {
    const r = await run(args, { cwd: EXAMPLE });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(said);
    expect(r.stderr).not.toMatch(/error:|Did you mean|Allowed choices|too many/);
  });

  it('help is in Chinese: headings, [选项], (可选 …；默认 …), aligned for wide characters', async () => {
    const r = await run(['check', '--help']);
    expect(r.code).toBe(0);
    for (const s of ['用法： chuangcheng check [选项] [dirs...]', '参数：', '选项：', '（可选：text、json、junit、markdown、xlsx、html；默认：text）', '显示帮助']) expect(r.stdout).toContain(s);
    expect(r.stdout).not.toMatch(/Usage|Options|default:|choices:/);
    const top = await run(['--help']);
    const rows = top.stdout.split('\n').filter((l) => /^ {2}(check|build|init|schema|help) /.test(l));
    // the descriptions start in one column when 选项 counts two columns a character
    const { zhHelp } = await import('../src/cli/commander-zh.js');
    const col = (l: string) => zhHelp.displayWidth!.call(zhHelp as never, l.slice(0, l.search(/ {2}\S+$|\s{2,}[^\s[]/) + 2));
    expect(new Set(rows.map(col)).size).toBe(1);
  });

  it('2 when the output cannot be written, and no partial file is left', async () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'blocker');
    writeFileSync(blocker, 'a file where a folder is needed');
    const r2 = await run(['check', EXAMPLE, '--output', path.join(blocker, 'report.json'), '--format', 'json']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('无法写入');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to write its report inside the evidence folder', async () => {
    const dir = copyExample();
    const before = snapshot(path.join(dir, 'evidence'));
    const r = await run(['check', dir, '--output', path.join(dir, 'evidence', 'report.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('证据文件夹');
    expect(snapshot(path.join(dir, 'evidence'))).toEqual(before);
  });

  it('--output writes the report whole and prints the summary to stderr', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'report.md');
    const r = await run(['check', EXAMPLE, '--format', 'markdown', '--output', out, '--today', '2024-05-20']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('报告已写入');
    expect(readFileSync(out, 'utf8')).toContain('## 2024年度全国文明城市测评');
    expect(readdirSync(dir)).toEqual(['report.md']);
  });
});

describe('§5 check: text report', () => {
  it('groups by indicator, shows gaps, overdue items and a summary line', async () => {
    const r = await run(['check', EXAMPLE, '--today', '2024-05-20']);
    expect(r.stdout).toContain('✘ A1.2 工作制度完善');
    expect(r.stdout).toContain('缺 年度工作总结（文档）：还没有，需要 1 份');
    expect(r.stdout).toContain('截止 2024-04-30，已逾期 20 天');
    expect(r.stdout).toContain('缺 活动照片（照片）：还差 1 张（需要 3，已有 2）'); // photos count in 张
    expect(r.stdout).toMatch(/10 项二级指标中 3 项未满足，共缺 3 项材料；总分 100 分，\d+ 分有失分风险。/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour codes when not a terminal
  });

  it('--by owner counts what it lists: requirements lacked, not indicators; files, not notes', async () => {
    const p = project(manualYaml(`  - code: A1
    title: 组织
    indicators:
      - code: A1.1
        title: 机构
        owner: 李老师
        evidence:
          - { title: 成立文件, kind: document }
          - { title: 会议记录, kind: document }
          - { title: 会议照片, kind: photo, min: 2 }
      - code: A1.2
        title: 制度
        owner: 李老师
        evidence:
          - { title: 工作计划, kind: document }
`));
    p.write('A1.1/2023-10-01 会议照片.jpg', await jpeg({ width: 1600, height: 1200 }));
    const { renderText } = await import('../src/report/text.js');
    const { renderMarkdown } = await import('../src/report/markdown.js');
    const report = await reportOf(p.dir);
    const text = renderText(report, { by: 'owner', color: false });
    expect(text).toContain('【李老师】待办：缺 4 项材料（2 项指标）\n');
    expect(text.match(/^\s+缺 /gm)).toHaveLength(4);
    expect(text).toContain('缺 会议照片（照片）：还差 1 张（需要 2，已有 1）');
    expect(renderMarkdown(report, 'owner')).toContain('### 【李老师】待办：缺 4 项材料（2 项指标）');
  });

  it('--by owner gives each person a to-do list', async () => {
    const r = await run(['check', EXAMPLE, '--by', 'owner', '--today', '2024-05-20']);
    expect(r.stdout).toContain('【李老师】待办：缺 1 项材料\n');
    expect(r.stdout).toContain('【周老师】待办：4 个文件待处理\n');
    // a file with two notes is one file to handle, listed once with both notes
    const sun = r.stdout.slice(r.stdout.indexOf('【孙主任】'));
    expect(sun.slice(0, sun.indexOf('\n\n')).match(/校园宣传栏\.jpg/g)).toHaveLength(1);
    expect(sun).toMatch(/^【孙主任】待办：1 个文件待处理\n.*\n\s+扩展名与内容不符.*\n\s+没有日期/);
    const li = r.stdout.slice(r.stdout.indexOf('【李老师】'));
    expect(li.slice(0, li.indexOf('\n\n'))).toContain('A1.2 工作制度完善');
    expect(r.stdout).toContain('有打开密码：打开此 PDF 需要密码');
  });

  it('--today decides what is overdue', async () => {
    const early = await run(['check', EXAMPLE, '--today', '2024-01-01']);
    expect(early.stdout).not.toContain('已逾期');
  });

  it('colours on request (FORCE_COLOR) and only then', async () => {
    const r = await run(['check', EXAMPLE], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(r.stdout).toMatch(/\u001b\[/);
  });
});

describe('§6 the JSON report', () => {
  it('has exactly the contract shape on the bundled example', async () => {
    const r = await run(['check', EXAMPLE, '--format', 'json', '--today', '2024-05-20']);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.version).toBe(1);
    expect(rep.title).toBe('2024年度全国文明城市测评 未成年人思想道德建设 材料审核档案');
    expect(rep.unit).toBe('某某市第一小学');
    expect(rep.summary).toEqual({
      indicators: 10, satisfied: 7, unsatisfied: 3, gaps: 3,
      files: 36, kept: 26, dropped: 9, unassigned: 1, warnings: 3,
      score: 100, scoreAtRisk: 29,
    });
    const a1 = rep.indicators[0]!;
    expect(Object.keys(a1)).toEqual(['code', 'title', 'owner', 'score', 'status', 'indicators']);
    const a12 = a1.indicators[1]!;
    expect(a12).toMatchObject({ code: 'A1.2', title: '工作制度完善', owner: '李老师', due: '2024-04-30', overdue: true, score: 7, status: 'unsatisfied' });
    expect(a12.requirements).toEqual([
      { title: '年度工作计划', kind: 'document', min: 1, found: 1, status: 'satisfied', files: ['A1 组织领导/A1.2 工作制度完善/2023-09-10 2023-2024学年创城工作计划.docx'] },
      { title: '年度工作总结', kind: 'document', min: 1, found: 0, status: 'unsatisfied', files: [] },
    ]);
    expect(a12.other).toEqual([]);
    // satisfied indicators are never overdue
    expect(a1.indicators[0]).toMatchObject({ status: 'satisfied', overdue: false });
    expect(rep.unassigned).toEqual(['其他/说明.txt']);
    expect(new Set(rep.dropped.map((d) => d.reason))).toEqual(
      new Set(['junk', 'empty', 'excluded', 'unsupported', 'unreadable', 'encrypted', 'duplicate', 'out-of-period']),
    );
    for (const d of rep.dropped) expect(Object.keys(d).slice(0, 3)).toEqual(['path', 'reason', 'detail']);
    expect(new Set(rep.warnings.map((w) => w.code))).toEqual(new Set(['undated', 'low-resolution', 'type-mismatch']));
    // paths are relative to the evidence folder, with '/'
    for (const p of [...rep.dropped.map((d) => d.path), ...rep.unassigned, ...rep.warnings.map((w) => w.path)]) {
      expect(p.startsWith('/')).toBe(false);
      expect(existsSync(path.join(EXAMPLE_EVIDENCE, p))).toBe(true);
    }
  });

  it('validates against schemas/report.schema.json (generated from the zod definition, not stale); params as documented', async () => {
    const { reportSchema, reportJsonSchema } = await import('../src/report/schema.js');
    expect(JSON.parse(readFileSync(path.join(ROOT, 'schemas/report.schema.json'), 'utf8'))).toEqual(reportJsonSchema());
    const rep = JSON.parse((await run(['check', EXAMPLE, '--format', 'json', '--today', '2024-05-20'])).stdout) as Report;
    const parsed = reportSchema.safeParse(rep);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const built = JSON.parse(readFileSync(path.join(inject('exampleDir'), 'out', 'report.json'), 'utf8'));
    expect(reportSchema.safeParse(built).success).toBe(true);
    const byPath = (p: string) => rep.dropped.find((d) => d.path.endsWith(p))!;
    expect(byPath('2023-10-12 创城主题班会 3 - 副本.jpg').params).toEqual({ of: 'A2 理想信念教育/A2.1 社会主义核心价值观教育/2023-10-12 创城主题班会 3.jpg' });
    expect(byPath('2022-09-10 中秋节活动.jpg').params).toEqual({ date: '2022-09-10', source: 'name', from: '2023-06-01', to: '2024-05-31' });
    expect(byPath('志愿者名单.pdf').params).toEqual({ cause: 'pdf-password' });
    const lowRes = rep.warnings.find((w) => w.code === 'low-resolution')!;
    expect(lowRes.params).toEqual({ width: expect.any(Number), height: expect.any(Number), min: 1000 });
    expect(rep.warnings.find((w) => w.code === 'type-mismatch')!.params).toMatchObject({ detected: expect.any(String) });
  });

  it('scoreAtRisk sums the scores of unsatisfied B-levels', async () => {
    const rep = JSON.parse((await run(['check', EXAMPLE, '--format', 'json'])).stdout) as Report;
    const risk = rep.indicators.flatMap((a) => a.indicators).filter((b) => b.status === 'unsatisfied').reduce((s, b) => s + (b.score ?? 0), 0);
    expect(rep.summary.scoreAtRisk).toBe(risk);
  });

  it('is the same for the same inputs (stable order)', async () => {
    const a = await run(['check', EXAMPLE, '--format', 'json', '--today', '2024-05-20']);
    const b = await run(['check', EXAMPLE, '--format', 'json', '--today', '2024-05-20']);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('§6 --format junit and markdown', () => {
  it('junit: one testcase per B-level, classname = A-level code, a failure per gap; parsed by an independent XML reader', async () => {
    const r = await run(['check', EXAMPLE, '--format', 'junit', '--today', '2024-05-20']);
    expect(r.code).toBe(1);
    const py = spawnSync(
      'python3',
      [
        '-c',
        `import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
cases = [{"classname": c.get("classname"), "name": c.get("name"), "failure": (c.find("failure").text if c.find("failure") is not None else None)} for c in root.iter("testcase")]
print(json.dumps({"tag": root.tag, "tests": root.get("tests"), "failures": root.get("failures"), "cases": cases}, ensure_ascii=False))`,
      ],
      { input: r.stdout, encoding: 'utf8' },
    );
    expect(py.stderr).toBe('');
    const x = JSON.parse(py.stdout) as { tag: string; tests: string; failures: string; cases: { classname: string; name: string; failure: string | null }[] };
    expect(x).toMatchObject({ tag: 'testsuites', tests: '10', failures: '3' });
    expect(x.cases).toHaveLength(10);
    expect(x.cases[1]).toEqual({ classname: 'A1', name: 'A1.2 工作制度完善', failure: expect.stringContaining('年度工作总结（文档）：还没有，需要 1 份') });
    expect(x.cases[0]!.failure).toBeNull();
  });

  it('markdown: a summary table and one row per B-level (fits a CI job summary)', async () => {
    const r = await run(['check', EXAMPLE, '--format', 'markdown', '--today', '2024-05-20']);
    expect(r.stdout).toContain('| 10 | 7 | 3 | 3 | 36 | 26 | 9 | 1 | 3 | 100 | 29 |');
    expect(r.stdout).toContain('| ❌ | A1.2 | 工作制度完善 | 李老师 | **2024-04-30（逾期 20 天）** | 年度工作总结（文档）：还没有，需要 1 份 |');
    expect(r.stdout.match(/^\| [✅❌] \|/gmu)).toHaveLength(10);
    const owner = await run(['check', EXAMPLE, '--format', 'markdown', '--by', 'owner', '--today', '2024-05-20']);
    expect(owner.stdout).toContain('### 【李老师】待办：缺 1 项材料');
    expect(owner.stdout).toContain('- [ ] **A1.2 工作制度完善**');
  });
});

describe('§5 init', () => {
  it('creates a starter manual, its schema and one folder per B-level with a .gitkeep', async () => {
    const dir = path.join(tempDir(), '新项目');
    const r = await run(['init', dir]);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'manual.yaml'))).toBe(true);
    expect(existsSync(path.join(dir, 'manual.schema.json'))).toBe(true);
    const keep = path.join(dir, 'evidence', 'A1 组织领导', 'A1.1 领导机构健全', '.gitkeep');
    expect(statSync(keep).size).toBe(0);
    expect(r.stdout).toContain('已建立 10 个指标文件夹');
    expect(readFileSync(path.join(dir, 'manual.yaml'), 'utf8')).toBe(readFileSync(TEMPLATE, 'utf8'));
    // the starter manual is valid and its folders are recognised: check runs and reports gaps
    const c = await run(['check', dir, '--format', 'json']);
    expect(c.code).toBe(1);
    const rep = JSON.parse(c.stdout) as Report;
    expect(rep.summary).toMatchObject({ indicators: 10, files: 0, unassigned: 0 });
  });

  it('on an existing manual, creates only the missing folders and never touches files', async () => {
    const p = project(
      manualYaml(`  - code: A1
    title: 组织领导
    indicators:
      - code: A1.1
        title: 领导机构健全
      - code: A1.2
        title: "工作/制度: 完善?"
  - code: A2
    title: 理想信念
    indicators:
      - code: A2.1
        title: 核心价值观
`),
    );
    p.write('我的A1/A1.1_领导/2023-10-01 文件.txt', '已有材料');
    p.write('A2 自己起的名字/说明.txt', '已有');
    const manualBefore = readFileSync(path.join(p.dir, 'manual.yaml'));
    const before = snapshot(p.evidence);
    const r = await run(['init', p.dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 个二级指标已有文件夹');
    expect(readFileSync(path.join(p.dir, 'manual.yaml'))).toEqual(manualBefore);
    // the file-system-safe folder name, inside the existing A folder where there is one
    expect(existsSync(path.join(p.evidence, 'A1 组织领导', 'A1.2 工作_制度_ 完善_', '.gitkeep'))).toBe(true);
    expect(existsSync(path.join(p.evidence, 'A2 自己起的名字', 'A2.1 核心价值观', '.gitkeep'))).toBe(true);
    for (const [k, v] of before) if (!k.endsWith('/')) expect(snapshot(p.evidence).get(k)).toBe(v);
    // running it again changes nothing
    const again = snapshot(p.evidence);
    const r2 = await run(['init', p.dir]);
    expect(r2.stdout).toContain('3 个二级指标已有文件夹');
    expect(snapshot(p.evidence)).toEqual(again);
  });

  it('an invalid existing manual exits 2 and creates nothing', async () => {
    const p = project('title: t\nunit: u\nindicators: 3\n');
    const r = await run(['init', p.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('manual.yaml:3:13 indicators');
    expect(readdirSync(p.evidence)).toEqual([]);
  });
});

describe('§5 init: a manual that explains itself (issue 9, item 6)', () => {
  it('templates/starter-manual.yaml is the writer\'s output of the starter data (not stale) and loads exactly as the uncommented starter did', () => {
    const template = readFileSync(TEMPLATE, 'utf8');
    expect(template).toBe(starterManualYaml()); // `npm run schema` regenerates it
    expect(template.split('\n')[0]).toBe('# yaml-language-server: $schema=./manual.schema.json');
    expect(parse(template)).toStrictEqual(STARTER_MANUAL);
    // The bundled example's manual is the starter as it was before it had comments, plus two keys.
    const mine = parseManual(template, '/p/manual.yaml');
    const before = parseManual(readFileSync(path.join(EXAMPLE, 'manual.yaml'), 'utf8'), '/p/manual.yaml');
    if (!mine.ok || !before.ok) throw new Error('both load');
    const { unitShort, archiveStamp, ...rest } = before.manual;
    expect([unitShort, archiveStamp]).toEqual(['某某一小', true]);
    expect(mine.manual).toStrictEqual({ ...rest, archiveStamp: false });
  });

  it('every key has a Chinese comment; optional keys it does not use are there commented out, and taking away the “# ” enables them', async () => {
    const template = readFileSync(TEMPLATE, 'utf8');
    const { checked, missing } = await keysWithoutChineseComment(template);
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(150);
    // the checker itself sees a key without one
    expect((await keysWithoutChineseComment('title: 标题\nunit: u  # 立档单位\nindicators:\n  - code: A1\n    title: t  # 名称\n')).missing).toEqual(['title', 'indicators', 'indicators.code']);
    // what the first item of each level shows
    expect(MANUAL_KEYS.root.filter((k) => !(k in STARTER_MANUAL))).toEqual(['unitShort', 'filingNo', 'archiveStamp', 'year', 'fonts']);
    expect(template).toMatch(/^# 用本机的字体文件代替内置字体.*\n(# .*\n)*# fonts:\n#   song: fonts\/simsun\.ttc\n#   hei: fonts\/simhei\.ttf$/mu);
    expect(template).toMatch(/^ {12}# min: 2$/m); // the first requirement has no min
    expect(template).toContain('match: ["*领导小组*"]');
    const enabled = template.replace(/^# ((?:unitShort|filingNo|archiveStamp|year|fonts):.*|  (?:song|hei): .*)$/gm, '$1');
    const r = parseManual(enabled, '/p/manual.yaml');
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    expect(r.manual).toMatchObject({ unitShort: '一小', filingNo: '2024-01', archiveStamp: true, year: 2024, fonts: { song: '/p/fonts/simsun.ttc', hei: '/p/fonts/simhei.ttf' } });
  });

  it('writes any manual so that it loads back to exactly the same data: quoting, multi-line text, numbers, every key', async () => {
    const source: ManualInput = {
      title: '测试: 档案 # 1',
      unit: '*某某*小学',
      unitShort: 'yes',
      filingNo: '007',
      archiveStamp: false,
      fonds: 'null',
      year: 2024,
      period: { from: '2023-06-01', to: '2024-05-31' },
      retention: 'D10',
      checker: '- 刘某',
      exclude: ['**/草稿/**', '*.bak', 'a,b[1]'],
      volume: { maxPages: 10, photosPerPage: 4 },
      fonts: { song: 'C:\\Windows\\Fonts\\simsun.ttc', fang: './fonts/仿宋.ttf', hei: '@黑体.ttf' },
      indicators: [
        {
          code: '1',
          title: '组织领导',
          owner: '王主任',
          score: 0.5,
          indicators: [
            {
              code: '1.1',
              title: '领导机构: 健全',
              owner: 'true',
              due: '2024-04-30',
              score: 8,
              method: '材料审核',
              standard: '一、成立领导小组；\n\n  二、职责分工明确。\n三、有会议记录',
              evidence: [
                { title: '文件', kind: 'document', match: '*领导小组*', min: 0 },
                { title: '照片', kind: 'photo', match: ['*会议*', '#1*'] },
                { title: '其他' },
              ],
            },
            { code: '01.2', title: '"引号"标题', evidence: [] },
            { code: 'Ⅱ-1', title: "单'引号", standard: ' 以空格开头\n结尾有空格  ' },
          ],
        },
      ],
    };
    const text = manualToYaml(source);
    expect(parse(text)).toStrictEqual(source);
    expect(parseManual(text, '/p/manual.yaml').ok).toBe(true);
    expect((await keysWithoutChineseComment(text)).missing).toEqual([]);
    expect(text).toContain('match: "*领导小组*"');
    expect(text).toContain('code: "1.1"');
    // text with line breaks reads as written: a literal block
    expect(text).toMatch(/^ {8}standard: \|-\n {10}一、成立领导小组；\n\n {12}二、职责分工明确。\n {10}三、有会议记录\n/m);
    // only valid manuals are written: anything else is a program error
    expect(() => manualToYaml({ ...source, retention: '定期20年' } as unknown as ManualInput)).toThrow(/not a valid manual/);
  });

  it('`check` on the example\'s folders reports the same with its manual rewritten by the writer', async () => {
    const dir = copyExample();
    const data = parse(readFileSync(path.join(EXAMPLE, 'manual.yaml'), 'utf8')) as ManualInput;
    writeFileSync(path.join(dir, 'manual.yaml'), manualToYaml(data));
    const [a, b] = await Promise.all([
      run(['check', EXAMPLE, '--format', 'json', '--today', '2024-05-20']),
      run(['check', dir, '--format', 'json', '--today', '2024-05-20']),
    ]);
    expect(b.code).toBe(1);
    expect(b.stdout).toBe(a.stdout);
  });
});
