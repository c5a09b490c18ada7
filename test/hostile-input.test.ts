// Nothing lost: the messy and hostile input a unit's pile of files really holds — odd names, special
// files, damaged but readable documents, sizes meant to hang (contract §3, §4). Fixtures are made in
// the test by real tools.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probePdf } from '../src/evidence/pdf-probe.js';
import type { Report } from '../src/report/report.js';
import { bindHere, jpeg, LO_PDF, manualYaml, project, reportOf, run, tempDir, tool, ONE_OWNED, M_CONVERT } from './helpers.js';

const ONE = manualYaml(ONE_OWNED);
const isRoot = process.getuid?.() === 0;
const kept = (rep: Report) => rep.indicators.flatMap((a) => a.indicators.flatMap((b) => [...b.requirements.flatMap((r) => r.files), ...b.other]));
/** Every file the report mentions, once per list it is in. */
const accounted = (rep: Report) => [...kept(rep), ...rep.dropped.map((d) => d.path), ...rep.unassigned];

describe('§3 nothing lost: names and files as real archives hold them', () => {
  it('names that differ only by Unicode normalisation (macOS NFD beside NFC) are two files', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 café 会议.txt'.normalize('NFC'), '第一份');
    p.write('A1.1/2023-10-01 café 会议.txt'.normalize('NFD'), '第二份，内容不同');
    p.write('A1.1/2023-10-02 résumé.txt'.normalize('NFC'), '同一内容');
    p.write('A1.1/2023-10-02 résumé.txt'.normalize('NFD'), '同一内容');
    const rep = await reportOf(p.dir);
    const files = kept(rep);
    expect(files).toHaveLength(3);
    expect(new Set(files).size).toBe(3);
    // the two different ones are both kept, and said to look alike
    expect(files.filter((f) => f.normalize('NFC').endsWith('café 会议.txt'))).toHaveLength(2);
    expect(rep.warnings.filter((w) => w.code === 'lookalike-name')).toHaveLength(2);
    // same content: one is a duplicate of the other, never of itself
    const dup = rep.dropped.find((d) => d.reason === 'duplicate')!;
    expect(dup.params).toEqual({ of: expect.any(String) });
    expect((dup.params as { of: string }).of).not.toBe(dup.path);
    expect((dup.params as { of: string }).of.normalize('NFC')).toBe(dup.path.normalize('NFC'));
  });

  it('GBK names from a Windows zip are kept, shown readably, with a rename hint; none vanish', async () => {
    const p = project(ONE);
    // what `unzip` leaves on Linux for a zip made on Chinese Windows: the names' GBK bytes
    const gbk = iconv;
    const dir = Buffer.concat([Buffer.from(p.evidence + '/A1.1 '), gbk('领导机构')]);
    mkdirSync(dir);
    writeFileSync(Buffer.concat([dir, Buffer.from('/2023-10-01 '), gbk('通知'), Buffer.from('.txt')]), '文件夹名是 GBK');
    mkdirSync(path.join(p.evidence, 'A1.1 正常'));
    writeFileSync(Buffer.concat([Buffer.from(p.evidence + '/A1.1 正常/2023-10-02 '), gbk('会议记录'), Buffer.from('.txt')]), '文件名是 GBK');
    writeFileSync(Buffer.concat([Buffer.from(p.evidence + '/'), gbk('未归类'), Buffer.from('.txt')]), '不在指标下');
    const rep = await reportOf(p.dir);
    expect(kept(rep).sort()).toEqual(['A1.1 正常/2023-10-02 会议记录.txt', 'A1.1 领导机构/2023-10-01 通知.txt']);
    expect(rep.unassigned).toEqual(['未归类.txt']);
    const w = rep.warnings.filter((x) => x.code === 'name-encoding');
    expect(w.map((x) => x.path).sort()).toEqual(['A1.1 正常/2023-10-02 会议记录.txt', 'A1.1 领导机构/2023-10-01 通知.txt', '未归类.txt']);
    expect(w[0]!.detail).toMatch(/GBK.*unzip -O GBK/);
    expect(w.find((x) => x.path.includes('通知'))!.params).toEqual({ encoding: 'gb18030', raw: 'A1.1 %C1%EC%B5%BC%BB%FA%B9%B9/2023-10-01 %CD%A8%D6%AA.txt' });
    // and they bind: the typeset text is in the volume
    await bindHere(p.dir);
    const text = tool('pdftotext', [path.join(p.dir, 'out', 'A1 组织领导.pdf'), '-']);
    expect(text).toContain('文件夹名是 GBK');
    expect(text).toContain('文件名是 GBK');
  });

  it('a file deeper than PATH_MAX (4096 bytes) is read, kept and bound', async () => {
    const p = project(ONE);
    const seg = '很长的文件夹名称'.repeat(8); // 192 bytes a level
    // the shell walks down one level at a time (cd is relative), as a file manager would have
    execFileSync('bash', ['-c', `cd "${p.evidence}" && mkdir "A1.1 深" && cd "A1.1 深" && for i in $(seq 1 24); do mkdir "${seg}" && cd "${seg}"; done && printf '深处的材料' > "2023-10-01 深处.txt"`]);
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toHaveLength(1);
    expect(Buffer.byteLength(path.join(p.evidence, kept(rep)[0]!))).toBeGreaterThan(4096);
    await bindHere(p.dir);
    expect(tool('pdftotext', [path.join(p.dir, 'out', 'A1 组织领导.pdf'), '-'])).toContain('深处的材料');
  });

  it('FIFOs, sockets and devices are dropped as unsupported, never opened (check does not wait on them)', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 真材料.txt', '正文');
    execFileSync('mkfifo', [path.join(p.evidence, 'A1.1', '2023-10-01 管道.pdf')]);
    execFileSync('mkfifo', [path.join(p.evidence, 'A1.1', '2023-10-01 真材料.txt.yaml')]); // a "sidecar" that would block a reader
    execFileSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path.join(p.evidence, 'A1.1', 'sock.jpg'))})`]);
    if (isRoot) execFileSync('mknod', [path.join(p.evidence, 'A1.1', 'zero.docx'), 'c', '1', '5']); // like /dev/zero
    const r = await run(['check', p.dir, '--format', 'json'], { timeout: 30_000 });
    expect(r.timedOut).toBeUndefined();
    const rep = JSON.parse(r.stdout) as Report;
    const special = rep.dropped.filter((d) => d.reason === 'unsupported');
    expect(special.map((d) => d.path).sort()).toEqual(['A1.1/2023-10-01 真材料.txt.yaml', 'A1.1/2023-10-01 管道.pdf', 'A1.1/sock.jpg', ...(isRoot ? ['A1.1/zero.docx'] : [])]);
    expect(special.find((d) => d.path.endsWith('管道.pdf'))).toMatchObject({ params: { cause: 'special-file', special: 'fifo' } });
    expect(special.find((d) => d.path.endsWith('管道.pdf'))!.detail).toContain('命名管道');
    expect(special.find((d) => d.path.endsWith('sock.jpg'))!.params).toEqual({ cause: 'special-file', special: 'socket' });
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 真材料.txt']);
    // a build does not wait on them either
    expect((await bindHere(p.dir)).report.summary.kept).toBe(1);
  });

  it('every file is accounted for exactly once', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 a.txt', 'a');
    p.write('A1.1/2023-10-01 a 副本.txt', 'a');
    p.write('A1.1/Thumbs.db', 'x');
    p.write('A1.1/空.pdf', '');
    p.write('别处/b.txt', 'b');
    p.write('A1.1/2023-10-01 c.mp4', Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'));
    execFileSync('mkfifo', [path.join(p.evidence, 'A1.1', 'fifo')]);
    const rep = await reportOf(p.dir);
    const all = accounted(rep);
    expect(all.sort()).toEqual(
      ['A1.1/2023-10-01 a.txt', 'A1.1/2023-10-01 a 副本.txt', 'A1.1/Thumbs.db', 'A1.1/空.pdf', '别处/b.txt', 'A1.1/2023-10-01 c.mp4', 'A1.1/fifo'].sort(),
    );
    expect(rep.summary.files).toBe(all.length);
  });

  const hasLfs = spawnSync('git', ['lfs', 'version']).status === 0;
  it.skipIf(!hasLfs)('a clone without git-lfs: pointer files are dropped as lfs-pointer with the git lfs pull to run', async () => {
    // a repository whose evidence lives in a sub-folder, as a city's shared repository keeps it
    const repo = tempDir('repo-');
    const p = project(ONE);
    execFileSync('git', ['init', '-q', repo]);
    const dir = path.join(repo, '某某小学');
    execFileSync('cp', ['-r', p.dir, dir]);
    const real = path.join(tempDir(), '2023-10-01 会议照片.jpg');
    writeFileSync(real, await jpeg());
    // the pointer exactly as git-lfs writes it in place of the file
    const pointer = execFileSync('git', ['lfs', 'pointer', `--file=${real}`], { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(pointer.toString()).toMatch(/^version https:\/\/git-lfs\.github\.com\/spec\/v1\noid sha256:[0-9a-f]{64}\nsize \d+\n$/);
    mkdirSync(path.join(dir, 'evidence', 'A1.1 领导机构'), { recursive: true });
    writeFileSync(path.join(dir, 'evidence', 'A1.1 领导机构', '2023-10-01 会议照片.jpg'), pointer);
    writeFileSync(path.join(dir, 'evidence', 'A1.1 领导机构', '2023-10-02 方案.pdf'), pointer);
    const rep = await reportOf(dir);
    const lfs = rep.dropped.filter((d) => d.reason === 'lfs-pointer');
    expect(lfs.map((d) => d.path).sort()).toEqual(['A1.1 领导机构/2023-10-01 会议照片.jpg', 'A1.1 领导机构/2023-10-02 方案.pdf']);
    expect(lfs[0]!.params).toEqual({ oid: expect.stringMatching(/^[0-9a-f]{64}$/), size: readFileSync(real).length, include: '某某小学/evidence/A1.1 领导机构/**' });
    expect(lfs[0]!.detail).toContain('git lfs pull --include="某某小学/evidence/A1.1 领导机构/**"');
    expect(lfs[0]!.detail).not.toMatch(/损坏/);
    // the text report says it under its own label, not as a damaged file
    const r = await run(['check', dir, '--today', '2024-01-01']);
    expect(r.stdout).toContain('Git LFS 文件未下载（lfs-pointer，2）');
  });
});

describe('§4 readers accept what real readers accept', () => {
  it('a TIFF whose first directory lies after the image data (libtiff’s layout) is kept and bound', async () => {
    const p = project(ONE);
    const tif = path.join(p.evidence, 'A1.1', '2023-10-01 扫描件.tif');
    mkdirSync(path.dirname(tif), { recursive: true });
    execFileSync(M_CONVERT, ['-size', '1600x1200', 'gradient:#336699-#ffffff', '-depth', '8', '-compress', 'none', tif]);
    const ifd = readFileSync(tif).readUInt32LE(4);
    expect(ifd).toBeGreaterThan(16 * 1024);
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 扫描件.tif']);
    expect(rep.warnings.filter((w) => w.code === 'low-resolution')).toEqual([]); // 1600×1200 was read
    await bindHere(p.dir);
    expect(tool('pdfimages', ['-list', path.join(p.dir, 'out', 'A1 组织领导.pdf')])).toMatch(/\n\s+\d+\s+\d+\s+image\s+\d+\s+\d+/);
  });

  it('PDFs with damaged but repairable cross-reference tables are kept and bound, as poppler opens them', async () => {
    const p = project(ONE);
    const bytes = readFileSync(LO_PDF);
    const nl = bytes.indexOf(0x0a) + 1;
    p.write('A1.1/2023-10-01 多了一行.pdf', Buffer.concat([bytes.subarray(0, nl), Buffer.from('% added by a scanner\n'), bytes.subarray(nl)]));
    const xref = bytes.lastIndexOf('xref\n0 ');
    const table = bytes.subarray(xref).toString('latin1').replace(/^(\d{10}) 00000 n/gm, () => '0000000017 00000 n');
    p.write('A1.1/2023-10-02 偏移错.pdf', Buffer.concat([bytes.subarray(0, xref), Buffer.from(table, 'latin1')]));
    for (const f of readdirSync(path.join(p.evidence, 'A1.1'))) expect(spawnSync('pdfinfo', [path.join(p.evidence, 'A1.1', f)]).status).toBe(0);
    const rep = await reportOf(p.dir);
    expect(rep.dropped).toEqual([]);
    expect(kept(rep)).toHaveLength(2);
    await bindHere(p.dir);
    const text = tool('pdftotext', [path.join(p.dir, 'out', 'A1 组织领导.pdf'), '-']);
    expect(text.split('为深入推进全国文明城市创建工作').length - 1).toBe(2);
    expect(JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')).warnings.filter((w: { code: string }) => w.code === 'bind-failed')).toEqual([]);
  });

  it('a crafted cross-reference count does not make check read the file (in-process, /proc/self/io)', async () => {
    const dir = tempDir('xref-');
    const file = path.join(dir, 'huge.pdf');
    // a valid small PDF whose table claims 40 million entries, in a sparse 800 MB file
    const objs = ['%PDF-1.4\n', '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n', '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n', '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n'];
    const offsets: number[] = [];
    let pos = 0;
    for (const o of objs) {
      offsets.push(pos);
      pos += o.length;
    }
    const count = 40_000_000;
    const entries = ['0000000000 65535 f \n', ...offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
    const xrefPos = pos;
    const head = `xref\n0 ${count}\n`;
    const tailPos = xrefPos + head.length + count * 20;
    const fd = openSync(file, 'w');
    writeSync(fd, objs.join('') + head + entries);
    writeSync(fd, `trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xrefPos}\n%%EOF\n`, tailPos);
    closeSync(fd);
    expect(statSync(file).size).toBeGreaterThan(800_000_000);
    const rchar = () => Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
    const before = rchar();
    const probe = probePdf(file);
    const read = rchar() - before;
    expect(probe).toMatchObject({ status: 'ok', pages: 1 });
    expect(read).toBeLessThan(1024 * 1024);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('§2/§4 no hangs, no unbounded memory', () => {
  it('--out on a path that cannot be made, fonts or --manual naming a FIFO or a device: exit 2 at once', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const fifo = path.join(p.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const cases: [string[], RegExp][] = [
      [['build', p.dir, '--out', '/proc/self/x', '--format', 'pdf'], /无法建立输出文件夹/],
      [['check', p.dir, '--manual', fifo], /命名管道.*不是普通文件/],
      [['check', p.dir, '--manual', '/dev/zero'], /设备文件.*不是普通文件/],
    ];
    for (const font of [fifo, '/dev/zero']) {
      const q = project(`${ONE}fonts:\n  song: ${font}\n`);
      q.write('A1.1/2023-10-01 记录.txt', '记录');
      cases.push([['build', q.dir, '--format', 'pdf'], /字体.*不是普通文件/]);
    }
    for (const [args, message] of cases) {
      const r = await run(args, { timeout: 30_000 });
      expect([args.join(' '), r.timedOut ?? false, r.code]).toEqual([args.join(' '), false, 2]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('内部');
    }
  });

  it('an exclude pattern full of * does not backtrack (check finishes; the pattern still works)', async () => {
    const hostile = '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b';
    const p = project(`${ONE}exclude: ["${hostile}", "**/草稿/**"]\n`);
    for (let i = 0; i < 200; i++) p.write(`A1.1/2023-10-01 ${'a'.repeat(60)}${i}.txt`, `内容${i}`);
    p.write('A1.1/草稿/2023-10-01 aaab.txt', '草稿');
    const r = await run(['check', p.dir, '--format', 'json'], { timeout: 60_000 });
    expect(r.timedOut).toBeUndefined();
    const rep = JSON.parse(r.stdout) as Report;
    expect(kept(rep)).toHaveLength(200);
    expect(rep.dropped).toEqual([{ path: 'A1.1/草稿/2023-10-01 aaab.txt', reason: 'excluded', detail: expect.stringContaining('**/草稿/**'), params: { pattern: '**/草稿/**' }, indicator: 'A1.1' }]);
  });

  it('a BMP claiming 16000×16000 pixels is refused before decoding; a 32-bit BMP keeps its colours', async () => {
    const p = project(ONE);
    // the header of a 16000×16000 24-bit BMP, with a few bytes of pixels: made by hand on purpose
    const huge = Buffer.alloc(54 + 64);
    huge.write('BM', 0, 'latin1');
    huge.writeUInt32LE(huge.length, 2);
    huge.writeUInt32LE(54, 10);
    huge.writeUInt32LE(40, 14);
    huge.writeInt32LE(16000, 18);
    huge.writeInt32LE(16000, 22);
    huge.writeUInt16LE(1, 26);
    huge.writeUInt16LE(24, 28);
    p.write('A1.1/2023-10-01 巨图.bmp', huge);
    const bmp = path.join(p.evidence, 'A1.1', '2023-10-02 截图.bmp');
    execFileSync(M_CONVERT, ['-size', '1200x1000', 'xc:#336699', '-alpha', 'set', '-define', 'bmp:format=bmp4', `BMP:${bmp}`]);
    expect(readFileSync(bmp).readUInt16LE(28)).toBe(32);
    const rep = await reportOf(p.dir);
    expect(rep.dropped).toEqual([
      expect.objectContaining({ path: 'A1.1/2023-10-01 巨图.bmp', reason: 'unsupported', params: { cause: 'too-many-pixels', width: 16000, height: 16000, limit: 64_000_000 } }),
    ]);
    await bindHere(p.dir);
    // the photo page (page 4: cover, 目录, 提交表, photo) rendered by poppler: the centre is #336699
    const png = path.join(p.dir, 'page');
    tool('pdftoppm', ['-f', '4', '-l', '4', '-r', '30', '-png', '-singlefile', path.join(p.dir, 'out', 'A1 组织领导.pdf'), png]);
    const rgb = execFileSync(M_CONVERT, [`${png}.png`, '-gravity', 'center', '-crop', '1x1+0-40', '-depth', '8', 'txt:-'], { encoding: 'utf8' });
    const [r, g, bl] = /\((\d+),(\d+),(\d+)/.exec(rgb)!.slice(1).map(Number) as [number, number, number];
    expect(Math.abs(r - 0x33)).toBeLessThan(6);
    expect(Math.abs(g - 0x66)).toBeLessThan(6);
    expect(Math.abs(bl - 0x99)).toBeLessThan(6);
  });
});

/** GBK bytes of a string, made by iconv (a real encoder, not ours). */
function iconv(s: string): Buffer {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: s });
}
