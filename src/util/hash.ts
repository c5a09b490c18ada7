import { createHash } from 'node:crypto';
import { createReadStream, closeSync, readSync } from 'node:fs';
import { openRegular, type FsPath } from './fsx.js';

export async function sha256File(abs: FsPath): Promise<string> {
  const { fd } = openRegular(abs, String(abs));
  const h = createHash('sha256');
  // the stream owns the descriptor and closes it
  for await (const chunk of createReadStream('', { fd, autoClose: true })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** A hash of the first `len` bytes: tells most same-size files apart without reading them whole. */
export function sha256Head(abs: FsPath, len = 64 * 1024): string {
  const { fd, size } = openRegular(abs, String(abs));
  try {
    // no more than the file holds: 64 KiB zeroed for each of thousands of small files added up
    const buf = Buffer.alloc(Math.min(len, size));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return createHash('sha256').update(buf.subarray(0, n)).digest('hex');
  } finally {
    closeSync(fd);
  }
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
