/**
 * A BMP decoder for evidence photos and scans (sharp's prebuilt libvips reads no BMP). BMPs come
 * from old scanners, screenshots and paint programs in every variant the format has, and some are
 * broken or hostile, so every size is checked against the buffer, and the pixel budget is checked
 * before the one output buffer is allocated.
 */

export interface BmpInfo {
  width: number;
  height: number;
  bitsPerPixel: number;
  topDown: boolean;
  compression: number;
}

export class BmpError extends Error {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'too-large' | 'unsupported',
  ) {
    super(message);
    this.name = 'BmpError';
  }
}

export interface DecodedBmp {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Buffer;
}

const FILE_HEADER_SIZE = 14;
const CORE_HEADER_SIZE = 12;
/** BITMAPINFOHEADER and its V2, V3, V4 and V5 extensions. */
const INFO_HEADER_SIZES = [40, 52, 56, 108, 124];
/** Beyond this a dimension is a corrupt or hostile header rather than a photo. */
const MAX_DIMENSION = 65535;

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

interface Channel {
  mask: number;
  shift: number;
  bits: number;
}

interface Masks {
  r: Channel;
  g: Channel;
  b: Channel;
  a: Channel | null;
}

interface Layout {
  info: BmpInfo;
  dataOffset: number;
  paletteOffset: number;
  paletteEntrySize: 3 | 4;
  paletteCount: number;
  masks: Masks | null;
}

const malformed = (message: string) => new BmpError(message, 'malformed');
const unsupported = (message: string) => new BmpError(message, 'unsupported');

/**
 * The header facts. Needs only the headers and palette, not the pixel data, so it works on the
 * first few KiB of a file; decodeBmp is what checks the pixel data against the buffer.
 */
export function readBmpHeader(buf: Uint8Array): BmpInfo {
  return parseLayout(buf).info;
}

export function decodeBmp(buf: Uint8Array, opts: { maxPixels: number }): DecodedBmp {
  const layout = parseLayout(buf);
  const { width, height } = layout.info;
  if (width * height > opts.maxPixels) {
    throw new BmpError(`${width}×${height} is more than ${opts.maxPixels} pixels`, 'too-large');
  }
  if (layout.dataOffset >= buf.length) throw malformed('the pixel data offset lies past the end of the file');
  const compression = layout.info.compression;
  if (compression === BI_RLE8 || compression === BI_RLE4) return decodeRle(buf, layout);
  return decodeUncompressed(buf, layout);
}

// ---------------------------------------------------------------------------------------------
// Headers

function parseLayout(buf: Uint8Array): Layout {
  if (buf.length < FILE_HEADER_SIZE + 4 || buf[0] !== 0x42 || buf[1] !== 0x4d) {
    throw malformed('not a BMP: no BM signature');
  }
  const headerSize = u32(buf, 14);
  const isCore = headerSize === CORE_HEADER_SIZE;
  if (!isCore && !INFO_HEADER_SIZES.includes(headerSize)) {
    // 16 and 64 are OS/2 2.x headers: real files, just not ones we read.
    if (headerSize === 16 || headerSize === 64) throw unsupported(`OS/2 2.x bitmap header (${headerSize} bytes)`);
    throw malformed(`unknown bitmap header size ${headerSize}`);
  }
  const headerEnd = FILE_HEADER_SIZE + headerSize;
  if (headerEnd > buf.length) throw malformed('the bitmap header runs past the end of the file');

  const width = isCore ? u16(buf, 18) : i32(buf, 18);
  const rawHeight = isCore ? u16(buf, 20) : i32(buf, 22);
  const bitsPerPixel = isCore ? u16(buf, 24) : u16(buf, 28);
  const compression = isCore ? BI_RGB : u32(buf, 30);
  const colorsUsed = isCore ? 0 : u32(buf, 46);
  checkDimensions(width, rawHeight);
  checkFormat(isCore, bitsPerPixel, compression);

  const info: BmpInfo = { width, height: Math.abs(rawHeight), bitsPerPixel, topDown: rawHeight < 0, compression };
  // With a 40-byte header the masks follow the header; later headers carry them inside.
  const trailingMasks = headerSize === 40 ? ({ [BI_BITFIELDS]: 3, [BI_ALPHABITFIELDS]: 4 }[compression] ?? 0) : 0;
  const paletteOffset = headerEnd + trailingMasks * 4;
  const dataOffset = u32(buf, 10);
  if (dataOffset < paletteOffset) throw malformed('the pixel data offset points into the header');
  if (paletteOffset > buf.length) throw malformed('the colour masks run past the end of the file');

  const masks = bitsPerPixel === 16 || bitsPerPixel === 32 ? readMasks(buf, headerSize, bitsPerPixel, compression) : null;
  const paletteEntrySize = isCore ? 3 : 4;
  const paletteCount = bitsPerPixel <= 8 ? countPalette(buf, bitsPerPixel, colorsUsed, paletteOffset, paletteEntrySize, dataOffset) : 0;
  return { info, dataOffset, paletteOffset, paletteEntrySize, paletteCount, masks };
}

function checkDimensions(width: number, rawHeight: number): void {
  if (width <= 0) throw malformed(`impossible width ${width}`);
  if (rawHeight === 0) throw malformed('impossible height 0');
  if (width > MAX_DIMENSION || Math.abs(rawHeight) > MAX_DIMENSION) {
    throw malformed(`impossible size ${width}×${Math.abs(rawHeight)}`);
  }
}

function checkFormat(isCore: boolean, bpp: number, compression: number): void {
  const depths = isCore ? [1, 4, 8, 24] : [1, 2, 4, 8, 16, 24, 32];
  switch (compression) {
    case BI_RGB:
      if (bpp === 64) throw unsupported('64-bit BMP');
      if (!depths.includes(bpp)) throw malformed(`impossible bit depth ${bpp}`);
      return;
    case BI_RLE8:
      if (bpp !== 8) throw malformed(`RLE8 with bit depth ${bpp}`);
      return;
    case BI_RLE4:
      if (bpp !== 4) throw malformed(`RLE4 with bit depth ${bpp}`);
      return;
    case BI_BITFIELDS:
    case BI_ALPHABITFIELDS:
      if (bpp !== 16 && bpp !== 32) throw unsupported(`bit-field masks with bit depth ${bpp}`);
      return;
    case 4:
      throw unsupported('BMP holding a JPEG');
    case 5:
      throw unsupported('BMP holding a PNG');
    default:
      throw unsupported(`BMP compression ${compression}`);
  }
}

function readMasks(buf: Uint8Array, headerSize: number, bpp: number, compression: number): Masks {
  const bitfields = compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS;
  // V4/V5 headers always hold an alpha mask; a 40-byte header holds one only with BI_ALPHABITFIELDS.
  const alphaAt = headerSize >= 56 || (headerSize === 40 && compression === BI_ALPHABITFIELDS) ? 66 : -1;
  let [r, g, b] = bpp === 16 ? [0x7c00, 0x03e0, 0x001f] : [0xff0000, 0x00ff00, 0x0000ff];
  if (bitfields) [r, g, b] = [u32(buf, 54), u32(buf, 58), u32(buf, 62)];
  let a = 0;
  // A 32-bit BI_RGB pixel's top byte is padding, except that a V4/V5 header may declare it alpha.
  if (alphaAt > 0 && (bitfields || (bpp === 32 && headerSize >= 108))) a = u32(buf, alphaAt);
  if ((r | g | b) === 0) throw malformed('all colour masks are zero');
  const limit = bpp === 16 ? 0xffff : 0xffffffff;
  for (const m of [r, g, b, a]) {
    if (m > limit) throw malformed(`colour mask 0x${m.toString(16)} is wider than ${bpp} bits`);
  }
  return { r: channel(r), g: channel(g), b: channel(b), a: a === 0 ? null : channel(a) };
}

function channel(mask: number): Channel {
  if (mask === 0) return { mask, shift: 0, bits: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  let bits = 0;
  while (shift + bits < 32 && ((mask >>> (shift + bits)) & 1) === 1) bits++;
  if (mask >>> (shift + bits) !== 0 && shift + bits < 32) {
    throw malformed(`colour mask 0x${mask.toString(16)} is not one run of bits`);
  }
  return { mask, shift, bits };
}

/** Entries actually present: many writers declare 2^bpp and store fewer before the pixel data. */
function countPalette(
  buf: Uint8Array,
  bpp: number,
  colorsUsed: number,
  paletteOffset: number,
  entrySize: number,
  dataOffset: number,
): number {
  const declared = colorsUsed > 0 && colorsUsed < 1 << bpp ? colorsUsed : 1 << bpp;
  const count = Math.min(declared, Math.floor((dataOffset - paletteOffset) / entrySize));
  if (count <= 0) throw malformed('a paletted BMP without a palette');
  if (paletteOffset + count * entrySize > buf.length) throw malformed('the palette runs past the end of the file');
  return count;
}

// ---------------------------------------------------------------------------------------------
// Pixels

function decodeUncompressed(buf: Uint8Array, layout: Layout): DecodedBmp {
  const { width, height, bitsPerPixel: bpp } = layout.info;
  const stride = Math.ceil((bpp * width) / 32) * 4;
  const rowBytes = Math.ceil((bpp * width) / 8);
  const rows = rowsPresent(buf.length - layout.dataOffset, stride, rowBytes, height);
  const alpha = layout.masks?.a ? hasRealAlpha(buf, layout, stride, rows, layout.masks.a) : false;
  const channels = alpha ? 4 : 3;
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < rows; y++) {
    const src = layout.dataOffset + y * stride;
    const dst = outputRow(layout.info, y) * width * channels;
    if (bpp <= 8) palettedRow(buf, layout, src, data, dst);
    else if (bpp === 24) bgrRow(buf, width, src, data, dst);
    else maskedRow(buf, layout.masks!, bpp, alpha, width, src, data, dst);
  }
  fillMissingRows(data, layout.info, channels, rows);
  return { width, height, channels, data };
}

/**
 * Rows whose pixel bytes are in the buffer (the last row's padding may be missing). A file cut
 * short still shows most of a scan, but one missing more than half is not worth binding.
 */
function rowsPresent(available: number, stride: number, rowBytes: number, height: number): number {
  const rows = available < rowBytes ? 0 : Math.min(height, Math.floor((available - rowBytes) / stride) + 1);
  if (rows * 2 < height) throw malformed(`the file is cut short: ${rows} of ${height} rows present`);
  return rows;
}

/** BMP rows run bottom-up unless the height is negative. */
function outputRow(info: BmpInfo, fileRow: number): number {
  return info.topDown ? fileRow : info.height - 1 - fileRow;
}

function fillMissingRows(data: Buffer, info: BmpInfo, channels: number, rowsDecoded: number): void {
  const rowSize = info.width * channels;
  for (let y = rowsDecoded; y < info.height; y++) {
    const start = outputRow(info, y) * rowSize;
    data.fill(255, start, start + rowSize);
  }
}

function palettedRow(buf: Uint8Array, layout: Layout, src: number, out: Buffer, dst: number): void {
  const { width, bitsPerPixel: bpp } = layout.info;
  const perByte = 8 / bpp;
  const indexMask = (1 << bpp) - 1;
  for (let x = 0; x < width; x++) {
    const byte = buf[src + Math.floor(x / perByte)]!;
    const index = (byte >> (8 - bpp * ((x % perByte) + 1))) & indexMask;
    putPaletteColor(buf, layout, index, out, dst + x * 3);
  }
}

/** An index past the stored palette is black, as Windows shows it. */
function putPaletteColor(buf: Uint8Array, layout: Layout, index: number, out: Buffer, at: number): void {
  if (index >= layout.paletteCount) {
    out[at] = out[at + 1] = out[at + 2] = 0;
    return;
  }
  const p = layout.paletteOffset + index * layout.paletteEntrySize;
  out[at] = buf[p + 2]!;
  out[at + 1] = buf[p + 1]!;
  out[at + 2] = buf[p]!;
}

function bgrRow(buf: Uint8Array, width: number, src: number, out: Buffer, dst: number): void {
  for (let x = 0; x < width; x++) {
    const s = src + x * 3;
    const d = dst + x * 3;
    out[d] = buf[s + 2]!;
    out[d + 1] = buf[s + 1]!;
    out[d + 2] = buf[s]!;
  }
}

function maskedRow(
  buf: Uint8Array,
  masks: Masks,
  bpp: number,
  alpha: boolean,
  width: number,
  src: number,
  out: Buffer,
  dst: number,
): void {
  const channels = alpha ? 4 : 3;
  for (let x = 0; x < width; x++) {
    const pixel = bpp === 16 ? u16(buf, src + x * 2) : u32(buf, src + x * 4);
    const d = dst + x * channels;
    out[d] = component(pixel, masks.r);
    out[d + 1] = component(pixel, masks.g);
    out[d + 2] = component(pixel, masks.b);
    if (alpha) out[d + 3] = component(pixel, masks.a!);
  }
}

/**
 * Alpha only counts when it varies somewhere: many writers leave the alpha byte 0 throughout (which
 * would make the image invisible), and an all-opaque alpha says nothing an RGB output does not.
 */
function hasRealAlpha(buf: Uint8Array, layout: Layout, stride: number, rows: number, a: Channel): boolean {
  const { width, bitsPerPixel: bpp } = layout.info;
  const opaque = (2 ** a.bits - 1) * 2 ** a.shift;
  let anyNonZero = false;
  let anyTranslucent = false;
  for (let y = 0; y < rows; y++) {
    const src = layout.dataOffset + y * stride;
    for (let x = 0; x < width; x++) {
      const pixel = bpp === 16 ? u16(buf, src + x * 2) : u32(buf, src + x * 4);
      const value = (pixel & a.mask) >>> 0;
      if (value !== 0) anyNonZero = true;
      if (value !== opaque) anyTranslucent = true;
      if (anyNonZero && anyTranslucent) return true;
    }
  }
  return false;
}

/** Scales a masked field to 8 bits; narrow fields by rounding, so 5-bit 31 is 255. */
function component(pixel: number, c: Channel): number {
  if (c.bits === 0) return 0;
  const value = (pixel & c.mask) >>> c.shift;
  if (c.bits >= 8) return value >>> (c.bits - 8);
  return Math.round((value * 255) / (2 ** c.bits - 1));
}

/**
 * RLE8/RLE4: runs, end-of-line, end-of-bitmap, delta jumps and literal runs. Pixels a delta or an
 * early end-of-line skips are left white, as on paper. Every step consumes input, so a hostile
 * stream cannot loop; writes outside the image are dropped.
 */
function decodeRle(buf: Uint8Array, layout: Layout): DecodedBmp {
  const { width, height } = layout.info;
  const nibbles = layout.info.compression === BI_RLE4;
  const data = Buffer.alloc(width * height * 3, 255);
  let x = 0;
  let y = 0;
  const put = (index: number) => {
    if (x < width) putPaletteColor(buf, layout, index, data, (outputRow(layout.info, y) * width + x) * 3);
    x++;
  };
  let pos = layout.dataOffset;
  while (y < height) {
    if (pos + 2 > buf.length) break;
    const count = buf[pos]!;
    const value = buf[pos + 1]!;
    pos += 2;
    if (count > 0) {
      for (let i = 0; i < count; i++) put(nibbles ? (i & 1 ? value & 15 : value >> 4) : value);
    } else if (value === 0) {
      x = 0;
      y++;
    } else if (value === 1) {
      return { width, height, channels: 3, data };
    } else if (value === 2) {
      if (pos + 2 > buf.length) break;
      x += buf[pos]!;
      y += buf[pos + 1]!;
      pos += 2;
    } else {
      const bytes = nibbles ? Math.ceil(value / 2) : value;
      if (pos + bytes > buf.length) break;
      for (let i = 0; i < value; i++) {
        const byte = buf[pos + (nibbles ? i >> 1 : i)]!;
        put(nibbles ? (i & 1 ? byte & 15 : byte >> 4) : byte);
      }
      pos += bytes + (bytes & 1);
    }
  }
  // Out of input before the end-of-bitmap mark: the same half-the-rows rule as uncompressed data.
  if (y < height && y * 2 < height) throw malformed(`the RLE data is cut short: ${y} of ${height} rows present`);
  return { width, height, channels: 3, data };
}

// ---------------------------------------------------------------------------------------------
// Little-endian reads; callers have checked the bounds.

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function i32(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
}
