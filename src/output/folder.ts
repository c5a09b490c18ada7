// The output folder of `build`: the only place we write. Guarded against pointing into the
// evidence folder (real paths, symbolic links resolved), locked against a second build, and
// careful with what is already there: a file is replaced or removed only when our own manifest
// says we wrote it and its bytes are still what we wrote. Everything else is the user's.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, lstatSync, readFileSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeSync, openSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { processAlive, TMP_NAME, writeFileAtomicSync } from '../util/atomic.js';
import { addExitHook } from '../util/exit-hooks.js';
import { ChuangchengError } from '../errors.js';
import { errnoOf, mkdirp } from '../util/fsx.js';
import type { Unreplaceable } from '../wording/errors.js';
import { guardOutput } from './guard.js';
import { sha256 } from '../util/hash.js';
import type { ByteSink } from '../util/sink.js';

export const MANIFEST = 'manifest-sha256.txt';
export const LOCK = '.chuangcheng.lock';
/** The first line of every manifest we write: without it a manifest is not ours to act on. */
export const MANIFEST_MARKER = '# chuangcheng manifest v1 — 本次装订写出的文件，可用 sha256sum -c manifest-sha256.txt 校验';

/** The errno code of a failed file operation, as an error's param. */
function errnoParam(err: unknown): { errno?: string } {
  const errno = errnoOf(err);
  return errno ? { errno } : {};
}

/** Wait `ms` without returning to the event loop (the lock is taken in one synchronous step). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface OutputFolderOptions {
  /** the command writing (named in the lock, and by a second command that finds it): build, merge */
  command: 'build' | 'merge';
  /** the option the folder was given with, for messages (default `--out`) */
  option?: string;
  /** evidence folders: never written, and the output may not lie inside them (see output/guard.ts) */
  evidence?: readonly string[];
  /** more evidence folders, recognised from above the output (merge: from its shards' records) */
  evidenceAt?: (dir: string) => boolean;
}

interface LockInfo {
  pid: number;
  host: string;
  /** the command holding the lock (absent in locks of earlier versions: a build) */
  command?: string;
}

export class OutputFolder {
  /** what our previous manifest recorded: name → sha256 */
  private previous = new Map<string, string>();
  private written = new Map<string, string>();
  private manifestIsOurs = false;
  private states = new Map<string, 'absent' | 'ours' | 'foreign' | 'changed'>();
  private unhook: () => void = () => {};
  private locked = false;
  /** folders this run made to hold the output (outermost first): removed again if nothing was written */
  private made: string[] = [];

  private constructor(
    readonly dir: string,
    private readonly command: 'build' | 'merge',
    private readonly option: string,
  ) {}

  /**
   * The output folder, guarded (output/guard.ts), made when missing and locked. A failure after
   * this (a wrong manual, a missing evidence folder) calls `release()`, which takes away the lock
   * and the folders made here when the run wrote nothing into them.
   */
  static open(dir: string, opts: OutputFolderOptions): OutputFolder {
    const option = opts.option ?? '--out';
    const abs = guardOutput(dir, { option, kind: 'folder', ...(opts.evidence ? { evidence: opts.evidence } : {}), ...(opts.evidenceAt ? { evidenceAt: opts.evidenceAt } : {}) });
    let made: string[];
    try {
      made = mkdirp(abs);
    } catch (err) {
      throw new ChuangchengError('output-folder-not-made', { dir: abs, ...errnoParam(err), option }, { cause: err });
    }
    const out = new OutputFolder(abs, opts.command, option);
    out.made = made;
    try {
      out.lock();
      out.sweepTemporaries();
      out.readManifest();
    } catch (err) {
      out.release();
      throw err;
    }
    return out;
  }

  /**
   * Take the lock: create `.chuangcheng.lock` exclusively. A lock whose process is gone (killed
   * with SIGKILL, the machine restarted) is taken over, and two runs that find the same stale lock
   * must not both take it: only the one that creates `.chuangcheng.lock.<dead pid>.takeover`
   * exclusively may remove it, and only after reading it again (it may already be a new run's
   * lock); the new lock is then created exclusively like any other. One run wins, the others are
   * told another run is writing.
   */
  private lock(): void {
    const file = path.join(this.dir, LOCK);
    const info: LockInfo = { pid: process.pid, host: hostname(), command: this.command };
    const readLock = (): Partial<LockInfo> | undefined => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
      } catch (err) {
        // gone meanwhile; or a lock being written right now, or garbage: judged by its owner below
        return errnoOf(err) === 'ENOENT' ? undefined : {};
      }
    };
    const stale = (other: Partial<LockInfo> | undefined): other is Partial<LockInfo> & { pid: number } =>
      !!other && other.host === info.host && typeof other.pid === 'number' && !processAlive(other.pid);
    const cannotWrite = (err: unknown) => new ChuangchengError('output-folder-unwritable', { dir: this.dir, ...errnoParam(err), option: this.option }, { cause: err });
    for (let attempt = 0; attempt < 20; attempt++) {
      let fd: number;
      try {
        fd = openSync(file, 'wx');
      } catch (err) {
        if (errnoOf(err) !== 'EEXIST') throw cannotWrite(err);
        const other = readLock();
        if (other === undefined) continue; // released meanwhile: try again
        if (stale(other)) {
          this.takeOver(file, other.pid, () => {
            const now = readLock();
            return stale(now) && now.pid === other.pid;
          });
          continue;
        }
        // named by what holds it: a merge is not a build (a lock without a command is an earlier version's build's)
        const who = other.command === 'merge' ? 'merge' : 'build';
        throw new ChuangchengError('output-locked', {
          dir: this.dir,
          command: who,
          ...(typeof other.pid === 'number' ? { pid: other.pid, ...(other.host === info.host ? {} : { host: String(other.host) }) } : {}),
          lock: file,
          option: this.option,
        });
      }
      try {
        writeSync(fd, JSON.stringify(info));
      } catch (err) {
        // a full disk: an empty lock left behind would keep every later build out
        closeSync(fd);
        rmSync(file, { force: true });
        throw new ChuangchengError('output-folder-full', { dir: this.dir, ...errnoParam(err), option: this.option }, { cause: err });
      }
      closeSync(fd);
      this.locked = true;
      this.unhook = addExitHook(() => this.release());
      return;
    }
    throw new ChuangchengError('output-lock-failed', { dir: this.dir });
  }

  /** Remove the lock left by dead process `pid`, if this run is the one to (see `lock`). */
  private takeOver(file: string, pid: number, stillStale: () => boolean): void {
    const guard = `${file}.${pid}.takeover`;
    let fd: number;
    try {
      fd = openSync(guard, 'wx');
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw err;
      // another run is taking it over right now (or one that did died in those microseconds, and the
      // lock is still the dead one's: then the guard is a leftover too, removed for the next attempt)
      let guardAge = 0;
      try {
        guardAge = Date.now() - lstatSync(guard).mtimeMs;
      } catch {
        return;
      }
      if (guardAge > 10_000 && stillStale()) rmSync(guard, { force: true });
      else pause(20); // the other run's takeover takes microseconds: look again after it
      return;
    }
    try {
      closeSync(fd);
      // read again: between our first look and the guard, another run may have taken over already
      if (stillStale()) rmSync(file, { force: true });
    } finally {
      rmSync(guard, { force: true });
    }
  }

  /** Let go of the lock; when this run wrote nothing, the folders it made for the output go too. */
  release(): void {
    if (!this.locked) {
      this.removeMade();
      return;
    }
    this.locked = false;
    this.unhook();
    try {
      unlinkSync(path.join(this.dir, LOCK));
    } catch {
      // already gone
    }
    this.removeMade();
  }

  private removeMade(): void {
    if (this.written.size > 0) return;
    // innermost first, and only while empty (rmdir refuses a folder anything was put in)
    for (const d of [...this.made].reverse()) {
      try {
        rmdirSync(d);
      } catch {
        break;
      }
    }
    this.made = [];
  }

  /** `.NAME.PID.RANDOM.tmp` files of writers that no longer run: a build or check that was killed. */
  private sweepTemporaries(): void {
    for (const name of readdirSync(this.dir)) {
      const m = TMP_NAME.exec(name);
      if (!m || processAlive(Number(m[1]))) continue;
      const p = path.join(this.dir, name);
      if (lstatSync(p).isFile()) rmSync(p, { force: true });
    }
  }

  private readManifest(): void {
    let text: string;
    try {
      const p = path.join(this.dir, MANIFEST);
      if (!lstatSync(p).isFile()) return;
      text = readFileSync(p, 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n');
    if (lines[0] !== MANIFEST_MARKER) return; // not ours: we act on nothing it says
    this.manifestIsOurs = true;
    for (const line of lines.slice(1)) {
      const m = /^([0-9a-f]{64}) {2}([^/\\]+)$/.exec(line);
      if (m && m[2] !== '.' && m[2] !== '..') this.previous.set(m[2]!, m[1]!);
    }
  }

  /** Whether `name` may be written: absent, or a regular file we wrote and nobody changed since. */
  private ours(name: string): 'absent' | 'ours' | 'foreign' | 'changed' {
    let state = this.states.get(name);
    if (state) return state;
    const p = path.join(this.dir, name);
    let st;
    try {
      st = lstatSync(p);
    } catch {
      st = undefined;
    }
    const recorded = this.previous.get(name);
    if (!st) state = 'absent';
    else if (!st.isFile()) state = 'foreign';
    else if (name === MANIFEST) state = this.manifestIsOurs ? 'ours' : 'foreign';
    else if (recorded === undefined) state = 'foreign';
    else state = sha256(readFileSync(p)) === recorded ? 'ours' : 'changed';
    this.states.set(name, state);
    return state;
  }

  /** Refuse, before anything is written, to replace files that are not ours to replace. */
  assertWritable(names: string[], midway = false): void {
    const problems: Unreplaceable[] = [];
    for (const name of names) {
      const state = this.ours(name);
      if (state === 'foreign' || state === 'changed') problems.push({ name, why: state });
    }
    if (problems.length > 0 && midway) throw new ChuangchengError('output-changed-midway', { dir: this.dir, manifest: MANIFEST, files: problems });
    if (problems.length > 0) throw new ChuangchengError('output-would-replace', { dir: this.dir, files: problems });
  }

  /**
   * Write one output whole (temporary file, then rename), remembering the hash of its bytes. The
   * manifest follows each write, so that a build that stops half-way (Ctrl-C, a full disk) leaves
   * a folder whose files the next build still knows as its own.
   */
  async write(name: string, data: Uint8Array | string): Promise<void> {
    this.writeNow(name, data);
  }

  /**
   * The write and the manifest line that follows it happen in one synchronous step: an interruption
   * (Ctrl-C is handled between steps) never finds a file renamed into place that the manifest does
   * not yet know.
   */
  private writeNow(name: string, data: Uint8Array | string): void {
    // What was there may have changed since the build began (a DOCX saved from Word meanwhile):
    // look again, unless this build wrote it.
    if (!this.written.has(name)) this.states.delete(name);
    this.assertWritable([name], this.written.size > 0);
    try {
      writeFileAtomicSync(path.join(this.dir, name), data);
    } catch (err) {
      throw new ChuangchengError('output-file-write-failed', { file: path.join(this.dir, name), ...errnoParam(err) }, { cause: err });
    }
    this.written.set(name, sha256(data));
    this.states.set(name, 'ours');
    if (name !== MANIFEST) this.saveManifest(new Map([...this.previous, ...this.written]));
  }

  /** The manifest listing `entries` (name → sha256 of the bytes we wrote there). */
  private saveManifest(entries: Map<string, string>): void {
    const lines = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([n, h]) => `${h}  ${n}`);
    this.writeNow(MANIFEST, `${MANIFEST_MARKER}\n${lines.join('\n')}\n`);
    this.written.delete(MANIFEST);
    this.manifestIsOurs = true;
  }

  /**
   * Write one output as it is produced: `produce` writes into a sink (a temporary file); the file
   * gets its name only when `produce` finishes, if what is there is still ours to replace. The hash
   * is of the bytes written; the manifest follows, as after `write`.
   */
  async writeWith(name: string, produce: (sink: ByteSink) => Promise<void>): Promise<void> {
    this.assertWritable([name]);
    const target = path.join(this.dir, name);
    const tmp = path.join(this.dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const unhook = addExitHook(() => rmSync(tmp, { force: true }));
    const hash = createHash('sha256');
    let fd: number | undefined;
    try {
      fd = openSync(tmp, 'wx');
      const out = fd;
      await produce({
        write(chunk) {
          let off = 0;
          while (off < chunk.length) off += writeSync(out, chunk, off, chunk.length - off);
          hash.update(chunk);
        },
      });
      closeSync(fd);
      fd = undefined;
      // what was there may have changed while the volume was made (a DOCX saved from Word): look again
      if (!this.written.has(name)) this.states.delete(name);
      this.assertWritable([name], this.written.size > 0);
      renameSync(tmp, target);
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      rmSync(tmp, { force: true });
      if (errnoOf(err)) throw new ChuangchengError('output-file-write-failed', { file: target, ...errnoParam(err) }, { cause: err });
      throw err;
    } finally {
      unhook();
    }
    // the manifest line in the same synchronous step as the rename (see writeNow)
    this.written.set(name, hash.digest('hex'));
    this.states.set(name, 'ours');
    this.saveManifest(new Map([...this.previous, ...this.written]));
  }

  /**
   * Keep outputs of the previous build as this build's, when each is still exactly what we wrote
   * (`files`: name → SHA-256 of the bytes written then). All or none: false leaves nothing marked.
   */
  reuse(files: Record<string, string>): boolean {
    const names = Object.keys(files);
    if (names.length === 0) return false;
    if (!names.every((n) => n !== MANIFEST && this.previous.get(n) === files[n] && this.ours(n) === 'ours')) return false;
    for (const n of names) this.written.set(n, files[n]!);
    return true;
  }

  /** SHA-256 of what this build wrote under `name`. */
  hashOf(name: string): string | undefined {
    return this.written.get(name);
  }

  get files(): string[] {
    return [...this.written.keys()];
  }

  /**
   * The manifest of what this build wrote (hashes of the bytes written, not of what is on disk
   * now), then the removal of outputs of the previous build this one did not write again — only
   * those our manifest lists and nobody has changed. Returns the names left alone for the user.
   */
  async finish(): Promise<{ kept: string[] }> {
    const kept: string[] = [];
    const stale = [...this.previous.keys()].filter((n) => !this.written.has(n) && n !== MANIFEST);
    for (const name of stale) {
      const state = this.ours(name);
      if (state === 'ours') rmSync(path.join(this.dir, name), { force: true });
      else if (state !== 'absent') kept.push(name);
    }
    this.saveManifest(this.written);
    this.release();
    return { kept };
  }
}
