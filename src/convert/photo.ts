// A photo ready for a page: upright (EXIF orientation applied), sRGB, no larger than its place at
// the layout's dpi. A JPEG that already fits and is upright is passed through untouched.
import sharp, { type Sharp } from 'sharp';
import type { EvidenceFile, WarningParams } from '../model.js';
import { MAX_PHOTO_BYTES, pixelLimit } from '../evidence/limits.js';
import { readRegularFile } from '../util/fsx.js';
import { quietly } from '../util/quiet.js';
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

/** Decode a HEIC/HEIF photo (sharp's prebuilt libvips has no HEVC decoder); `check` bounded its size. */
async function heicToSharp(buf: Buffer): Promise<Sharp> {
  // libheif prints why it cannot parse a file with console.log, onto standard output, where
  // `check --format json` writes its report; the decode still fails, and says so, without it
  // (util/quiet.ts: the console is wrapped before libheif is loaded, its wasm glue keeps the wrapper).
  const img: { width: number; height: number; data: Uint8ClampedArray | Uint8Array } = await quietly(async () => {
    // libheif (wasm) is loaded only when a HEIC photo comes
    const { default: heicDecode } = await import('heic-decode');
    return heicDecode({ buffer: buf });
  });
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
  /** pages or frames in the file (an animated GIF or WebP: its frames; the first is the one opened) */
  pages: number;
}

/**
 * A photo file opened for sharp, whatever its format (HEIC and BMP decoded here, bounded).
 * `failOn`: 'warning' makes libvips fail on any complaint of the decoder (to learn whether the
 * image data is damaged); 'none' decodes what it can, as a viewer shows a damaged photo.
 */
export async function openPhoto(file: Pick<EvidenceFile, 'abs' | 'path' | 'type'>, within?: Buffer, bytes?: Buffer, failOn: 'none' | 'warning' = 'none'): Promise<OpenedPhoto> {
  const buf = bytes ?? readRegularFile(file.abs, file.path, MAX_PHOTO_BYTES, within);
  if (file.type === 'heic' || file.type === 'bmp') {
    const img = file.type === 'heic' ? await heicToSharp(buf) : bmpToSharp(buf);
    const m = await img.metadata();
    // libheif has already applied the HEIF transformations (irot/imir), which are what iPhones use.
    return { img, buf, orientation: 1, space: undefined, format: file.type === 'bmp' ? 'bmp' : undefined, w: m.width ?? 0, h: m.height ?? 0, pages: 1 };
  }
  const img = sharp(buf, { failOn, pages: 1, limitInputPixels: pixelLimit(file.type) });
  const m = await img.metadata();
  // (AVIF: libheif inside libvips applies the HEIF transformations, and reports no EXIF orientation to apply again)
  const orientation = m.orientation ?? 1;
  const [w, h] = orientation >= 5 ? [m.height ?? 0, m.width ?? 0] : [m.width ?? 0, m.height ?? 0];
  return { img, buf, orientation, space: m.space, format: m.format, w, h, pages: m.pages ?? 1 };
}

export type Damage = WarningParams['damaged-image']['cause'];

/**
 * What the decoder's complaint (libvips's message, made strict) says of the image data; undefined
 * for complaints about nothing that is shown (a few stray bytes between segments, an odd scan
 * header, a thumbnail's size, an unknown tag), which are no damage.
 */
export function damageOf(message: string): Damage | undefined {
  const lines = message.split('\n').filter((l) => !/extraneous bytes|Invalid SOS parameters|thumbnail|Unknown field|unknown tag|ASCII value|incorrect sRGB profile|known incorrect/i.test(l));
  const text = lines.join('\n');
  // (libjpeg's "premature end of data segment" is a scan cut by a stray marker: corrupt data, not a short file)
  if (/premature end of (?:JPEG )?file|end of file|truncated|not enough (?:image )?data|unexpected end|short read|read error|EOF/i.test(text)) return 'missing-data';
  if (/corrupt|huffman|instead of RST|bad code|decompress|invalid (?:distance|code|block|stored)|CRC|IDAT|decode|premature EOL|damaged/i.test(text)) return 'corrupt-data';
  return undefined;
}

/**
 * A copy of a JPEG whose bytes no JPEG may hold — after its first scan has begun, an FF followed by
 * a marker code that does not exist there (02–BF, a second SOI or SOF, DE, DF, F0–FD) — are made
 * stuffed FF 00 bytes; undefined when it has none. libjpeg stops the whole picture at such a byte
 * (a damaged progressive JPEG: "Unsupported marker type"), where viewers show what came before it;
 * made a data byte, it is one more damaged spot in the scan, decoded like the rest. Stops at the
 * end-of-image marker: what follows (a motion photo's video) is not the picture.
 */
export function neutraliseBadMarkers(buf: Buffer): Buffer | undefined {
  // the segments before the first scan, by their lengths
  let pos = 2;
  if (buf[0] !== 0xff || buf[1] !== 0xd8) return undefined;
  for (;;) {
    if (pos + 4 > buf.length || buf[pos] !== 0xff) return undefined;
    const marker = buf[pos + 1]!;
    if (marker === 0xff) {
      pos++;
      continue;
    }
    if (marker === 0xd9) return undefined;
    const length = buf.readUInt16BE(pos + 2);
    pos += 2 + length;
    if (marker === 0xda) break;
  }
  const invalid = (c: number) =>
    (c >= 0x02 && c <= 0xbf) || (c >= 0xc0 && c <= 0xcf && c !== 0xc4 && c !== 0xc8 && c !== 0xcc) || c === 0xd8 || c === 0xde || c === 0xdf || (c >= 0xf0 && c <= 0xfd);
  let copy: Buffer | undefined;
  for (let i = buf.indexOf(0xff, pos); i >= 0 && i + 1 < buf.length; i = buf.indexOf(0xff, i + 1)) {
    const c = buf[i + 1]!;
    if (c === 0xd9) break;
    if (!invalid(c)) continue;
    copy ??= Buffer.from(buf);
    copy[i + 1] = 0x00;
  }
  return copy;
}

/**
 * `use` run on the photo decoded as a viewer shows it, and whether its image data is damaged.
 * `strict`: first with the decoder failing on any complaint — a photo that passes is whole; one
 * that does not is decoded again tolerantly, and `damage` says what its complaint was. A JPEG that
 * even a tolerant decode gives up on is tried once more with its impossible bytes made data (see
 * neutraliseBadMarkers). What cannot be decoded at all throws. `bytes`: the file's content.
 */
export async function decodePhoto<T>(
  file: Pick<EvidenceFile, 'abs' | 'path' | 'type'>,
  bytes: Buffer,
  use: (photo: OpenedPhoto) => Promise<T>,
  strict: boolean,
): Promise<{ value: T; damage?: Damage }> {
  let complaint: string | undefined;
  // (HEIC and BMP are decoded by our own decoders, which have no tolerant mode)
  if (strict && file.type !== 'heic' && file.type !== 'bmp') {
    try {
      return { value: await use(await openPhoto(file, undefined, bytes, 'warning')) };
    } catch (err) {
      complaint = err instanceof Error ? err.message : String(err);
    }
  }
  try {
    const value = await use(await openPhoto(file, undefined, bytes, 'none'));
    const damage = complaint !== undefined ? damageOf(complaint) : undefined;
    return damage ? { value, damage } : { value };
  } catch (err) {
    const repaired = file.type === 'jpg' ? neutraliseBadMarkers(bytes) : undefined;
    if (!repaired) throw undecodable(err);
    try {
      return { value: await use(await openPhoto(file, undefined, repaired, 'none')), damage: 'invalid-markers' };
    } catch {
      throw undecodable(err);
    }
  }
}

/** A decoder's failure as the user may read it: our own Chinese words stay, a library's English does not. */
function undecodable(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  return err instanceof Error && /\p{Script=Han}/u.test(message) ? err : new Error('图像数据无法解码', { cause: err });
}

/** How photos are prepared: part of every cached photo's key, changed whenever the recipe below is. */
export const PHOTO_RECIPE = 'jpeg-q85-420;png-9;srgb;flatten-white-all;damaged-reencoded;bad-markers-neutralised';

/**
 * What preparing an opened photo for a box of maxWidthPx × maxHeightPx pixels takes: the file as it is
 * (a JPEG that fits, upright, sRGB or grey, not damaged: no decode at all), or the pipeline that
 * decodes it, upright, at its size on the page, sRGB on white, and how it is encoded. Shared by
 * preparePhoto and convert/photo-measured.ts, so both give the same bytes.
 */
export function planPreparation(
  { img, orientation, space, format, w, h }: OpenedPhoto,
  /** the file's bytes (passed through as they are) */
  buf: Buffer,
  file: Pick<EvidenceFile, 'damaged'>,
  maxWidthPx: number,
  maxHeightPx: number,
): { as: PreparedPhoto } | { pipeline: Sharp; lossless: boolean; width: number; height: number } {
  if (!w || !h) throw new Error('无法读出图片尺寸');
  const scale = Math.min(1, maxWidthPx / w, maxHeightPx / h);
  const fits = scale >= 1;
  if (format === 'jpeg' && orientation === 1 && fits && (space === 'srgb' || space === 'b-w') && !file.damaged) {
    // a copy: pdf-lib reads `.buffer` whole, and a pooled Buffer's does not start at the JPEG
    return { as: { bytes: new Uint8Array(buf), format: 'jpg', width: w, height: h } };
  }
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  // Screenshots and drawings (PNG, GIF, BMP) stay lossless; camera photos become JPEG. Both are
  // flattened onto the white of the page they are printed on (an 8-bit PNG without transparency
  // then goes into the PDF as it is, see render/pdf/png.ts).
  const lossless = format === 'png' || format === 'gif' || format === 'bmp';
  const pipeline = img.rotate().resize(tw, th, { fit: 'fill' }).toColourspace('srgb').flatten({ background: '#ffffff' });
  return { pipeline, lossless, width: tw, height: th };
}

/** A prepared photo's encoding: PNG for what stays lossless, else JPEG (part of PHOTO_RECIPE). */
export function encodePrepared(pipeline: Sharp, lossless: boolean): Promise<Buffer> {
  return lossless ? pipeline.png({ compressionLevel: 9 }).toBuffer() : pipeline.jpeg({ quality: 85, chromaSubsampling: '4:2:0' }).toBuffer();
}

/**
 * `bytes`: the file's content when already read (else it is read here, from inside `within`). A
 * photo whose image data `check` found damaged (`file.damaged`) is never passed through as it is:
 * each PDF reader would show its damage its own way, some not at all; it is decoded as a viewer
 * shows it and encoded anew.
 */
export async function preparePhoto(file: EvidenceFile, maxWidthPx: number, maxHeightPx: number, within?: Buffer, bytes?: Buffer): Promise<PreparedPhoto> {
  const buf = bytes ?? readRegularFile(file.abs, file.path, MAX_PHOTO_BYTES, within);
  const { value } = await decodePhoto(
    file,
    buf,
    async (opened) => {
      const plan = planPreparation(opened, buf, file, maxWidthPx, maxHeightPx);
      if ('as' in plan) return plan.as;
      const out = await encodePrepared(plan.pipeline, plan.lossless);
      return { bytes: new Uint8Array(out), format: plan.lossless ? 'png' : 'jpg', width: plan.width, height: plan.height } satisfies PreparedPhoto;
    },
    false,
  );
  return value;
}
