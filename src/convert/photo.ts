// A photo ready for a page: upright (EXIF orientation applied), sRGB, no larger than its place at
// the layout's dpi. A JPEG that already fits and is upright is passed through untouched.
import sharp, { type Sharp } from 'sharp';
import type { EvidenceFile } from '../model.js';
import { MAX_PHOTO_BYTES, pixelLimit } from '../evidence/limits.js';
import { readRegularFile } from '../util/fsx.js';
import { decodeBmp } from './bmp.js';

/** Photos are read whole; a camera file is tens of megabytes, a scan at most a few hundred. */
export { MAX_PHOTO_BYTES };

export interface PreparedPhoto {
  bytes: Uint8Array;
  format: 'jpg' | 'png';
  /** pixel size, upright */
  width: number;
  height: number;
}

/** HEIC decodes under way, and console.log as it was before the first of them. */
let heicDecoding = 0;
let consoleLog: typeof console.log = console.log;

/** Decode a HEIC/HEIF photo (sharp's prebuilt libvips has no HEVC decoder); `check` bounded its size. */
async function heicToSharp(buf: Buffer): Promise<Sharp> {
  // libheif prints why it cannot parse a file with console.log, onto standard output, where
  // `check --format json` writes its report; the decode still fails, and says so, without it.
  // (Silenced before libheif is loaded: its wasm glue may keep the console.log it finds then.)
  if (heicDecoding++ === 0) {
    consoleLog = console.log;
    console.log = () => {};
  }
  let img: { width: number; height: number; data: Uint8ClampedArray | Uint8Array };
  try {
    // libheif (wasm) is loaded only when a HEIC photo comes
    const { default: heicDecode } = await import('heic-decode');
    img = await heicDecode({ buffer: buf });
  } finally {
    if (--heicDecoding === 0) console.log = consoleLog;
  }
  if (img.width * img.height > pixelLimit('heic')) throw new Error(`图片有 ${img.width}×${img.height} 像素，超过可处理的上限`);
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: 4 },
  });
}

/** Decode a BMP (sharp's prebuilt libvips reads no BMP), refusing sizes past the limit before allocating. */
function bmpToSharp(buf: Buffer): Sharp {
  const img = decodeBmp(buf, { maxPixels: pixelLimit('bmp') });
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
}

export interface OpenedPhoto {
  img: Sharp;
  /** the file's bytes */
  buf: Buffer;
  /** EXIF orientation still to apply (1 when the decoder applied it) */
  orientation: number;
  space: string | undefined;
  format: string | undefined;
  /** pixel size, upright */
  w: number;
  h: number;
}

/** A photo file opened for sharp, whatever its format (HEIC and BMP decoded here, bounded). */
export async function openPhoto(file: Pick<EvidenceFile, 'abs' | 'path' | 'type'>, within?: Buffer, bytes?: Buffer): Promise<OpenedPhoto> {
  const buf = bytes ?? readRegularFile(file.abs, file.path, MAX_PHOTO_BYTES, within);
  if (file.type === 'heic' || file.type === 'bmp') {
    const img = file.type === 'heic' ? await heicToSharp(buf) : bmpToSharp(buf);
    const m = await img.metadata();
    // libheif has already applied the HEIF transformations (irot/imir), which are what iPhones use.
    return { img, buf, orientation: 1, space: undefined, format: file.type === 'bmp' ? 'bmp' : undefined, w: m.width ?? 0, h: m.height ?? 0 };
  }
  const img = sharp(buf, { failOn: 'none', pages: 1, limitInputPixels: pixelLimit(file.type) });
  const m = await img.metadata();
  const orientation = m.orientation ?? 1;
  const [w, h] = orientation >= 5 ? [m.height ?? 0, m.width ?? 0] : [m.width ?? 0, m.height ?? 0];
  return { img, buf, orientation, space: m.space, format: m.format, w, h };
}

/** How photos are prepared: part of every cached photo's key, changed whenever the recipe below is. */
export const PHOTO_RECIPE = 'jpeg-q85-420;png-9;srgb;flatten-white-all';

/** `bytes`: the file's content when already read (else it is read here, from inside `within`). */
export async function preparePhoto(file: EvidenceFile, maxWidthPx: number, maxHeightPx: number, within?: Buffer, bytes?: Buffer): Promise<PreparedPhoto> {
  const { img, buf, orientation, space, format, w, h } = await openPhoto(file, within, bytes);
  if (!w || !h) throw new Error('无法读出图片尺寸');
  const scale = Math.min(1, maxWidthPx / w, maxHeightPx / h);
  const fits = scale >= 1;
  if (format === 'jpeg' && orientation === 1 && fits && (space === 'srgb' || space === 'b-w')) {
    // a copy: pdf-lib reads `.buffer` whole, and a pooled Buffer's does not start at the JPEG
    return { bytes: new Uint8Array(buf), format: 'jpg', width: w, height: h };
  }
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  // Screenshots and drawings (PNG, GIF, BMP) stay lossless; camera photos become JPEG. Both are
  // flattened onto the white of the page they are printed on (an 8-bit PNG without transparency
  // then goes into the PDF as it is, see render/pdf/png.ts).
  const lossless = format === 'png' || format === 'gif' || format === 'bmp';
  const pipeline = img.rotate().resize(tw, th, { fit: 'fill' }).toColourspace('srgb').flatten({ background: '#ffffff' });
  const out = lossless ? await pipeline.png({ compressionLevel: 9 }).toBuffer() : await pipeline.jpeg({ quality: 85, chromaSubsampling: '4:2:0' }).toBuffer();
  return { bytes: new Uint8Array(out), format: lossless ? 'png' : 'jpg', width: tw, height: th };
}
