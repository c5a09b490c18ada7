// What an inspector sees at a glance and rejects: the same picture twice (resized, re-sent through
// WeChat, recompressed) and a blurred photo. Every measure is defined on ONE canonical thumbnail of
// the photo: upright, flattened onto white, sRGB, its long side QUALITY_SIDE pixels (a smaller photo
// at its own size). `check` makes it from its small decode (JPEG shrink-on-load, measurePhoto
// below); `build` makes it from the decode that prepares the photo for its page (see
// convert/photo-measured.ts), so that a cold build decodes each photo once. The two thumbnails are
// the same picture resampled along two paths: their measures agree within MEASURE_TOLERANCE
// (test/quality.test.ts, bench/measure-agree.mjs), and give the same verdicts.
//
// - a perceptual hash (the signs of the 63 lowest DCT frequencies of a 32×32 average of the grey
//   thumbnail, against their median): resizing and recompression barely move it, a different
//   picture moves half its bits. Two pictures of one layout (the same room, another moment or
//   colour) can hash alike, so a near hash is confirmed on a 12×12 colour copy: a copy keeps its
//   colours in place;
// - sharpness as 1/the width of the photo's steepest edges (contrast over slope, whatever the
//   contrast), in the direction where they are widest, so that a shaken hand's blur along one
//   direction counts; a photo without strong edges (a blank wall, the sky) is not judged.
import type { EvidenceFile, WarningParams } from '../model.js';
import { MAX_PHOTO_BYTES } from './limits.js';
import { readRegularFile } from '../util/fsx.js';

/** The long side of the copy photos are measured on. */
export const QUALITY_SIDE = 512;
/** Below this sharpness a photo is called blurry (calibrated in test/quality.test.ts). */
export const BLURRY_BELOW = 0.27;
/** At most this many of the 63 hash bits differ between near-duplicates (calibrated in the tests). */
export const NEAR_DUPLICATE_BITS = 6;
/** The strongest edges must reach this gradient (grey levels per pixel) for sharpness to be judged. */
const MIN_EDGE = 12;

export interface PhotoFacts {
  /** perceptual hash, 16 hex digits (63 bits used) */
  hash: string;
  /** the photo as 12×12 sRGB pixels, base64: confirms a near hash (copies keep their colours) */
  thumb: string;
  /** 1/edge width; undefined when the photo has no strong edges to judge by */
  sharpness?: number;
  /** an animated GIF or WebP: its frames (more than one; the first is measured, and bound) */
  frames?: number;
  /** the image data is damaged: the decoder complained, and what it recovered was measured */
  damage?: WarningParams['damaged-image']['cause'];
}

/** A photo whose image data no decoder of ours turns into pixels: it cannot be bound. */
export class UndecodableError extends Error {
  constructor(cause: unknown) {
    super('图像数据无法解码', { cause });
    this.name = 'UndecodableError';
  }
}

/**
 * How far the measures of one photo may lie apart when its canonical thumbnail is made along the two
 * paths (check's small decode, build's prepared photo): sharpness (absolute, on its 0–1 scale), hash
 * bits, and the mean difference of the 12×12 colour copies (0–255). Measured on the quality fixtures
 * and the bench's 2,000 camera photos (largest seen: bench/README.md), with a margin. The hash bits
 * hold for a photo with strong edges (one judged for sharpness): a featureless photo (the sky, a
 * blank wall) hashes to noise along any path — its own recompressed copy moves more bits than this —
 * and is found a near-duplicate by neither.
 */
export const MEASURE_TOLERANCE = { sharpness: 0.02, hashBits: 4, thumb: 2 } as const;

/** The canonical thumbnail's pixels: interleaved sRGB (or grey) bytes, upright, flattened. */
export interface Canonical {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** What the measures say beside the pixels: the file's type and frames, and the decoder's complaint. */
export interface MeasureContext {
  type: EvidenceFile['type'];
  /** pages or frames in the file */
  pages: number;
  damage?: PhotoFacts['damage'] | undefined;
}

/** The canonical thumbnail's size for a photo of w×h pixels (upright): its long side QUALITY_SIDE, never enlarged. */
export function canonicalSize(w: number, h: number): { width: number; height: number } {
  if (Math.max(w, h) <= QUALITY_SIDE) return { width: w, height: h };
  return w >= h
    ? { width: QUALITY_SIDE, height: Math.max(1, Math.round((h * QUALITY_SIDE) / w)) }
    : { width: Math.max(1, Math.round((w * QUALITY_SIDE) / h)), height: QUALITY_SIDE };
}

/** The measures of a photo, from its canonical thumbnail: the one definition both paths share. */
export function measureCanonical(c: Canonical, ctx: MeasureContext): PhotoFacts {
  const { grey, thumb } = planes(c.data, c.channels, c.width, c.height);
  const s = sharpness(grey, c.width, c.height);
  return {
    hash: perceptualHash(grey, c.width, c.height),
    thumb: Buffer.from(thumb).toString('base64'),
    ...(s !== undefined ? { sharpness: Math.round(s * 1000) / 1000 } : {}),
    ...((ctx.type === 'gif' || ctx.type === 'webp') && ctx.pages > 1 ? { frames: ctx.pages } : {}),
    ...(ctx.damage ? { damage: ctx.damage } : {}),
  };
}

/**
 * Measure a photo as `check` does: its canonical thumbnail made from a small decode (JPEG
 * shrink-on-load), decoded as binding decodes it (see convert/photo.ts decodePhoto), with the decoder
 * first made strict to learn whether the image data is damaged. `bytes`: its content, when already
 * read. A photo that cannot be decoded throws an UndecodableError.
 */
export async function measurePhoto(file: Pick<EvidenceFile, 'abs' | 'path' | 'type'>, bytes?: Buffer): Promise<PhotoFacts> {
  // sharp is loaded only when a photo has to be measured: a check whose photos are all in the cache needs none
  const { decodePhoto } = await import('../convert/photo.js');
  const buf = bytes ?? readRegularFile(file.abs, file.path, MAX_PHOTO_BYTES);
  let decoded;
  try {
    decoded = await decodePhoto(
      file,
      buf,
      async ({ img, pages }) => ({
        pages,
        ...(await img
          .rotate()
          .resize(QUALITY_SIDE, QUALITY_SIDE, { fit: 'inside', withoutEnlargement: true })
          .flatten({ background: '#ffffff' })
          .toColourspace('srgb')
          .raw()
          .toBuffer({ resolveWithObject: true })),
      }),
      true,
    );
  } catch (err) {
    throw new UndecodableError(err);
  }
  const { data, info, pages } = decoded.value;
  return measureCanonical({ data, width: info.width, height: info.height, channels: info.channels }, { type: file.type, pages, damage: decoded.damage });
}

/** 0.299·v, 0.587·v and 0.114·v for every value v: the same products the formula makes, looked up. */
const LUMA = (() => {
  const t = new Float64Array(3 * 256);
  for (let v = 0; v < 256; v++) {
    t[v] = 0.299 * v;
    t[256 + v] = 0.587 * v;
    t[512 + v] = 0.114 * v;
  }
  return t;
})();

/**
 * The grey copy (round(0.299 r + 0.587 g + 0.114 b)) and the 12×12 colour thumbnail (each cell the
 * mean of its pixels) of interleaved pixels, in one pass and a function of its own (V8 compiles it
 * as such; inside the async function above it ran several times slower).
 */
function planes(data: Uint8Array, channels: number, w: number, h: number): { grey: Uint8Array; thumb: Uint8Array } {
  const grey = new Uint8Array(w * h);
  const sum = new Float64Array(THUMB * THUMB * 3);
  const count = new Float64Array(THUMB * THUMB);
  // each cell's columns: [start, end) of the pixels x with floor(x·12/w) = cell
  const colStart = new Int32Array(THUMB + 1);
  for (let x = 0, cell = 0; x <= w; x++) {
    const c = x === w ? THUMB : Math.min(THUMB - 1, Math.floor((x * THUMB) / w));
    while (cell < c) colStart[++cell] = x;
  }
  // a grey photo's one channel stands for all three
  const off = channels >= 3 ? 1 : 0;
  for (let y = 0, i = 0, j = 0; y < h; y++) {
    const row = Math.min(THUMB - 1, Math.floor((y * THUMB) / h)) * THUMB;
    for (let cell = 0; cell < THUMB; cell++) {
      // a row's pixels in one cell summed as integers, then added to the cell (exact either way)
      let sr = 0;
      let sg = 0;
      let sb = 0;
      for (let x = colStart[cell]!, end = colStart[cell + 1]!; x < end; x++, i++, j += channels) {
        const r = data[j]!;
        const g = data[j + off]!;
        const b = data[j + 2 * off]!;
        grey[i] = Math.round(LUMA[r]! + LUMA[256 + g]! + LUMA[512 + b]!);
        sr += r;
        sg += g;
        sb += b;
      }
      const c = row + cell;
      sum[c * 3]! += sr;
      sum[c * 3 + 1]! += sg;
      sum[c * 3 + 2]! += sb;
      count[c]! += colStart[cell + 1]! - colStart[cell]!;
    }
  }
  const thumb = new Uint8Array(THUMB * THUMB * 3);
  for (let c = 0; c < THUMB * THUMB; c++) for (let k = 0; k < 3; k++) thumb[c * 3 + k] = count[c]! > 0 ? Math.round(sum[c * 3 + k]! / count[c]!) : 0;
  return { grey, thumb };
}

const THUMB = 12;
/** Near-duplicates differ by at most this much per colour value on average, over the 12×12 copy. */
export const NEAR_DUPLICATE_MEAN_DIFF = 8;

/** The mean absolute difference of two thumbnails' colour values (0–255). */
export function thumbDistance(a: string, b: string): number {
  const x = Buffer.from(a, 'base64');
  const y = Buffer.from(b, 'base64');
  if (x.length !== y.length || x.length === 0) return 255;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

/** Whether two photos are the same picture: a near perceptual hash, and the same colours where. */
export function nearDuplicate(a: PhotoFacts, b: PhotoFacts): { distance: number; diff: number } | undefined {
  const distance = hashDistance(a.hash, b.hash);
  if (distance > NEAR_DUPLICATE_BITS) return undefined;
  const diff = thumbDistance(a.thumb, b.thumb);
  return diff <= NEAR_DUPLICATE_MEAN_DIFF ? { distance, diff } : undefined;
}

/** Area average of a grey image into n×n cells. */
function shrink(grey: Uint8Array, w: number, h: number, n: number): Float64Array {
  const sum = new Float64Array(n * n);
  const count = new Float64Array(n * n);
  // each column's cell, once (not per pixel)
  const cellOf = new Int32Array(w);
  for (let x = 0; x < w; x++) cellOf[x] = Math.min(n - 1, Math.floor((x * n) / w));
  for (let y = 0; y < h; y++) {
    const row = Math.min(n - 1, Math.floor((y * n) / h)) * n;
    for (let x = 0, i = y * w; x < w; x++, i++) {
      const c = row + cellOf[x]!;
      sum[c] = sum[c]! + grey[i]!;
      count[c] = count[c]! + 1;
    }
  }
  for (let i = 0; i < n * n; i++) sum[i] = count[i]! > 0 ? sum[i]! / count[i]! : 0;
  return sum;
}

const N = 32;
const K = 8;
const COS = (() => {
  const t = new Float64Array(K * N);
  for (let u = 0; u < K; u++) for (let x = 0; x < N; x++) t[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  return t;
})();

export function perceptualHash(grey: Uint8Array, w: number, h: number): string {
  const p = shrink(grey, w, h, N);
  // rows first: r[y][u] = Σx p[y][x] cos(u, x); then columns: c[v][u] = Σy r[y][u] cos(v, y)
  const r = new Float64Array(N * K);
  for (let y = 0; y < N; y++) for (let u = 0; u < K; u++) {
    let s = 0;
    for (let x = 0; x < N; x++) s += p[y * N + x]! * COS[u * N + x]!;
    r[y * K + u] = s;
  }
  const coef: number[] = [];
  for (let v = 0; v < K; v++) for (let u = 0; u < K; u++) {
    if (u === 0 && v === 0) continue; // the mean brightness says nothing about the picture
    let s = 0;
    for (let y = 0; y < N; y++) s += r[y * K + u]! * COS[v * N + y]!;
    coef.push(s);
  }
  const median = [...coef].sort((a, b) => a - b)[coef.length >> 1]!;
  let bits = 0n;
  for (const c of coef) bits = (bits << 1n) | (c > median ? 1n : 0n);
  return bits.toString(16).padStart(16, '0');
}

/** How many bits two hashes differ in. */
/** Bits set in a 32-bit number. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** How many bits two perceptual hashes (16 hex digits) differ in. */
export function hashDistance(a: string, b: string): number {
  return wordsDistance(hashWords(a), hashWords(b));
}

/** A perceptual hash as two 32-bit words: parsed once per photo where many pairs are compared. */
export function hashWords(hash: string): [number, number] {
  return [parseInt(hash.slice(0, 8), 16), parseInt(hash.slice(8, 16), 16)];
}

export function wordsDistance(a: readonly [number, number], b: readonly [number, number]): number {
  return popcount((a[0] ^ b[0]) >>> 0) + popcount((a[1] ^ b[1]) >>> 0);
}

/** The value at quantile q of a histogram of non-negative integers. */
function quantile(hist: Uint32Array, total: number, q: number): number {
  const want = total * q;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= want) return i;
  }
  return hist.length - 1;
}

/** Directions sharpness is measured along: x, y and the two diagonals (a motion blur smears one). */
const DIRS: [number, number][] = [
  [1, 0],
  [0, 1],
  [1, 1],
  [1, -1],
];

/** How far either side of an edge its contrast is looked for (pixels of the small copy). */
const REACH = 6;

/**
 * 1/edge width of the photo's strongest edges, in the direction where they are widest: a blur from
 * a shaking hand widens the edges across the motion and leaves the others sharp. An edge's width is
 * its contrast (the grey range within REACH pixels along the direction) over its steepest slope;
 * the median over the steepest 0.5 % of pixels stands for the photo.
 */
export function sharpness(grey: Uint8Array, w: number, h: number): number | undefined {
  if (w < 4 * REACH || h < 4 * REACH) return undefined;
  let widest: number | undefined;
  for (const [dx, dy] of DIRS) {
    const step = dy * w + dx;
    const len = Math.hypot(dx, dy);
    // the slope over two neighbours is |difference of two grey levels| / (2 len): 256 values, each
    // and its histogram bin computed once (the same expressions as per pixel, so the same numbers)
    const slopes = new Float64Array(256);
    const bins = new Uint16Array(256);
    const hist = new Uint32Array(4 * 256);
    for (let d = 0; d < 256; d++) {
      slopes[d] = d / (2 * len);
      bins[d] = Math.min(hist.length - 1, Math.round(slopes[d]! * 4));
    }
    let total = 0;
    for (let y = REACH; y < h - REACH; y++) {
      for (let i = y * w + REACH, end = y * w + w - REACH; i < end; i++) {
        hist[bins[Math.abs(grey[i + step]! - grey[i - step]!)]!]!++;
        total++;
      }
    }
    const steep = quantile(hist, total, 0.995) / 4;
    if (steep < MIN_EDGE) continue;
    // the slopes grow with the difference: a pixel is steep when its difference reaches the first
    // one whose slope is steep (the same test as slope ≥ steep, without the slope of every pixel)
    let least = 0;
    while (least < 256 && slopes[least]! < steep) least++;
    const widths: number[] = [];
    for (let y = REACH; y < h - REACH; y++) {
      for (let x = REACH; x < w - REACH; x++) {
        const i = y * w + x;
        const d = Math.abs(grey[i + step]! - grey[i - step]!);
        if (d < least) continue;
        const g = slopes[d]!;
        let lo = 255;
        let hi = 0;
        for (let k = -REACH; k <= REACH; k++) {
          const v = grey[i + k * step]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        widths.push((hi - lo) / g / len);
      }
    }
    widths.sort((a, b) => a - b);
    const width = widths[widths.length >> 1]!;
    widest = widest === undefined ? width : Math.max(widest, width);
  }
  return widest === undefined ? undefined : 1 / widest;
}
