// Nothing lost, nothing harmed: the messy and hostile input a unit's pile of files really holds
// (contract §1, §3, §4, §5, §7 under attack). Fixtures are made in the test by real tools.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, cpSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync, ftruncateSync,
} from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { probePdf } from '../src/evidence/pdf-probe.js';
import type { Report } from '../src/report/report.js';
import { CLI, EXAMPLE_EVIDENCE, jpeg, LO_DOCX, LO_PDF, manualYaml, pageText, project, reportOf, run, snapshot, stampedNumber, tempDir, tool } from './helpers.js';

const ONE = manualYaml(`  - code: A1
    title: 组织领导
    owner: 王主任
    indicators:
      - code: A1.1
        title: 领导机构健全
`);
const M_CONVERT = '/usr/bin/convert';
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
    const b = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(b.code).toBe(0);
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
    const b = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(b.code).toBe(0);
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
    const b = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20'], { timeout: 60_000 });
    expect(b.code).toBe(0);
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
    const b = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(b.code).toBe(0);
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
    const b = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(b.code).toBe(0);
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

describe('§5 nothing harmed: outputs stay where they belong', () => {
  it('refuses any output inside the evidence folder: `..name`, a symbolic link, a path through `..`', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const before = snapshot(p.evidence);
    const link = path.join(p.dir, 'link-to-evidence');
    symlinkSync(p.evidence, link);
    const attempts: string[][] = [
      ['build', p.dir, '--out', path.join(p.evidence, '..out')],
      ['build', p.dir, '--out', link],
      ['build', p.dir, '--out', path.join(link, 'sub')],
      ['build', p.dir, '--out', path.join(p.dir, 'x', '..', 'evidence', 'A1.1')],
      ['check', p.dir, '--output', path.join(p.evidence, '..report.json')],
      ['check', p.dir, '--output', path.join(link, 'report.json'), '--format', 'json'],
    ];
    for (const args of attempts) {
      const r = await run(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toContain('证据文件夹');
    }
    expect(snapshot(p.evidence)).toEqual(before);
  });

  it('never deletes or overwrites a file it did not write: a foreign manifest, a changed output, a folder', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const out = path.join(p.dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, '我的笔记.txt'), '用户自己的文件');
    writeFileSync(path.join(out, 'A1 组织领导.pdf'), '用户放的同名文件');
    // what `sha256sum * > manifest-sha256.txt` makes: it lists the user's files
    execFileSync('bash', ['-c', 'sha256sum * > manifest-sha256.txt'], { cwd: out });
    const before = snapshot(out);
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/A1 组织领导\.pdf（不是 chuangcheng 写出的文件）/);
    expect(r.stderr).toMatch(/manifest-sha256\.txt/);
    expect(snapshot(out)).toEqual(before);

    // in a clean folder: our outputs, then a second build replaces only its own unchanged files
    rmSync(path.join(out, 'A1 组织领导.pdf'));
    rmSync(path.join(out, 'manifest-sha256.txt'));
    expect((await run(['build', p.dir, '--date', '2024-05-20'])).code).toBe(0);
    const manifest = readFileSync(path.join(out, 'manifest-sha256.txt'), 'utf8');
    expect(manifest.split('\n')[0]).toMatch(/^# chuangcheng manifest v1/);
    expect(spawnSync('sha256sum', ['-c', '--strict', 'manifest-sha256.txt'], { cwd: out }).status).toBe(0);
    expect(readFileSync(path.join(out, '我的笔记.txt'), 'utf8')).toBe('用户自己的文件');
    // the user edits the DOCX: the next build refuses to overwrite the edit
    writeFileSync(path.join(out, 'A1 组织领导.docx'), '改过的');
    const again = await run(['build', p.dir, '--date', '2024-05-20']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('A1 组织领导.docx（上次装订后被修改过）');
    expect(readFileSync(path.join(out, 'A1 组织领导.docx'), 'utf8')).toBe('改过的');
  });

  it('a manifest of ours that lists a folder or a changed file: nothing is removed, no EISDIR', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const out = path.join(p.dir, 'out');
    expect((await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20'])).code).toBe(0);
    const ours = readFileSync(path.join(out, 'manifest-sha256.txt'), 'utf8').trimEnd();
    mkdirSync(path.join(out, '旧卷.pdf'));
    writeFileSync(path.join(out, '旧卷.pdf', '里面.txt'), '用户的');
    writeFileSync(path.join(out, '改过.pdf'), '改过');
    writeFileSync(
      path.join(out, 'manifest-sha256.txt'),
      `${ours}\n${'0'.repeat(64)}  旧卷.pdf\n${'1'.repeat(64)}  改过.pdf\n${'2'.repeat(64)}  ../逃出.txt\n`,
    );
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(r.stderr).not.toContain('内部');
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(out, '旧卷.pdf', '里面.txt'), 'utf8')).toBe('用户的');
    expect(readFileSync(path.join(out, '改过.pdf'), 'utf8')).toBe('改过');
  });

  it('two builds into one folder at once: one waits its turn (exit 2, clear message), the other finishes; the manifest holds', async () => {
    const p = project(ONE);
    p.copy(LO_PDF, 'A1.1/2023-10-01 通知.pdf');
    p.write('A1.1/2023-10-02 照片.jpg', await jpeg({ width: 3000, height: 2000 }));
    const [a, b] = await Promise.all([run(['build', p.dir, '--date', '2024-05-20']), run(['build', p.dir, '--date', '2024-05-20'])]);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    const loser = a.code === 2 ? a : b;
    expect(loser.stderr).toMatch(/另一个 chuangcheng build 正在向 .* 写入/);
    expect(loser.stderr).not.toContain('内部');
    const out = path.join(p.dir, 'out');
    expect(spawnSync('sha256sum', ['-c', '--strict', 'manifest-sha256.txt'], { cwd: out }).status).toBe(0);
    expect(existsSync(path.join(out, '.chuangcheng.lock'))).toBe(false);
  });

  it('A-level codes that make the same file name get distinct volumes', async () => {
    const p = project(
      manualYaml(`  - code: "A:1"
    title: 组织
    indicators:
      - { code: B1, title: 一 }
  - code: "A：1"
    title: 组织
    indicators:
      - { code: B2, title: 二 }
  - code: a/1
    title: 组织
    indicators:
      - { code: B3, title: 三 }
  - code: A/1
    title: 组织
    indicators:
      - { code: B4, title: 四 }
`),
    );
    for (const b of ['B1', 'B2', 'B3', 'B4']) p.write(`${b} 材料/2023-10-01 ${b}.txt`, `材料${b}`);
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const pdfs = readdirSync(path.join(p.dir, 'out')).filter((f) => f.endsWith('.pdf')).sort();
    expect(pdfs).toEqual(['A：1 组织.pdf', 'A：1 组织（2）.pdf', 'a／1 组织.pdf', 'A／1 组织（2）.pdf'].sort());
    const texts = pdfs.map((f) => tool('pdftotext', [path.join(p.dir, 'out', f), '-']));
    for (const b of ['B1', 'B2', 'B3', 'B4']) expect(texts.filter((t) => t.includes(`材料${b}`))).toHaveLength(1);
  });

  it('bound volumes carry no JavaScript or other actions from evidence', async () => {
    const p = project(ONE);
    const doc = await PDFDocument.load(readFileSync(LO_PDF));
    const ctx = doc.context;
    const js = (code: string) => ctx.obj({ S: 'JavaScript', JS: PDFString.of(code) });
    doc.catalog.set(PDFName.of('OpenAction'), ctx.register(js('app.alert("open")')));
    const page = doc.getPage(0);
    page.node.set(PDFName.of('AA'), ctx.obj({ O: ctx.register(js('app.alert("page")')) }));
    const link = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 100, 100], A: js('app.launchURL("x")') }));
    const launch = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 100, 100, 200], A: ctx.obj({ S: 'Launch', F: PDFString.of('cmd.exe') }) }));
    const field = ctx.register(ctx.obj({ FT: 'Tx', T: PDFString.of('f'), AA: ctx.obj({ K: js('event.rc=true') }) }));
    const widget = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Widget', Rect: [0, 200, 100, 300], Parent: field, AA: ctx.obj({ Fo: js('x()') }) }));
    const note = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Text', Rect: [0, 300, 20, 320], Contents: PDFString.of('批注'), A: js('y()') }));
    page.node.set(PDFName.of('Annots'), ctx.obj([link, launch, widget, note]));
    const evil = p.write('A1.1/2023-10-01 带脚本.pdf', await doc.save());
    const inEvidence = JSON.stringify(JSON.parse(tool('qpdf', ['--json=2', '--json-key=qpdf', evil])));
    for (const bad of ['/JS', '/AA', '/OpenAction', '/Launch', '/Link']) expect(inEvidence).toContain(`"${bad}"`);
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const out = path.join(p.dir, 'out', 'A1 组织领导.pdf');
    // qpdf's own view of every object in the volume
    const objects = JSON.stringify(JSON.parse(tool('qpdf', ['--json=2', '--json-key=qpdf', out])));
    for (const bad of ['/JS', '/JavaScript', '/AA', '/OpenAction', '/Launch', '/Link']) expect([bad, objects.includes(`"${bad}"`)]).toEqual([bad, false]);
    expect(tool('pdftotext', [out, '-'])).toContain('为深入推进全国文明城市创建工作');
    // the visible note survives, without its action
    expect(objects).toContain('"/Text"');
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
    const b = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(b.code).toBe(0);
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

describe('§5 no leftovers: temporary files, child processes, locks', () => {
  const officeProject = () => {
    const p = project(ONE);
    p.copy(LO_DOCX, 'A1.1/2023-10-01 计划.docx');
    p.copy(path.join(EXAMPLE_EVIDENCE, 'A3 道德品质教育/A3.2 志愿服务/2023-12-05 志愿服务记录表.xlsx'), 'A1.1/2023-10-02 记录表.xlsx');
    return p;
  };
  const sofficeOf = (tmp: string) => spawnSync('pgrep', ['-f', `UserInstallation=file://${tmp}`], { encoding: 'utf8' }).stdout.trim();

  /** Start a build, wait until LibreOffice runs, send `signal`; returns what is left after `settle` ms. */
  const interrupt = async (signal: NodeJS.Signals, settle: number) => {
    const p = officeProject();
    const tmp = tempDir('tmp-');
    const child = spawn(process.execPath, [CLI, 'build', p.dir, '--date', '2024-05-20'], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : null))));
    for (let i = 0; i < 300 && !sofficeOf(tmp); i++) await new Promise((r) => setTimeout(r, 100));
    expect(sofficeOf(tmp)).not.toBe('');
    child.kill(signal);
    const code = await exited;
    await new Promise((r) => setTimeout(r, settle));
    return { code, tmp: readdirSync(tmp), soffice: sofficeOf(tmp), out: existsSync(path.join(p.dir, 'out')) ? readdirSync(path.join(p.dir, 'out')) : [], p, tmpDir: tmp };
  };

  it('Ctrl-C (SIGINT) and kill (SIGTERM): the temp folder, LibreOffice and the lock go with the build', async () => {
    for (const [signal, expected] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      const left = await interrupt(signal, 200);
      expect([signal, left.code]).toEqual([signal, expected]);
      expect(left.tmp).toEqual([]);
      expect(left.soffice).toBe('');
      expect(left.out.filter((f) => f.endsWith('.tmp') || f === '.chuangcheng.lock')).toEqual([]);
    }
  });

  it('SIGKILL: the watcher ends LibreOffice and removes the temp folder; the next build takes over the stale lock', async () => {
    const left = await interrupt('SIGKILL', 3000);
    expect(left.tmp).toEqual([]);
    expect(left.soffice).toBe('');
    const out = path.join(left.p.dir, 'out');
    // a half-written file a killed build left, by its temporary name
    writeFileSync(path.join(out, '.A1 组织领导.pdf.999999.deadbeef.tmp'), '半截');
    const r = await run(['build', left.p.dir, '--format', 'pdf', '--date', '2024-05-20'], { env: { TMPDIR: left.tmpDir } });
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['A1 组织领导.pdf', 'manifest-sha256.txt', 'report.json', '目录.xlsx']);
    expect(readdirSync(left.tmpDir)).toEqual([]);
  });

  it('an exit-2 error leaves no temporary folder and no lock', async () => {
    const p = officeProject();
    const tmp = tempDir('tmp-');
    mkdirSync(path.join(p.dir, 'out'));
    writeFileSync(path.join(p.dir, 'out', 'A1 组织领导.docx'), '别人的');
    const r = await run(['build', p.dir], { env: { TMPDIR: tmp } });
    expect(r.code).toBe(2);
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(path.join(p.dir, 'out'))).toEqual(['A1 组织领导.docx']);
  });
});

describe('§2/§5 messages: every case says what happened and what to do, never "internal error"', () => {
  it('a YAML alias bomb, an unquoted *pattern*, a GBK or UTF-16 manual, a bad SOURCE_DATE_EPOCH', async () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n${ONE}`;
    const unquoted = ONE.replace('title: 领导机构健全\n', 'title: 领导机构健全\n        evidence:\n          - title: 文件\n            match: *领导小组*\n');
    const cases: [string | Buffer, RegExp][] = [
      [bomb, /别名/],
      [unquoted, /加上引号/],
      [iconv(ONE), /GBK.*UTF-8/],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ONE, 'utf16le')]), /UTF-16.*UTF-8/],
    ];
    for (const [manual, message] of cases) {
      const p = project(ONE);
      writeFileSync(path.join(p.dir, 'manual.yaml'), manual);
      const r = await run(['check', p.dir], { timeout: 30_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/内部|\uFFFD/);
    }
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const r = await run(['build', p.dir], { env: { SOURCE_DATE_EPOCH: '99999999999999999' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SOURCE_DATE_EPOCH');
    expect(r.stderr).not.toContain('内部');
  });

  const canMount = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o ro none /mnt'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!canMount)('a read-only output folder is called read-only (a read-only tmpfs in a private mount namespace)', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const ro = tempDir('ro-');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o ro none "${ro}" && "${process.execPath}" "${CLI}" build "${p.dir}" --out "${ro}/out" --format pdf`], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('只读');
    const c = spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o ro none "${ro}" && "${process.execPath}" "${CLI}" check "${p.dir}" --output "${ro}/r.json"`], { encoding: 'utf8' });
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('只读');
  });

  it('the DOCX warning says poppler refused a page, not that it is missing', async () => {
    const p = project(ONE);
    p.copy(LO_PDF, 'A1.1/2023-10-01 通知.pdf');
    // a pdftoppm that answers -v but cannot draw: the situation of a PDF poppler refuses
    const bin = tempDir('bin-');
    writeFileSync(path.join(bin, 'pdftoppm'), '#!/bin/sh\nif [ "$1" = "-v" ]; then echo "pdftoppm version 22"; exit 0; fi\necho "Syntax Error: Couldn\'t read xref table" >&2\nexit 1\n');
    chmodSync(path.join(bin, 'pdftoppm'), 0o755);
    const r = await run(['build', p.dir, '--format', 'docx', '--date', '2024-05-20'], { env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    const w = rep.warnings.find((x) => x.code === 'not-converted')!;
    expect(w.params).toEqual({ cause: 'page-render-failed', pages: 1, message: "Syntax Error: Couldn't read xref table" });
    expect(w.detail).not.toContain('没有');
  });

  it('a title longer than a page stays inside the 卷内目录 with its 页号', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 长.txt', '正文');
    p.write('A1.1/2023-10-01 长.txt.yaml', `title: "${'关于进一步加强创城工作的长标题'.repeat(160)}"\n`);
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const file = path.join(p.dir, 'out', 'A1 组织领导.pdf');
    let tocPages = 0;
    while (/卷\s*内\s*目\s*录/.test(pageText(file, 2 + tocPages))) tocPages++;
    const toc = tool('pdftotext', ['-f', '2', '-l', String(1 + tocPages), '-layout', file, '-']);
    expect(toc).toContain('…');
    expect(toc.length).toBeLessThan(3000);
    expect(stampedNumber(file, 1 + tocPages + 2)).toEqual({ side: 'left', value: '2' });
    // the item's row shows its 页号 (2: after the 提交表), and the page really carries that number
    expect(toc).toMatch(/20231001\s+2\s*$/m);
  });
});

/** GBK bytes of a string, made by iconv (a real encoder, not ours). */
function iconv(s: string): Buffer {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: s });
}
