// However a run ends — Ctrl-C, kill, kill -9, an error — nothing of it is left behind; and every
// problem reads as what to do, never as an internal error (contract §2, §5).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { bindHere, CLI, LO_DOCX, LO_PDF, LO_XLSX, manualYaml, pageText, project, run, stampedNumber, tempDir, testCache, tool, twoVolumes, uniqueZip, ONE_OWNED } from './helpers.js';

const ONE = manualYaml(ONE_OWNED);

describe('§5 no leftovers: temporary files, child processes, locks', () => {
  /** Two office files no cache has seen: LibreOffice runs (a conversion from the cache would leave nothing to interrupt). */
  const officeProject = () => {
    const p = project(ONE);
    uniqueZip(p.copy(LO_DOCX, 'A1.1/2023-10-01 计划.docx'));
    uniqueZip(p.copy(LO_XLSX, 'A1.1/2023-10-02 记录表.xlsx'));
    return p;
  };
  const sofficeOf = (tmp: string) => spawnSync('pgrep', ['-f', `UserInstallation=file://${tmp}`], { encoding: 'utf8' }).stdout.trim();

  /** Start a build, wait until LibreOffice runs, send `signal`; returns what is left after `settle` ms. */
  const interrupt = async (signal: NodeJS.Signals, settle: number) => {
    const p = officeProject();
    const tmp = tempDir('tmp-');
    const child = spawn(process.execPath, [CLI, 'build', p.dir, '--date', '2024-05-20'], { env: { ...process.env, TMPDIR: tmp, XDG_CACHE_HOME: testCache() }, stdio: 'ignore' });
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
    // (without LibreOffice: the office files get notice pages; what matters here is the lock)
    const r = await run(['build', left.p.dir, '--format', 'pdf', '--date', '2024-05-20'], { env: { TMPDIR: left.tmpDir, CHUANGCHENG_SOFFICE: 'none' } });
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

describe('§2/§4 LibreOffice and races with the evidence: one bad file costs only itself', () => {
  it('office files that vanish or become a FIFO after check get a notice page each; the build finishes', async () => {
    const p = twoVolumes();
    const xlsx = p.copy(LO_XLSX, 'A2.1/2023-10-03 记录表.xlsx');
    const docx = path.join(p.evidence, 'A2.1', '2023-10-02 计划.docx');
    // in this process, so that it happens for sure between check and LibreOffice (which runs once, before any volume)
    const { report } = await bindHere(p.dir, {
      onProgress: (e) => {
        if (e.type !== 'start') return;
        rmSync(docx);
        rmSync(xlsx);
        execFileSync('mkfifo', [xlsx]);
      },
    });
    const failed = report.warnings.filter((w) => w.code === 'bind-failed');
    expect(failed.map((w) => w.path)).toEqual(['A2.1/2023-10-02 计划.docx', 'A2.1/2023-10-03 记录表.xlsx']);
    expect(failed[0]!.detail).toContain('路径不存在');
    expect(failed[1]!.detail).toContain('命名管道');
    // the rest of the volume is bound, with a notice page in each one's place
    const text = tool('pdftotext', [path.join(p.dir, 'out', 'A2 制度建设.pdf'), '-']);
    expect(text).toContain('计划');
    expect(text).toContain('记录表');
    expect(tool('pdftotext', [path.join(p.dir, 'out', 'A1 组织领导.pdf'), '-'])).toContain('第一版');
  });

  it('a file swapped for a link to outside the evidence folder while the build runs is not read', async () => {
    const p = twoVolumes();
    const secret = path.join(tempDir('secret-'), '密码.txt');
    writeFileSync(secret, '别人的秘密：不应出现在案卷里');
    const text = p.write('A2.1/2023-10-03 记录.txt', '正常的记录');
    // a link that stays inside is still bound
    symlinkSync(path.join('..', 'A1.1', '2023-10-01 记录.txt'), path.join(p.evidence, 'A2.1', '2023-10-04 链接.txt'));
    // in this process, so that the swap lands for sure after check, between A1's volume and A2's
    const { report } = await bindHere(p.dir, {
      onProgress: (e) => {
        if (e.type !== 'written' || !e.files[0]!.startsWith('A1 ')) return;
        rmSync(text);
        symlinkSync(secret, text);
      },
    });
    const volume = tool('pdftotext', [path.join(p.dir, 'out', 'A2 制度建设.pdf'), '-']);
    expect(volume).not.toContain('别人的秘密');
    expect(volume).toContain('第一版');
    const failed = report.warnings.filter((w) => w.code === 'bind-failed');
    expect(failed.map((w) => w.path)).toEqual(['A2.1/2023-10-03 记录.txt']);
    expect(failed[0]!.detail).toContain('证据文件夹之外');
  });

  it('an office file LibreOffice never finishes (a zip bomb named .docx) fails alone; the files before and after it are still converted', async () => {
    const p = project(ONE);
    // 100 MB of text in one paragraph of a real .docx, deflated to about 100 KB, by python's zipfile
    // (LibreOffice works on it for minutes)
    const bomb = path.join(p.evidence, 'A1.1', '2023-10-02 炸弹.docx');
    mkdirSync(path.dirname(bomb), { recursive: true });
    const py = [
      'import sys, zipfile',
      'src = zipfile.ZipFile(sys.argv[1]); out = zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED)',
      'for item in src.infolist():',
      '    data = src.read(item.filename)',
      '    if item.filename != "word/document.xml": out.writestr(item, data); continue',
      '    i = data.index(b"<w:body>") + 8',
      '    with out.open(item.filename, "w", force_zip64=True) as f:',
      '        f.write(data[:i] + b"<w:p><w:r><w:t>")',
      '        for _ in range(100): f.write(b"A" * (1 << 20))',
      '        f.write(b"</w:t></w:r></w:p>" + data[i:])',
      'out.close()',
    ].join('\n');
    execFileSync('python3', ['-c', py, LO_DOCX, bomb]);
    // (content no cache has seen: LibreOffice really converts the plan and the table)
    uniqueZip(p.copy(LO_DOCX, 'A1.1/2023-10-01 计划.docx'));
    uniqueZip(p.copy(LO_XLSX, 'A1.1/2023-10-03 记录表.xlsx'));
    // LibreOffice converts in date order: the plan, then the bomb, on which it stalls. It gets 8 s
    // per file instead of 120 s (plus its own start before the first file, which on a loaded
    // machine takes longer than 8 s): the run is stopped 8 s after the plan is done, and the
    // table, never tried, goes to a second run
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20'], { env: { CHUANGCHENG_SOFFICE_TIMEOUT: '8' }, timeout: 170_000 });
    expect(r.timedOut).toBeUndefined();
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    const failed = rep.warnings.filter((w) => w.code === 'not-converted');
    expect(failed.map((w) => w.path)).toEqual(['A1.1/2023-10-02 炸弹.docx']);
    expect(failed[0]!.detail).toContain('8 秒仍未转换完，已停止');
    const text = tool('pdftotext', [path.join(p.dir, 'out', 'A1 组织领导.pdf'), '-']);
    expect(text).toContain('学年创城工作计划');
    // a cell of the 志愿服务记录表 (printed without the sheet's name as header, unlike LibreOffice's default)
    expect(text).toContain('社区环境清洁');
  }, 180_000);

  it('a .docx LibreOffice cannot load is said to be so, not LibreOffice’s complaint about Java', async () => {
    const p = project(ONE);
    // a Word package whose content types name a main document that is not in it, made by python's zipfile
    const docx = path.join(p.evidence, 'A1.1', '2023-10-01 空壳.docx');
    mkdirSync(path.dirname(docx), { recursive: true });
    const types = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
    execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.writestr("[Content_Types].xml", sys.argv[2]); z.writestr("hello.txt", "x"); z.close()', docx, types]);
    const { report } = await bindHere(p.dir);
    const w = report.warnings.find((x) => x.code === 'not-converted')!;
    expect(w.path).toBe('A1.1/2023-10-01 空壳.docx');
    // (in Chinese: LibreOffice's own English never reaches the report)
    expect(w.params).toEqual({ cause: 'conversion-failed', message: 'LibreOffice 打不开此文件' });
    expect(w.detail).not.toMatch(/javaldx|Java/);
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

  it('a manual nested thousands of levels deep is a manual error (exit 2, line given), not an internal error', async () => {
    const p = project(ONE);
    let deep = '';
    for (let i = 1; i <= 2000; i++) deep += `${' '.repeat(i)}a:\n`;
    // a key after the deep block: closing all its levels at once is what overflows the parser's stack
    writeFileSync(path.join(p.dir, 'manual.yaml'), `title: 测试档案\nx:\n${deep}${ONE.slice(ONE.indexOf('\n') + 1)}`);
    const r = await run(['check', p.dir], { timeout: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/manual\.yaml:\d+:\d+ YAML 格式错误/);
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
    // (no cache: page images of this PDF drawn by an earlier build would leave poppler nothing to do)
    const r = await run(['build', p.dir, '--format', 'docx', '--date', '2024-05-20', '--no-cache'], { env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    const w = rep.warnings.find((x) => x.code === 'not-converted')!;
    // (poppler's own English stays out of the report; the temporary folder has room, so it is this PDF)
    expect(w.params).toEqual({ cause: 'page-render-failed', pages: 1, message: 'pdftoppm 退出码 1' });
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
