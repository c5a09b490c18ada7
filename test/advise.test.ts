// contract §5/§6 and issue 9: `check` says what a colleague would — a folder named almost like an
// indicator, a file in the wrong B-level, a requirement whose `match` missed the file meant for it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { bindHere, EXAMPLE, LO_PDF, LO_PDF2, project, reportOf, run } from './helpers.js';

const MANUAL = `title: 测试
unit: 某某小学
indicators:
  - code: A2
    title: 理想信念
    indicators:
      - code: A2.1
        title: 社会主义核心价值观教育
      - code: A2.2
        title: 传统文化
      - code: A2.10
        title: 第十项
  - code: A3
    title: 道德品质
    indicators:
      - code: A3.1
        title: 文明礼仪
        evidence:
          - { title: 礼仪讲座记录, kind: document, match: "*讲座*" }
      - code: A3.2
        title: 志愿服务
        evidence:
          - { title: 志愿服务记录, kind: document, match: "*记录*" }
      - code: A3.3
        title: 学雷锋活动
        evidence:
          - { title: 学雷锋活动照片, kind: photo }
`;

/** A project with the near misses of issue 9, each file a distinct real PDF (no duplicates). */
async function nearMisses() {
  const p = project(MANUAL);
  const { PDFDocument } = await import('pdf-lib');
  let n = 0;
  const pdf = async (rel: string) => {
    // a small real PDF of its own: distinct bytes, so 甄选 keeps each
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    doc.setTitle(`第${++n}份`);
    doc.setCreationDate(new Date('2023-10-01T00:00:00Z'));
    p.write(rel, await doc.save());
  };
  for (const rel of [
    'A2 理想信念/A2-1 社会主义核心价值观教育/2023-10-01 班会.pdf',
    'A2 理想信念/A2-1 社会主义核心价值观教育/2023-10-02 班会二.pdf',
    'A2.1社会主义/2023-10-03 活动.pdf',
    'a2.2 传统文化/2023-10-04 春节.pdf',
    'A2．2传统/2023-10-05 中秋.pdf',
    'Ａ２.１０ 第十/2023-10-06 十.pdf',
    'A2_2/2023-10-06 端午.pdf',
    'A2.10x/2023-10-07 不是.pdf',
    'A2.11 不存在的指标/2023-10-07 也不是.pdf',
    'A3.2 志愿服务/2023-10-08 志愿服务统计表.pdf',
    'A3.1 文明礼仪/2023-10-09 学雷锋志愿服务记录.pdf',
    'A3.1 文明礼仪/2023-10-10 文明礼仪讲座.pdf',
    'A3.1 文明礼仪/2023-10-11 学雷锋活动方案.pdf',
    '其他/说明.pdf',
  ])
    await pdf(rel);
  return p;
}

describe('issue 9: suggestions for names that nearly begin with a B-level code', () => {
  it('another separator, no separator, case, full-width digits and dots: one rename per folder; never a near code that is another', async () => {
    const p = await nearMisses();
    const rep = await reportOf(p.dir);
    expect(rep.suggestions.map(({ hint: _, ...s }) => s)).toEqual([
      { path: 'a2.2 传统文化', indicator: 'A2.2', name: 'A2.2 传统文化', kind: 'folder', files: 1 },
      { path: 'A2 理想信念/A2-1 社会主义核心价值观教育', indicator: 'A2.1', name: 'A2.1 社会主义核心价值观教育', kind: 'folder', files: 2 },
      { path: 'A2_2', indicator: 'A2.2', name: 'A2.2', kind: 'folder', files: 1 },
      { path: 'A2.1社会主义', indicator: 'A2.1', name: 'A2.1 社会主义', kind: 'folder', files: 1 },
      { path: 'A2．2传统', indicator: 'A2.2', name: 'A2.2 传统', kind: 'folder', files: 1 },
      { path: 'Ａ２.１０ 第十', indicator: 'A2.10', name: 'A2.10 第十', kind: 'folder', files: 1 },
    ]);
    // "A2.10x" and "A2.11 …" are not A2.1 or A2.10 mistyped; they stay plain unassigned files
    expect(rep.unassigned).toEqual(expect.arrayContaining(['A2.10x/2023-10-07 不是.pdf', 'A2.11 不存在的指标/2023-10-07 也不是.pdf']));
    const hint = rep.suggestions.find((s) => s.path.endsWith('A2-1 社会主义核心价值观教育'))!.hint;
    expect(hint).toBe('文件夹“A2-1 社会主义核心价值观教育”的名字接近二级指标 A2.1 社会主义核心价值观教育，但编码写得不一样，所以没有归类。改名为“A2.1 社会主义核心价值观教育”后，其中 2 个文件就会归入 A2.1（本工具不会替你改名）');
    // nothing was renamed
    expect(readFileSync(path.join(p.evidence, 'A2 理想信念/A2-1 社会主义核心价值观教育/2023-10-01 班会.pdf')).length).toBeGreaterThan(0);
  });

  it('the text, Markdown and Excel reports show the rename; the JSON report validates against its schema', async () => {
    const p = await nearMisses();
    const r = await run(['check', p.dir, '--today', '2024-01-01']);
    expect(r.stdout).toContain('改名 A2 理想信念/A2-1 社会主义核心价值观教育  →  A2.1 社会主义核心价值观教育（2 个文件会归入 A2.1）');
    // the renamed folders' files are not listed again one by one
    expect(r.stdout).not.toContain('  A2 理想信念/A2-1 社会主义核心价值观教育/2023-10-01 班会.pdf');
    expect(r.stdout).toContain('  A2.10x/2023-10-07 不是.pdf');
    const md = await run(['check', p.dir, '--format', 'markdown', '--today', '2024-01-01']);
    expect(md.stdout).toContain('- 改名：`A2.1社会主义` → **A2.1 社会主义**');
    const { reportSchema } = await import('../src/report/schema.js');
    const rep = JSON.parse((await run(['check', p.dir, '--format', 'json', '--today', '2024-01-01'])).stdout) as Report;
    const parsed = reportSchema.safeParse(rep);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const { ledgerRows } = await import('../src/report/xlsx.js');
    const { check } = await import('../src/check/index.js');
    const done = await check({ dir: p.dir, today: '2024-01-01' });
    const row = ledgerRows(done.assessment, done.report).find((x) => x[0] === 'A2.1社会主义/2023-10-03 活动.pdf')!;
    expect(row[6]).toContain('改名为“A2.1 社会主义”');
  });
});

describe('issue 9: why a requirement found nothing, and files that look misplaced', () => {
  it('a requirement missing while its B-level holds 其他材料 names those files and its pattern, in check and in build', async () => {
    const p = await nearMisses();
    const rep = await reportOf(p.dir);
    const b32 = rep.indicators[1]!.indicators[1]!;
    expect(b32.requirements[0]).toMatchObject({
      title: '志愿服务记录',
      status: 'unsatisfied',
      unmatched: { match: ['*记录*'], files: [{ path: 'A3.2 志愿服务/2023-10-08 志愿服务统计表.pdf', cause: 'pattern' }] },
    });
    const r = await run(['check', p.dir, '--today', '2024-01-01']);
    expect(r.stdout).toContain('本指标的其他材料没有对上这一项：2023-10-08 志愿服务统计表.pdf（文件名不符合 "*记录*"）。如果它们就是这一项的材料，请按规则改文件名，或在手册中放宽这一项的 match');
    // a photo requirement and a document: the kind is the reason
    const b33 = rep.indicators[1]!.indicators[2]!;
    expect(b33.requirements[0]!.unmatched).toBeUndefined(); // A3.3 holds no files at all
    // build binds a 缺项说明 for it: its output says why, as check did
    const built = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20', '--only', 'A3'], { env: { CHUANGCHENG_SOFFICE: 'none' } });
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('A3.2 缺“志愿服务记录”：本指标的其他材料没有对上这一项：2023-10-08 志愿服务统计表.pdf');
  });

  it('possibly-misplaced: a file another B-level’s requirement takes by its match, or by most of its title’s words', async () => {
    const p = await nearMisses();
    const rep = await reportOf(p.dir);
    const mis = rep.warnings.filter((w) => w.code === 'possibly-misplaced');
    expect(mis.map((w) => [w.path, w.params])).toEqual([
      // "*记录*" is A3.2's pattern
      ['A3.1 文明礼仪/2023-10-09 学雷锋志愿服务记录.pdf', { indicator: 'A3.2', title: '志愿服务', requirement: '志愿服务记录', by: 'match' }],
      // no pattern, but most of "学雷锋活动照片"… is a photo requirement: a PDF is not taken by title
    ]);
    expect(mis[0]!.detail).toBe(
      '这个文件没有对上本指标的任何材料要求（列为其他材料），却符合 A3.2 志愿服务 的“志愿服务记录”的文件名规则。如果放错了，请把它移到 A3.2 的文件夹；本工具不会替你移动',
    );
    expect(mis[0]!.indicator).toBe('A3.1');
  });

  it('by title words: most of another requirement’s title, more than any of its own; similar but distinct names are not flagged', async () => {
    const p = project(`title: t
unit: u
indicators:
  - code: A1
    title: 组织
    indicators:
      - code: A1.1
        title: 机构
        evidence:
          - { title: 领导小组成立文件, kind: document }
          - { title: 工作会议记录, kind: document, match: "*会议*" }
      - code: A1.2
        title: 制度
        evidence:
          - { title: 年度工作计划, kind: document, match: "*计划*" }
          - { title: 年度工作总结, kind: document, match: "*总结*" }
`);
    p.copy(LO_PDF, 'A1.2 制度/2023-09-01 创城工作领导小组成立文件.pdf'); // meant for A1.1
    p.copy(LO_PDF2, 'A1.2 制度/2023-09-02 学生作品展.pdf'); // like nothing
    const rep = await reportOf(p.dir);
    const mis = rep.warnings.filter((w) => w.code === 'possibly-misplaced');
    expect(mis.map((w) => [w.path, w.params])).toEqual([['A1.2 制度/2023-09-01 创城工作领导小组成立文件.pdf', { indicator: 'A1.1', title: '机构', requirement: '领导小组成立文件', by: 'title' }]]);
  });

  it('the bundled example: no suggestion, no misplaced file, no unmatched note (nothing to say where nothing is wrong)', async () => {
    const rep = await reportOf(EXAMPLE);
    expect(rep.suggestions).toEqual([]);
    expect(rep.warnings.filter((w) => w.code === 'possibly-misplaced')).toEqual([]);
    expect(rep.indicators.flatMap((a) => a.indicators).flatMap((b) => b.requirements).filter((r) => r.unmatched)).toEqual([]);
  });

  it('build never moves a misplaced file: it is bound where it lies', async () => {
    const p = await nearMisses();
    const r = await bindHere(p.dir, { only: ['A3'], soffice: null });
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(rep.indicators[1]!.indicators[0]!.other).toContain('A3.1 文明礼仪/2023-10-09 学雷锋志愿服务记录.pdf');
    expect(r.report.volumes!.map((v) => v.code)).toEqual(['A3']);
  });
});
