// A multi-page TIFF (what office scanners write: Group 4 black and white, LZW grey or colour) made
// ready to bind like a PDF: every full-size page (thumbnails skipped) decoded on its own, upright,
// no larger than the evidence area needs — black-and-white pages at 300 dpi and kept black and
// white (a 1-bit PNG: text stays crisp and small), grey and colour pages at the layout's dpi as JPEG
// — and the pages written as one PDF, each page the size the scanner recorded (its resolution), so
// that the volume scales it into the evidence area as it does a PDF's page, and the DOCX shows the
// same page images.
import { concatTransformationMatrix, drawObject, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, popGraphicsState, pushGraphicsState, type PDFRef } from 'pdf-lib';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { EvidenceFile } from '../model.js';
import { pixelLimit } from '../evidence/limits.js';
import { tiffDirectories } from '../evidence/tiff.js';
import { passThroughPng } from '../render/pdf/png.js';

/** How scans are prepared: part of every cached scan's key, changed whenever the recipe below is. */
export const SCAN_RECIPE = `tiff-pages;bilevel-300dpi-png1-zlib${process.versions.zlib};other-jpeg-q85-420;size-from-resolution-else-a4`;

/** Black-and-white pages keep this many dots per inch of their shown size (text stays legible). */
export const BILEVEL_DPI = 300;
/** A4 in points: the page size of a scan that records no usable resolution. */
const A4 = { width: 595.28, height: 841.89 };

export interface ScanPage {
  bytes: Uint8Array;
  format: 'jpg' | 'png';
  /** pixel size, upright */
  width: number;
  height: number;
  /** the page's size in points (from the scanner's resolution, else fitted to A4), upright */
  pointWidth: number;
  pointHeight: number;
}

/**
 * Every full-size page of a TIFF, prepared. `box`: the evidence area of a portrait page, in points
 * (a landscape page is fitted to it turned); `dpi`: the layout's resolution for grey and colour.
 * A page that cannot be decoded stops the whole file, with its number (a page left out silently
 * would be evidence lost).
 */
export async function prepareScan(file: Pick<EvidenceFile, 'type'>, buf: Buffer, box: { width: number; height: number }, dpi: number): Promise<ScanPage[]> {
  const read = (pos: number, len: number) => buf.subarray(pos, pos + len);
  const pages = tiffDirectories(read, buf.length).filter((d) => !d.reduced);
  if (pages.length === 0) throw new Error('TIFF 中没有页面');
  const out: ScanPage[] = [];
  for (const [n, dir] of pages.entries()) {
    try {
      out.push(await preparePage(buf, dir.index, file.type, box, dpi));
    } catch (err) {
      throw new Error(`第 ${n + 1} 页的图像数据无法解码`, { cause: err });
    }
  }
  return out;
}

async function preparePage(buf: Buffer, page: number, type: EvidenceFile['type'], box: { width: number; height: number }, dpi: number): Promise<ScanPage> {
  const open = () => sharp(buf, { page, failOn: 'none', limitInputPixels: pixelLimit(type) });
  const m = await open().metadata();
  const turned = (m.orientation ?? 1) >= 5;
  const w = (turned ? m.height : m.width) ?? 0;
  const h = (turned ? m.width : m.height) ?? 0;
  if (!w || !h) throw new Error('读不出页面尺寸');
  // the size the scanner recorded (sharp gives pixels per inch), else the page fitted to A4
  const res = m.density;
  let pw: number;
  let ph: number;
  if (res !== undefined && res >= 50 && res <= 2400) {
    pw = (w / res) * 72;
    ph = (h / res) * 72;
  } else {
    const a4 = w > h ? { width: A4.height, height: A4.width } : A4;
    const s = Math.min(a4.width / w, a4.height / h);
    pw = w * s;
    ph = h * s;
  }
  // the page as it will be shown: scaled (down only) into the evidence area of its orientation
  const area = w > h ? { width: box.height, height: box.width } : box;
  const shown = Math.min(1, area.width / pw, area.height / ph);
  const bilevel = m.bitsPerSample === 1 && (m.channels ?? 1) === 1;
  const perPoint = (bilevel ? BILEVEL_DPI : dpi) / 72;
  // pixels: what the shown size needs at that resolution, never more than the scan has
  const scale = Math.min(1, (pw * shown * perPoint) / w, (ph * shown * perPoint) / h);
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  let img = open().rotate();
  if (tw !== w || th !== h) img = img.resize(tw, th, { fit: 'fill' });
  let bytes: Buffer;
  if (bilevel) {
    // back to black and white after scaling, 1 bit a pixel
    const { data, info } = await img.greyscale().threshold(128).raw().toBuffer({ resolveWithObject: true });
    bytes = bilevelPng(data, info.width, info.height, info.channels);
  } else {
    const grey = m.space === 'b-w' || m.space === 'grey16';
    bytes = await img.flatten({ background: '#ffffff' }).toColourspace(grey ? 'b-w' : 'srgb').jpeg({ quality: 85, chromaSubsampling: '4:2:0' }).toBuffer();
  }
  return { bytes: new Uint8Array(bytes), format: bilevel ? 'png' : 'jpg', width: tw, height: th, pointWidth: round(pw), pointHeight: round(ph) };
}

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * A 1-bit grey PNG of thresholded pixels (0 black, 255 white; `channels` interleaved, the first
 * read): rows packed 8 pixels a byte, filter type 0, deflated by zlib. libvips's own 1-bit PNGs go
 * through palette quantisation, at twice and a half the time.
 */
export function bilevelPng(data: Uint8Array, width: number, height: number, channels = 1): Buffer {
  const stride = Math.ceil(width / 8);
  const rows = Buffer.alloc((stride + 1) * height);
  for (let y = 0, i = 0; y < height; y++) {
    const row = y * (stride + 1) + 1;
    for (let x = 0; x < width; x++, i += channels) if (data[i]! >= 128) rows[row + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // grey; compression, filter and interlace methods 0
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, tail]);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The CRC-32 of a PNG chunk (zlib.crc32 is newer than Node 20.9). */
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The pages as one PDF, each image filling a page of its size: JPEGs as they are, PNGs as their
 * compressed rows (see render/pdf/png.ts). The same pages give the same bytes (no dates, no IDs).
 */
export async function scanPdf(pages: readonly ScanPage[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (const p of pages) {
    const page = doc.addPage([p.pointWidth, p.pointHeight]);
    let ref: PDFRef;
    const png = p.format === 'png' ? passThroughPng(p.bytes) : undefined;
    if (png) {
      const ctx = doc.context;
      const dict = ctx.obj({
        Type: 'XObject',
        Subtype: 'Image',
        Width: png.width,
        Height: png.height,
        BitsPerComponent: png.bits,
        Filter: 'FlateDecode',
        DecodeParms: { Predictor: 15, Colors: png.colors, BitsPerComponent: png.bits, Columns: png.width },
        Length: png.data.length,
      });
      dict.set(
        PDFName.of('ColorSpace'),
        png.palette
          ? ctx.obj([PDFName.of('Indexed'), PDFName.of('DeviceRGB'), PDFNumber.of(png.palette.length / 3 - 1), PDFHexString.of(Buffer.from(png.palette).toString('hex'))])
          : PDFName.of(png.colors === 3 ? 'DeviceRGB' : 'DeviceGray'),
      );
      ref = ctx.register(PDFRawStream.of(dict, png.data));
    } else {
      const image = p.format === 'jpg' ? await doc.embedJpg(p.bytes) : await doc.embedPng(p.bytes);
      await image.embed();
      ref = image.ref;
    }
    const name = page.node.newXObject('Im', ref);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(p.pointWidth, 0, 0, p.pointHeight, 0, 0), drawObject(name), popGraphicsState());
  }
  return doc.save({ useObjectStreams: false });
}
