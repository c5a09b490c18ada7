// TIFF facts from the header and IFDs alone, on files made by ImageMagick (libtiff) and exiftool
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTiffFacts, TiffError, tiffDirectories, tiffPageCount, type ReadAt, type TiffFacts } from '../../src/evidence/tiff.js';

// /usr/local/bin/convert may be a wrapper script; the real ImageMagick 6 is /usr/bin/convert.
const CONVERT = existsSync('/usr/bin/convert') ? '/usr/bin/convert' : 'convert';
const dir = mkdtempSync(path.join(tmpdir(), 'cc-tiff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string) => path.join(dir, name);
const convert = (args: string[]) => execFileSync(CONVERT, args);
const exiftool = (args: string[]) => execFileSync('exiftool', args, { encoding: 'utf8' });

interface Read {
  pos: number;
  len: number;
}

/** readTiffFacts over a file descriptor, with every read recorded. */
function factsOf(p: string, size = statSync(p).size): { facts: TiffFacts; reads: Read[] } {
  const fd = openSync(p, 'r');
  const reads: Read[] = [];
  const readAt: ReadAt = (pos, len) => {
    reads.push({ pos, len });
    const buf = Buffer.alloc(len);
    return buf.subarray(0, readSync(fd, buf, 0, len, pos));
  };
  try {
    return { facts: readTiffFacts(readAt, size), reads };
  } finally {
    closeSync(fd);
  }
}

function inMemory(buf: Uint8Array): ReadAt {
  return (pos, len) => buf.subarray(pos, pos + len);
}

type Entry = [tag: number, type: number, count: number, value: number];

/** A little-endian TIFF of one IFD at offset 8 holding the given entries (inline values only). */
function buildTiff(entries: Entry[]): Buffer {
  const b = Buffer.alloc(8 + 2 + entries.length * 12 + 4);
  b.write('II*\0', 0, 'latin1');
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(count, at + 4);
    if (type === 3) b.writeUInt16LE(value, at + 8);
    else b.writeUInt32LE(value, at + 8);
  });
  return b;
}

function reasonOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof TiffError ? e.reason : `not a TiffError: ${String(e)}`;
  }
}

/** What exiftool says about the same file, in TiffFacts terms. */
function exiftoolFacts(p: string): TiffFacts {
  const [t] = JSON.parse(
    exiftool(['-n', '-j', '-IFD0:ImageWidth', '-IFD0:ImageHeight', '-IFD0:Orientation', '-ExifIFD:DateTimeOriginal', '-IFD0:ModifyDate', p]),
  ) as Array<Record<string, string | number>>;
  const facts: TiffFacts = { width: Number(t!.ImageWidth), height: Number(t!.ImageHeight) };
  if (t!.Orientation !== undefined) facts.orientation = Number(t!.Orientation);
  if (t!.DateTimeOriginal !== undefined) facts.dateTimeOriginal = String(t!.DateTimeOriginal);
  if (t!.ModifyDate !== undefined) facts.dateTime = String(t!.ModifyDate);
  return facts;
}

const ifdOffset = (p: string) => {
  const head = readFileSync(p).subarray(0, 8);
  return head[0] === 0x49 ? head.readUInt32LE(4) : head.readUInt32BE(4);
};

const BIG = file('big.tif');
const MSB = file('msb.tif');
const EXIF = file('exif.tif');
const EXIF_MSB = file('exif-msb.tif');

beforeAll(() => {
  // libtiff writes the image data first and the IFD after it, ~18 MB into this file
  convert(['-size', '3000x2000', 'xc:gray', '-type', 'TrueColor', '-depth', '8', '-compress', 'none', BIG]);
  // -endian MSB is ignored by this ImageMagick 6's TIFF writer; the define is what it reads
  convert(['-size', '400x300', 'xc:gray', '-type', 'TrueColor', '-depth', '8', '-compress', 'none', '-endian', 'MSB', '-define', 'tiff:endian=msb', MSB]);
  for (const [from, to] of [[BIG, EXIF], [MSB, EXIF_MSB]] as const) {
    writeFileSync(to, readFileSync(from));
    exiftool(['-Orientation#=6', '-DateTimeOriginal=2023:10:12 09:30:00', '-ModifyDate=2023:10:13 10:00:00', '-overwrite_original', to]);
  }
});

describe('readTiffFacts', () => {
  it('finds an IFD that lies past the first 16 KiB (libtiff: after the image data)', () => {
    expect(statSync(BIG).size).toBeGreaterThan(18_000_000);
    const offset = ifdOffset(BIG);
    expect(offset).toBeGreaterThan(16 * 1024);
    expect(offset).toBeGreaterThan(18_000_000);
    const { facts } = factsOf(BIG);
    expect(facts).toEqual({ width: 3000, height: 2000, orientation: 1 });
    expect(facts).toEqual(exiftoolFacts(BIG));
  });

  it('stays within a few small reads and never reads the image data', () => {
    const { reads } = factsOf(BIG);
    expect(reads.length).toBeLessThanOrEqual(3); // the header, then the IFD and what follows it
    for (const r of reads) expect(r.len).toBeLessThanOrEqual(4096);
    const [strips] = JSON.parse(exiftool(['-n', '-j', '-b', '-StripOffsets', '-StripByteCounts', BIG])) as Array<Record<string, string>>;
    const offsets = strips!.StripOffsets!.split(' ').map(Number);
    const counts = strips!.StripByteCounts!.split(' ').map(Number);
    expect(offsets.length).toBeGreaterThan(1);
    for (const r of reads) {
      offsets.forEach((start, i) => {
        const end = start + counts[i]!;
        expect(r.pos + r.len <= start || r.pos >= end, `read ${r.pos}+${r.len} overlaps strip ${start}..${end}`).toBe(true);
      });
    }
    // the EXIF file needs the ExifIFD too: still bounded
    const exif = factsOf(EXIF).reads;
    expect(exif.length).toBeLessThanOrEqual(4);
    for (const r of exif) expect(r.len).toBeLessThanOrEqual(4096);
    expect(exif.reduce((n, r) => n + r.len, 0)).toBeLessThan(32 * 1024);
  });

  it('reads big-endian files', () => {
    expect(readFileSync(MSB).subarray(0, 4).toString('latin1')).toBe('MM\0*');
    expect(ifdOffset(MSB)).toBeGreaterThan(16 * 1024);
    const { facts } = factsOf(MSB);
    expect(facts).toMatchObject({ width: 400, height: 300 });
    expect(facts).toEqual(exiftoolFacts(MSB));
  });

  it('orientation, DateTime and the ExifIFD DateTimeOriginal as exiftool wrote them', () => {
    const expected = { width: 3000, height: 2000, orientation: 6, dateTimeOriginal: '2023:10:12 09:30:00', dateTime: '2023:10:13 10:00:00' };
    expect(factsOf(EXIF).facts).toEqual(expected);
    expect(exiftoolFacts(EXIF)).toEqual(expected);
    expect(readFileSync(EXIF_MSB).subarray(0, 2).toString('latin1')).toBe('MM');
    expect(factsOf(EXIF_MSB).facts).toEqual({ ...expected, width: 400, height: 300 });
  });

  it('ImageWidth and ImageLength as SHORT or LONG, in either byte order', () => {
    // libtiff writes SHORT below 65536, and this ImageMagick's policy refuses wider images, so the
    // LONG entries are made by rewriting ImageMagick's SHORT ones in place.
    for (const source of [BIG, MSB]) {
      const buf = readFileSync(source);
      const little = buf[0] === 0x49;
      const ifd = little ? buf.readUInt32LE(4) : buf.readUInt32BE(4);
      const count = little ? buf.readUInt16LE(ifd) : buf.readUInt16BE(ifd);
      const types: number[] = [];
      for (let i = 0; i < count; i++) {
        const at = ifd + 2 + i * 12;
        const tag = little ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
        if (tag !== 256 && tag !== 257) continue;
        types.push(little ? buf.readUInt16LE(at + 2) : buf.readUInt16BE(at + 2));
        const value = tag === 256 ? 70000 : 65536 + 5;
        if (little) {
          buf.writeUInt16LE(4, at + 2);
          buf.writeUInt32LE(value, at + 8);
        } else {
          buf.writeUInt16BE(4, at + 2);
          buf.writeUInt32BE(value, at + 8);
        }
      }
      expect(types).toEqual([3, 3]);
      expect(readTiffFacts(inMemory(buf), buf.length)).toMatchObject({ width: 70000, height: 65541 });
    }
  });

  it('a broken ExifIFD pointer drops the date, not the picture', () => {
    const buf = readFileSync(EXIF);
    // find the ExifIFD entry (tag 34665, little-endian) in IFD0 and point it past the end
    const ifd = buf.readUInt32LE(4);
    const count = buf.readUInt16LE(ifd);
    let patched = false;
    for (let i = 0; i < count; i++) {
      const at = ifd + 2 + i * 12;
      if (buf.readUInt16LE(at) === 34665) {
        buf.writeUInt32LE(buf.length + 100, at + 8);
        patched = true;
      }
    }
    expect(patched).toBe(true);
    expect(readTiffFacts(inMemory(buf), buf.length)).toEqual({ width: 3000, height: 2000, orientation: 6, dateTime: '2023:10:13 10:00:00' });
  });

  it('large IFDs: a sorted one is left once past the wanted tags, any other is read within 8 reads', () => {
    const counted = (buf: Buffer) => {
      let reads = 0;
      const readAt: ReadAt = (pos, len) => {
        reads++;
        expect(len).toBeLessThanOrEqual(4096);
        return buf.subarray(pos, pos + len);
      };
      return { run: () => readTiffFacts(readAt, buf.length), reads: () => reads };
    };
    const filler = (n: number, from: number) => Array.from({ length: n }, (_, i): Entry => [from + i, 3, 1, 0]);
    const dims: Entry[] = [[256, 3, 1, 640], [257, 4, 1, 480]];

    const sorted = counted(buildTiff([...dims, ...filler(1000, 40000)]));
    expect(sorted.run()).toEqual({ width: 640, height: 480 });
    expect(sorted.reads()).toBe(2);

    const unsorted = counted(buildTiff([...filler(1000, 40000), ...dims]));
    expect(unsorted.run()).toEqual({ width: 640, height: 480 });
    expect(unsorted.reads()).toBeLessThanOrEqual(8);

    // 4096 entries (the most allowed) with the size last would take 13 reads
    const huge = counted(buildTiff([...filler(4094, 40000), ...dims]));
    expect(reasonOf(huge.run)).toBe('unsupported');
    expect(huge.reads()).toBe(8);
  });

  it('BigTIFF is unsupported', () => {
    const big64 = file('b64.tif');
    convert(['-size', '30x20', 'xc:gray', `TIFF64:${big64}`]);
    expect(readFileSync(big64).subarray(0, 4).toString('latin1')).toBe('II+\0');
    expect(reasonOf(() => factsOf(big64))).toBe('unsupported');
  });

  it('truncated files and garbage are malformed', () => {
    const whole = readFileSync(BIG);
    const head = whole.subarray(0, 16 * 1024);
    // cut to 16 KiB: the IFD offset now points past the end
    expect(reasonOf(() => readTiffFacts(inMemory(head), head.length))).toBe('malformed');
    // the size claims the whole file but the bytes run out (a file that shrank under us)
    expect(reasonOf(() => readTiffFacts(inMemory(head), whole.length))).toBe('malformed');
    // cut inside the IFD
    const cut = whole.subarray(0, ifdOffset(BIG) + 20);
    expect(reasonOf(() => readTiffFacts(inMemory(cut), cut.length))).toBe('malformed');

    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 255));
    const cases: Array<[string, Buffer]> = [
      ['empty', Buffer.alloc(0)],
      ['garbage', garbage],
      ['a JPEG', Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex')],
      ['II and a wrong magic', Buffer.from('49492b0108000000', 'hex')],
      ['header only', Buffer.from('49492a0008000000', 'hex')],
      ['IFD offset into the header', Buffer.from('49492a00040000000000000000000000', 'hex')],
      ['IFD offset 2^32-1', Buffer.from('4d4d002affffffff', 'hex')],
    ];
    for (const [name, buf] of cases) {
      expect(`${name}: ${reasonOf(() => readTiffFacts(inMemory(buf), buf.length))}`).toBe(`${name}: malformed`);
    }
  });

  it('rejects absurd or empty IFDs and missing dimensions', () => {
    const small = readFileSync(EXIF); // IFD0 at offset 8 after exiftool's rewrite
    const ifd = small.readUInt32LE(4);
    const withCount = (n: number) => {
      const b = Buffer.from(small);
      b.writeUInt16LE(n, ifd);
      return b;
    };
    expect(reasonOf(() => readTiffFacts(inMemory(withCount(5000)), small.length))).toBe('malformed');
    expect(reasonOf(() => readTiffFacts(inMemory(withCount(0)), small.length))).toBe('malformed');
    // a lone entry that is not ImageWidth: no dimensions
    const one = withCount(1);
    one.writeUInt16LE(999, ifd + 2);
    expect(reasonOf(() => readTiffFacts(inMemory(one), one.length))).toBe('malformed');
    // ImageWidth 0
    const zero = Buffer.from(small);
    for (let i = 0; i < small.readUInt16LE(ifd); i++) {
      const at = ifd + 2 + i * 12;
      if (zero.readUInt16LE(at) === 256) zero.fill(0, at + 8, at + 12);
    }
    expect(reasonOf(() => readTiffFacts(inMemory(zero), zero.length))).toBe('malformed');
  });
});

describe('tiffDirectories: the pages of a multi-page TIFF (scanners write them so)', () => {
  const pages = file('pages.tif');
  const withThumb = file('thumb.tif');
  beforeAll(() => {
    // three pages of ImageMagick's Group 4, one IFD after each page's data
    convert(['-size', '600x800', 'xc:white', '-size', '600x800', 'xc:white', '-size', '800x600', 'xc:white', '-monochrome', '-compress', 'Group4', pages]);
    // page, a 10 % thumbnail of it, page: exiftool marks the middle directory reduced-resolution (NewSubfileType 1)
    convert(['-size', '600x800', 'xc:gray', '(', '-size', '60x80', 'xc:gray', ')', '-size', '600x800', 'xc:white', '-compress', 'LZW', withThumb]);
    exiftool(['-q', '-overwrite_original', '-IFD1:SubfileType#=1', withThumb]);
  });
  const onDisk = (p: string): ReadAt => {
    const buf = readFileSync(p);
    return (pos, len) => buf.subarray(pos, pos + len);
  };

  it('walks the chain of directories, one read each, and counts the pages as exiftool does', () => {
    const reads: number[] = [];
    const buf = readFileSync(pages);
    const dirs = tiffDirectories((pos, len) => {
      reads.push(len);
      return buf.subarray(pos, pos + len);
    }, buf.length);
    expect(dirs).toEqual([0, 1, 2].map((index) => ({ index, reduced: false })));
    expect(reads.length).toBe(4); // the header, then one read per directory
    expect(tiffPageCount(onDisk(pages), statSync(pages).size)).toBe(3);
    const [t] = JSON.parse(exiftool(['-j', '-a', '-G1', '-ImageWidth', pages])) as Array<Record<string, number>>;
    expect(Object.keys(t!).filter((k) => k.endsWith(':ImageWidth'))).toHaveLength(3);
  });

  it('a reduced-resolution directory (a thumbnail) is no page', () => {
    expect(JSON.parse(exiftool(['-j', '-a', '-G1', '-n', '-SubfileType', withThumb]))[0]).toMatchObject({ 'IFD0:SubfileType': 2, 'IFD1:SubfileType': 1, 'IFD2:SubfileType': 2 });
    expect(tiffDirectories(onDisk(withThumb), statSync(withThumb).size).map((d) => d.reduced)).toEqual([false, true, false]);
    expect(tiffPageCount(onDisk(withThumb), statSync(withThumb).size)).toBe(2);
    // one page with no thumbnail: one page
    expect(tiffPageCount(onDisk(MSB), statSync(MSB).size)).toBe(1);
  });

  it('a broken link ends the chain where it breaks (as libtiff does): a loop, an offset past the end', () => {
    const buf = Buffer.from(readFileSync(pages));
    const little = buf[0] === 0x49;
    const next = (ifd: number) => ifd + 2 + (little ? buf.readUInt16LE(ifd) : buf.readUInt16BE(ifd)) * 12;
    const first = little ? buf.readUInt32LE(4) : buf.readUInt32BE(4);
    const second = little ? buf.readUInt32LE(next(first)) : buf.readUInt32BE(next(first));
    const write = (b: Buffer, at: number, v: number) => (little ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
    // the second directory points back at the first: two pages, not a loop forever
    const loop = Buffer.from(buf);
    write(loop, next(second), first);
    expect(tiffDirectories((p, l) => loop.subarray(p, p + l), loop.length)).toHaveLength(2);
    // the first points past the end: one page
    const past = Buffer.from(buf);
    write(past, next(first), buf.length + 10);
    expect(tiffPageCount((p, l) => past.subarray(p, p + l), past.length)).toBe(1);
    // garbage is no TIFF at all
    expect(reasonOf(() => tiffDirectories((p, l) => Buffer.from('garbage!').subarray(p, p + l), 8))).toBe('malformed');
  });
});
