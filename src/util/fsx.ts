// File-system helpers that never hang, never follow a user's file into a device, and say in
// Chinese what went wrong. Paths may be strings or raw bytes (names that are not UTF-8).
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export type FsPath = string | Buffer;

/** Why a file could not be used, as data; `describe()` gives the sentence. */
export class FileAccessError extends Error {
  constructor(
    readonly file: string,
    readonly reason: 'not-found' | 'not-regular' | 'too-large' | 'unreadable',
    readonly detail: string,
    /** the errno code behind `not-found` and `unreadable` */
    readonly errno?: string,
  ) {
    super(detail);
  }
}

/** What an errno code means for the person at the keyboard. */
export function errnoText(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return '路径不存在';
    case 'EACCES':
    case 'EPERM':
      return '没有权限';
    case 'EROFS':
      return '所在磁盘或文件夹是只读的';
    case 'ENOSPC':
    case 'EDQUOT':
      return '磁盘空间已满';
    case 'ENOTDIR':
      return '路径中有一段不是文件夹';
    case 'EISDIR':
      return '这是一个文件夹，不是文件';
    case 'ENAMETOOLONG':
      return '路径太长';
    case 'EEXIST':
      return '已存在同名文件';
    case 'EMFILE':
    case 'ENFILE':
      return '同时打开的文件太多';
    case 'EIO':
      return '读写出错（磁盘或网络盘可能有故障）';
    case 'ELOOP':
      return '符号链接循环';
    case 'EBUSY':
      return '文件正被占用';
    default:
      return code ? `系统错误 ${code}` : '未知错误';
  }
}

/** The errno code of a failed system call (ENOENT, ENOSPC …); undefined for any other error (ours have codes too). */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

export function specialKind(st: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean; isDirectory(): boolean }): string {
  if (st.isDirectory()) return '文件夹';
  if (st.isFIFO()) return '命名管道（FIFO）';
  if (st.isSocket()) return '套接字（socket）';
  if (st.isBlockDevice() || st.isCharacterDevice()) return '设备文件';
  return '特殊文件';
}

/**
 * Open a regular file for reading without ever blocking: O_NONBLOCK keeps a FIFO swapped in at the
 * last moment from waiting for a writer, and fstat on the open descriptor decides. Returns the
 * descriptor and the size. With `within` (a real path), the file opened must lie inside that
 * folder: a file swapped for a link to elsewhere after the walk checked it is refused.
 */
export function openRegular(p: FsPath, label: string, maxBytes = Number.POSITIVE_INFINITY, within?: Buffer): { fd: number; size: number } {
  // A stat first, so that a device is never opened at all (opening some has side effects).
  let pre;
  try {
    pre = statSync(p);
  } catch (err) {
    const code = errnoOf(err);
    throw new FileAccessError(label, code === 'ENOENT' ? 'not-found' : 'unreadable', `无法读取 ${label}（${errnoText(code)}）`, code);
  }
  if (!pre.isFile()) throw new FileAccessError(label, 'not-regular', `${label} 是${specialKind(pre)}，不是普通文件`);
  let fd: number;
  try {
    fd = openSync(p, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = errnoOf(err);
    throw new FileAccessError(label, code === 'ENOENT' ? 'not-found' : 'unreadable', `无法读取 ${label}（${errnoText(code)}）`, code);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileAccessError(label, 'not-regular', `${label} 是${specialKind(st)}，不是普通文件`);
    if (st.size > maxBytes) {
      throw new FileAccessError(label, 'too-large', `${label} 有 ${formatBytes(st.size)}，超过上限 ${formatBytes(maxBytes)}`);
    }
    if (within) {
      const real = openedPath(fd, p);
      if (real && !(real.equals(within) || (real.length > within.length && real[within.length] === 0x2f && real.subarray(0, within.length).equals(within)))) {
        throw new FileAccessError(label, 'unreadable', `${label} 在检查之后被换成了指向证据文件夹之外的链接，出于安全没有读取；请把文件本身放回原处`);
      }
    }
    return { fd, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * Where an open descriptor really leads: on Linux the kernel's own answer (whatever links the path
 * went through, even ones swapped in meanwhile), elsewhere the path resolved now. Undefined when it
 * cannot be told (a path longer than the kernel will print).
 */
function openedPath(fd: number, p: FsPath): Buffer | undefined {
  try {
    return process.platform === 'linux' ? readlinkSync(`/proc/self/fd/${fd}`, { encoding: 'buffer' }) : realpathSync(p, { encoding: 'buffer' });
  } catch {
    return undefined;
  }
}

/** A regular file, read whole, no larger than `maxBytes` (and inside `within`, see openRegular). */
export function readRegularFile(p: FsPath, label: string, maxBytes: number, within?: Buffer): Buffer {
  const { fd, size } = openRegular(p, label, maxBytes, within);
  try {
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === size ? buf : buf.subarray(0, off);
  } catch (err) {
    throw new FileAccessError(label, 'unreadable', `无法读取 ${label}（${errnoText(errnoOf(err))}）`, errnoOf(err));
  } finally {
    closeSync(fd);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} 字节`;
}

/**
 * The real path of `p`, even when `p` does not exist yet: the deepest existing ancestor is resolved
 * (symbolic links included) and the missing rest appended. `..` is resolved lexically first, as
 * the shell does for a path typed by a user.
 */
export function realpathDeep(p: string): string {
  let cur = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return path.join(cur, ...rest.reverse());
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

/** Whether `child` is `parent` or lies inside it, comparing real paths. */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(realpathDeep(parent), realpathDeep(child));
  if (rel === '') return true;
  if (path.isAbsolute(rel)) return false;
  return rel !== '..' && !rel.startsWith(`..${path.sep}`);
}

/**
 * `mkdir -p` that fails instead of looping: Node's recursive mkdir spins forever on paths such as
 * /proc/self/x. Each missing component is made on its own. Returns the folders it made, outermost first.
 */
export function mkdirp(dir: string): string[] {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    let st;
    try {
      st = statSync(cur);
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err;
    }
    if (st) {
      if (!st.isDirectory()) {
        const e = new Error(`${cur} is not a directory`) as NodeJS.ErrnoException;
        e.code = 'ENOTDIR';
        throw e;
      }
      break;
    }
    const parent = path.dirname(cur);
    if (parent === cur) break;
    missing.push(cur);
    cur = parent;
  }
  const made: string[] = [];
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
      made.push(d);
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw err;
    }
  }
  return made;
}

/** lstat that returns undefined instead of throwing. */
export function lstatOrUndefined(p: FsPath): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}
