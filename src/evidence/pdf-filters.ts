// The stream filters a cross-reference or object stream may be written with (ISO 32000-1 §7.4),
// under their full names and the abbreviations readers accept (Fl, LZW, AHx, A85, RL: §8.9.7;
// qpdf and Acrobat read them in any stream). Image-only filters (DCT, CCITT, JBIG2, JPX) never
// hold objects: such a stream is refused.
import { inflateSync } from 'node:zlib';
import { PdfDict, PdfName, PdfSyntaxError, type PdfValue } from './pdf-syntax.js';

/** Abbreviated filter names and the names they stand for. */
export const FILTER_ABBREVIATIONS: Readonly<Record<string, string>> = {
  Fl: 'FlateDecode',
  LZW: 'LZWDecode',
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
  RL: 'RunLengthDecode',
  CCF: 'CCITTFaxDecode',
  DCT: 'DCTDecode',
};

export function fullFilterName(name: string): string {
  return Object.hasOwn(FILTER_ABBREVIATIONS, name) ? FILTER_ABBREVIATIONS[name]! : name;
}

/** Apply a stream's /Filter chain (a name or an array) with its /DecodeParms; output bounded by `max` bytes. */
export function decodeFilters(filter: PdfValue | undefined, parms: PdfValue | undefined, raw: Buffer, max: number): Buffer {
  const filters = Array.isArray(filter) ? filter : filter ? [filter] : [];
  const params = Array.isArray(parms) ? parms : [parms];
  let data = raw;
  filters.forEach((f, i) => {
    if (!(f instanceof PdfName)) throw new PdfSyntaxError('filter is not a name');
    const p = params[i];
    const dp = p instanceof PdfDict ? p : undefined;
    switch (fullFilterName(f.name)) {
      case 'FlateDecode':
        data = unpredict(inflateSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate a missing adler32 */, maxOutputLength: max }), dp);
        break;
      case 'LZWDecode':
        data = unpredict(lzw(data, Number(dp?.get('EarlyChange') ?? 1) !== 0, max), dp);
        break;
      case 'ASCIIHexDecode':
        data = asciiHex(data);
        break;
      case 'ASCII85Decode':
        data = ascii85(data, max);
        break;
      case 'RunLengthDecode':
        data = runLength(data, max);
        break;
      default:
        throw new PdfSyntaxError('unsupported filter');
    }
  });
  return data;
}

function asciiHex(data: Buffer): Buffer {
  let text = data.toString('latin1');
  const end = text.indexOf('>');
  if (end >= 0) text = text.slice(0, end);
  text = text.replace(/[^0-9a-fA-F]/g, '');
  if (text.length % 2) text += '0';
  return Buffer.from(text, 'hex');
}

function ascii85(data: Buffer, max: number): Buffer {
  const out: number[] = [];
  let group: number[] = [];
  let i = 0;
  // an optional `<~` start, and `~>` ends
  if (data[0] === 0x3c && data[1] === 0x7e) i = 2;
  for (; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x7e) break;
    if (c <= 0x20) continue;
    if (c === 0x7a && group.length === 0) {
      out.push(0, 0, 0, 0);
    } else {
      // (a byte outside the alphabet is skipped, as pdf.js and poppler skip it)
      if (c < 0x21 || c > 0x75) continue;
      group.push(c - 33);
      if (group.length === 5) {
        let v = 0;
        for (const d of group) v = v * 85 + d;
        out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
        group = [];
      }
    }
    if (out.length > max) throw new PdfSyntaxError('stream too large');
  }
  if (group.length > 1) {
    const n = group.length - 1;
    while (group.length < 5) group.push(84);
    let v = 0;
    for (const d of group) v = v * 85 + d;
    const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    out.push(...bytes.slice(0, n));
  }
  return Buffer.from(out);
}

function runLength(data: Buffer, max: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  for (let i = 0; i < data.length; ) {
    const n = data[i++]!;
    if (n === 128) break;
    const part = n < 128 ? data.subarray(i, i + n + 1) : Buffer.alloc(257 - n, data[i] ?? 0);
    i += n < 128 ? n + 1 : 1;
    total += part.length;
    if (total > max) throw new PdfSyntaxError('stream too large');
    out.push(part);
  }
  return Buffer.concat(out);
}

/** LZW as PDF writes it: 9–12 bit codes, 256 clears, 257 ends; `early` is /EarlyChange 1. */
function lzw(data: Buffer, early: boolean, max: number): Buffer {
  const out: number[] = [];
  let dict: number[][] = [];
  const reset = () => {
    dict = [];
    for (let i = 0; i < 256; i++) dict.push([i]);
    dict.push([], []);
  };
  reset();
  let width = 9;
  let bits = 0;
  let acc = 0;
  let prev: number[] | undefined;
  for (const byte of data) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= width) {
      const code = (acc >>> (bits - width)) & ((1 << width) - 1);
      bits -= width;
      acc &= (1 << bits) - 1;
      if (code === 256) {
        reset();
        width = 9;
        prev = undefined;
        continue;
      }
      if (code === 257) return Buffer.from(out);
      let entry: number[];
      if (code < dict.length) entry = dict[code]!;
      else if (prev && code === dict.length) entry = [...prev, prev[0]!];
      else throw new PdfSyntaxError('bad LZW code');
      out.push(...entry);
      if (out.length > max) throw new PdfSyntaxError('stream too large');
      if (prev && dict.length < 4096) dict.push([...prev, entry[0]!]);
      prev = entry;
      const next = dict.length + (early ? 1 : 0);
      if (next >= 1 << width && width < 12) width++;
    }
  }
  return Buffer.from(out);
}

/** PNG predictors (10–15) and the TIFF predictor (2) after Flate or LZW, for any colours and bit depth. */
function unpredict(data: Buffer, parms: PdfDict | undefined): Buffer {
  const predictor = Number(parms?.get('Predictor') ?? 1);
  if (predictor <= 1) return data;
  const colors = Number(parms?.get('Colors') ?? 1);
  const bpc = Number(parms?.get('BitsPerComponent') ?? 8);
  const columns = Number(parms?.get('Columns') ?? 1);
  if (![colors, bpc, columns].every((v) => Number.isInteger(v) && v > 0) || colors * bpc * columns > 1 << 24) throw new PdfSyntaxError('bad predictor parameters');
  const pixel = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) return data;
    const out = Buffer.from(data);
    for (let r = 0; r + rowLen <= out.length; r += rowLen) {
      for (let c = pixel; c < rowLen; c++) out[r + c] = (out[r + c]! + out[r + c - pixel]!) & 0xff;
    }
    return out;
  }
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = Buffer.alloc(rows * rowLen);
  const prev = Buffer.alloc(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const src = r * (rowLen + 1) + 1;
    const dst = r * rowLen;
    for (let c = 0; c < rowLen; c++) {
      const x = data[src + c]!;
      const left = c >= pixel ? out[dst + c - pixel]! : 0;
      const up = prev[c]!;
      const upLeft = c >= pixel ? prev[c - pixel]! : 0;
      let v = x;
      if (type === 1) v = x + left;
      else if (type === 2) v = x + up;
      else if (type === 3) v = x + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left), pb = Math.abs(p - up), pc = Math.abs(p - upLeft);
        v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      out[dst + c] = v & 0xff;
    }
    out.copy(prev, 0, dst, dst + rowLen);
  }
  return out;
}
