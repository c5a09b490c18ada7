// Commands started by a small helper process instead of by this one. Starting a child copies the
// parent's page tables (fork): from a build holding 400–500 MB that takes ≈ 16 ms, during which
// libvips's threads that need memory wait too; from the helper (a bare Node, ≈ 40 MB) ≈ 1 ms. A
// build draws each evidence document's pages with a pdftoppm of its own: hundreds of starts.
//
// The helper (util/spawn-helper.ts, a program of its own) is started on first use, in the
// workspace's process group (so it and its children end with the workspace), and reads one request
// per line: the command, its arguments, and the file its standard input is read from (any name: a
// path that is not UTF-8 goes as its bytes).
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SpawnAnswer, SpawnRequest } from './spawn-helper.js';
import type { Workspace } from './workspace.js';

export interface Ran {
  /** the exit code; null when the command did not run (see `error`) or was killed */
  code: number | null;
  /** what it wrote on standard error (the first 64 KB) */
  stderr: string;
  /** why it could not be started: the error's code (ENOENT: not installed) */
  error?: string;
}

/** The helper program (util/spawn-helper.ts), compiled beside this module. */
const HELPER = fileURLToPath(new URL('./spawn-helper.js', import.meta.url));

export class Spawner {
  private child: ChildProcess | undefined;
  private next = 1;
  private pending = new Map<number, (r: Ran) => void>();

  constructor(private readonly ws: Workspace) {}

  /** Run `cmd args` with standard input read from `stdinFile`; resolves when it has ended. */
  run(cmd: string, args: string[], stdinFile: string | Buffer): Promise<Ran> {
    const child = this.child ?? this.start();
    const id = this.next++;
    const request: SpawnRequest = { id, cmd, args, ...(typeof stdinFile === 'string' ? { s: stdinFile } : { b: stdinFile.toString('base64') }) };
    return new Promise<Ran>((resolve) => {
      this.pending.set(id, resolve);
      child.stdin!.write(`${JSON.stringify(request)}\n`);
    });
  }

  private start(): ChildProcess {
    const child = this.ws.spawn(process.execPath, [HELPER], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let r: SpawnAnswer;
      try {
        r = JSON.parse(line) as SpawnAnswer;
      } catch {
        return; // not an answer of ours (nothing else writes there)
      }
      const done = this.pending.get(r.id);
      this.pending.delete(r.id);
      done?.({ code: r.code, stderr: r.stderr, ...(r.error !== undefined ? { error: r.error } : {}) });
    });
    const gone = (why: string) => {
      if (this.child === child) this.child = undefined;
      for (const done of this.pending.values()) done({ code: null, stderr: '', error: why });
      this.pending.clear();
    };
    child.on('error', (e) => gone((e as NodeJS.ErrnoException).code ?? String(e)));
    child.on('close', () => gone('helper-gone'));
    child.stdin!.on('error', () => {});
    return child;
  }

  /** Let the helper end once its commands have (it ends with the workspace in any case). */
  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }
}
