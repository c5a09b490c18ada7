// Outputs appear whole or not at all: write a temporary file beside the target, then rename.
// The temporary name says whose it is (`.NAME.PID.RANDOM.tmp`), so a later run can tell a leftover
// of a killed process from a file being written right now.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { addExitHook } from './exit-hooks.js';
import { mkdirp } from './fsx.js';

export const TMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  mkdirp(path.dirname(file));
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const unhook = addExitHook(() => rmSync(tmp, { force: true }));
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    unhook();
  }
}

/**
 * The same, synchronously: nothing else runs between the write and the rename — not even a Ctrl-C
 * handler, which could otherwise end the process between a volume's rename and its manifest line.
 */
export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  mkdirp(path.dirname(file));
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Whether a process with this id runs on this machine (a zombie or one we may not signal counts). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
