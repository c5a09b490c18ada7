// One temporary folder per run, and the child processes the run starts. Both end with the run,
// however it ends: `dispose()` in the normal course, the exit hooks on errors and signals, and a
// small watcher process (sh) that outlives us only to clean up after a SIGKILL, when no code of
// ours can run: it waits for our process to disappear, kills our children's process groups and
// removes the folder. Children are started in their own process group so that LibreOffice's
// helper processes go with it.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processAlive } from './atomic.js';
import { addExitHook } from './exit-hooks.js';
import { ChuangchengError } from '../errors.js';
import { errnoOf } from './fsx.js';

const PREFIX = 'chuangcheng-run-';

const REAPER = `
p="$1"; d="$2"
while kill -0 "$p" 2>/dev/null; do sleep 1; done
if [ -f "$d/.pgids" ]; then for g in $(cat "$d/.pgids"); do kill -KILL -"$g" 2>/dev/null; done; fi
rm -rf "$d"
`;

/**
 * The temporary folder cannot be made or written (full, read-only, missing): the run cannot go on,
 * and it is never the evidence's fault (exit 2; `isTempError` tells these errors).
 */
export function workspaceError(dir: string, err: unknown): ChuangchengError<'temp-unwritable'> {
  const errno = errnoOf(err);
  return new ChuangchengError('temp-unwritable', { dir, ...(errno ? { errno } : {}) }, { cause: err });
}

/** Below this much free space, a tool that failed to write in the temporary folder is taken to have filled it. */
const LOW_SPACE = 64 * 1024 * 1024;

/** Errors of writing into the temporary folder that are the folder's fault, not the file's. */
export function isWorkspaceFull(err: unknown): boolean {
  return ['ENOSPC', 'EDQUOT', 'EROFS'].includes(errnoOf(err) ?? '');
}

export class Workspace {
  private groups = new Set<number>();
  private unhook: () => void;
  private disposed = false;

  private constructor(
    readonly dir: string,
    /** the environment of the programs the run starts (TMPDIR set to our folder) */
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.unhook = addExitHook(() => this.disposeSync());
  }

  /**
   * A fresh folder under `tempRoot`; leftovers of runs that were killed are removed first. `env`:
   * the environment of the programs the run starts, and the PATH they are found on.
   */
  static create(tempRoot: string, env: NodeJS.ProcessEnv): Workspace {
    sweepLeftovers(tempRoot);
    let dir: string;
    try {
      dir = mkdtempSync(path.join(tempRoot, `${PREFIX}${process.pid}-`));
    } catch (err) {
      throw workspaceError(tempRoot, err);
    }
    const ws = new Workspace(dir, env);
    if (process.platform !== 'win32') {
      try {
        const reaper = spawn('sh', ['-c', REAPER, 'chuangcheng-reaper', String(process.pid), dir], { detached: true, stdio: 'ignore', env });
        reaper.on('error', () => {});
        reaper.unref();
      } catch {
        // no sh: the exit hooks still clean up everything but a SIGKILL
      }
    }
    return ws;
  }

  /** The folder the run's own folder was made in (TMPDIR): what the user knows and can change. */
  get root(): string {
    return path.dirname(this.dir);
  }

  /** A sub-folder, made on first use. */
  sub(name: string): string {
    const p = path.join(this.dir, name);
    try {
      mkdirSync(p, { recursive: true });
    } catch (err) {
      throw workspaceError(this.dir, err);
    }
    return p;
  }

  /**
   * Start a child in its own process group, ended with this workspace. Its temporary files go into
   * the workspace too (TMPDIR), so they are removed with it.
   */
  spawn(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
    const tmp = this.sub('tmp');
    const env = { ...(opts.env ?? this.env), TMPDIR: tmp, TMP: tmp, TEMP: tmp };
    const child = spawn(cmd, args, { ...opts, env, detached: process.platform !== 'win32' });
    if (child.pid !== undefined && process.platform !== 'win32') {
      this.groups.add(child.pid);
      try {
        appendFileSync(path.join(this.dir, '.pgids'), `${child.pid}\n`);
      } catch {
        // the folder is going away: the group is still killed from memory
      }
      child.on('exit', () => this.groups.delete(child.pid!));
    }
    return child;
  }

  /**
   * After a tool we started (LibreOffice, pdftoppm) failed: whether the temporary folder itself is
   * the cause — nearly full (`statfs`), or refusing a small write (full, read-only, over quota).
   * Throws the error that says so (temp-full, temp-read-only); returns when the folder takes writes.
   */
  checkRoom(): void {
    let free: number | undefined;
    try {
      const s = statfsSync(this.dir);
      free = Number(s.bavail) * Number(s.bsize);
    } catch {
      // no statfs here: the probe below decides
    }
    if (free !== undefined && free < LOW_SPACE) {
      const left = free < 1024 * 1024 ? `${Math.floor(free / 1024)} KB` : `${Math.floor(free / 1024 / 1024)} MB`;
      throw new ChuangchengError('temp-full', { dir: this.root, left });
    }
    const probe = path.join(this.dir, `.room-${process.pid}`);
    try {
      writeFileSync(probe, Buffer.alloc(1024 * 1024));
    } catch (err) {
      if (isWorkspaceFull(err)) throw errnoOf(err) === 'EROFS' ? new ChuangchengError('temp-read-only', { dir: this.root }, { cause: err }) : new ChuangchengError('temp-full', { dir: this.root }, { cause: err });
    } finally {
      rmSync(probe, { force: true });
    }
  }

  disposeSync(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unhook();
    for (const g of this.groups) {
      try {
        process.kill(-g, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.groups.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Folders of earlier runs whose process is gone (killed with SIGKILL, or the machine restarted). */
function sweepLeftovers(tempRoot: string): void {
  let names: string[];
  try {
    names = readdirSync(tempRoot);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length).split('-')[0]);
    if (pid === process.pid || processAlive(pid)) continue;
    const p = path.join(tempRoot, name);
    try {
      if (existsSync(p) && statSync(p).isDirectory()) rmSync(p, { recursive: true, force: true });
    } catch {
      // someone else's, or already gone
    }
  }
}
