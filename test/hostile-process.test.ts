// However a run ends — Ctrl-C, kill, kill -9, an error — nothing of it is left behind; and every
// problem reads as what to do, never as an internal error (contract §2, §5).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { CLI, EXAMPLE_EVIDENCE, LO_DOCX, LO_PDF, manualYaml, pageText, project, run, stampedNumber, tempDir, tool, ONE_OWNED } from './helpers.js';

const ONE = manualYaml(ONE_OWNED);

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
    // no cache: LibreOffice must run (a conversion from the cache would leave nothing to interrupt)
    const child = spawn(process.execPath, [CLI, 'build', p.dir, '--date', '2024-05-20', '--no-cache'], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
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
