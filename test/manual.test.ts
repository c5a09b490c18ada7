// contract §2: manual.yaml
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatManualError } from '../src/manual/errors.js';
import { parseManual } from '../src/manual/parse.js';
import { manualJsonSchema } from '../src/manual/schema.js';
import { EXAMPLE, ROOT, manualYaml, ONE_B, project, run, tempDir } from './helpers.js';

const errorsOf = (src: string) => {
  const r = parseManual(src, '/x/manual.yaml');
  if (r.ok) throw new Error('expected errors');
  return r.errors.map(formatManualError);
};

describe('§2 manual.yaml', () => {
  it('loads the contract example with its defaults', () => {
    const r = parseManual(readFileSync(path.join(EXAMPLE, 'manual.yaml'), 'utf8'), path.join(EXAMPLE, 'manual.yaml'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.manual;
    expect(m.title).toContain('材料审核档案');
    expect(m.year).toBe(2024); // from period.to
    expect(m.retention).toBe('定期30年');
    expect(m.retentionCode).toBe('D30');
    expect(m.volume).toEqual({ maxPages: 300, photosPerPage: 1 });
    expect(m.indicators).toHaveLength(5);
    const a31 = m.indicators[2]!.indicators[0]!;
    // evidence omitted: at least one file of any kind
    expect(a31.requirements).toEqual([{ title: '佐证材料', kind: 'any', match: [], min: 1 }]);
    // evidence: [] requires nothing
    expect(m.indicators[3]!.indicators[0]!.requirements).toEqual([]);
  });

  it('applies defaults: retention 永久, kind any, min 1; accepts retention codes', () => {
    const r = parseManual(
      manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n        evidence:\n          - title: x\n`, 'retention: D10\n'),
      'm.yaml',
    );
    expect(r.ok && r.manual.retention).toBe('定期10年');
    expect(r.ok && r.manual.indicators[0]!.indicators[0]!.requirements[0]).toMatchObject({ kind: 'any', min: 1 });
    const r2 = parseManual(manualYaml(ONE_B), 'm.yaml');
    expect(r2.ok && r2.manual.retention).toBe('永久');
    expect(r2.ok && r2.manual.year).toBeUndefined();
  });

  it('resolves font paths relative to manual.yaml', () => {
    const r = parseManual(manualYaml(ONE_B, 'fonts:\n  hei: ./fonts/a.ttf\n  song: /abs/b.ttc\n'), '/proj/manual.yaml');
    expect(r.ok && r.manual.fonts).toEqual({ hei: '/proj/fonts/a.ttf', song: '/abs/b.ttc' });
  });

  it('names file, line, column and path of a duplicate code, with the first place', () => {
    const src = manualYaml(`  - code: A1
    title: 组织领导
    indicators:
      - code: A1.2
        title: 一
      - code: A1.2
        title: 二
`);
    expect(errorsOf(src)).toEqual(['manual.yaml:9:15 indicators[0].indicators[1].code: 编码 "A1.2" 重复（首次出现在 7:15），编码须全手册唯一']);
  });

  it('reports every error at once, in file order', () => {
    const src = `title: 测试
unit: 某小学
retention: 定期20年
period: { from: 2024-06-01, to: 2024-05-31 }
volum: { maxPages: 5 }
indicators:
  - code: A1
    title: 组织领导
    indicators:
      - code: A1.1
        title: 领导机构
        due: 2024-02-30
        evidence:
          - title: x
            kind: foto
            min: -1
      - code: A1.1
        titel: 重复
      - code: 1.2
        title: 数字编码
        due: 2024/04/30
`;
    const errs = errorsOf(src);
    expect(errs).toEqual([
      'manual.yaml:3:12 retention: 保管期限只能是 永久、定期30年、定期10年（或代码 Y、D30、D10）',
      'manual.yaml:4:17 period.from: 周期起始日期 2024-06-01 晚于截止日期 2024-05-31',
      'manual.yaml:5:1 volum: 未知的键 "volum"，是不是想写 "volume"？',
      'manual.yaml:12:14 indicators[0].indicators[0].due: 截止日期不是真实存在的日期',
      'manual.yaml:15:19 indicators[0].indicators[0].evidence[0].kind: kind 只能是 document（文档）、photo（照片）或 any（任意）',
      'manual.yaml:16:18 indicators[0].indicators[0].evidence[0].min: min 不能为负数',
      'manual.yaml:17:9 indicators[0].indicators[1].title: 缺少必填项 title',
      'manual.yaml:17:15 indicators[0].indicators[1].code: 编码 "A1.1" 重复（首次出现在 10:15），编码须全手册唯一',
      'manual.yaml:18:9 indicators[0].indicators[1].titel: 未知的键 "titel"，是不是想写 "title"？',
      'manual.yaml:19:15 indicators[0].indicators[2].code: 编码 1.2 被 YAML 读成了数字，请加引号，例如 code: "1.2"',
      'manual.yaml:21:14 indicators[0].indicators[2].due: 截止日期应写成 YYYY-MM-DD，例如 2024-04-30',
    ]);
  });

  it('requires title, unit and at least one indicator at each level', () => {
    expect(errorsOf('title: t\nunit: u\nindicators: []\n')).toEqual(['manual.yaml:3:13 indicators: 至少需要一个一级指标']);
    expect(errorsOf('indicators:\n  - code: A1\n    title: x\n    indicators: []\n')).toEqual([
      'manual.yaml:1:1 title: 缺少必填项 title',
      'manual.yaml:1:1 unit: 缺少必填项 unit',
      'manual.yaml:4:17 indicators[0].indicators: 至少需要一个二级指标',
    ]);
  });

  it('reports malformed YAML with its position', () => {
    const errs = errorsOf('title: t\nunit: u\nindicators:\n  - code: "A1\n    title: x\n');
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0]).toMatch(/^manual\.yaml:\d+:\d+ YAML 格式错误/);
  });

  it('says every kind of broken YAML in Chinese only: the parser\'s English never reaches the message', () => {
    const broken = [
      'title: t\nunit: u\nindicators:\n  - code: "A1\n    title: x\n', // an unclosed quote
      'a: "\\q"\n', // a bad escape in double quotes
      'title: [1\n', // an unclosed bracket
      'a: !!foo x\nb: &x &y 1\n', // an unknown tag, two anchors
      'a: 1\n---\nb: 2\n', // two documents
      'a: b: c\n', // a mapping where a value should be
      `${'['.repeat(5000)}\n`, // nesting deeper than the parser recurses
    ];
    for (const src of broken) {
      const errs = errorsOf(src);
      expect(errs.length, src).toBeGreaterThan(0);
      // (the position and a key path may be ASCII; the message after them is Chinese)
      for (const e of errs) expect(e.replace(/^manual\.yaml:\d+:\d+ /, '').replace(/YAML|Tab/g, ''), src).not.toMatch(/[A-Za-z]{3,}/);
    }
  });

  it('rejects duplicate keys and tabs as YAML errors', () => {
    expect(errorsOf('title: t\ntitle: u\nunit: x\nindicators: []\n')[0]).toMatch(/^manual\.yaml:2:1 YAML 格式错误：同一层级中出现了重复的键/);
  });

  describe('typing pitfalls: named at line:column with the fix, never YAML\'s English', () => {
    const B = (req: string) => `title: t\nunit: u\nindicators:\n  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 机构\n        evidence:\n          - title: 文件\n${req}`;
    it.each([
      ['an unquoted *pattern*', B('            match: *领导小组*\n'), 'manual.yaml:11:20 match 的值 *领导小组* 以 * 开头，YAML 会把它当作“别名”而不是通配符。请加上引号：match: "*领导小组*"'],
      ['*pattern* in a flow list', B('            match: [*领导*, "*会议*"]\n'), 'manual.yaml:11:21 match 列表中的 *领导* 以 * 开头，YAML 会把它当作“别名”而不是通配符。请加上引号：match: ["*领导*", "*会议*"]'],
      ['*pattern* as a list item', B('            match:\n              - *领导*\n'), 'manual.yaml:12:17 match 列表中的这一项 *领导* 以 * 开头，YAML 会把它当作“别名”而不是通配符。请加上引号：- "*领导*"'],
      ['a full-width colon after a key', 'title: t\nunit: u\nindicators:\n  - code: A1\n    title：组织\n', 'manual.yaml:5:10 title 后面用了中文冒号“：”，YAML 只认英文冒号。请改成 title: 组织（英文冒号后加一个空格）'],
      ['a full-width colon in a list item', B('            kind： photo\n'), 'manual.yaml:11:17 kind 后面用了中文冒号“：”，YAML 只认英文冒号。请改成 kind: photo（英文冒号后加一个空格）'],
      ['a full-width space in the indentation', 'title: t\nunit: u\nindicators:\n  - code: A1\n  \u3000title: 组织\n', 'manual.yaml:5:3 行首的缩进里有全角空格“　”（中文输入法打出的空格），YAML 只认半角空格。请删掉它，用半角空格对齐'],
      ['a tab in the indentation', 'title: t\nunit: u\nindicators:\n  - code: A1\n\ttitle: 组织\n', 'manual.yaml:5:1 这一行用 Tab 缩进，YAML 只认空格。请把 Tab 换成空格（每层缩进 2 个空格）'],
      ['no space after the colon', 'title: t\nunit:某某小学\nindicators:\n  - code: A1\n    title: 组织\n', 'manual.yaml:2:6 unit: 的冒号后面少了一个空格。请改成 unit: 某某小学'],
    ])('%s', (_, src, said) => {
      expect(errorsOf(src)).toEqual([said]);
    });

    it('text in a block scalar, a quoted pattern, a colon inside a value: no false alarm', () => {
      const r = parseManual(
        B('            match: ["*领导*", \'*会议*\']\n').replace('        title: 机构\n', '        title: 机构：领导小组\n        standard: |\n          - *重点* 工作\n          要求：见附件\n'),
        '/x/manual.yaml',
      );
      expect(r.ok).toBe(true);
    });

    it('an alias with no anchor points at the alias', () => {
      expect(errorsOf('title: t\nunit: u\nindicators:\n  - code: A1\n    title: 组织\n    owner: &x 王\n    score: *y\n')[0]).toMatch(/^manual\.yaml:7:12 score 的值 \*y 以 \* 开头/);
    });
  });

  it('an empty manual says what to do', () => {
    expect(errorsOf('')).toEqual(['manual.yaml:1:1 测评手册是空的。可运行 chuangcheng init 生成一个示例手册。']);
  });

  it('the CLI prints all errors and exits 2, without touching evidence', async () => {
    const p = project('title: t\nunit: u\nindicators:\n  - code: A1\n    title: x\n    indicators:\n      - code: A1\n        title: y\n        bogus: 1\n');
    const r = await run(['check', p.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('测评手册');
    expect(r.stderr).toContain('manual.yaml:7:15 indicators[0].indicators[0].code: 编码 "A1" 重复（首次出现在 4:11）');
    expect(r.stderr).toContain('manual.yaml:9:9 indicators[0].indicators[0].bogus: 未知的键 "bogus"');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('a missing manual exits 2 and says how to make one', async () => {
    const p = project('x');
    const r = await run(['check', p.dir, '--manual', path.join(p.dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('找不到测评手册');
    expect(r.stderr).toContain('chuangcheng init');
  });
});

describe('§2 JSON Schema', () => {
  it('schemas/manual.schema.json is generated from the zod definition (not stale)', () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'schemas/manual.schema.json'), 'utf8'));
    expect(committed).toEqual(manualJsonSchema());
  });

  it('has Chinese descriptions, forbids unknown keys and knows the enums', () => {
    const s = manualJsonSchema() as { additionalProperties: boolean; properties: Record<string, { description?: string }>; required: string[] };
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(expect.arrayContaining(['title', 'unit', 'indicators']));
    expect(s.properties.unit!.description).toMatch(/立档单位/);
    expect(JSON.stringify(s)).toContain('"定期30年"');
    expect(JSON.stringify(s)).toContain('"photo"');
  });

  it('`chuangcheng schema` prints the same schema', async () => {
    const r = await run(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(manualJsonSchema());
  });
});

describe('§2 the validated manual is kept in the cache by its content', () => {
  const entries = (cache: string) => readdirSync(path.join(cache, 'v1', 'manual-parsed-v1'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

  it('an edit is read at once; the same text elsewhere takes its fonts from where it lies; a manual with errors is never kept', async () => {
    const { check } = await import('../src/check/index.js');
    const cache = tempDir('mcache-');
    const text = manualYaml(ONE_B, 'fonts:\n  hei: ./fonts/hei.ttf\n');
    const p = project(text);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const first = await check({ dir: p.dir, today: '2024-01-01', cache });
    expect(first.assessment.manual.title).toBe('测试档案');
    expect(entries(cache)).toBe(1);
    // the same text in another folder: the entry serves it, with paths of that folder
    const q = project(text);
    const second = await check({ dir: q.dir, today: '2024-01-01', cache });
    expect(entries(cache)).toBe(1);
    expect(second.assessment.manual.file).toBe(path.join(q.dir, 'manual.yaml'));
    expect(second.assessment.manual.fonts.hei).toBe(path.join(q.dir, 'fonts', 'hei.ttf'));
    expect({ ...second.assessment.manual, file: '', fonts: {} }).toEqual({ ...first.assessment.manual, file: '', fonts: {} });
    // an edit: read anew
    writeFileSync(path.join(p.dir, 'manual.yaml'), text.replace('测试档案', '改过的档案'));
    expect((await check({ dir: p.dir, today: '2024-01-01', cache })).assessment.manual.title).toBe('改过的档案');
    expect(entries(cache)).toBe(2);
    // a mistake: all its errors, as without a cache, and nothing kept for it
    writeFileSync(path.join(p.dir, 'manual.yaml'), `${text}titel: 拼错的键\n`);
    const err = (await check({ dir: p.dir, today: '2024-01-01', cache }).catch((e: unknown) => e)) as { details?: string[] };
    expect(err.details).toEqual([expect.stringMatching(/^manual\.yaml:\d+:1 titel: .*title/)]);
    expect(entries(cache)).toBe(2);
  });
});
