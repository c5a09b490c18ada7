import { createHash } from 'node:crypto';
import { createReadStream, closeSync, openSync, readSync } from 'node:fs';

export async function sha256File(abs: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(abs)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** A hash of the first `len` bytes: tells most same-size files apart without reading them whole. */
export function sha256Head(abs: string, len = 64 * 1024): string {
  const fd = openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(len);
    const n = readSync(fd, buf, 0, len, 0);
    return createHash('sha256').update(buf.subarray(0, n)).digest('hex');
  } finally {
    closeSync(fd);
  }
}
