// BMP decoder: every variant made by ImageMagick (or, where it cannot write one, built from one of
// its files byte by byte) and compared pixel for pixel with ImageMagick's own reading.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BmpError, decodeBmp, readBmpHeader } from '../../src/convert/bmp.js';

// /usr/local/bin/convert may be a wrapper script; the real ImageMagick 6 is /usr/bin/convert.
const CONVERT = existsSync('/usr/bin/convert') ? '/usr/bin/convert' : 'convert';
const dir = mkdtempSync(path.join(tmpdir(), 'cc-bmp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAX = 50_000_000;
let counter = 0;

/** Runs `convert <args> <out>` and returns the file written. */
function im(args: string[], out: string): Buffer {
  const file = path.join(dir, `${counter++}-${out.replace(/^\w+:/, '')}`);
  const prefix = out.includes(':') ? out.slice(0, out.indexOf(':') + 1) : '';
  execFileSync(CONVERT, [...args, `${prefix}${file}`]);
  return readFileSync(file);
}

/** ImageMagick's reading of a BMP, as 8-bit RGB or RGBA. */
function imPixels(bmp: Buffer, alpha = false): Buffer {
  const file = path.join(dir, `${counter++}-in.bmp`);
  writeFileSync(file, bmp);
  return execFileSync(CONVERT, [file, '-depth', '8', alpha ? 'rgba:-' : 'rgb:-'], { maxBuffer: 1 << 26 });
}

/** #336699 with a #cc3300 block in the top-left corner: a flip or a mirror would move the block. */
const PATTERN = ['-size', '37x23', 'xc:#336699', '-fill', '#cc3300', '-draw', 'rectangle 0,0 9,4'];
const FLAT = ['-size', '40x30', 'xc:#336699'];

function pixel(d: { width: number; channels: number; data: Buffer }, x: number, y: number): number[] {
  const at = (y * d.width + x) * d.channels;
  return [...d.data.subarray(at, at + d.channels)];
}

/** 16-bit fields are scaled to 8 bits slightly differently by ImageMagick (bit replication). */
function expectClose(actual: Buffer, expected: Buffer, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

function expectSameAsImageMagick(bmp: Buffer, opts: { channels?: 3 | 4; tolerance?: number; reference?: Buffer } = {}) {
  const channels = opts.channels ?? 3;
  const decoded = decodeBmp(bmp, { maxPixels: MAX });
  expect(decoded.channels).toBe(channels);
  expect(decoded.data.length).toBe(decoded.width * decoded.height * channels);
  const expected = imPixels(opts.reference ?? bmp, channels === 4);
  if (opts.tolerance) expectClose(decoded.data, expected, opts.tolerance);
  else expect(decoded.data.equals(expected)).toBe(true);
  return decoded;
}

function expectPattern(d: ReturnType<typeof decodeBmp>, tolerance = 0): void {
  expect([d.width, d.height]).toEqual([37, 23]);
  const near = (got: number[], want: number[]) =>
    want.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual(tolerance));
  near(pixel(d, 0, 0), [0xcc, 0x33, 0x00]); // top-left: the block
  near(pixel(d, 9, 4), [0xcc, 0x33, 0x00]);
  near(pixel(d, 10, 0), [0x33, 0x66, 0x99]); // right of the block
  near(pixel(d, 0, 5), [0x33, 0x66, 0x99]); // below the block
  near(pixel(d, 36, 22), [0x33, 0x66, 0x99]); // bottom-right
}

// --- byte-level helpers for the variants ImageMagick does not write -------------------------

const u32 = (b: Buffer, at: number) => b.readUInt32LE(at);

/** Rewrites a V4/V5 BMP (16/32-bit, no palette) with a 40-byte header and the masks after it. */
function toInfoHeader(src: Buffer, compression: number, masks: number[]): Buffer {
  const dataOffset = u32(src, 10);
  const header = Buffer.from(src.subarray(14, 54));
  header.writeUInt32LE(40, 0);
  header.writeUInt32LE(compression, 16);
  const maskBytes = Buffer.alloc(masks.length * 4);
  masks.forEach((m, i) => maskBytes.writeUInt32LE(m >>> 0, i * 4));
  const pixels = src.subarray(dataOffset);
  const fileHeader = Buffer.from(src.subarray(0, 14));
  fileHeader.writeUInt32LE(14 + 40 + maskBytes.length, 10);
  fileHeader.writeUInt32LE(14 + 40 + maskBytes.length + pixels.length, 2);
  return Buffer.concat([fileHeader, header, maskBytes, pixels]);
}

function geometry(b: Buffer) {
  const core = u32(b, 14) === 12;
  const width = core ? b.readUInt16LE(18) : b.readInt32LE(18);
  const height = core ? b.readUInt16LE(20) : b.readInt32LE(22);
  const bpp = core ? b.readUInt16LE(24) : b.readUInt16LE(28);
  return { width, height, bpp, offset: u32(b, 10), stride: Math.ceil((bpp * width) / 32) * 4 };
}

/** ImageMagick writes bottom-up only: reverse the rows and negate the height. */
function toTopDown(src: Buffer): Buffer {
  const g = geometry(src);
  const out = Buffer.from(src);
  for (let y = 0; y < g.height; y++) {
    src.copy(out, g.offset + y * g.stride, g.offset + (g.height - 1 - y) * g.stride, g.offset + (g.height - y) * g.stride);
  }
  out.writeInt32LE(-g.height, 22);
  return out;
}

/** ImageMagick writes no RLE4: encode an uncompressed 4-bit BMP's rows as RLE4 runs and literals. */
function toRle4(src: Buffer): Buffer {
  const g = geometry(src);
  const bytes: number[] = [];
  for (let y = 0; y < g.height; y++) {
    const row: number[] = [];
    for (let x = 0; x < g.width; x++) {
      const byte = src[g.offset + y * g.stride + (x >> 1)]!;
      row.push(x & 1 ? byte & 15 : byte >> 4);
    }
    let literal: number[] = [];
    const flushLiteral = () => {
      if (literal.length >= 3) {
        bytes.push(0, literal.length);
        const packed: number[] = [];
        for (let i = 0; i < literal.length; i += 2) packed.push((literal[i]! << 4) | (literal[i + 1] ?? 0));
        if (packed.length & 1) packed.push(0);
        bytes.push(...packed);
      } else for (const v of literal) bytes.push(1, v << 4);
      literal = [];
    };
    for (let x = 0; x < row.length; ) {
      let n = 1;
      while (x + n < row.length && row[x + n] === row[x] && n < 255) n++;
      if (n >= 2) {
        flushLiteral();
        bytes.push(n, (row[x]! << 4) | row[x]!);
      } else literal.push(row[x]!);
      x += n;
    }
    flushLiteral();
    bytes.push(0, 0);
  }
  bytes.push(0, 1);
  const head = Buffer.from(src.subarray(0, g.offset));
  head.writeUInt32LE(2, 30);
  head.writeUInt32LE(bytes.length, 34);
  head.writeUInt32LE(g.offset + bytes.length, 2);
  return Buffer.concat([head, Buffer.from(bytes)]);
}

/** A minimal BITMAPINFOHEADER file around the given pixel bytes. */
function infoBmp(o: { width: number; height: number; bpp: number; compression: number; extra?: number[]; pixels: number[] }): Buffer {
  const extra = Buffer.from(o.extra ?? []);
  const offset = 14 + 40 + extra.length;
  const b = Buffer.alloc(offset + o.pixels.length);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(offset, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(o.width, 18);
  b.writeInt32LE(o.height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(o.bpp, 28);
  b.writeUInt32LE(o.compression, 30);
  b.writeUInt32LE(o.pixels.length, 34);
  extra.copy(b, 54);
  Buffer.from(o.pixels).copy(b, offset);
  return b;
}

const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];

// ---------------------------------------------------------------------------------------------

describe('readBmpHeader', () => {
  it('reads the header facts of each header kind', () => {
    expect(readBmpHeader(im(PATTERN, 'BMP3:h.bmp'))).toEqual({ width: 37, height: 23, bitsPerPixel: 24, topDown: false, compression: 0 });
    expect(readBmpHeader(im([...PATTERN, '-type', 'palette', '-compress', 'RLE'], 'BMP3:h.bmp'))).toMatchObject({ bitsPerPixel: 8, compression: 1 });
    expect(readBmpHeader(im(PATTERN, 'BMP2:h.bmp'))).toMatchObject({ width: 37, height: 23, bitsPerPixel: 24 });
    const v5 = im([...PATTERN, '-alpha', 'off', '-define', 'bmp:subtype=RGB565'], 'BMP:h.bmp');
    expect(readBmpHeader(v5)).toMatchObject({ bitsPerPixel: 16, compression: 3 });
    expect(readBmpHeader(toTopDown(im(PATTERN, 'BMP3:h.bmp'))).topDown).toBe(true);
  });

  it('needs only the headers, not the pixel data', () => {
    const full = im(PATTERN, 'BMP3:h.bmp');
    expect(readBmpHeader(full.subarray(0, 54)).width).toBe(37);
  });
});

describe('decodeBmp: colours and row order match ImageMagick', () => {
  it('24-bit, BITMAPINFOHEADER (BMP3)', () => {
    const b24 = im(PATTERN, 'BMP3:a.bmp');
    expect([u32(b24, 14), geometry(b24).bpp]).toEqual([40, 24]);
    expectPattern(expectSameAsImageMagick(b24));
    const flat = expectSameAsImageMagick(im(FLAT, 'BMP3:a.bmp'));
    expect(pixel(flat, 20, 15)).toEqual([0x33, 0x66, 0x99]);
  });

  it('24-bit, V4 and V5 headers', () => {
    // -draw gives the image an alpha channel, which would make ImageMagick write 32 bits
    const v4 = im(['-intent', 'Undefined', ...PATTERN, '-alpha', 'off'], 'BMP:a.bmp');
    expect([u32(v4, 14), geometry(v4).bpp]).toEqual([108, 24]);
    expectPattern(expectSameAsImageMagick(v4));
    const v5 = im([...PATTERN, '-alpha', 'off'], 'BMP:a.bmp');
    expect([u32(v5, 14), geometry(v5).bpp]).toEqual([124, 24]);
    expectPattern(expectSameAsImageMagick(v5));
    // and with that alpha channel, all opaque: 32-bit bit fields, decoded as RGB
    const v5opaque = im(PATTERN, 'BMP:a.bmp');
    expect([u32(v5opaque, 14), geometry(v5opaque).bpp, u32(v5opaque, 30)]).toEqual([124, 32, 3]);
    expectPattern(expectSameAsImageMagick(v5opaque));
  });

  it('BITMAPCOREHEADER (BMP2): 24-bit and 1/4/8-bit palettes of BGR triples', () => {
    const b24 = im(PATTERN, 'BMP2:a.bmp');
    expect(u32(b24, 14)).toBe(12);
    expectPattern(expectSameAsImageMagick(b24));
    const b1 = im([...PATTERN, '-type', 'palette'], 'BMP2:a.bmp');
    expect(geometry(b1).bpp).toBe(1);
    expectPattern(expectSameAsImageMagick(b1));
    const b4 = im([...PATTERN, '-fill', '#00ff00', '-draw', 'rectangle 20,10 25,15', '-type', 'palette'], 'BMP2:a.bmp');
    expect(geometry(b4).bpp).toBe(4);
    expectPattern(expectSameAsImageMagick(b4));
    const b8 = im(['-size', '37x23', 'gradient:#336699-#cc3300', '-colors', '40', '-type', 'palette', '-compress', 'none'], 'BMP2:a.bmp');
    expect(geometry(b8).bpp).toBe(8);
    expectSameAsImageMagick(b8);
  });

  it('palettes of 1, 4 and 8 bits (BGR0 entries)', () => {
    const b1 = im([...PATTERN, '-type', 'palette'], 'BMP3:a.bmp');
    expect(geometry(b1).bpp).toBe(1);
    expectPattern(expectSameAsImageMagick(b1));
    const b4 = im([...PATTERN, '-fill', '#00ff00', '-draw', 'rectangle 20,10 25,15', '-fill', 'white', '-draw', 'point 36,0', '-type', 'palette'], 'BMP3:a.bmp');
    expect(geometry(b4).bpp).toBe(4);
    const d4 = expectSameAsImageMagick(b4);
    expect(pixel(d4, 36, 0)).toEqual([255, 255, 255]);
    expect(pixel(d4, 20, 10)).toEqual([0, 255, 0]);
    const b8 = im(['-size', '37x23', 'gradient:#336699-#cc3300', '-colors', '40', '-type', 'palette', '-compress', 'none'], 'BMP3:a.bmp');
    expect(geometry(b8).bpp).toBe(8);
    expect(u32(b8, 30)).toBe(0);
    const d8 = expectSameAsImageMagick(b8);
    expect(pixel(d8, 0, 0)).not.toEqual(pixel(d8, 0, 22)); // the gradient runs top to bottom
  });

  it('RLE8', () => {
    const pattern = im([...PATTERN, '-type', 'palette', '-compress', 'RLE'], 'BMP3:a.bmp');
    expect([geometry(pattern).bpp, u32(pattern, 30)]).toEqual([8, 1]);
    expectPattern(expectSameAsImageMagick(pattern));
    const gradient = im(['-size', '37x23', 'gradient:#336699-#cc3300', '-colors', '40', '-type', 'palette', '-compress', 'RLE'], 'BMP3:a.bmp');
    expect(u32(gradient, 30)).toBe(1);
    expectSameAsImageMagick(gradient);
  });

  it('RLE4 (built from a 4-bit file: ImageMagick writes no RLE4)', () => {
    const b4 = im([...PATTERN, '-fill', '#00ff00', '-draw', 'rectangle 20,10 25,15', '-fill', 'white', '-draw', 'point 36,0', '-draw', 'point 34,0', '-type', 'palette'], 'BMP3:a.bmp');
    const rle4 = toRle4(b4);
    expect([readBmpHeader(rle4).compression, readBmpHeader(rle4).bitsPerPixel]).toEqual([2, 4]);
    const d = expectSameAsImageMagick(rle4);
    expectPattern(d);
    expect(decodeBmp(b4, { maxPixels: MAX }).data.equals(d.data)).toBe(true);
  });

  it('RLE8 deltas and early end-of-line leave the skipped pixels white', () => {
    // Built by hand: ImageMagick never writes deltas. Palette: 0 green, 1 red, 2 blue.
    const palette = [0, 255, 0, 0, 0, 0, 255, 0, 255, 0, 0, 0];
    const stream = [
      3, 1, 0, 0, //             file row 0: R R R, then end of line
      0, 3, 1, 2, 1, 0, //       file row 1: literal R B R (padded)
      1, 2, 0, 0, //             B, end of line
      0, 2, 2, 1, //             delta: 2 right, 1 down, skipping file row 2
      2, 2, 0, 1, //             B B, end of bitmap
    ];
    const bmp = infoBmp({ width: 4, height: 4, bpp: 8, compression: 1, extra: palette, pixels: stream });
    bmp.writeUInt32LE(3, 46); // colours used
    const d = decodeBmp(bmp, { maxPixels: MAX });
    const [W, R, B] = [[255, 255, 255], [255, 0, 0], [0, 0, 255]];
    const rows = [0, 1, 2, 3].map((y) => [0, 1, 2, 3].map((x) => pixel(d, x, y)));
    expect(rows).toEqual([[W, W, B, B], [W, W, W, W], [R, B, R, B], [R, R, R, W]]);
  });

  it('16-bit: 5-6-5 and 5-5-5 bit fields, BI_RGB 5-5-5, masks after a 40-byte header', () => {
    const rgb565 = im([...PATTERN, '-alpha', 'off', '-define', 'bmp:subtype=RGB565'], 'BMP:a.bmp');
    expect([geometry(rgb565).bpp, u32(rgb565, 30), u32(rgb565, 54)]).toEqual([16, 3, 0xf800]);
    // the pattern's colours lose their low bits in 5 bits, hence the wide margin here only
    expectPattern(expectSameAsImageMagick(rgb565, { tolerance: 1 }), 8);
    const v4 = im(['-intent', 'Undefined', ...PATTERN, '-alpha', 'off', '-define', 'bmp:subtype=RGB565'], 'BMP:a.bmp');
    expect(u32(v4, 14)).toBe(108);
    expectSameAsImageMagick(v4, { tolerance: 1 });
    const rgb555 = im([...PATTERN, '-alpha', 'off', '-define', 'bmp:subtype=RGB555'], 'BMP:a.bmp');
    expect(u32(rgb555, 54)).toBe(0x7c00);
    expectPattern(expectSameAsImageMagick(rgb555, { tolerance: 1 }), 8);
    // ImageMagick puts 16-bit masks only in V4/V5 headers; move them after a 40-byte header
    const info565 = toInfoHeader(rgb565, 3, [0xf800, 0x07e0, 0x001f]);
    expect(decodeBmp(info565, { maxPixels: MAX }).data.equals(decodeBmp(rgb565, { maxPixels: MAX }).data)).toBe(true);
    expectSameAsImageMagick(info565, { tolerance: 1, reference: rgb565 });
    // and 16-bit BI_RGB, whose layout is 5-5-5 by definition
    const bi555 = toInfoHeader(rgb555, 0, []);
    expect(decodeBmp(bi555, { maxPixels: MAX }).data.equals(decodeBmp(rgb555, { maxPixels: MAX }).data)).toBe(true);
    expectSameAsImageMagick(bi555, { tolerance: 1 });
  });

  it('32-bit BI_RGB is BGRX: #336699 comes out #336699 (bmp-js made it red), the X byte ignored', () => {
    const bgrx = im([...FLAT.slice(0, 2), 'xc:#33669980', '-define', 'bmp3:alpha=true'], 'BMP3:a.bmp');
    expect([u32(bgrx, 14), geometry(bgrx).bpp, u32(bgrx, 30), bgrx[54 + 3]]).toEqual([40, 32, 0, 0x80]);
    const d = expectSameAsImageMagick(bgrx); // RGB only: ImageMagick takes the X byte for alpha
    expect(pixel(d, 0, 0)).toEqual([0x33, 0x66, 0x99]);
    expect(pixel(d, 39, 29)).toEqual([0x33, 0x66, 0x99]);
    const pattern = im([...PATTERN, '-alpha', 'on', '-define', 'bmp3:alpha=true'], 'BMP3:a.bmp');
    expect(geometry(pattern).bpp).toBe(32);
    expectPattern(expectSameAsImageMagick(pattern));
  });

  it('32-bit bit fields with real alpha give RGBA; all-opaque alpha gives RGB', () => {
    const translucent = im(['-size', '37x23', 'xc:#33669980', '-fill', '#cc3300', '-draw', 'rectangle 0,0 9,4'], 'BMP:a.bmp');
    expect([geometry(translucent).bpp, u32(translucent, 30), u32(translucent, 66)]).toEqual([32, 3, 0xff000000]);
    const d = expectSameAsImageMagick(translucent, { channels: 4 });
    expect(pixel(d, 0, 0)).toEqual([0xcc, 0x33, 0x00, 255]);
    expect(pixel(d, 36, 22)).toEqual([0x33, 0x66, 0x99, 0x80]);
    const opaque = im([...FLAT, '-alpha', 'on'], 'BMP:a.bmp');
    expect(geometry(opaque).bpp).toBe(32);
    const o = expectSameAsImageMagick(opaque);
    expect(pixel(o, 5, 5)).toEqual([0x33, 0x66, 0x99]);
  });

  it('32-bit V5 BI_RGB with an alpha mask uses the alpha; alpha all 0 is ignored', () => {
    // ImageMagick writes V5 alpha only with BI_BITFIELDS; the same file marked BI_RGB keeps the mask
    const bitfields = im(['-size', '37x23', 'xc:#33669980', '-fill', '#cc3300', '-draw', 'rectangle 0,0 9,4'], 'BMP:a.bmp');
    const rgb = Buffer.from(bitfields);
    rgb.writeUInt32LE(0, 30);
    expectSameAsImageMagick(rgb, { channels: 4, reference: bitfields });
    // every alpha byte 0: a careless writer, not an invisible picture
    const zeroAlpha = Buffer.from(bitfields);
    for (let i = u32(zeroAlpha, 10) + 3; i < zeroAlpha.length; i += 4) zeroAlpha[i] = 0;
    expectPattern(expectSameAsImageMagick(zeroAlpha, { reference: bitfields }));
  });

  it('BI_ALPHABITFIELDS after a 40-byte header, and arbitrary 32-bit masks', () => {
    const v5 = im(['-size', '37x23', 'xc:#33669980', '-fill', '#cc3300', '-draw', 'rectangle 0,0 9,4'], 'BMP:a.bmp');
    const alphaBitfields = toInfoHeader(v5, 6, [0xff0000, 0xff00, 0xff, 0xff000000]);
    expectSameAsImageMagick(alphaBitfields, { channels: 4, reference: v5 });
    // Built by hand (ImageMagick writes only 8-bit fields): 10-10-10 in the low 30 bits, 2 wide
    const masks = [0x3ff00000, 0x000ffc00, 0x000003ff];
    const px = (r: number, g: number, b: number) => le32(((r << 20) | (g << 10) | b) >>> 0);
    const pixels = [...px(1023, 512, 204), ...px(0, 1023, 0), ...px(3, 0, 1020), ...px(204, 408, 612)];
    const bmp = infoBmp({ width: 2, height: -2, bpp: 32, compression: 3, extra: masks.flatMap(le32), pixels });
    const d = decodeBmp(bmp, { maxPixels: MAX });
    expect(d.channels).toBe(3);
    expect([pixel(d, 0, 0), pixel(d, 1, 0), pixel(d, 0, 1), pixel(d, 1, 1)]).toEqual([
      [255, 128, 51],
      [0, 255, 0],
      [0, 0, 255],
      [51, 102, 153],
    ]);
  });

  it('top-down files (negative height; built by reversing rows: ImageMagick writes bottom-up only)', () => {
    for (const source of [
      im(PATTERN, 'BMP3:a.bmp'),
      im([...PATTERN, '-fill', '#00ff00', '-draw', 'rectangle 20,10 25,15', '-type', 'palette'], 'BMP3:a.bmp'),
      im([...PATTERN, '-alpha', 'on', '-define', 'bmp3:alpha=true'], 'BMP3:a.bmp'),
    ]) {
      const topDown = toTopDown(source);
      expect(readBmpHeader(topDown).topDown).toBe(true);
      expectPattern(expectSameAsImageMagick(topDown, { reference: source }));
      expectSameAsImageMagick(topDown); // ImageMagick reads the top-down file the same
    }
  });
});

describe('decodeBmp: bounds', () => {
  it('refuses a header claiming 16000×16000 before allocating anything', () => {
    const header = infoBmp({ width: 16000, height: 16000, bpp: 24, compression: 0, pixels: new Array(64).fill(0) });
    const alloc = vi.spyOn(Buffer, 'alloc');
    const allocUnsafe = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      expect(() => decodeBmp(header, { maxPixels: 40_000_000 })).toThrow(BmpError);
      try {
        decodeBmp(header, { maxPixels: 40_000_000 });
      } catch (e) {
        expect((e as BmpError).reason).toBe('too-large');
      }
      expect(alloc).not.toHaveBeenCalled();
      expect(allocUnsafe).not.toHaveBeenCalled();
    } finally {
      alloc.mockRestore();
      allocUnsafe.mockRestore();
    }
    expect(readBmpHeader(header)).toMatchObject({ width: 16000, height: 16000 });
  });

  it('a file cut short: decoded with the missing (top) rows white if half the rows are there', () => {
    const full = im(PATTERN, 'BMP3:a.bmp');
    const g = geometry(full);
    const cut = full.subarray(0, g.offset + g.stride * 15 + 7); // 15 of 23 rows and a bit
    const d = decodeBmp(cut, { maxPixels: MAX });
    const reference = decodeBmp(full, { maxPixels: MAX });
    const rowSize = 37 * 3;
    // bottom-up: the 15 rows in the file are the bottom 15 of the picture
    expect(d.data.subarray(8 * rowSize).equals(reference.data.subarray(8 * rowSize))).toBe(true);
    expect(d.data.subarray(0, 8 * rowSize).every((v) => v === 255)).toBe(true);
    expect(reasonOf(() => decodeBmp(full.subarray(0, g.offset + g.stride * 11), { maxPixels: MAX }))).toBe('malformed');

    const rle = im([...PATTERN, '-type', 'palette', '-compress', 'RLE'], 'BMP3:a.bmp');
    expect(reasonOf(() => decodeBmp(rle.subarray(0, u32(rle, 10) + 20), { maxPixels: MAX }))).toBe('malformed');
    const rleMost = decodeBmp(rle.subarray(0, rle.length - 40), { maxPixels: MAX });
    expect(pixel(rleMost, 36, 0)).toEqual([255, 255, 255]);
    expect(pixel(rleMost, 36, 22)).toEqual([0x33, 0x66, 0x99]);
  });

  it('malformed and unsupported input', () => {
    const good = im(PATTERN, 'BMP3:a.bmp');
    const edit = (write: (b: Buffer) => void) => {
      const b = Buffer.from(good);
      write(b);
      return b;
    };
    const cases: Array<[string, Buffer, 'malformed' | 'unsupported']> = [
      ['empty', Buffer.alloc(0), 'malformed'],
      ['garbage', Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 7919) & 255)), 'malformed'],
      ['a PNG', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'malformed'],
      ['BM and nothing', Buffer.from('BM'), 'malformed'],
      ['header past the end', good.subarray(0, 40), 'malformed'],
      ['header size 7', edit((b) => b.writeUInt32LE(7, 14)), 'malformed'],
      ['OS/2 2.x header', edit((b) => b.writeUInt32LE(64, 14)), 'unsupported'],
      ['width 0', edit((b) => b.writeInt32LE(0, 18)), 'malformed'],
      ['negative width', edit((b) => b.writeInt32LE(-37, 18)), 'malformed'],
      ['height 0', edit((b) => b.writeInt32LE(0, 22)), 'malformed'],
      ['width 70000', edit((b) => b.writeInt32LE(70000, 18)), 'malformed'],
      ['height -70000', edit((b) => b.writeInt32LE(-70000, 22)), 'malformed'],
      ['bit depth 7', edit((b) => b.writeUInt16LE(7, 28)), 'malformed'],
      ['RLE8 at 24 bits', edit((b) => b.writeUInt32LE(1, 30)), 'malformed'],
      ['JPEG inside', edit((b) => b.writeUInt32LE(4, 30)), 'unsupported'],
      ['PNG inside', edit((b) => b.writeUInt32LE(5, 30)), 'unsupported'],
      ['data offset into the header', edit((b) => b.writeUInt32LE(20, 10)), 'malformed'],
      ['data offset past the end', edit((b) => b.writeUInt32LE(good.length + 10, 10)), 'malformed'],
      ['data offset 2^32-1', edit((b) => b.writeUInt32LE(0xffffffff, 10)), 'malformed'],
      ['no pixel data', good.subarray(0, 54), 'malformed'],
      ['zero masks', infoBmp({ width: 1, height: 1, bpp: 32, compression: 3, extra: new Array(12).fill(0), pixels: [0, 0, 0, 0] }), 'malformed'],
      ['split mask', infoBmp({ width: 1, height: 1, bpp: 32, compression: 3, extra: [...le32(0xf0f), ...le32(0xf0), ...le32(0xf000)], pixels: [0, 0, 0, 0] }), 'malformed'],
      ['masks past the end', infoBmp({ width: 1, height: 1, bpp: 16, compression: 3, pixels: [0, 0] }).subarray(0, 60), 'malformed'],
      ['palette without entries', infoBmp({ width: 1, height: 1, bpp: 8, compression: 0, pixels: [0, 0, 0, 0] }), 'malformed'],
    ];
    for (const [name, buf, reason] of cases) {
      expect(`${name}: ${reasonOf(() => decodeBmp(buf, { maxPixels: MAX }))}`).toBe(`${name}: ${reason}`);
    }
  });

  it('a hostile RLE stream ends without running away', () => {
    // a row's worth of red, then thousands of deltas and runs far to the right of a 4×4 image
    const stream: number[] = [255, 0];
    for (let i = 0; i < 2000; i++) stream.push(0, 2, 255, 0, 255, 0);
    stream.push(0, 1);
    const palette = [0, 0, 255, 0];
    const bmp = infoBmp({ width: 4, height: 4, bpp: 8, compression: 1, extra: palette, pixels: stream });
    bmp.writeUInt32LE(1, 46);
    const d = decodeBmp(bmp, { maxPixels: MAX });
    expect(pixel(d, 3, 3)).toEqual([255, 0, 0]);
    expect(pixel(d, 0, 2)).toEqual([255, 255, 255]);
    const plunge = infoBmp({ width: 4, height: 4, bpp: 8, compression: 1, extra: palette, pixels: [4, 0, 0, 2, 0, 255, 4, 0] });
    plunge.writeUInt32LE(1, 46);
    expect(pixel(decodeBmp(plunge, { maxPixels: MAX }), 0, 3)).toEqual([255, 0, 0]);
  });
});

function reasonOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof BmpError ? e.reason : `not a BmpError: ${String(e)}`;
  }
}
