// Commands started through the helper process (util/spawner.ts): standard input from a file of any
// name, the exit code and standard error back, a command that is not installed said as such, and
// the helper and its children ending with the workspace.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spawner } from '../../src/util/spawner.js';
import { Workspace } from '../../src/util/workspace.js';
import { tempDir } from '../helpers.js';

describe('the spawner', () => {
  it('feeds the file to standard input and gives back the exit code and standard error, for names that are not UTF-8 too', async () => {
    const dir = tempDir('cc-spawn-');
    const plain = path.join(dir, '通知 (1).txt');
    writeFileSync(plain, 'hello\n');
    // a GBK name: only its bytes name it
    const gbk = Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0xcd, 0xa8, 0xd6, 0xaa]), Buffer.from('.txt')]);
    writeFileSync(gbk, 'gbk\n');
    const out = path.join(dir, 'out');
    const ws = Workspace.create(tempDir('cc-spawn-tmp-'), process.env);
    try {
      const s = new Spawner(ws);
      const script = `cat > "${out}-$1"; echo "said on stderr" >&2; exit 3`;
      const [a, b] = await Promise.all([s.run('sh', ['-c', script, 'sh', 'a'], plain), s.run('sh', ['-c', script, 'sh', 'b'], gbk)]);
      expect(a).toEqual({ code: 3, stderr: 'said on stderr\n' });
      expect(b).toEqual({ code: 3, stderr: 'said on stderr\n' });
      const { readFileSync } = await import('node:fs');
      expect([readFileSync(`${out}-a`, 'utf8'), readFileSync(`${out}-b`, 'utf8')]).toEqual(['hello\n', 'gbk\n']);
      // a command that is not there: said as such, and the helper goes on
      expect(await s.run('no-such-command-here', [], plain)).toMatchObject({ code: null, error: 'ENOENT' });
      expect(await s.run('true', [], plain)).toEqual({ code: 0, stderr: '' });
      // an input file that is gone: the command sees an empty standard input
      expect(await s.run('sh', ['-c', 'test -z "$(cat)"'], path.join(dir, 'gone'))).toEqual({ code: 0, stderr: '' });
      s.close();
    } finally {
      ws.disposeSync();
    }
  });

  it('ends with the workspace: a command under way is stopped and its run says so', async () => {
    const dir = tempDir('cc-spawn-');
    const input = path.join(dir, 'in');
    writeFileSync(input, '');
    const ws = Workspace.create(tempDir('cc-spawn-tmp-'), process.env);
    const s = new Spawner(ws);
    const pidFile = path.join(dir, 'pid');
    const started = Date.now();
    const running = s.run('sh', ['-c', `echo $$ > "${pidFile}"; sleep 30`], input);
    const { existsSync, readFileSync } = await import('node:fs');
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') await new Promise((r) => setTimeout(r, 20));
    ws.disposeSync();
    const r = await running;
    expect(r.code).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    // (once reaped: a killed child may stand as a zombie for a moment)
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return !/State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive()).toBe(false);
  });
});
