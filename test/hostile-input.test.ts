// Nothing lost: the messy and hostile input a unit's pile of files really holds — odd names, special
// files, damaged but readable documents, sizes meant to hang (contract §3, §4). Fixtures are made in
// the test by real tools.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probePdf } from '../src/evidence/pdf-probe.js';
import type { Report } from '../src/report/report.js';
import { bindHere, CLI, jpeg, LO_PDF, manualYaml, pageText, project, reportOf, run, tempDir, tool, ONE_OWNED, M_CONVERT } from './helpers.js';

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

  it('a folder that cannot be listed is dropped with its errno code and says why in words', () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    p.write('A1.1/锁住/2023-10-02 里面.txt', '里面');
    chmodSync(path.join(p.evidence, 'A1.1', '锁住'), 0o000);
    // root lists every folder: then check runs as nobody, who may enter the project but not that folder
    if (isRoot) chmodSync(p.dir, 0o755);
    const r = isRoot
      ? spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, CLI, 'check', p.dir, '--format', 'json'], { encoding: 'utf8', cwd: p.dir })
      : spawnSync(process.execPath, [CLI, 'check', p.dir, '--format', 'json'], { encoding: 'utf8' });
    chmodSync(path.join(p.evidence, 'A1.1', '锁住'), 0o755);
    expect(r.stderr).not.toContain('内部');
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.dropped).toEqual([
      { path: 'A1.1/锁住', reason: 'unreadable', detail: expect.stringContaining('没有读取权限'), params: { cause: 'folder', errno: 'EACCES' }, indicator: 'A1.1' },
    ]);
    expect(rep.dropped[0]!.detail).not.toContain('系统错误');
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 记录.txt']);
  });

  it('an evidence folder that cannot be listed at all is a usage error naming it, not an internal error', () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    // root lists every folder: then check runs as nobody, who may read the project but not the evidence
    chmodSync(p.dir, 0o755);
    chmodSync(p.evidence, isRoot ? 0o700 : 0o000);
    const cmd = [process.execPath, CLI, 'check', p.dir];
    const r = isRoot
      ? spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', ...cmd], { encoding: 'utf8', cwd: p.dir })
      : spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
    chmodSync(p.evidence, 0o755);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`无法读取证据文件夹 ${p.evidence}（没有权限）`);
    expect(r.stderr).not.toContain('内部');
  });

  it('links to the folder they stand in, or above it, are loops: said, never walked twice; a second link to a folder is said too', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    symlinkSync('.', path.join(p.evidence, 'A1.1', '回到这里'));
    symlinkSync('..', path.join(p.evidence, 'A1.1', '上一级'));
    symlinkSync('A1.1', path.join(p.evidence, '链接一'));
    symlinkSync('A1.1', path.join(p.evidence, '链接二'));
    const rep = await reportOf(p.dir);
    // the file once where it is, once through the one link followed (outside any B-level there)
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 记录.txt']);
    expect(rep.unassigned).toHaveLength(1);
    expect(rep.dropped).toEqual([]);
    const links = rep.warnings.filter((w) => w.code === 'outside-link');
    const followed = rep.unassigned[0]!.split('/')[0]!;
    const other = followed === '链接一' ? '链接二' : '链接一';
    expect(links.map((w) => [w.path, (w.params as { cause: string }).cause]).sort()).toEqual(
      [
        ['A1.1/回到这里', 'loop'],
        ['A1.1/上一级', 'loop'],
        [`${followed}/回到这里`, 'loop'],
        [`${followed}/上一级`, 'loop'],
        [other, 'repeat'],
      ].sort(),
    );
    expect(links.find((w) => w.path === other)!.detail).toContain('另一个符号链接');
  });

  it('a second sidecar for one file, and a sidecar of a sidecar, are said, not silently ignored', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    p.write('A1.1/2023-10-01 记录.txt.yml', 'title: 乙\n');
    p.write('A1.1/2023-10-01 记录.txt.yaml', 'title: 甲\n');
    p.write('A1.1/2023-10-01 记录.txt.yaml.yaml', 'title: 丙\n');
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 记录.txt']);
    expect(rep.dropped.map((d) => [d.path, d.reason])).toEqual([['A1.1/2023-10-01 记录.txt.yaml.yaml', 'unsupported']]);
    expect(rep.warnings.filter((w) => w.code === 'bad-sidecar')).toEqual([
      {
        path: 'A1.1/2023-10-01 记录.txt.yml',
        code: 'bad-sidecar',
        detail: expect.stringContaining('已有说明文件 2023-10-01 记录.txt.yaml'),
        params: { cause: 'unusable', message: '2023-10-01 记录.txt 已有说明文件 2023-10-01 记录.txt.yaml' },
        indicator: 'A1.1',
      },
    ]);
    // the one read is the same whatever order the folder lists them in
    await bindHere(p.dir);
    expect(pageText(path.join(p.dir, 'out', 'A1 组织领导.pdf'), 2)).toContain('甲');
  });

  it('a name or title holding a character XML cannot (U+FFFE) still gives a DOCX and Excel files that open', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录\uFFFE.txt', '记录');
    p.write('A1.1/2023-10-02 说明.txt', '说明');
    p.write('A1.1/2023-10-02 说明.txt.yaml', 'title: "标题\\uFFFF\\u0001"\n');
    await bindHere(p.dir, { formats: ['pdf', 'docx'] });
    const xlsx = path.join(p.dir, 'coverage.xlsx');
    expect((await run(['check', p.dir, '--format', 'xlsx', '--output', xlsx])).code).toBe(0);
    // python's XML parser reads every part of each file
    const py = 'import sys, zipfile, xml.dom.minidom\nfor f in sys.argv[1:]:\n  z = zipfile.ZipFile(f)\n  for n in z.namelist():\n    if n.endswith(".xml"): xml.dom.minidom.parseString(z.read(n))';
    const files = [path.join(p.dir, 'out', 'A1 组织领导.docx'), path.join(p.dir, 'out', '目录.xlsx'), xlsx];
    const parsed = spawnSync('python3', ['-c', py, ...files], { encoding: 'utf8' });
    expect(parsed.stderr).toBe('');
    expect(parsed.status).toBe(0);
  });

  it('codes holding / or : find the files put in the folders init made for them (A1/1 → A1_1 …)', async () => {
    const p = project(
      manualYaml(`  - code: A1
    title: 组织领导
    indicators:
      - { code: "A1/1", title: 斜杠 }
      - { code: "A1:2", title: 冒号 }
`),
    );
    expect((await run(['init', p.dir])).code).toBe(0);
    const folders = readdirSync(path.join(p.evidence, 'A1 组织领导')).sort();
    expect(folders).toEqual(['A1_1 斜杠', 'A1_2 冒号']);
    for (const f of folders) p.write(`A1 组织领导/${f}/2023-10-01 ${f}.txt`, f);
    const rep = await reportOf(p.dir);
    expect(rep.unassigned).toEqual([]);
    const files = Object.fromEntries(rep.indicators[0]!.indicators.map((b) => [b.code, b.requirements[0]!.files]));
    expect(files).toEqual({
      'A1/1': ['A1 组织领导/A1_1 斜杠/2023-10-01 A1_1 斜杠.txt'],
      'A1:2': ['A1 组织领导/A1_2 冒号/2023-10-01 A1_2 冒号.txt'],
    });
    // and a second init sees the folders it made
    expect((await run(['init', p.dir])).stdout).toContain('2 个二级指标已有文件夹');
  });

  it('extensions named like Object’s own properties (.constructor, .__proto__) are just unknown types', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 a.constructor', '正文');
    p.write('A1.1/2023-10-01 b.__proto__', '正文二');
    p.write('A1.1/2023-10-01 c.constructor.yaml', 'title: x\n');
    const rep = await reportOf(p.dir);
    expect(rep.dropped.map((d) => [d.path, d.reason, d.params])).toEqual([
      ['A1.1/2023-10-01 a.constructor', 'unsupported', { cause: 'unknown-type', ext: 'constructor' }],
      ['A1.1/2023-10-01 b.__proto__', 'unsupported', { cause: 'unknown-type', ext: '__proto__' }],
      ['A1.1/2023-10-01 c.constructor.yaml', 'unsupported', { cause: 'unknown-type', ext: 'yaml' }],
    ]);
    expect(rep.warnings.filter((w) => w.code === 'orphan-sidecar')).toEqual([]);
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

  it('a whole PDF padded with zeros after %%EOF is kept and bound; one cut short, then padded, is still incomplete', async () => {
    const p = project(ONE);
    const bytes = readFileSync(LO_PDF);
    p.write('A1.1/2023-10-01 补零.pdf', Buffer.concat([bytes, Buffer.alloc(8192)]));
    p.write('A1.1/2023-10-02 半截.pdf', Buffer.concat([bytes.subarray(0, bytes.length - 600), Buffer.alloc(8192)]));
    expect(spawnSync('pdfinfo', [path.join(p.evidence, 'A1.1', '2023-10-01 补零.pdf')]).status).toBe(0);
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 补零.pdf']);
    expect(rep.dropped.map((d) => [d.path, d.reason, d.params])).toEqual([['A1.1/2023-10-02 半截.pdf', 'unreadable', { cause: 'truncated', type: 'pdf' }]]);
    await bindHere(p.dir);
    expect(tool('pdftotext', [path.join(p.dir, 'out', 'A1 组织领导.pdf'), '-'])).toContain('为深入推进全国文明城市创建工作');
  });

  it('a motion photo (a JPEG with its video appended, 动态照片) and a PNG with data after IEND are kept; cut ones are not', async () => {
    const p = project(ONE);
    const jpg = path.join(p.dir, 'src.jpg');
    const png = path.join(p.dir, 'src.png');
    execFileSync(M_CONVERT, ['-size', '1600x1200', 'plasma:', '-quality', '90', jpg]);
    execFileSync(M_CONVERT, ['-size', '1600x1200', 'gradient:#336699-#ffffff', png]);
    const photo = readFileSync(jpg);
    const image = readFileSync(png);
    // what Pixel, Xiaomi and Samsung phones write: the JPEG, then an MP4 (an ftyp box and its data)
    const video = Buffer.concat([Buffer.from('00000018667479706d703432', 'hex'), Buffer.alloc(200_000, 0x41)]);
    p.write('A1.1/2023-10-01 动态照片.jpg', Buffer.concat([photo, video]));
    p.write('A1.1/2023-10-02 截图.png', Buffer.concat([image, Buffer.alloc(10_000, 0x42)]));
    p.write('A1.1/2023-10-03 半张.jpg', photo.subarray(0, Math.floor(photo.length / 2)));
    p.write('A1.1/2023-10-04 半张.png', image.subarray(0, Math.floor(image.length / 2)));
    for (const f of ['2023-10-01 动态照片.jpg', '2023-10-02 截图.png']) expect(spawnSync('identify', [path.join(p.evidence, 'A1.1', f)]).status).toBe(0);
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 动态照片.jpg', 'A1.1/2023-10-02 截图.png']);
    expect(rep.dropped.map((d) => [d.path, (d.params as { cause: string }).cause])).toEqual([
      ['A1.1/2023-10-03 半张.jpg', 'truncated'],
      ['A1.1/2023-10-04 半张.png', 'truncated'],
    ]);
    await bindHere(p.dir);
    expect(tool('pdfimages', ['-list', path.join(p.dir, 'out', 'A1 组织领导.pdf')]).match(/\n\s+\d+\s+\d+\s+image\s/g)).toHaveLength(2);
  });

  it('a photo libvips cannot decode gets a one-line reason in Chinese, not libvips repeating itself in English', async () => {
    const p = project(ONE);
    const jpg = path.join(p.dir, 'src.jpg');
    execFileSync(M_CONVERT, ['-size', '1200x1000', 'xc:red', jpg]);
    // the frame header (SOF0) says 0×0 pixels: the header of a photo whose upload never finished
    const bytes = readFileSync(jpg);
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
    bytes.writeUInt16BE(0, sof + 5);
    bytes.writeUInt16BE(0, sof + 7);
    p.write('A1.1/2023-10-01 零尺寸.jpg', bytes);
    const { report } = await bindHere(p.dir);
    const w = report.warnings.find((x) => x.code === 'bind-failed')!;
    expect(w.path).toBe('A1.1/2023-10-01 零尺寸.jpg');
    expect(w.detail).toMatch(/^装订时无法读取此文件：图像数据损坏、不完整或是不支持的编码，无法解码/);
    expect(w.detail).not.toMatch(/Vips|JPEG|[A-Za-z]{5,}/);
    expect(w.detail).not.toContain('\n');
    // the volume is still made, with the notice page in the photo's place
    expect(tool('pdftotext', [path.join(p.dir, 'out', 'A1 组织领导.pdf'), '-'])).toContain('零尺寸');
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
  it('a PDF whose page tree contains itself is a bind-failed page in Chinese, not a JavaScript stack overflow', async () => {
    const p = project(ONE);
    const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>'];
    let pdf = '%PDF-1.4\n';
    const offsets = objs.map((o, i) => {
      const at = pdf.length;
      pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
      return at;
    });
    const xref = pdf.length;
    pdf += `xref\n0 3\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
    pdf += `trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    const file = p.write('A1.1/2023-10-01 循环.pdf', pdf);
    expect(spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stderr).toContain('Loop in Pages tree');
    p.write('A1.1/2023-10-02 记录.txt', '记录');
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    const w = rep.warnings.find((x) => x.code === 'bind-failed')!;
    expect(w.path).toBe('A1.1/2023-10-01 循环.pdf');
    expect(w.detail).toContain('自相循环');
    expect(w.detail).not.toMatch(/stack|Maximum/);
    expect(tool('pdftotext', [path.join(p.dir, 'out', 'A1 组织领导.pdf'), '-'])).toContain('记录');
  });

  it('25,000 small files of one size in one B-level: check time grows with the files, not their square', async () => {
    const p = project(ONE);
    // a phone backup of short notes: every file 5 bytes, all different
    execFileSync('python3', ['-c', 'import os, sys\nos.makedirs(sys.argv[1])\nfor i in range(25000): open(os.path.join(sys.argv[1], "2023-10-01 便签%05d.txt" % i), "w").write("%05d" % i)', path.join(p.evidence, 'A1.1')]);
    // the quadratic grouping took about a minute here; linear takes seconds
    const r = await run(['check', p.dir, '--format', 'json'], { timeout: 40_000 });
    expect(r.timedOut).toBeUndefined();
    const rep = JSON.parse(r.stdout) as Report;
    expect(kept(rep)).toHaveLength(25000);
    expect(rep.dropped).toEqual([]);
  });

  it('a HEIC padded with zeros (an interrupted download) does not hang check: exifr would loop on its empty box', async () => {
    const p = project(ONE);
    const jpg = path.join(p.dir, 'src.jpg');
    const heic = path.join(p.dir, 'src.heic');
    execFileSync(M_CONVERT, ['-size', '1200x1000', 'xc:orange', jpg]);
    tool('heif-enc', ['-q', '60', '-o', heic, jpg]);
    const bytes = readFileSync(heic);
    expect(bytes.toString('latin1', 4, 8)).toBe('ftyp');
    // the file type box, then zeros where the rest never arrived
    p.write('A1.1/2023-10-01 下载中断.heic', Buffer.concat([bytes.subarray(0, bytes.readUInt32BE(0)), Buffer.alloc(8192)]));
    p.write('A1.1/2023-10-02 记录.txt', '记录');
    const r = await run(['check', p.dir, '--format', 'json'], { timeout: 30_000 });
    expect(r.timedOut).toBeUndefined();
    const rep = JSON.parse(r.stdout) as Report;
    expect(accounted(rep).sort()).toEqual(['A1.1/2023-10-01 下载中断.heic', 'A1.1/2023-10-02 记录.txt']);
    // a whole HEIC is still kept
    p.write('A1.1/2023-10-03 完整.heic', bytes);
    const again = JSON.parse((await run(['check', p.dir, '--format', 'json'], { timeout: 30_000 })).stdout) as Report;
    expect(kept(again)).toContain('A1.1/2023-10-03 完整.heic');
  });
});

/** GBK bytes of a string, made by iconv (a real encoder, not ours). */
function iconv(s: string): Buffer {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: s });
}
