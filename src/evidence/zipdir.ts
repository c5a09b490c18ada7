// A zip's central directory and one small member, read with bounds: enough to tell an OOXML or ODF
// package's flavour from its `[Content_Types].xml` or `mimetype`, wherever in the file they lie,
// without reading the whole file.
import { inflateRawSync } from 'node:zlib';
import type { ReadAt } from './cfb.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export type ZipDirectory = { ok: true; entries: ZipEntry[] } | { ok: false; why: 'truncated' | 'corrupt' };

/** Central directories larger than this are not read (an office file has a few hundred entries). */
const MAX_DIRECTORY = 8 * 1024 * 1024;
const MAX_ENTRIES = 100_000;

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 2 ** 32;

/** The central directory, found from the end-of-central-directory record in the last 64 KiB. */
export function readZipDirectory(read: ReadAt, size: number): ZipDirectory {
  const tailLen = Math.min(size, 65_535 + 22);
  const tail = read(size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  // without its end record the file was cut short
  if (eocd < 0) return { ok: false, why: 'truncated' };
  let count = u16(tail, eocd + 10);
  let cdSize = u32(tail, eocd + 12);
  let cdOffset = u32(tail, eocd + 16);
  if (cdOffset === 0xffffffff || cdSize === 0xffffffff || count === 0xffff) {
    // ZIP64: the locator stands right before the end record
    const loc = eocd - 20;
    if (loc < 0 || u32(tail, loc) !== 0x07064b50) return { ok: false, why: 'corrupt' };
    const z64 = read(u64(tail, loc + 8), 56);
    if (z64.length < 56 || u32(z64, 0) !== 0x06064b50) return { ok: false, why: 'corrupt' };
    count = Math.min(u64(z64, 32), MAX_ENTRIES);
    cdSize = u64(z64, 40);
    cdOffset = u64(z64, 48);
  }
  if (cdOffset + cdSize > size) return { ok: false, why: 'truncated' };
  if (cdSize > MAX_DIRECTORY) return { ok: false, why: 'corrupt' };
  const cd = read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let pos = 0;
  while (pos + 46 <= cd.length && entries.length < Math.min(count || MAX_ENTRIES, MAX_ENTRIES)) {
    if (u32(cd, pos) !== 0x02014b50) return { ok: false, why: 'corrupt' };
    const nameLen = u16(cd, pos + 28);
    const extraLen = u16(cd, pos + 30);
    const commentLen = u16(cd, pos + 32);
    const name = Buffer.from(cd.subarray(pos + 46, pos + 46 + nameLen)).toString('utf8');
    entries.push({ name, method: u16(cd, pos + 10), compressedSize: u32(cd, pos + 20), size: u32(cd, pos + 24), localOffset: u32(cd, pos + 42) });
    pos += 46 + nameLen + extraLen + commentLen;
  }
  return { ok: true, entries };
}

/** One member's bytes, when it is stored or deflated and at most `max` bytes both ways; else undefined. */
export function readZipEntry(read: ReadAt, size: number, e: ZipEntry, max = 1024 * 1024): Uint8Array | undefined {
  if (e.compressedSize > max || e.size > max || e.localOffset + 30 > size) return undefined;
  const local = read(e.localOffset, 30);
  if (local.length < 30 || u32(local, 0) !== 0x04034b50) return undefined;
  const start = e.localOffset + 30 + u16(local, 26) + u16(local, 28);
  if (start + e.compressedSize > size) return undefined;
  const data = read(start, e.compressedSize);
  if (e.method === 0) return data;
  if (e.method !== 8) return undefined;
  try {
    return inflateRawSync(data, { maxOutputLength: max });
  } catch {
    return undefined;
  }
}
