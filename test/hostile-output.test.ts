// Nothing harmed: outputs stay in their folder, never replace or remove a file we did not write,
// never collide, never carry the evidence's scripts (contract §5, §7). Fixtures made by real tools.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../src/build/index.js';
import { ChuangchengError } from '../src/errors.js';
import { bindHere, CLI, jpeg, LO_DOCX, LO_PDF, manualYaml, project, run, snapshot, tempDir, testCache, tool, twoVolumes, ONE_OWNED } from './helpers.js';

const ONE = manualYaml(ONE_OWNED);
const canMount = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o ro none /mnt'], { encoding: 'utf8' }).status === 0;

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

  it('check --output naming the manual (directly, by a link, through ..) is refused: the manual stays', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const manual = path.join(p.dir, 'manual.yaml');
    symlinkSync(manual, path.join(p.dir, '手册链接.yaml'));
    for (const output of [manual, path.join(p.dir, '手册链接.yaml'), path.join(p.dir, 'x', '..', 'manual.yaml')]) {
      const r = await run(['check', p.dir, '--output', output, '--format', 'json']);
      expect([output, r.code]).toEqual([output, 2]);
      expect(r.stderr).toContain('就是测评手册');
    }
    expect(readFileSync(manual, 'utf8')).toBe(ONE);
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

  it('a rebuild stopped half-way (Ctrl-C) leaves outputs the next build still knows as its own', async () => {
    const p = twoVolumes();
    // some 80 pages to typeset and draw in A2 (LibreOffice ran before A1): a second or two for Ctrl-C once A1's volume is written
    p.write('A2.1/2023-10-03 长文.txt', Array.from({ length: 3000 }, (_, i) => `创建全国文明城市工作记录，第${i}段，内容较长以便占满一行文字。`).join('\n'));
    // (PDF only: the outputs' bookkeeping is what is tested, whatever their format)
    expect((await run(['build', p.dir, '--date', '2024-05-20', '--format', 'pdf'])).code).toBe(0);
    p.write('A1.1/2023-10-01 记录.txt', '第二版：证据改了，卷也跟着变');
    // A2 changes too: an unchanged volume would be kept at once, leaving nothing to interrupt
    p.write('A2.1/2023-10-03 长文.txt', Array.from({ length: 3000 }, (_, i) => `创建全国文明城市工作记录（第二版），第${i}段，内容较长以便占满一行。`).join('\n'));
    const stopped = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'build', p.dir, '--date', '2024-05-20', '--format', 'pdf'], {
        env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: testCache() },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        if (!stderr.includes('✔ A1') && (stderr += d.toString()).includes('✔ A1')) child.kill('SIGINT');
      });
      const guard = setTimeout(() => child.kill('SIGKILL'), 100_000); // a hang fails the test, and ends
      child.on('exit', (code, sig) => {
        clearTimeout(guard);
        resolve({ code: code ?? (sig ? -1 : null), stderr });
      });
    });
    expect(stopped.stderr).toContain('✔ A1');
    expect(stopped.stderr).not.toContain('✔ A2');
    expect(stopped.code).toBe(130);
    const out = path.join(p.dir, 'out');
    // the new A1 volume is on disk, and the manifest already says so
    expect(tool('pdftotext', [path.join(out, 'A1 组织领导.pdf'), '-'])).toContain('第二版');
    const sums = spawnSync('sha256sum', ['-c', '--strict', 'manifest-sha256.txt'], { cwd: out, encoding: 'utf8' });
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    expect(existsSync(path.join(out, '.chuangcheng.lock'))).toBe(false);
    const again = await run(['build', p.dir, '--date', '2024-05-20', '--format', 'pdf']);
    expect(again.stderr).not.toContain('修改过');
    expect(again.code).toBe(0);
    expect(tool('pdftotext', [path.join(out, 'A1 组织领导.pdf'), '-'])).toContain('第二版');
  }, 180_000);

  it('an output saved over while the build runs (a DOCX edited in Word) is not overwritten', async () => {
    const p = twoVolumes();
    // no cache: A2's volume must be made again (an unchanged volume would be kept, never written)
    await bindHere(p.dir, { formats: ['pdf', 'docx'], cache: null });
    const docx = path.join(p.dir, 'out', 'A2 制度建设.docx');
    // in this process, so that the save lands for sure between A1's volume and A2's
    const saveOver = (e: BuildEvent) => {
      if (e.type === 'written' && e.files[0]!.startsWith('A1 ')) writeFileSync(docx, '用户在 Word 里改过的内容');
    };
    const err = await bindHere(p.dir, { formats: ['pdf', 'docx'], cache: null, onProgress: saveOver }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(ChuangchengError); // the CLI's exit 2
    expect((err as ChuangchengError).code).toBe('output-changed-midway');
    expect(err!.message).toMatch(/A2 制度建设\.docx（上次装订后被修改过）/);
    expect(err!.message).toContain('本次装订开始后被改动');
    expect(readFileSync(docx, 'utf8')).toBe('用户在 Word 里改过的内容');
    expect(existsSync(path.join(p.dir, 'out', '.chuangcheng.lock'))).toBe(false);
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
    await bindHere(p.dir);
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
    await bindHere(p.dir);
    const out = path.join(p.dir, 'out', 'A1 组织领导.pdf');
    // qpdf's own view of every object in the volume
    const objects = JSON.stringify(JSON.parse(tool('qpdf', ['--json=2', '--json-key=qpdf', out])));
    for (const bad of ['/JS', '/JavaScript', '/AA', '/OpenAction', '/Launch', '/Link']) expect([bad, objects.includes(`"${bad}"`)]).toEqual([bad, false]);
    expect(tool('pdftotext', [out, '-'])).toContain('为深入推进全国文明城市创建工作');
    // the visible note survives, without its action
    expect(objects).toContain('"/Text"');
  });
});

describe('§2/§5 a full or read-only disk, a closed standard output: said, exit 2, nothing left to block the next build', () => {
  it.skipIf(!canMount)('a temporary folder that is read-only or full is named as such (exit 2), not an internal error', () => {
    const p = project(ONE);
    p.copy(LO_DOCX, 'A1.1/2023-10-01 计划.docx');
    const tmp = tempDir('tmp-');
    const build = `"${process.execPath}" "${CLI}" build "${p.dir}" --format pdf,docx --date 2024-05-20`;
    const cases: [string, RegExp][] = [
      [`mount -t tmpfs -o ro none "${tmp}"`, /临时文件夹.*只读/],
      // room for the folders, none for the copy of the document LibreOffice would read
      [`mount -t tmpfs -o size=8k none "${tmp}" && dd if=/dev/zero of="${tmp}/fill" bs=1k count=8 2>/dev/null`, /临时文件夹.*磁盘空间已满/],
    ];
    for (const [mount, message] of cases) {
      const r = spawnSync('unshare', ['-rm', 'sh', '-c', `${mount} && TMPDIR="${tmp}" XDG_CACHE_HOME="${testCache()}" ${build}`], { encoding: 'utf8' });
      expect([mount, r.status]).toEqual([mount, 2]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('内部');
      expect(existsSync(path.join(p.dir, 'out', '.chuangcheng.lock'))).toBe(false);
    }
  });

  it.skipIf(!canMount)('the temporary folder filling while photos are prepared ahead: exit 2, and nothing made again after it was removed', async () => {
    // photos of noise (large once prepared), several under way at once when the folder fills
    const p = project(ONE);
    for (let i = 1; i <= 6; i++) {
      const noisy = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg({ quality: 90 }).toBuffer();
      p.write(`A1.1/2023-10-${String(i).padStart(2, '0')} 活动${i}.jpg`, noisy);
    }
    const tmp = tempDir('tmp-');
    const build = `"${process.execPath}" "${CLI}" build "${p.dir}" --format pdf --no-cache --jobs 4 --date 2024-05-20`;
    // (listed a moment after the build: a preparation finishing late would show as a folder again)
    const script = `mount -t tmpfs -o size=2m none "${tmp}" && TMPDIR="${tmp}" ${build}; echo "status=$?"; sleep 1; ls -A "${tmp}"; echo listed`;
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8' });
    expect(r.stdout).toContain('status=2');
    expect(r.stderr).toMatch(/临时文件夹.*磁盘空间已满/);
    expect(r.stderr).not.toContain('内部');
    expect(r.stdout.split('status=2\n')[1]).toBe('listed\n');
  });

  it.skipIf(!canMount)('an output folder on a full disk: exit 2 saying so, and no empty lock that would keep the next build out', () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const disk = tempDir('full-');
    const build = `XDG_CACHE_HOME="${testCache()}" "${process.execPath}" "${CLI}" build "${p.dir}" --out "${disk}/out" --format pdf --date 2024-05-20`;
    const script = [
      `mount -t tmpfs -o size=8k none "${disk}"`,
      `dd if=/dev/zero of="${disk}/fill" bs=1k count=8 2>/dev/null`,
      `${build}; echo "first=$?"`,
      `ls -A "${disk}/out"; echo listed`,
      `mount -o remount,size=4m "${disk}"`,
      `${build} >/dev/null; echo "second=$?"`,
      `ls -A "${disk}/out"`,
    ].join('\n');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8' });
    expect(r.stdout).toContain('first=2');
    expect(r.stderr).toContain('磁盘空间已满');
    expect(r.stderr).not.toContain('内部');
    const [first, second] = r.stdout.split('listed\n');
    expect(first).not.toContain('.chuangcheng.lock');
    expect(second).toContain('second=0');
    expect(second).toContain('A1 组织领导.pdf');
  });

  it('a report that cannot go to standard output (a full disk, a closed pipe): a message, never a stack trace', () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 记录.txt', '记录');
    const env = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: testCache() };
    const full = openSync('/dev/full', 'w');
    const r = spawnSync(process.execPath, [CLI, 'check', p.dir, '--format', 'json'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env });
    closeSync(full);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('无法写出报告（磁盘空间已满）');
    expect(r.stderr).not.toMatch(/ENOSPC|throw|内部/);
    // `| true` has gone before the report is written: nothing to say about it, and check ends as it would
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" check "${p.dir}" --format json | true; echo "status=\${PIPESTATUS[0]}"`], { encoding: 'utf8', env });
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toBe('status=0\n');
  });
});
