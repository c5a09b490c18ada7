// LibreOffice runs (convert/office.ts), with a stand-in for soffice that behaves as LibreOffice does:
// it converts its inputs one after another, in order, writing each output under a temporary name and
// renaming it when done; it gives up on a file it cannot load (and says so on stderr), and it can be
// stuck on one for good. An input's content says what the stand-in does with it.
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertOffice } from '../../src/convert/office.js';
import { Workspace } from '../../src/util/workspace.js';
import { sofficeStandIn, tempDir } from '../helpers.js';

const STAND_IN = `  if grep -q STUCK "$f"; then sleep 600; fi
  if grep -q SLOW "$f"; then sleep 0.7; fi
  if grep -q BROKEN "$f"; then echo "Error: source file could not be loaded" >&2; continue; fi
  printf '%%PDF-1.4 %s' "$(cat "$f")" > "$out/lu$$.tmp"; mv "$out/lu$$.tmp" "$out/\${b%.*}.$fmt"`;

/** Office files with these contents through convertOffice, 1 s allowed per file: what each became, and the runs' input counts. */
async function convert(contents: string[]): Promise<{ results: string[]; runs: number[]; bin: string }> {
  const lo = sofficeStandIn(STAND_IN);
  const dir = tempDir('cc-office-');
  const files = contents.map((c, i) => {
    const abs = path.join(dir, `${i + 1}.docx`);
    writeFileSync(abs, c);
    return { abs, ext: 'docx', label: `A1.1/${i + 1}.docx` };
  });
  const ws = Workspace.create(tempDir('cc-office-tmp-'));
  try {
    const converted = await convertOffice(files, ws, { soffice: lo.bin, timeout: 1 });
    const results = converted.map((r) => (r.ok ? Buffer.from(r.pdf).toString('utf8') : 'params' in r && 'message' in r.params ? r.params.message! : 'other'));
    return { results, runs: lo.runs(), bin: lo.bin };
  } finally {
    ws.disposeSync();
  }
}

const GAVE_UP = 'Error: source file could not be loaded';

describe('LibreOffice: one run for every office file; a file it is stuck on costs only itself', () => {
  it('the stuck file fails with the time-out, one given up keeps what LibreOffice said, and the files after the stuck one go to one more run', async () => {
    const { results, runs, bin } = await convert(['第一份', 'BROKEN', 'STUCK', '第四份', '第五份']);
    expect(results).toEqual(['%PDF-1.4 第一份', GAVE_UP, '超过 1 秒仍未转换完，已停止', '%PDF-1.4 第四份', '%PDF-1.4 第五份']);
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
    expect(results).toEqual(['%PDF-1.4 第一份', '超过 1 秒仍未转换完，已停止']);
    expect(runs).toEqual([2]);
  });
});
