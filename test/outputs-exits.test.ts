// Issue 18, "Nothing lost, part two" — outputs and exits: a full temporary folder is exit 2 naming
// the folder, never a file blamed; one guard for every output (never inside evidence, never empty,
// never a FIFO); a closed pipe changes nothing; a failed start leaves no folder behind; paths as the
// user gave them; the stale-lock takeover that only one run wins; LibreOffice's memory cap; names
// with control characters escaped in every text output; `reused` warnings of linear size; no
// library English. Fixtures made by real tools (LibreOffice, qpdf, python3, sharp) at test time.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { CLI, LO_DOCX, LO_PDF, manualYaml, ONE_OWNED, project as newProject, reportOf, ROOT, run, snapshot, tempDir as newTempDir, testCache, tool, uniqueZip, type Project } from './helpers.js';

const ONE = manualYaml(ONE_OWNED);
const DATE = '2024-05-20';
const canMount = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o ro none /mnt'], { encoding: 'utf8' }).status === 0;
const NO_LO = { CHUANGCHENG_SOFFICE: 'none' };

const made: string[] = [];
const tempDir = (prefix?: string) => {
  const d = newTempDir(prefix);
  made.push(d);
  return d;
};
const project = (manual: string) => {
  const p = newProject(manual);
  made.push(p.dir);
  return p;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A shell command line running the built CLI with these arguments (each quoted). */
const cli = (args: string[]) => [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

describe('§5 a full temporary folder is ours, not the evidence\'s: exit 2 with the cause, never a notice page', () => {
  /** A build in a private mount namespace whose TMPDIR is a tmpfs of `size`; returns its status, output and what --out holds. */
  const inSmallTmp = (p: Project, size: string, args: string[]) => {
    const tmp = tempDir('tmpfs-');
    const out = path.join(tempDir('out-parent-'), 'out');
    const script = `mount -t tmpfs -o size=${size} none "${tmp}" && TMPDIR="${tmp}" XDG_CACHE_HOME="${testCache()}" ${cli(['build', p.dir, '--out', out, '--no-cache', '--date', DATE, ...args])}; echo "status=$?"`;
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { status: /status=(\d+)/.exec(r.stdout)?.[1], stdout: r.stdout, stderr: r.stderr, out: existsSync(out) ? readdirSync(out) : undefined };
  };

  it.skipIf(!canMount)('LibreOffice without room for its profile, or for the PDF it writes: exit 2 naming the temporary folder, no office file called damaged', () => {
    const p = project(ONE);
    uniqueZip(p.copy(LO_DOCX, 'A1.1/2023-10-01 计划.docx'));
    // 100 KB: LibreOffice cannot set up its profile; 300 KB: it starts, and cannot store the PDF
    // (both measured with LibreOffice 7.4: before, each made a notice page "可能已损坏或设置了密码" and exit 0)
    for (const size of ['100k', '300k']) {
      const r = inSmallTmp(p, size, ['--format', 'pdf']);
      expect([size, r.status]).toEqual([size, '2']);
      expect(r.stderr).toMatch(/临时文件夹 .* 所在磁盘空间已满/);
      expect(r.stderr).toContain('这不是您的文件的问题');
      expect(r.stderr).not.toMatch(/可能已损坏|内部|Error/);
      // nothing was written: the --out folder the build made is gone again
      expect(r.out).toBeUndefined();
    }
  });

  it.skipIf(!canMount)('pdftoppm without room for the DOCX page images: exit 2 naming the folder, not a DOCX of notice pages', async () => {
    const p = project(ONE);
    // four pages of noise (large as 150 dpi JPEGs), made by sharp and pdf-lib
    const { PDFDocument } = await import('pdf-lib');
    const doc = await PDFDocument.create();
    for (let i = 0; i < 4; i++) {
      const jpg = await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg({ quality: 90 }).toBuffer();
      const page = doc.addPage([595, 842]);
      page.drawImage(await doc.embedJpg(jpg), { x: 0, y: 0, width: 595, height: 842 });
    }
    p.write('A1.1/2023-10-01 扫描件.pdf', await doc.save());
    const r = inSmallTmp(p, '1m', ['--format', 'docx']);
    expect(r.status).toBe('2');
    expect(r.stderr).toMatch(/临时文件夹 .* 所在磁盘空间已满/);
    expect(r.stderr).not.toMatch(/poppler|说明页|内部/);
    expect(r.out).toBeUndefined();
  });
});

describe('§5 LibreOffice memory cap (CHUANGCHENG_SOFFICE_MEMORY_MB): the file that needs more is stopped and named, the rest converted', () => {
  it.skipIf(process.platform !== 'linux')('a document holding a 12,000×12,000 picture passes a 500 MB cap: memory-limit on it, the other document bound', async () => {
    const p = project(ONE);
    // python3 writes the docx: one paragraph and a PNG of 12,000×12,000 (1 MB deflated, 432 MB decoded)
    const bomb = path.join(p.evidence, 'A1.1', '2023-10-01 海报.docx');
    mkdirSync(path.dirname(bomb), { recursive: true });
    const py = String.raw`
import struct, sys, zipfile, zlib
W = H = 12000
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
z = zlib.compressobj(9)
parts = [z.compress(b'\x00' + b'\xc8\x50\x30' * W)]
zero = b'\x02' + bytes(3 * W)
parts += [z.compress(zero) for _ in range(H - 1)]
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 2, 0, 0, 0)) + chunk(b'IDAT', b''.join(parts) + z.flush()) + chunk(b'IEND', b'')
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
pic = '<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rImg"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5400000" cy="5400000"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic>'
doc = '<?xml version="1.0" encoding="UTF-8"?><w:document ' + W_NS + '><w:body><w:p><w:r><w:t>海报</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline><wp:extent cx="5400000" cy="5400000"/><wp:docPr id="1" name="p"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">' + pic + '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p></w:body></w:document>'
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as f:
    f.writestr('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    f.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    f.writestr('word/_rels/document.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/poster.png"/></Relationships>')
    f.writestr('word/document.xml', doc)
    f.writestr('word/media/poster.png', png)
`;
    execFileSync('python3', ['-c', py, bomb]);
    uniqueZip(p.copy(LO_DOCX, 'A1.1/2023-10-02 计划.docx'));
    const started = Date.now();
    const r = await run(['build', p.dir, '--no-cache', '--format', 'pdf', '--date', DATE], { env: { CHUANGCHENG_SOFFICE_MEMORY_MB: '500' } });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    const notConverted = report.warnings.filter((w) => w.code === 'not-converted');
    expect(notConverted.map((w) => [w.path, w.params])).toEqual([['A1.1/2023-10-01 海报.docx', { cause: 'memory-limit', limitMB: 500 }]]);
    expect(notConverted[0]!.detail).toContain('内存超过了上限 500 MB');
    expect(notConverted[0]!.detail).toContain('CHUANGCHENG_SOFFICE_MEMORY_MB');
    expect(r.stdout).toContain('内存超过了上限 500 MB');
    // the other document is bound, converted by the same LibreOffice (a new run after the stopped one)
    expect(tool('pdftotext', [path.join(p.dir, 'out', 'A1 组织领导.pdf'), '-'])).toContain('创城');
    // stopped at the cap, not after the 120 s LibreOffice may spend on one file
    expect(Date.now() - started).toBeLessThan(110_000);
  }, 240_000);

  it('a cap that is not a number of MB is a usage error naming the variable', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const r = await run(['build', p.dir, '--date', DATE], { env: { CHUANGCHENG_SOFFICE_MEMORY_MB: '2G' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('环境变量 CHUANGCHENG_SOFFICE_MEMORY_MB 应为不小于 256 的整数');
    expect(existsSync(path.join(p.dir, 'out'))).toBe(false);
  });
});

describe('§5 one guard for every output: never inside evidence, never empty, never a FIFO or a device', () => {
  const twoALevels = () => {
    const p = project(
      manualYaml(`  - code: A1
    title: 组织领导
    indicators:
      - { code: A1.1, title: 领导机构健全 }
  - code: A2
    title: 制度建设
    indicators:
      - { code: A2.1, title: 工作计划 }
`),
    );
    p.write('A1.1/2023-10-01 记录.txt', '第一份记录');
    p.write('A2.1/2023-10-02 计划.txt', '第二份计划');
    return p;
  };

  it('merge --out inside the evidence folder is refused: by the project layout, and by the shards\' records where the folder has another name', async () => {
    const p = twoALevels();
    const shards = [1, 2].map((i) => path.join(tempDir('shard-'), `片${i}`));
    for (const [i, s] of shards.entries()) {
      const r = await run(['build', p.dir, '--shard', `${i + 1}/2`, '--out', s, '--date', DATE], { env: NO_LO });
      expect(r.code, r.stderr).toBe(0);
    }
    const before = snapshot(p.evidence);
    const inside = await run(['merge', ...shards, '--out', path.join(p.evidence, '合并')], { env: NO_LO });
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/不能把输出写进证据文件夹：--out .* 在证据文件夹 .*evidence 里/);
    expect(snapshot(p.evidence)).toEqual(before);
    expect(existsSync(path.join(p.evidence, '合并'))).toBe(false);

    // the same evidence under another name, with no manual beside it (a CI checkout, a copy):
    // recognised from the file list the shards recorded
    const elsewhere = path.join(tempDir('copy-'), '材料');
    cpSync(p.evidence, elsewhere, { recursive: true });
    const copied = await run(['merge', ...shards, '--out', path.join(elsewhere, 'A1', '合并')], { env: NO_LO });
    expect(copied.code).toBe(2);
    expect(copied.stderr).toContain('不能把输出写进证据文件夹');
    expect(copied.stderr).toContain(elsewhere);
    expect(readdirSync(elsewhere).sort()).toEqual(['A1.1', 'A2.1']);

    // beside the evidence it is fine
    const ok = await run(['merge', ...shards, '--out', path.join(p.dir, 'out')], { env: NO_LO });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('import --output and init --manual inside an evidence folder are refused too; nothing is written there', async () => {
    const p = twoALevels();
    const before = snapshot(p.evidence);
    const table = path.join(tempDir('table-'), '任务分解表.csv');
    writeFileSync(table, '测评项目,测评内容\nA1 组织领导,A1.1 领导机构健全\n');
    const imported = await run(['import', table, '--output', path.join(p.evidence, 'manual.yaml')]);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain('不能把输出写进证据文件夹');
    const init = await run(['init', p.dir, '--manual', path.join(p.evidence, 'A1.1', '手册.yaml')]);
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('不能把输出写进证据文件夹');
    expect(snapshot(p.evidence)).toEqual(before);
  });

  it('an empty value (an unset shell variable) for any path is a usage error, and nothing is written in the current folder', async () => {
    const p = twoALevels();
    const here = tempDir('cwd-');
    const table = path.join(tempDir('table-'), 't.csv');
    writeFileSync(table, '测评项目,测评内容\nA1 组织领导,A1.1 领导机构健全\n');
    const cases: [string[], RegExp][] = [
      [['build', p.dir, '--out', ''], /--out 的值是空的（命令里的变量可能没有设置）/],
      [['build', ''], /参数中有空的值/],
      [['check', p.dir, '--output', ''], /--output 的值是空的/],
      [['check', ''], /参数中有空的值/],
      [['check', p.dir, '--manual', ''], /--manual 的值是空的/],
      [['build', p.dir, '--evidence', ''], /--evidence 的值是空的/],
      [['build', p.dir, '--cache', ''], /--cache 的值是空的/],
      [['merge', p.dir, '--out', ''], /--out 的值是空的/],
      [['import', table, '--output', ''], /--output 的值是空的/],
      [['init', p.dir, '--manual', ''], /--manual 的值是空的/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args, { cwd: here, env: NO_LO });
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('内部');
    }
    expect(readdirSync(here)).toEqual([]);
    expect(existsSync(path.join(p.dir, 'out'))).toBe(false);
  });

  it('check --output to a FIFO, a link to a FIFO or a folder: refused at once (no hang), the FIFO left a FIFO; a link to a file is written through', async () => {
    const p = twoALevels();
    const dir = tempDir('special-');
    const fifo = path.join(dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    symlinkSync(fifo, path.join(dir, 'link-to-fifo.json'));
    for (const output of [fifo, path.join(dir, 'link-to-fifo.json'), dir]) {
      const r = await run(['check', p.dir, '--format', 'json', '--output', output], { timeout: 30_000 });
      expect(r.timedOut).toBeUndefined();
      expect([output, r.code]).toEqual([output, 2]);
      expect(r.stderr).toMatch(output === dir ? /是文件夹，不是普通文件/ : /是命名管道（FIFO），不是普通文件/);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    // a link to a regular file: the report goes into that file, the link stays a link
    const target = path.join(dir, 'real.json');
    writeFileSync(target, 'old');
    symlinkSync(target, path.join(dir, 'link.json'));
    const r = await run(['check', p.dir, '--format', 'json', '--output', path.join(dir, 'link.json')]);
    expect(r.code).toBe(0);
    expect(lstatSync(path.join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect((JSON.parse(readFileSync(target, 'utf8')) as Report).summary.kept).toBe(2);
  });
});

describe('§5 exits: a closed pipe changes nothing; a failed start leaves nothing; paths as given', () => {
  it('build … 2>&1 | head -1 and build … | head -c 1: exit 0 and every output written (before: exit 1, half the files)', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    p.copy(LO_PDF, 'A1.1/2023-10-02 通知.pdf');
    for (const [i, pipe] of ['2>&1 | head -1', '| head -c 1'].entries()) {
      const out = path.join(p.dir, `out${i}`);
      const line = `${cli(['build', p.dir, '--out', out, '--date', DATE])} ${pipe} >/dev/null; echo "status=\${PIPESTATUS[0]}"`;
      const r = spawnSync('bash', ['-c', line], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: testCache(), ...NO_LO } });
      expect([pipe, r.stdout.trim()]).toEqual([pipe, 'status=0']);
      expect(readdirSync(out).sort()).toEqual(['A1 组织领导.docx', 'A1 组织领导.pdf', 'manifest-sha256.txt', 'report.json', '目录.xlsx']);
      expect(spawnSync('sha256sum', ['-c', '--strict', 'manifest-sha256.txt'], { cwd: out }).status).toBe(0);
    }
  });

  it('a build that fails at start (no evidence folder, an invalid manual) leaves no --out folder it made; a folder that was there stays', async () => {
    const p = project(ONE);
    rmSync(p.evidence, { recursive: true });
    const parent = tempDir('outs-');
    const nested = path.join(parent, 'a', 'b', '案卷');
    const noEvidence = await run(['build', p.dir, '--out', nested, '--date', DATE]);
    expect(noEvidence.code).toBe(2);
    expect(noEvidence.stderr).toContain('找不到证据文件夹');
    expect(readdirSync(parent)).toEqual([]);
    mkdirSync(p.evidence);
    writeFileSync(path.join(p.dir, 'manual.yaml'), 'title: 缺单位\nindicators: []\n');
    const mine = path.join(parent, '已有');
    mkdirSync(mine);
    for (const out of [nested, mine]) {
      const bad = await run(['build', p.dir, '--out', out, '--date', DATE]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('测评手册');
    }
    expect(readdirSync(parent)).toEqual(['已有']);
    expect(readdirSync(mine)).toEqual([]);
  });

  it('the summary names the output folder as the user gave it, never as a path relative to here that nobody typed', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const elsewhere = path.join(tempDir('far-'), 'x');
    const far = await run(['build', p.dir, '--out', elsewhere, '--format', 'pdf', '--date', DATE], { cwd: p.evidence, env: NO_LO });
    expect(far.code, far.stderr).toBe(0);
    expect(far.stdout).toContain(`输出在 ${elsewhere}`);
    const given = await run(['build', '.', '--format', 'pdf', '--date', DATE], { cwd: p.dir, env: NO_LO });
    expect(given.stdout).toContain('输出在 out');
    const work = path.join(p.dir, 'work');
    mkdirSync(work);
    const relative = await run(['build', '..', '--out', '../x', '--format', 'pdf', '--date', DATE], { cwd: work, env: NO_LO });
    expect(relative.code, relative.stderr).toBe(0);
    expect(relative.stdout).toContain('输出在 ../x');
    expect(existsSync(path.join(p.dir, 'x', 'A1 组织领导.pdf'))).toBe(true);
  });
});

describe('§5 the output lock: a stale lock is taken over by one run only; the message names the command holding it', () => {
  it('six runs finding the same stale lock at once: exactly one takes it, every time', async () => {
    const dir = path.join(tempDir('race-'), 'out');
    mkdirSync(dir);
    const dead = spawnSync('true').pid!;
    const go = path.join(path.dirname(dir), 'go');
    const script = `
import { existsSync } from 'node:fs';
const { OutputFolder } = await import(${JSON.stringify(path.join(ROOT, 'dist/output/folder.js'))});
process.stdout.write('ready ');
while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 2));
try {
  const out = OutputFolder.open(${JSON.stringify(dir)}, { command: 'build' });
  process.stdout.write('won');
  await new Promise((r) => setTimeout(r, 1500));
  out.release();
} catch (err) {
  process.stdout.write(/另一个 chuangcheng build 正在向/.test(err.message) ? 'refused' : 'other: ' + err.message);
}`;
    for (let round = 0; round < 6; round++) {
      rmSync(go, { force: true });
      writeFileSync(path.join(dir, '.chuangcheng.lock'), JSON.stringify({ pid: dead, host: hostname(), command: 'build' }));
      let ready = 0;
      const runs = Array.from({ length: 6 }, () =>
        new Promise<string>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
          let said = '';
          child.stdout.on('data', (d: Buffer) => {
            const before = said.includes('ready');
            said += d.toString();
            if (!before && said.includes('ready')) ready++;
          });
          child.on('close', () => resolve(said.replace('ready ', '')));
        }),
      );
      // all six started and waiting, then let go at once
      while (ready < 6) await new Promise((r) => setTimeout(r, 10));
      writeFileSync(go, '');
      const said = await Promise.all(runs);
      expect([round, said.filter((s) => s === 'won').length]).toEqual([round, 1]);
      expect(said.filter((s) => s !== 'won' && s !== 'refused')).toEqual([]);
      expect(readdirSync(dir)).toEqual([]); // no lock, no takeover guard left
    }
  }, 120_000);

  it('a merge holding the output folder is named as a merge', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const out = path.join(p.dir, 'out');
    mkdirSync(out);
    // this test process stands for the merge: alive, on this machine
    writeFileSync(path.join(out, '.chuangcheng.lock'), JSON.stringify({ pid: process.pid, host: hostname(), command: 'merge' }));
    const r = await run(['build', p.dir, '--date', DATE], { env: NO_LO });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/另一个 chuangcheng merge 正在向 .* 写入（进程 \d+）/);
    expect(readdirSync(out)).toEqual(['.chuangcheng.lock']);
  });
});

describe('§6 names with control characters are escaped in every text output; JSON keeps them as data', () => {
  // (undated: each is listed with an `undated` warning, so every report shows its name)
  const HOSTILE = {
    esc: 'A1.1/\u001b[31m红色\u001b[0m.txt',
    bidi: 'A1.1/报告\u202efdp.txt',
    c1: 'A1.1/c1\u009b31m.txt',
    newline: 'A1.1/换\n行.txt',
    unassigned: '杂项/\u001b]0;标题\u0007.txt',
  };
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it('terminal text, Markdown, JUnit, HTML and xlsx show \\x1B, \\u202E …; the JSON report keeps the names as they are', async () => {
    const p = project(ONE);
    for (const rel of Object.values(HOSTILE)) p.write(rel, `内容 ${rel.length}`);
    const dir = tempDir('reports-');
    const text = await run(['check', p.dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(RAW);
    expect(text.stdout).toContain('\\x1B[31m红色\\x1B[0m');
    expect(text.stdout).toContain('报告\\u202Efdp');
    expect(text.stdout).toContain('c1\\x9B31m');
    expect(text.stdout).toContain('换\\x0A行');
    expect(text.stdout).toContain('\\x1B]0;标题\\x07');
    for (const ext of ['md', 'xml', 'html']) {
      const file = path.join(dir, `report.${ext}`);
      const format = { md: 'markdown', xml: 'junit', html: 'html' }[ext]!;
      const r = await run(['check', p.dir, '--format', format, '--output', file]);
      expect([ext, r.code]).toEqual([ext, 0]);
      const body = readFileSync(file, 'utf8');
      expect([ext, RAW.test(body)]).toEqual([ext, false]);
      if (ext !== 'xml') expect(body).toContain('\\x1B[31m红色'); // (JUnit lists B-levels, not files)
    }
    const xlsx = path.join(dir, 'report.xlsx');
    expect((await run(['check', p.dir, '--format', 'xlsx', '--output', xlsx])).code).toBe(0);
    const sheets = execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print("".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml")))', xlsx], { encoding: 'utf8' });
    expect(RAW.test(sheets.replace(/[\n\r\t]/g, ''))).toBe(false);
    expect(sheets).toContain('\\x1B[31m红色');
    expect(sheets).toContain('报告\\u202Efdp');
    // JSON: the names are data, escaped by JSON itself
    const json = JSON.parse((await run(['check', p.dir, '--format', 'json'])).stdout) as Report;
    expect(json.indicators[0]!.indicators[0]!.requirements[0]!.files).toContain(HOSTILE.esc);
    expect(json.unassigned).toEqual([HOSTILE.unassigned]);
  });

  it('build prints its summary and messages with the same escapes', async () => {
    const p = project(ONE);
    p.write(HOSTILE.esc, '内容');
    p.write(HOSTILE.unassigned, '杂项');
    // a file that cannot be bound, so that its name is printed in the summary
    p.write('A1.1/2023-10-05 \u001b[2J坏.pdf', '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', DATE], { env: NO_LO });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    // an error message naming a path given with control characters
    const bad = await run(['build', p.dir, '--out', path.join(p.evidence, '\u001b[31m出')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(RAW);
    expect(bad.stderr).toContain('\\x1B[31m出');
  });
});

describe('§6 rename suggestions tolerate spaces; reused warnings grow linearly; library English never shown', () => {
  it('a folder " A1.1 领导机构" (a leading space) or "A1-1 领导机构 " gets its rename suggestion', async () => {
    const p = project(
      manualYaml(`  - code: A1
    title: 组织领导
    indicators:
      - { code: A1.1, title: 领导机构 }
      - { code: A1.2, title: 工作制度 }
`),
    );
    p.write(' A1.1 领导机构/2023-10-01 记录.txt', '一');
    p.write('A1-2 工作制度 /2023-10-02 制度.txt', '二');
    const report = await reportOf(p.dir);
    expect(report.suggestions.map((s) => [s.path, s.name, s.indicator])).toEqual([
      [' A1.1 领导机构', 'A1.1 领导机构', 'A1.1'],
      ['A1-2 工作制度 ', 'A1.2 工作制度', 'A1.2'],
    ]);
  });

  it('one file used under 100 B-levels: 100 reused warnings naming 198 others in all (before: 9,900), the first listing every copy', async () => {
    const codes = Array.from({ length: 100 }, (_, i) => `A1.${i + 1}`);
    const p = project(manualYaml(`  - code: A1\n    title: 组织领导\n    indicators:\n${codes.map((c) => `      - { code: "${c}", title: 指标 }`).join('\n')}\n`));
    for (const c of codes) p.write(`${c} 指标/2023-10-01 同一份通知.txt`, '同一份通知的内容');
    const report = await reportOf(p.dir);
    const reused = report.warnings.filter((w) => w.code === 'reused');
    expect(reused).toHaveLength(100);
    const named = reused.reduce((n, w) => n + (w.params as { others: unknown[] }).others.length, 0);
    expect(named).toBe(99 + 99);
    expect(JSON.stringify(reused).length).toBeLessThan(60_000);
    const first = reused.find((w) => w.path === 'A1.1 指标/2023-10-01 同一份通知.txt')!;
    expect((first.params as { others: unknown[] }).others).toHaveLength(99);
    const later = reused.find((w) => w.path === 'A1.50 指标/2023-10-01 同一份通知.txt')!;
    expect(later.params).toEqual({ others: [{ path: 'A1.1 指标/2023-10-01 同一份通知.txt', indicator: 'A1.1' }], more: 98 });
    expect(later.detail).toContain('等 99 处（全部列在 A1.1 指标/2023-10-01 同一份通知.txt 的提醒里）');
    // two copies: each names the other, as before
    const q = project(manualYaml(`  - code: A1\n    title: 组织领导\n    indicators:\n      - { code: A1.1, title: 一 }\n      - { code: A1.2, title: 二 }\n`));
    q.write('A1.1/2023-10-01 通知.txt', '同一份');
    q.write('A1.2/2023-10-01 通知.txt', '同一份');
    const two = (await reportOf(q.dir)).warnings.filter((w) => w.code === 'reused');
    expect(two.map((w) => w.params)).toEqual([{ others: [{ path: 'A1.2/2023-10-01 通知.txt', indicator: 'A1.2' }] }, { others: [{ path: 'A1.1/2023-10-01 通知.txt', indicator: 'A1.1' }] }]);
  });

  it('a sidecar the YAML parser refuses, a table exceljs cannot read: said in Chinese, without the parser\'s English', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    p.write('A1.1/2023-10-01 记录.txt.yaml', 'title: a: b: c\n');
    const report = await reportOf(p.dir);
    const w = report.warnings.find((x) => x.code === 'bad-sidecar')!;
    expect(w.params).toEqual({ cause: 'yaml', message: expect.stringMatching(/[\u4e00-\u9fff]/) as unknown as string });
    expect(w.detail).not.toMatch(/[A-Za-z]{5,}/);
    const table = path.join(tempDir('table-'), '坏表.xlsx');
    writeFileSync(table, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]));
    const r = await run(['import', table, '--output', path.join(tempDir('manual-'), 'manual.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('它不是完好的 Excel 工作簿');
    expect(r.stderr).not.toMatch(/[A-Za-z]{6,}/);
  });

  it('a PDF whose page tree pdf-lib cannot follow, and one it warns about: Chinese in the report, no English on stderr', async () => {
    const p = project(ONE);
    const dir = tempDir('pdfs-');
    const qdf = path.join(dir, 'qdf.pdf');
    tool('qpdf', ['--qdf', '--object-streams=disable', LO_PDF, qdf]);
    const bytes = readFileSync(qdf, 'latin1');
    // /Pages pointing at the document information dictionary (same length: the offsets hold):
    // pdf-lib throws "_this.catalog.Pages(...).traverse is not a function"
    const pagesRef = /\/Pages (\d+) 0 R/.exec(bytes)!;
    const infoRef = /\/Info (\d+) 0 R/.exec(bytes)!;
    expect(pagesRef[1]!.length).toBe(infoRef[1]!.length);
    p.write('A1.1/2023-10-01 坏页树.pdf', Buffer.from(bytes.replace(pagesRef[0], `/Pages ${infoRef[1]} 0 R`), 'latin1'));
    // the information dictionary made unparsable: pdf-lib skips it, printing its English warnings
    const at = bytes.indexOf('/CreationDate');
    const end = bytes.indexOf('\n', at);
    p.write('A1.1/2023-10-02 杂音.pdf', Buffer.from(bytes.slice(0, at) + '<<<<' + '}'.repeat(end - at - 4) + bytes.slice(end), 'latin1'));
    const r = await run(['build', p.dir, '--format', 'pdf', '--no-cache', '--date', DATE], { env: NO_LO });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Trying to parse|Invalid object|[A-Za-z]{5,}/);
    const report = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    // (check walks the page tree as readers do: no page is reachable, so it is dropped there, in Chinese)
    expect(report.warnings.filter((w) => w.code === 'bind-failed')).toEqual([]);
    const dropped = report.dropped.filter((d) => d.path === 'A1.1/2023-10-01 坏页树.pdf');
    expect(dropped.map((d) => d.reason)).toEqual(['unreadable']);
    expect(dropped[0]!.detail).toContain('文件中没有可读的页面');
    expect(dropped[0]!.detail).not.toMatch(/function|undefined|catalog|[A-Za-z]{5,}/);
    // the noisy one is bound, its text readable
    expect(tool('pdftotext', [path.join(p.dir, 'out', 'A1 组织领导.pdf'), '-'])).toContain('为深入推进全国文明城市创建工作');
  });
});
