// LibreOffice runs (convert/office.ts), with a stand-in for soffice that behaves as LibreOffice does:
// it converts its inputs one after another, in order, writing each output under a temporary name and
// renaming it when done; it gives up on a file it cannot load (and says so on stderr), and it can be
// stuck on one for good.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { convertOffice } from '../../src/convert/office.js';
import { Workspace } from '../../src/util/workspace.js';
import { tempDir } from '../helpers.js';

function standIn(): { bin: string; runs: () => number[] } {
  const dir = tempDir('cc-lo-stand-in-');
  const log = path.join(dir, 'runs.log');
  const bin = path.join(dir, 'soffice');
  writeFileSync(
    bin,
    `#!/bin/bash
if [ "$1" = "--version" ]; then echo "LibreOffice 9.9.9.9 (test stand-in)"; exit 0; fi
out=""; fmt=""; inputs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) out="$2"; shift 2;;
    --convert-to) fmt="$2"; shift 2;;
    -*) shift;;
    *) inputs+=("$1"); shift;;
  esac
done
echo "\${#inputs[@]}" >> '${log}'
for f in "\${inputs[@]}"; do
  b=$(basename "$f")
  if grep -q STUCK "$f"; then sleep 600; fi
  if grep -q SLOW "$f"; then sleep 0.7; fi
  if grep -q BROKEN "$f"; then echo "Error: source file could not be loaded" >&2; continue; fi
  printf '%%PDF-1.4 %s' "$(cat "$f")" > "$out/lu$$.tmp"; mv "$out/lu$$.tmp" "$out/\${b%.*}.$fmt"
done
`,
  );
  chmodSync(bin, 0o755);
  return { bin, runs: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number) : []) };
}

describe('LibreOffice: one run for every office file; a file it is stuck on costs only itself', () => {
  it('the stuck file fails with the time-out, one given up keeps what LibreOffice said, and the files after the stuck one go to one more run', async () => {
    const lo = standIn();
    const dir = tempDir('cc-office-');
    const contents = ['第一份', 'BROKEN', 'STUCK', '第四份', '第五份'];
    const files = contents.map((c, i) => {
      const abs = path.join(dir, `${i + 1}.docx`);
      writeFileSync(abs, c);
      return { abs, ext: 'docx', label: `A1.1/${i + 1}.docx` };
    });
    const ws = Workspace.create(tempDir('cc-office-tmp-'));
    try {
      const results = await convertOffice(files, ws, { soffice: lo.bin, timeout: 1 });
      expect(results.map((r) => (r.ok ? Buffer.from(r.pdf).toString('utf8') : 'params' in r ? r.params : r.unreadable))).toEqual([
        '%PDF-1.4 第一份',
        { cause: 'conversion-failed', message: 'Error: source file could not be loaded' },
        { cause: 'conversion-failed', message: '超过 1 秒仍未转换完，已停止' },
        '%PDF-1.4 第四份',
        '%PDF-1.4 第五份',
      ]);
      // one run for all five, stopped on the third; one more for the two after it
      expect(lo.runs()).toEqual([5, 2]);
      // the stopped run's processes are gone with it
      expect(spawnSync('pgrep', ['-f', lo.bin], { encoding: 'utf8' }).stdout.trim()).toBe('');
    } finally {
      ws.disposeSync();
    }
  });

  it('files it gives up on slowly, one after another, are progress: the run is not stopped for them', async () => {
    const lo = standIn();
    const dir = tempDir('cc-office-');
    // 0.7 s each, 2.1 s in all, with 1 s allowed per file
    const files = ['SLOW BROKEN', 'SLOW BROKEN', 'SLOW BROKEN', '第四份'].map((c, i) => {
      const abs = path.join(dir, `${i + 1}.docx`);
      writeFileSync(abs, c);
      return { abs, ext: 'docx', label: `A1.1/${i + 1}.docx` };
    });
    const ws = Workspace.create(tempDir('cc-office-tmp-'));
    try {
      const results = await convertOffice(files, ws, { soffice: lo.bin, timeout: 1 });
      expect(results.map((r) => (r.ok ? 'ok' : 'params' in r && 'message' in r.params ? r.params.message : 'other'))).toEqual([
        'Error: source file could not be loaded',
        'Error: source file could not be loaded',
        'Error: source file could not be loaded',
        'ok',
      ]);
      expect(lo.runs()).toEqual([4]);
    } finally {
      ws.disposeSync();
    }
  });

  it('a file stuck last: the files before it are kept, and no other run is started', async () => {
    const lo = standIn();
    const dir = tempDir('cc-office-');
    const files = ['第一份', 'STUCK'].map((c, i) => {
      const abs = path.join(dir, `${i + 1}.docx`);
      writeFileSync(abs, c);
      return { abs, ext: 'docx', label: `A1.1/${i + 1}.docx` };
    });
    const ws = Workspace.create(tempDir('cc-office-tmp-'));
    try {
      const results = await convertOffice(files, ws, { soffice: lo.bin, timeout: 1 });
      expect(results.map((r) => r.ok)).toEqual([true, false]);
      expect(lo.runs()).toEqual([2]);
    } finally {
      ws.disposeSync();
    }
  });
});
