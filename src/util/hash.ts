import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function sha256File(abs: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(abs)) h.update(chunk as Buffer);
  return h.digest('hex');
}
