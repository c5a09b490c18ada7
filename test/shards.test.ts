// Sharded builds: `plan` splits the A-levels, `build --shard i/N` binds one shard, `merge` puts the
// shards together into exactly what one `build` writes — every file byte for byte, report.json,
// 目录.xlsx and the manifest included. merge refuses shards that do not belong together, writing
// nothing. The CI files in examples/ci are run here as they are written, with the tools they call
// stood in for (npm, apt-get, git lfs) and chuangcheng itself as built: each shard's job has only its
// own files pulled from Git LFS (the others pointers), and their merge is still the full build.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI, jpeg, LO_PDF, LO_PDF2, manualYaml, project as newProject, ROOT, run, snapshot, tempDir, testCache, type Project } from './helpers.js';

const DATE = '2024-05-20';

/** Temporary folders of this file, removed when it is done. */
const made: string[] = [];
const tmp = (prefix?: string) => {
  const dir = tempDir(prefix);
  made.push(dir);
  return dir;
};
const project = (manual: string) => {
  const q = newProject(manual);
  made.push(q.dir);
  return q;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
/** LibreOffice is not what is tested here; the projects have no office files anyway. */
const ENV = { CHUANGCHENG_SOFFICE: 'none' };

const MANUAL = manualYaml(
  `  - code: A1
    title: 组织领导
    owner: 王主任
    indicators:
      - code: A1.1
        title: 领导机构健全
        evidence:
          - { title: 成立文件, kind: document, min: 1 }
          - { title: 会议照片, kind: photo, min: 2 }
      - code: A1.2
        title: 工作制度完善
        evidence:
          - { title: 工作制度, kind: document, min: 1 }
  - code: A2
    title: 理想信念教育
    indicators:
      - code: A2.1
        title: 主题教育活动
        evidence:
          - { title: 活动照片, kind: photo, min: 3 }
      - code: A2.2
        title: 传统文化教育
        evidence:
          - { title: 活动方案, kind: document, min: 1 }
  - code: A3
    title: 道德品质教育
    indicators:
      - code: A3.1
        title: 文明礼仪教育
        evidence:
          - { title: 课程安排, kind: document, min: 1 }
          - { title: 照片, kind: photo, min: 1 }
  - code: A4
    title: 校园文化
    indicators:
      - code: A4.1
        title: 校园环境
        evidence:
          - { title: 环境照片, kind: photo, min: 2 }
  - code: A5
    title: 家校共育
    owner: 李老师
    indicators:
      - code: A5.1
        title: 家长学校
        due: 2024-03-01
        evidence:
          - { title: 授课通知, kind: document, min: 1 }
`,
  'unitShort: 测试小学\nfonds: Z001\nyear: 2024\n',
);

/**
 * Five A-levels of unequal size: PDFs, photos (one photo kept under A2.1 and A4.1: `reused` across
 * shards), text, a sidecar, a duplicate, a gap and its reason, an overdue gap, an unassigned file,
 * a folder named almost like a code, junk.
 */
async function sample(): Promise<Project> {
  const p = project(MANUAL);
  const shared = await jpeg({ width: 1400, height: 1050, date: '2023:10:02 09:00:00', seed: 7 });
  p.copy(LO_PDF, 'A1 组织领导/A1.1 领导机构健全/2023-09-01 关于成立创城工作领导小组的通知.pdf');
  p.write('A1 组织领导/A1.1 领导机构健全/2023-09-05 领导小组会议.jpg', await jpeg({ date: '2023:09:05 10:00:00', seed: 2 }));
  p.write('A1 组织领导/A1.1 领导机构健全/2023-09-05 领导小组会议 - 副本.jpg', await jpeg({ date: '2023:09:05 10:00:00', seed: 2 }));
  p.write('A1 组织领导/A1.2 工作制度完善/2023-09-10 创城工作制度.txt', '一、总则\n为做好创建工作，制定本制度。\n'.repeat(40));
  p.write('A2 理想信念教育/A2.1 主题教育活动/2023-10-01 升旗仪式.jpg', await jpeg({ width: 1600, height: 1200, date: '2023:10:01 08:00:00', seed: 3 }));
  p.write('A2 理想信念教育/A2.1 主题教育活动/2023-10-02 主题班会.jpg', shared);
  p.write('A2 理想信念教育/A2.1 主题教育活动/2023-10-02 主题班会.jpg.yaml', 'title: 主题班会\nplace: 三年级二班\npeople: 全体学生\n');
  p.write('A2 理想信念教育/A2.1 主题教育活动/2023-10-03 演讲比赛.jpg', await jpeg({ width: 1600, height: 1200, date: '2023:10:03 15:00:00', seed: 4 }));
  p.copy(LO_PDF2, 'A2 理想信念教育/A2.2 传统文化教育/2023-11-01 传统文化进校园活动方案.pdf');
  p.copy(LO_PDF2, 'A3 道德品质教育/A3.1 文明礼仪教育/2023-09-15 文明礼仪课程安排.pdf');
  p.write('A3 道德品质教育/A3.1 文明礼仪教育/2023-09-20 礼仪课堂.jpg', await jpeg({ date: '2023:09:20 10:00:00', seed: 5 }));
  p.write('A4 校园文化/A4.1 校园环境/2023-10-02 宣传栏.jpg', shared);
  p.write('A4 校园文化/A4.1 校园环境/缺项说明.txt', '校园环境照片第二张待补拍。');
  p.write('A5 家校共育/A5.1 家长学校/说明.txt', '');
  p.write('A5 家校共育/A5-1 家长会/2023-11-11 家长会.jpg', await jpeg({ date: '2023:11:11 19:00:00', seed: 6 }));
  p.write('其他/学校简介.txt', '某某小学创办于1950年。');
  p.write('.DS_Store', 'junk');
  return p;
}

/** Every file of an output folder (the lock excepted), name → SHA-256. */
function files(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir)
      .filter((n) => !n.startsWith('.'))
      .sort()
      .map((n) => [n, createHash('sha256').update(readFileSync(path.join(dir, n))).digest('hex')]),
  );
}

function expectSameOutput(actual: string, expected: string): void {
  const a = files(actual);
  const e = files(expected);
  expect([...a.keys()]).toEqual([...e.keys()]);
  expect([...e.keys()]).toEqual(expect.arrayContaining(['report.json', '目录.xlsx', 'manifest-sha256.txt']));
  for (const [name, sha] of e) expect(a.get(name), name).toBe(sha);
}

interface PlanJson {
  shards: { index: number; only: string[]; estimate: { pages: number; bytes: number; files: number }; folders: string[]; include: string }[];
}

async function planOf(dir: string, n: number): Promise<PlanJson> {
  const r = await run(['plan', dir, '--shards', String(n), '--format', 'json'], { env: ENV });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as PlanJson;
}

const lfsPointer = (data: Buffer) => `version https://git-lfs.github.com/spec/v1\noid sha256:${createHash('sha256').update(data).digest('hex')}\nsize ${data.length}\n`;

function walkFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A copy of the project whose files matching `lfs` are Git LFS pointers. */
function checkout(from: string, opts: { lfs: (rel: string) => boolean; git?: boolean }): string {
  const dir = path.join(tmp('cc-co-'), 'repo');
  cpSync(from, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}out`) });
  if (opts.git) mkdirSync(path.join(dir, '.git'), { recursive: true });
  for (const f of walkFiles(path.join(dir, 'evidence'))) {
    const rel = path.relative(dir, f).split(path.sep).join('/');
    if (!opts.lfs(rel.slice('evidence/'.length))) continue;
    writeFileSync(f, lfsPointer(readFileSync(f)));
  }
  return dir;
}

/** Photos and PDFs in Git LFS, as a .gitattributes would put them. */
const LFS = (rel: string) => /\.(jpg|pdf)$/i.test(rel);

let p: Project;
let full: string;
/** the full build in both formats, as the CI files build */
let fullBoth: string;
let shards: string[];

beforeAll(async () => {
  p = await sample();
  const root = tmp('cc-shards-');
  full = path.join(root, 'full');
  fullBoth = path.join(root, 'full-both');
  shards = [1, 2, 3].map((i) => path.join(root, `shard-${i}`));
  // the full builds and the three shards, each its own process, all at once
  const results = await Promise.all([
    run(['build', p.dir, '--date', DATE, '--format', 'pdf', '--out', full], { env: ENV }),
    run(['build', p.dir, '--date', DATE, '--out', fullBoth], { env: ENV }),
    ...shards.map((out, i) => run(['build', p.dir, '--shard', `${i + 1}/3`, '--date', DATE, '--format', 'pdf', '--out', out], { env: ENV })),
  ]);
  for (const r of results) expect(r.code, r.stderr).toBe(0);
});

describe('plan', () => {
  it('prints the shards as JSON: every A-level in exactly one, in the manual order, with estimates and LFS folders', async () => {
    const plan = await planOf(p.dir, 3);
    expect(plan.shards.map((s) => s.index)).toEqual([1, 2, 3]);
    for (const s of plan.shards) {
      expect(Object.keys(s).sort()).toEqual(['estimate', 'folders', 'include', 'index', 'only']);
      expect(Object.keys(s.estimate).sort()).toEqual(['bytes', 'files', 'pages']);
      for (const v of Object.values(s.estimate)) expect(Number.isInteger(v) && v >= 0).toBe(true);
      // the manual's order within a shard
      expect(s.only).toEqual([...s.only].sort());
      expect(s.include).toBe(s.folders.join(','));
      for (const f of s.folders) expect(f).toMatch(/^A\d [^/]+\/A\d\.\d [^/]+\/\*\*$/);
      expect(s.folders.every((f) => s.only.includes(f.slice(0, 2)))).toBe(true);
    }
    expect(plan.shards.flatMap((s) => s.only).sort()).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    // the folder named almost like a code (A5-1) is unassigned: not a folder to pull
    expect(plan.shards.flatMap((s) => s.folders)).not.toContain('A5 家校共育/A5-1 家长会/**');
    // deterministic
    expect(await planOf(p.dir, 3)).toEqual(plan);
  });

  it('balances the work: the heaviest shard exceeds the lightest by less than one A-level (largest first, greedy)', async () => {
    const work = (e: { pages: number; bytes: number }) => e.bytes + e.pages * 200 * 1024;
    // one shard per A-level: each A-level's own estimate
    const each = await planOf(p.dir, 5);
    expect(each.shards.every((s) => s.only.length === 1)).toBe(true);
    const perA = new Map(each.shards.map((s) => [s.only[0]!, s.estimate]));
    const total = [...perA.values()].reduce((t, e) => ({ pages: t.pages + e.pages, bytes: t.bytes + e.bytes, files: t.files + e.files }), { pages: 0, bytes: 0, files: 0 });
    expect(total.files).toBe(11); // placed files: junk, the unassigned, the empty one, the sidecar and the reason are not work
    for (const n of [2, 3]) {
      const plan = await planOf(p.dir, n);
      // a shard's estimate is the sum of its A-levels'
      for (const s of plan.shards) {
        expect(s.estimate.bytes).toBe(s.only.reduce((b, c) => b + perA.get(c)!.bytes, 0));
        expect(s.estimate.pages).toBe(s.only.reduce((b, c) => b + perA.get(c)!.pages, 0));
      }
      const loads = plan.shards.map((s) => work(s.estimate));
      const largest = Math.max(...[...perA.values()].map(work));
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(largest);
      // greedy largest-first into the lightest shard: the largest A-level is alone in shard 1
      const biggest = [...perA.entries()].sort((a, b) => work(b[1]) - work(a[1]))[0]![0];
      expect(plan.shards[0]!.only).toContain(biggest);
    }
  });

  it('more shards than A-levels: the rest are empty, and the table says so', async () => {
    const plan = await planOf(p.dir, 7);
    expect(plan.shards.filter((s) => s.only.length === 0).map((s) => [s.index, s.include, s.estimate])).toEqual([
      [6, '', { pages: 0, bytes: 0, files: 0 }],
      [7, '', { pages: 0, bytes: 0, files: 0 }],
    ]);
    const text = await run(['plan', p.dir, '--shards', '7'], { env: ENV });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('分成 7 片装订（共 5 个一级指标');
    expect(text.stdout).toMatch(/分片\s+一级指标\s+文件数\s+估计页数\s+大小/);
    expect(text.stdout).toMatch(/7\/7\s+（空）/);
    expect(text.stdout).toContain('有 2 片没有分到一级指标');
    expect(text.stdout).toContain(`--shard 1/7`);
    expect(text.stdout).toContain('chuangcheng merge');
  });

  it('usage errors exit 2 and say what to write', async () => {
    for (const [args, message] of [
      [['plan', p.dir], /--shards N/],
      [['plan', p.dir, '--shards', '0'], /--shards 应为 1 到 256 的整数/],
      [['plan', p.dir, '--shards', '2.5'], /--shards 应为 1 到 256 的整数/],
      [['plan', p.dir, '--shards', '300'], /--shards 应为 1 到 256 的整数/],
      [['build', p.dir, '--shard', '4/3', '--out', tmp()], /片号应为 1 到 3 的整数/],
      [['build', p.dir, '--shard', '2', '--out', tmp()], /--shard 2\/4/],
      [['build', p.dir, '--shard', '1/2', '--only', 'A1', '--out', tmp()], /--shard 和 --only 不能同时使用/],
      [['merge', shards[0]!], /请用 --out 指定合并后的输出文件夹/],
    ] as const) {
      const r = await run([...args], { env: ENV });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('build --shard and merge', () => {
  it('the shards, built at once as separate processes and merged, are byte for byte one full build', async () => {
    const plan = await planOf(p.dir, 3);
    for (const [i, dir] of shards.entries()) {
      const record = JSON.parse(readFileSync(path.join(dir, 'shard.json'), 'utf8')) as { shard: unknown; aLevels: { code: string }[]; date: string };
      expect(record.shard).toEqual({ index: i + 1, of: 3 });
      expect(record.aLevels.map((a) => a.code)).toEqual(plan.shards[i]!.only);
      expect(record.date).toBe(DATE);
      // a shard writes its volumes and shard.json; report.json and 目录.xlsx only merge writes
      expect([...files(dir).keys()].filter((n) => !n.endsWith('.pdf'))).toEqual(['manifest-sha256.txt', 'shard.json']);
    }
    const out = path.join(tmp(), 'merged');
    // any order on the command line
    const r = await run(['merge', shards[2]!, shards[0]!, shards[1]!, '--out', out], { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('合并完成：3 片，5 卷');
    expectSameOutput(out, full);
    // what makes it more than a concatenation: reused across shards, the summary, the 台账
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as { warnings: { path: string; code: string }[]; summary: { gaps: number } };
    expect(report.warnings.filter((w) => w.code === 'reused').map((w) => w.path)).toEqual([
      'A2 理想信念教育/A2.1 主题教育活动/2023-10-02 主题班会.jpg',
      'A2 理想信念教育/A2.2 传统文化教育/2023-11-01 传统文化进校园活动方案.pdf',
      'A3 道德品质教育/A3.1 文明礼仪教育/2023-09-15 文明礼仪课程安排.pdf',
      'A4 校园文化/A4.1 校园环境/2023-10-02 宣传栏.jpg',
    ]);
    const shardOf = (code: string) => plan.shards.findIndex((s) => s.only.includes(code));
    expect(new Set([shardOf('A2'), shardOf('A3'), shardOf('A4')]).size).toBeGreaterThan(1);
    // merging again into the same folder: our files, replaced by the same bytes
    const again = await run(['merge', ...shards, '--out', out], { env: ENV });
    expect(again.code, again.stderr).toBe(0);
    expectSameOutput(out, full);
  });

  it('a shard with no A-level writes a valid empty shard output, and merges', async () => {
    const q = project(manualYaml(`  - code: A1\n    title: 组织领导\n    indicators:\n      - code: A1.1\n        title: 领导机构健全\n`));
    q.write('A1.1 领导机构/2023-09-01 制度.txt', '制度全文');
    const root = tmp();
    const [one, two, whole] = ['s1', 's2', 'full'].map((n) => path.join(root, n));
    const results = await Promise.all([
      run(['build', q.dir, '--shard', '1/2', '--date', DATE, '--format', 'pdf', '--out', one!], { env: ENV }),
      run(['build', q.dir, '--shard', '2/2', '--date', DATE, '--format', 'pdf', '--out', two!], { env: ENV }),
      run(['build', q.dir, '--date', DATE, '--format', 'pdf', '--out', whole!], { env: ENV }),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(results[1]!.stdout).toContain('第 2/2 片没有分到一级指标');
    expect([...files(two!).keys()]).toEqual(['manifest-sha256.txt', 'shard.json']);
    const out = path.join(root, 'merged');
    const r = await run(['merge', two!, one!, '--out', out], { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expectSameOutput(out, whole!);
  });
});

describe('merge refuses what does not belong together, and writes nothing', () => {
  /** A copy of shard `i` (1-based) whose shard.json is changed by `edit`. */
  const edited = (i: number, edit: (record: Record<string, unknown>) => void) => {
    const dir = path.join(tmp(), `shard-${i}`);
    cpSync(shards[i - 1]!, dir, { recursive: true });
    const file = path.join(dir, 'shard.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(record);
    writeFileSync(file, JSON.stringify(record));
    return dir;
  };

  async function refused(args: string[], message: RegExp): Promise<string> {
    const out = path.join(tmp(), 'merged');
    const r = await run(['merge', ...args, '--out', out], { env: ENV });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('内部出错');
    expect(existsSync(out)).toBe(false);
    return r.stderr;
  }

  it('a shard bound with another --date, named', async () => {
    const other = path.join(tmp(), 'late-2');
    const b = await run(['build', p.dir, '--shard', '2/3', '--date', '2024-05-21', '--format', 'pdf', '--out', other], { env: ENV });
    expect(b.code, b.stderr).toBe(0);
    const err = await refused([shards[0]!, other, shards[2]!], /立卷时间（--date）不同/);
    expect(err).toContain(`${other}（第 2/3 片）是 2024-05-21`);
    expect(err).toContain('请用 --date 2024-05-20 重新装订这一片');
  });

  it('a shard bound after a file was added to the evidence, named with the file', async () => {
    const later = project(MANUAL);
    cpSync(p.evidence, later.evidence, { recursive: true });
    later.write('A3 道德品质教育/A3.1 文明礼仪教育/2023-09-21 礼仪课堂.jpg', await jpeg({ seed: 11 }));
    const other = path.join(tmp(), 'later-1');
    const b = await run(['build', later.dir, '--shard', '1/3', '--date', DATE, '--format', 'pdf', '--out', other], { env: ENV });
    expect(b.code, b.stderr).toBe(0);
    const err = await refused([other, shards[1]!, shards[2]!], /证据文件夹不一样/);
    expect(err).toContain(`${other}（第 1/3 片）`);
    expect(err).toContain('多了 A3 道德品质教育/A3.1 文明礼仪教育/2023-09-21 礼仪课堂.jpg');
    expect(err).toContain('重新装订所有分片');
  });

  it('a missing shard', async () => {
    await refused([shards[0]!, shards[2]!], /缺少第 2 片（共 3 片，只给了第 1、3 片）/);
  });

  it('a shard given twice', async () => {
    const copy = path.join(tmp(), 'copy-of-2');
    cpSync(shards[1]!, copy, { recursive: true });
    const err = await refused([shards[0]!, shards[1]!, copy, shards[2]!], /第 2\/3 片给了 2 次/);
    expect(err).toContain(copy);
  });

  it('a folder that is not a shard output: a full build, an empty folder, a missing one', async () => {
    await refused([shards[0]!, full, shards[1]!, shards[2]!], /不是分片的输出：里面没有 shard\.json。它像是一次完整装订/);
    await refused([shards[0]!, tmp(), shards[2]!], /不是分片的输出/);
    await refused([shards[0]!, path.join(tmp(), 'nowhere')], /找不到分片文件夹/);
    const garbage = edited(1, (r) => {
      r.kind = 'something-else';
    });
    await refused([garbage, shards[1]!, shards[2]!], /不是 chuangcheng 的分片记录/);
  });

  it('shards of another version, of another manual, of another shard count, with a volume changed since', async () => {
    const newer = edited(3, (r) => {
      r.version = '9.9.9';
    });
    expect(await refused([shards[0]!, shards[1]!, newer], /分片由不同版本的 chuangcheng 装订/)).toContain(`${newer}（第 3/3 片）是 9.9.9`);
    const manual = edited(2, (r) => {
      r.manual = '0'.repeat(64);
    });
    await refused([shards[0]!, manual, shards[2]!], /（第 2\/3 片）装订时用的测评手册与 .*（第 1\/3 片）的不同/);
    const four = edited(2, (r) => {
      r.shard = { index: 2, of: 4 };
      r.plan = [...(r.plan as string[][]), []];
    });
    await refused([shards[0]!, four, shards[2]!], /总片数不同/);
    const tampered = path.join(tmp(), 'tampered-1');
    cpSync(shards[0]!, tampered, { recursive: true });
    const pdf = readdirSync(tampered).find((n) => n.endsWith('.pdf'))!;
    writeFileSync(path.join(tampered, pdf), Buffer.concat([readFileSync(path.join(tampered, pdf)), Buffer.from('\n')]));
    await refused([tampered, shards[1]!, shards[2]!], new RegExp(`${pdf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} 与装订时写出的不同`));
  });

  it('an existing output folder is left exactly as it was; a folder of the user is never overwritten', async () => {
    const out = path.join(tmp(), 'merged');
    mkdirSync(out);
    writeFileSync(path.join(out, 'report.json'), '{"mine": true}');
    const before = snapshot(out);
    const late = edited(2, (r) => {
      r.date = '2024-06-01';
    });
    const r = await run(['merge', shards[0]!, late, shards[2]!, '--out', out], { env: ENV });
    expect(r.code).toBe(2);
    expect(snapshot(out)).toEqual(before);
    // shards that agree, into a folder holding a report.json we did not write: refused before writing
    const ok = await run(['merge', ...shards, '--out', out], { env: ENV });
    expect(ok.code).toBe(2);
    expect(ok.stderr).toContain('report.json（不是 chuangcheng 写出的文件）');
    expect(snapshot(out)).toEqual(before);
    // and never into a shard folder
    const into = await run(['merge', ...shards, '--out', shards[0]!], { env: ENV });
    expect(into.code).toBe(2);
    expect(into.stderr).toContain('是分片文件夹');
  });
});

// ---- the CI files, run as written

/** Stand-ins for what CI machines have: chuangcheng as built, npm/sudo/apt-get doing nothing, git lfs pulling from a store. */
function fakeTools(store: string): string {
  const bin = tmp('cc-bin-');
  const script = (name: string, text: string) => {
    writeFileSync(path.join(bin, name), text);
    chmodSync(path.join(bin, name), 0o755);
  };
  script('chuangcheng', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  for (const name of ['npm', 'sudo', 'apt-get']) script(name, '#!/bin/sh\necho "($0 $*: skipped in the test)"\n');
  // git lfs pull --include=PATTERNS / -I PATTERNS: each pointer under the patterns gets its real content from the store
  script(
    'git',
    `#!/usr/bin/env node
const fs = require('fs'), path = require('path');
const args = process.argv.slice(2);
if (args[0] !== 'lfs' || args[1] !== 'pull') { console.error('git ' + args.join(' ') + ': not stood in for'); process.exit(1); }
let include = '';
for (let i = 2; i < args.length; i++) {
  if (args[i].startsWith('--include=')) include = args[i].slice(10);
  else if (args[i] === '-I' || args[i] === '--include') include = args[++i];
}
fs.appendFileSync(path.join(${JSON.stringify(bin)}, 'lfs.log'), include + '\\n');
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? (e.name === '.git' ? [] : walk(path.join(d, e.name))) : [path.join(d, e.name)]);
const patterns = include.split(',').filter(Boolean);
for (const f of walk(process.cwd())) {
  const rel = path.relative(process.cwd(), f).split(path.sep).join('/');
  if (!patterns.some((p) => p.endsWith('/**') ? rel.startsWith(p.slice(0, -2)) : rel === p)) continue;
  if (!fs.readFileSync(f, 'latin1').startsWith('version https://git-lfs.github.com/spec/v1')) continue;
  fs.copyFileSync(path.join(${JSON.stringify(store)}, rel), f);
}
`,
  );
  return bin;
}

/** Run a shell script as a CI runner does (bash, stop at the first failure). */
function sh(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: testCache(), ...ENV, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** `${{ … }}` of GitHub Actions: the context paths, fromJSON(…), `a || b`. Anything else fails the test. */
function expression(expr: string, ctx: Record<string, unknown>): unknown {
  const e = expr.trim();
  const or = e.split('||');
  if (or.length > 1) return or.map((x) => expression(x, ctx)).find((v) => v !== '' && v !== undefined && v !== null) ?? '';
  const from = /^fromJSON\((.+)\)((?:\.[\w-]+)*)$/.exec(e);
  if (from) return follow(JSON.parse(String(expression(from[1]!, ctx))), from[2]!.slice(1));
  if (/^'[^']*'$/.test(e)) return e.slice(1, -1);
  if (!/^[\w-]+(\.[\w-]+)*$/.test(e)) throw new Error(`expression not understood by the test: ${e}`);
  return follow(ctx, e);
}
function follow(value: unknown, dotted: string): unknown {
  if (!dotted) return value;
  let v = value;
  for (const k of dotted.split('.')) {
    if (v === null || typeof v !== 'object' || !(k in (v as object))) throw new Error(`${dotted}: no ${k}`);
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}
const expand = (text: string, ctx: Record<string, unknown>) => text.replace(/\$\{\{(.+?)\}\}/g, (_, e: string) => String(expression(e, ctx)));
const expandEnv = (env: Record<string, unknown> | undefined, ctx: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, expand(String(v), ctx)]));

/** GITHUB_OUTPUT's `name=value` lines and `name<<DELIMITER` blocks. */
function readOutputs(file: string): Record<string, string> {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const out: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const block = /^([\w-]+)<<(.+)$/.exec(lines[i]!);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      out[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (/^[\w-]+=/.test(lines[i]!)) out[lines[i]!.slice(0, lines[i]!.indexOf('='))] = lines[i]!.slice(lines[i]!.indexOf('=') + 1);
  }
  return out;
}

/** Every `chuangcheng COMMAND … --option` in the scripts names a command and options it has (its --help lists them). */
async function expectKnownCommands(scripts: string[]): Promise<number> {
  let seen = 0;
  for (const script of scripts) {
    for (const m of script.matchAll(/chuangcheng ([a-z]+)([^\n;|&>]*)/g)) {
      if (m[1] === 'check' || m[1] === 'plan' || m[1] === 'build' || m[1] === 'merge') seen++;
      const help = await run([m[1]!, '--help']);
      expect(help.code, `chuangcheng ${m[1]} exists`).toBe(0);
      for (const opt of m[2]!.match(/--[a-z][\w-]*/g) ?? []) {
        expect(help.stdout, `chuangcheng ${m[1]} ${opt}`).toMatch(new RegExp(`${opt}(?![\\w-])`));
      }
    }
  }
  return seen;
}

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, unknown>;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
}

describe('examples/ci', () => {
  it('github-actions.yml: plan → a build job per shard, each pulling only its LFS folders → merge, run as written, is the full build', async () => {
    const wf = parseYaml(readFileSync(path.join(ROOT, 'examples/ci/github-actions.yml'), 'utf8')) as { on: Record<string, unknown>; env: Record<string, unknown>; jobs: Record<string, Job> };
    expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'workflow_dispatch']));
    const { check, plan, build, merge } = wf.jobs;
    expect(check && plan && build && merge).toBeTruthy();
    // the commands and options the file uses exist
    const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(await expectKnownCommands([...runs(plan!), ...runs(build!), ...runs(merge!)])).toBeGreaterThanOrEqual(4);
    expect(await expectKnownCommands(runs(check!))).toBe(3);
    expect(runs(check!).join('\n')).toContain('--fail-on "$FAIL_ON"');
    expect(String(wf.env.FAIL_ON)).toBe('overdue');
    expect(runs(check!).join('\n')).toMatch(/--format junit --output \S+/);
    expect(runs(check!).join('\n')).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(runs(check!).join('\n')).toContain('--format html --output dashboard.html');

    // the repository as CI checks it out: a Git repository whose photos and PDFs are LFS pointers
    const store = checkout(p.dir, { lfs: () => false, git: true });
    const bin = fakeTools(store);
    const artifacts = new Map<string, string>();
    const base: Record<string, unknown> = { github: { run_id: '42', event_name: 'workflow_dispatch' }, runner: { os: 'Linux' }, inputs: { shards: '3', date: DATE } };

    async function runJob(job: Job, ctx: Record<string, unknown>, cwd: string): Promise<Record<string, unknown>> {
      const steps: Record<string, { outputs: Record<string, string> }> = {};
      const env = { ...expandEnv(wf.env, ctx) };
      Object.assign(env, expandEnv(job.env, { ...ctx, env }));
      for (const step of job.steps) {
        const c = { ...ctx, env, steps };
        if (step.uses) {
          const action = step.uses.replace(/@.*$/, '');
          if (action === 'actions/upload-artifact') artifacts.set(expand(String(step.with!.name), c), path.join(cwd, expand(String(step.with!.path), c)));
          else if (action === 'actions/download-artifact') {
            const glob = new RegExp(`^${String(step.with!.pattern).replace(/\*/g, '.*')}$`);
            for (const [name, from] of artifacts) if (glob.test(name)) cpSync(from, path.join(cwd, String(step.with!.path), name), { recursive: true });
          } else expect(['actions/checkout', 'actions/setup-node', 'actions/cache', 'mikepenz/action-junit-report']).toContain(action);
          continue;
        }
        const output = path.join(tmp('cc-gho-'), 'output');
        const r = await sh(step.run!, cwd, { ...env, ...expandEnv(step.env, c), PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: path.join(cwd, '..', 'summary.md') });
        expect(r.code, `${step.name ?? step.run}: ${r.stderr}`).toBe(0);
        if (step.id) steps[step.id] = { outputs: readOutputs(output) };
      }
      return Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, expand(v, { ...ctx, env, steps })]));
    }

    const planOut = await runJob(plan!, base, checkout(store, { lfs: LFS, git: true }));
    expect(planOut.date).toBe(DATE);
    expect(planOut.count).toBe('3');
    const needs = { plan: { outputs: planOut } };
    const matrix = expression(String(build!.strategy!.matrix.shard).replace(/^\$\{\{|\}\}$/g, ''), { ...base, needs }) as PlanJson['shards'];
    expect(matrix).toEqual((await planOf(p.dir, 3)).shards.map((s) => ({ ...s, folders: s.folders.map((f) => `evidence/${f}`), include: s.folders.map((f) => `evidence/${f}`).join(',') })));
    // each shard on its own machine: its own checkout, pointers but for what it pulls
    await Promise.all(matrix.map((shard) => runJob(build!, { ...base, needs, matrix: { shard } }, checkout(store, { lfs: LFS, git: true }))));
    const pulled = readFileSync(path.join(bin, 'lfs.log'), 'utf8').split('\n').filter(Boolean).sort();
    expect(pulled).toEqual(matrix.map((s) => s.include).sort());
    const mergeDir = path.join(tmp('cc-merge-job-'), 'work');
    mkdirSync(mergeDir);
    await runJob(merge!, { ...base, needs }, mergeDir);
    const archive = artifacts.get(`archive-${DATE}`);
    expect(archive).toBeDefined();
    expectSameOutput(archive!, fullBoth);
  });

  it('gitlab-ci.yml: plan → parallel build jobs, each pulling only its LFS folders → merge, run as written, is the full build', async () => {
    const ci = parseYaml(readFileSync(path.join(ROOT, 'examples/ci/gitlab-ci.yml'), 'utf8')) as Record<string, Record<string, unknown>>;
    const variables = ci.variables as Record<string, string>;
    const jobs = ci as Record<string, { script: string[]; before_script?: string[]; variables?: Record<string, string>; parallel?: number; artifacts?: { paths?: string[]; reports?: { dotenv?: string; junit?: string } } }>;
    const { check, plan, build, merge } = jobs;
    expect(variables.FAIL_ON).toBe('overdue');
    expect(build!.parallel).toBe(Number(variables.SHARDS));
    expect(check!.artifacts!.reports!.junit).toBe('check-junit.xml');
    const scripts = (j: { script: string[]; before_script?: string[] }) => [...(j.before_script ?? (ci.default!.before_script as string[])), ...j.script].join('\n');
    expect(await expectKnownCommands([scripts(plan!), scripts(build!), scripts(merge!)])).toBeGreaterThanOrEqual(4);
    expect(await expectKnownCommands([scripts(check!)])).toBe(3);

    const store = checkout(p.dir, { lfs: () => false, git: true });
    const bin = fakeTools(store);
    const env = (job: { variables?: Record<string, string> }, extra: Record<string, string> = {}) => ({ ...variables, ...(job.variables ?? {}), ...extra, PATH: `${bin}:${process.env.PATH}` });
    const planDir = checkout(store, { lfs: LFS, git: true });
    const r = await sh(scripts(plan!), planDir, env(plan!, { DATE }));
    expect(r.code, r.stderr).toBe(0);
    const dotenv = Object.fromEntries(
      readFileSync(path.join(planDir, plan!.artifacts!.reports!.dotenv!), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(dotenv).toEqual({ BUILD_DATE: DATE });
    const n = build!.parallel!;
    const outs = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const dir = checkout(store, { lfs: LFS, git: true });
        cpSync(path.join(planDir, 'plan.json'), path.join(dir, 'plan.json'));
        const b = await sh(scripts(build!), dir, env(build!, { ...dotenv, CI_NODE_INDEX: String(i + 1), CI_NODE_TOTAL: String(n) }));
        expect(b.code, b.stderr).toBe(0);
        return path.join(dir, 'shards', String(i + 1));
      }),
    );
    const mergeDir = path.join(tmp('cc-gl-merge-'), 'work');
    for (const [i, out] of outs.entries()) cpSync(out, path.join(mergeDir, 'shards', String(i + 1)), { recursive: true });
    const m = await sh(scripts(merge!), mergeDir, env(merge!, dotenv));
    expect(m.code, m.stderr).toBe(0);
    expect(merge!.artifacts!.paths).toEqual(['案卷']);
    expectSameOutput(path.join(mergeDir, '案卷'), fullBoth);
  });
});
