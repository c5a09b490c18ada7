// LibreOffice runs (convert/office.ts), with a stand-in for soffice that behaves as LibreOffice does:
// it converts its inputs one after another, in order, writing each output under a temporary name and
// renaming it when done; it gives up on a file it cannot load (and says so on stderr), and it can be
// stuck on one for good. An input's content says what the stand-in does with it.
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertOffice } from '../../src/convert/office.js';
import { ChuangchengError } from '../../src/errors.js';
import { Workspace } from '../../src/util/workspace.js';
import { sofficeStandIn, tempDir } from '../helpers.js';

const STAND_IN = `  if grep -q STUCK "$f"; then sleep 600; fi
  if grep -q SLOW "$f"; then sleep 0.7; fi
  if grep -q BROKEN "$f"; then echo "Error: source file could not be loaded" >&2; continue; fi
  if grep -q CRASH "$f"; then kill -SEGV $$; fi
  if grep -q FATAL "$f"; then echo "LibreOffice 7.4 - Fatal Error: The application cannot be started." >&2; exit 1; fi
  if grep -q HOG "$f"; then /usr/bin/python3 -c 'import time; b = b"\x01" * (400 * 1024 * 1024); time.sleep(120)'; fi
  if grep -q NOSPACE "$f"; then echo "Error: Please verify input parameters... (SfxBaseModel::impl_store <file://$out/\${b%.*}.pdf> failed: 0xc10(Error Area:Io Class:Write Code:16) at ./sfx2/source/doc/sfxbasemodel.cxx:3207)" >&2; continue; fi
  printf '%%PDF-1.4 %s' "$(cat "$f")" > "$out/lu$$.tmp"; mv "$out/lu$$.tmp" "$out/\${b%.*}.$fmt"`;

/**
 * Office files with these contents through convertOffice, 1 s allowed per file (and `memoryMB`):
 * what each became (the PDF's text, else the failure's message, else its cause), and the runs' input counts.
 */
async function convert(contents: string[], memoryMB: number | null = null, timeout = 1): Promise<{ results: string[]; runs: number[]; bin: string }> {
  const lo = sofficeStandIn(STAND_IN);
  const dir = tempDir('cc-office-');
  const files = contents.map((c, i) => {
    const abs = path.join(dir, `${i + 1}.docx`);
    writeFileSync(abs, c);
    return { abs, ext: 'docx', label: `A1.1/${i + 1}.docx` };
  });
  const ws = Workspace.create(tempDir('cc-office-tmp-'), process.env);
  try {
    const converted = await convertOffice(files, ws, { soffice: lo.bin, timeout, memoryMB, startup: 0 });
    const results = converted.map((r) =>
      r.ok ? Buffer.from(r.pdf).toString('utf8') : 'params' in r ? ('message' in r.params ? `${r.params.cause}: ${r.params.message!}` : JSON.stringify(r.params)) : 'other',
    );
    return { results, runs: lo.runs(), bin: lo.bin };
  } finally {
    ws.disposeSync();
  }
}

// (LibreOffice's own English never reaches the report: said in Chinese)
const GAVE_UP = 'conversion-failed: LibreOffice 打不开此文件';

describe('LibreOffice: one run for every office file; a file it is stuck on costs only itself', () => {
  it('the stuck file fails with the time-out, one given up keeps what LibreOffice said, and the files after the stuck one go to one more run', async () => {
    const { results, runs, bin } = await convert(['第一份', 'BROKEN', 'STUCK', '第四份', '第五份']);
    expect(results).toEqual(['%PDF-1.4 第一份', GAVE_UP, 'conversion-failed: 超过 1 秒仍未转换完，已停止', '%PDF-1.4 第四份', '%PDF-1.4 第五份']);
    // one run for all five, stopped on the third; one more for the two after it
    expect(runs).toEqual([5, 2]);
    // the stopped run's processes are gone with it
    expect(spawnSync('pgrep', ['-f', bin], { encoding: 'utf8' }).stdout.trim()).toBe('');
  });

  it('files it gives up on slowly, one after another, are progress: the run is not stopped for them', async () => {
    // 0.7 s each, 2.1 s in all, with 1 s allowed per file
    const { results, runs } = await convert(['SLOW BROKEN', 'SLOW BROKEN', 'SLOW BROKEN', '第四份']);
    expect(results).toEqual([GAVE_UP, GAVE_UP, GAVE_UP, '%PDF-1.4 第四份']);
    expect(runs).toEqual([4]);
  });

  it('a file stuck last: the files before it are kept, and no other run is started', async () => {
    const { results, runs } = await convert(['第一份', 'STUCK']);
    expect(results).toEqual(['%PDF-1.4 第一份', 'conversion-failed: 超过 1 秒仍未转换完，已停止']);
    expect(runs).toEqual([2]);
  });
});

describe('LibreOffice that crashes, eats memory, cannot start, or cannot write: the true reason, and the other files still converted', () => {
  it('a crash on one file fails only that file (said as a crash); the files after it go to one more run', async () => {
    const { results, runs } = await convert(['第一份', 'CRASH', '第三份']);
    expect(results).toEqual(['%PDF-1.4 第一份', 'conversion-failed: LibreOffice 转换时异常退出', '%PDF-1.4 第三份']);
    expect(runs).toEqual([3, 1]);
  });

  it.skipIf(process.platform !== 'linux')('LibreOffice holding more memory than the cap is stopped on the file it was converting (memory-limit); the rest is converted', async () => {
    // (the hog fills 400 MB, then sleeps for 120 s; 30 s allowed without progress: only the cap stops it sooner)
    const started = Date.now();
    const { results, runs, bin } = await convert(['第一份', 'HOG', '第三份'], 150, 30);
    expect(results).toEqual(['%PDF-1.4 第一份', JSON.stringify({ cause: 'memory-limit', limitMB: 150 }), '%PDF-1.4 第三份']);
    expect(runs).toEqual([3, 1]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(spawnSync('pgrep', ['-f', bin], { encoding: 'utf8' }).stdout.trim()).toBe('');
  });

  it('a LibreOffice that cannot start fails every file as libreoffice-failed, never as the file being damaged', async () => {
    const { results } = await convert(['FATAL', '第二份']);
    expect(results).toEqual(['libreoffice-failed: LibreOffice 无法启动', 'libreoffice-failed: LibreOffice 无法启动']);
  });

  it('a LibreOffice that cannot store its output (an I/O error in our temporary folder) stops the conversion with the folder named, not the file blamed', async () => {
    const err = await convert(['第一份', 'NOSPACE']).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(ChuangchengError);
    expect((err as ChuangchengError).code).toBe('temp-soffice-store');
    expect(err!.message).toMatch(/LibreOffice 无法把转换结果写进临时文件夹 .*多半是磁盘空间不足/);
    expect(err!.message).toContain('这不是您的文件的问题');
  });
});
