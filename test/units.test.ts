// Issue 11: several units in one check (a city office's view), and --fail-on.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UnitsReport } from '../src/report/units.js';
import { EXAMPLE, readXlsx, run, tempDir } from './helpers.js';

/** Two schools: a copy of the example, and a copy named 第二小学 missing A1.1's folder. */
function twoSchools(): { root: string; one: string; two: string } {
  const root = tempDir('cc-units-');
  const one = path.join(root, '一小');
  const two = path.join(root, '二小');
  for (const d of [one, two]) {
    cpSync(path.join(EXAMPLE, 'manual.yaml'), path.join(d, 'manual.yaml'));
    cpSync(path.join(EXAMPLE, 'evidence'), path.join(d, 'evidence'), { recursive: true });
  }
  rmSync(path.join(two, 'evidence', 'A1 组织领导', 'A1.1 领导机构健全'), { recursive: true });
  const m = path.join(two, 'manual.yaml');
  const text = readFileSync(m, 'utf8');
  if (!text.includes('某某市第一小学')) throw new Error('the example manual no longer names 某某市第一小学');
  writeFileSync(m, text.replace('某某市第一小学', '某某市第二小学'));
  return { root, one, two };
}

const TODAY = ['--today', '2024-06-10'];

describe('check DIR1 DIR2: one report for several units', () => {
  it('json: each unit its full report with its folder, and the sum; exit 1 when any unit lacks material', async () => {
    const { one, two } = twoSchools();
    const r = await run(['check', one, two, '--format', 'json', ...TODAY]);
    expect(r.code, r.stderr).toBe(1);
    const rep = JSON.parse(r.stdout) as UnitsReport;
    const { unitsReportSchema } = await import('../src/report/schema.js');
    const parsed = unitsReportSchema.safeParse(rep);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    expect(rep.units.map((u) => [u.unit, u.dir])).toEqual([['某某市第一小学', one], ['某某市第二小学', two]]);
    // the same report as checking the unit alone
    const alone = JSON.parse((await run(['check', two, '--format', 'json', ...TODAY])).stdout) as Record<string, unknown>;
    expect({ ...rep.units[1], dir: undefined }).toEqual({ ...alone, dir: undefined });
    const [a, b] = rep.units;
    expect(rep.summary.units).toBe(2);
    expect(rep.summary.gaps).toBe(a!.summary.gaps + b!.summary.gaps);
    expect(rep.summary.files).toBe(a!.summary.files + b!.summary.files);
    expect(b!.summary.gaps).toBeGreaterThan(a!.summary.gaps);
    const a11 = b!.indicators[0]!.indicators.find((x) => x.code === 'A1.1')!;
    expect(a11.status).toBe('unsatisfied');
    expect(rep.summary.overdue).toBeGreaterThan(0);
  });

  it('text, Markdown and JUnit show every unit and which lacks what', async () => {
    const { one, two } = twoSchools();
    const text = await run(['check', one, two, ...TODAY]);
    expect(text.stdout).toMatch(/2 个单位的材料检查（2024-06-10）/);
    expect(text.stdout).toContain('━━ 某某市第一小学 ━━');
    expect(text.stdout).toContain('━━ 某某市第二小学 ━━');
    expect(text.stdout).toMatch(/2 个单位中 2 个缺材料/);
    // 二小's missing A1.1 is under 二小, not under 一小
    const part2 = text.stdout.slice(text.stdout.indexOf('━━ 某某市第二小学'));
    const part1 = text.stdout.slice(text.stdout.indexOf('━━ 某某市第一小学'), text.stdout.indexOf('━━ 某某市第二小学'));
    expect(part2).toMatch(/✘ A1\.1 领导机构健全/);
    expect(part1).toMatch(/✔ A1\.1 领导机构健全/);

    const md = await run(['check', one, two, '--format', 'markdown', ...TODAY]);
    expect(md.stdout).toMatch(/\| ❌ \| 某某市第二小学 \| `[^`]*二小` \| 10 \| 4 \| 5 \|/);
    expect(md.stdout.match(/^## .* — 某某市/gm)).toHaveLength(2);

    const junit = await run(['check', one, two, '--format', 'junit', ...TODAY]);
    const suites = [...junit.stdout.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(suites).toEqual([['某某市第一小学', 10, 3], ['某某市第二小学', 10, 4]]);
    expect(junit.stdout).toContain('classname="某某市第二小学 / A1 组织领导" name="A1.1 领导机构健全">');
  });

  it('xlsx: a summary sheet, then coverage and ledger rows naming their unit', async () => {
    const { root, one, two } = twoSchools();
    const file = path.join(root, '全市台账.xlsx');
    const r = await run(['check', one, two, '--format', 'xlsx', '--output', file, ...TODAY]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/2 个单位，2 个缺材料/);
    const sheets = readXlsx(file);
    expect(sheets.map((s) => s.title)).toEqual(['各单位汇总', '覆盖情况', '台账']);
    expect(sheets[0]!.rows.slice(1).map((row) => [row[0], row[5]])).toEqual([['某某市第一小学', 3], ['某某市第二小学', 5]]);
    const coverage = sheets[1]!.rows;
    expect(coverage[0]![0]).toBe('单位');
    expect(coverage.filter((row) => row[0] === '某某市第二小学' && row[2] === 'A1.1 领导机构健全' && row[10] === '缺项').length).toBeGreaterThan(0);
    expect(coverage.filter((row) => row[0] === '某某市第一小学' && row[2] === 'A1.1 领导机构健全' && row[10] === '缺项')).toEqual([]);
    expect(new Set(sheets[2]!.rows.slice(1).map((row) => row[0]))).toEqual(new Set(['某某市第一小学', '某某市第二小学']));
  });

  it('html: one dashboard with a comparison of the units and a section each', async () => {
    const { root, one, two } = twoSchools();
    const file = path.join(root, 'dashboard.html');
    const r = await run(['check', one, two, '--format', 'html', '--output', file, ...TODAY]);
    expect(r.code, r.stderr).toBe(1);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('某某市第一小学');
    expect(html).toContain('某某市第二小学');
    expect(html).toContain('href="#u1"');
    expect(html).toContain('href="#u2"');
    expect(html).toMatch(/id="u2"/);
    expect(html).not.toMatch(/\b(?:src|href)="https?:/);
  });

  it('two units with the same name are told apart by their folder; a folder given twice, or --manual with several, is refused', async () => {
    const root = tempDir('cc-units-');
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    for (const d of [a, b]) cpSync(EXAMPLE, d, { recursive: true, filter: (s) => !s.includes(`${path.sep}out`) });
    const same = await run(['check', a, b, ...TODAY]);
    expect(same.stdout).toContain(`某某市第一小学（${a}）`);
    expect(same.stdout).toContain(`某某市第一小学（${b}）`);
    const twice = await run(['check', a, `${a}/`, ...TODAY]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/重复给出/);
    const manual = await run(['check', a, b, '--manual', path.join(a, 'manual.yaml'), ...TODAY]);
    expect(manual.code).toBe(2);
    expect(manual.stderr).toMatch(/不能用 --manual 或 --evidence/);
    // a unit without a manual: the error names that unit's folder
    const empty = tempDir('cc-units-empty-');
    const missing = await run(['check', a, empty, ...TODAY]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`项目 ${empty}：`);
  });
});

describe('--fail-on: when check fails', () => {
  it('gaps (default) fails on any gap; overdue only once a due date has passed; none never', async () => {
    const { one, two } = twoSchools();
    const code = async (...args: string[]) => (await run(['check', one, two, ...args])).code;
    expect(await code('--today', '2024-01-10')).toBe(1);
    expect(await code('--today', '2024-01-10', '--fail-on', 'overdue')).toBe(0); // gaps, none due yet
    expect(await code('--today', '2024-06-10', '--fail-on', 'overdue')).toBe(1);
    expect(await code('--today', '2024-06-10', '--fail-on', 'none')).toBe(0);
    const bad = await run(['check', one, '--fail-on', 'sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--fail-on/);
  });
});
