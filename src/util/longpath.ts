// Paths longer than the system allows (Linux PATH_MAX, 4096 bytes) exist: deep folders copied from
// Windows, long Chinese names at three bytes a character. The kernel refuses to open them by name,
// but resolves a name relative to an open folder, and /proc/self/fd/N names an open folder. So a
// long path is reached as /proc/self/fd/N/<rest>, N a folder opened higher up, chained as needed.
import { constants, openSync } from 'node:fs';
import type { FsPath } from './fsx.js';

/** Bytes we leave paths alone below; PATH_MAX counts the terminating NUL, and names get appended. */
const LIMIT = 3800;
const anchors = new Map<string, number>();

const SLASH = 0x2f;

function openDir(p: Buffer): number {
  return openSync(p, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
}

/** A path the kernel accepts for `abs` (absolute, raw bytes); `abs` itself when it is short enough. */
export function ioPath(abs: Buffer): FsPath {
  if (abs.length <= LIMIT || process.platform !== 'linux') return abs;
  let prefix = Buffer.alloc(0);
  let consumed = 0;
  while (abs.length - consumed + prefix.length > LIMIT) {
    // the longest run of whole components from `consumed` that keeps prefix + run under the limit
    let cut = -1;
    for (let i = consumed + 1; i < abs.length; i++) {
      if (abs[i] !== SLASH) continue;
      if (prefix.length + (i - consumed) > LIMIT) break;
      cut = i;
    }
    if (cut <= consumed) return abs; // a single component longer than the limit: let the open fail
    const dirBytes = Buffer.concat([prefix, abs.subarray(consumed, cut)]);
    const key = abs.subarray(0, cut).toString('hex');
    let fd = anchors.get(key);
    if (fd === undefined) {
      fd = openDir(dirBytes);
      anchors.set(key, fd);
    }
    prefix = Buffer.from(`/proc/self/fd/${fd}`);
    consumed = cut;
  }
  return Buffer.concat([prefix, abs.subarray(consumed)]);
}
