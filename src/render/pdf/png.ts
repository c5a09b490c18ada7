// A PNG that a PDF can carry as it is. A PNG's IDAT chunks are one zlib stream of filtered pixel
// rows, and that is what a PDF image with FlateDecode and the PNG predictors (/Predictor 15) holds:
// an 8-bit RGB PNG, or a grey or palette one of 1–8 bits, without transparency or interlacing (what
// photo preparation makes of screenshots and drawings, and scan preparation of black-and-white
// pages), is embedded without decoding it, as img2pdf does.

export interface PassThroughPng {
  width: number;
  height: number;
  /** colour components per pixel: 3 (RGB) or 1 (grey, or an index into `palette`) */
  colors: 1 | 3;
  /** bits per component: 8, or 1, 2, 4 for grey and palette images */
  bits: 1 | 2 | 4 | 8;
  /** a palette image's colours, RGB triplets (its PLTE chunk) */
  palette?: Uint8Array;
  /** the IDAT data, joined */
  data: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The PNG as a PDF image stream's parts, or undefined when it must be decoded first. */
export function passThroughPng(bytes: Uint8Array): PassThroughPng | undefined {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: { width: number; height: number; depth: number; color: number; rest: number } | undefined;
  const idat: Uint8Array[] = [];
  let palette: Uint8Array | undefined;
  for (let pos = 8; pos + 12 <= bytes.length; ) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    const body = pos + 8;
    if (body + len + 4 > bytes.length) return undefined; // cut short
    if (type === 'IHDR' && len >= 13) {
      // compression, filter and interlace methods must all be 0
      header = { width: view.getUint32(body), height: view.getUint32(body + 4), depth: bytes[body + 8]!, color: bytes[body + 9]!, rest: bytes[body + 10]! | bytes[body + 11]! | bytes[body + 12]! };
    } else if (type === 'IDAT') idat.push(bytes.subarray(body, body + len));
    else if (type === 'PLTE') palette = bytes.subarray(body, body + len);
    else if (type === 'tRNS') return undefined; // a transparent colour: needs a mask
    else if (type === 'IEND') break;
    pos = body + len + 4;
  }
  if (!header || header.rest !== 0 || idat.length === 0) return undefined;
  const { depth, color } = header;
  // RGB of 8 bits; grey or palette of 1, 2, 4 or 8 (16 bits, and alpha, need decoding)
  const ok = color === 2 ? depth === 8 : (color === 0 || color === 3) && (depth === 1 || depth === 2 || depth === 4 || depth === 8);
  if (!ok || header.width === 0 || header.height === 0) return undefined;
  if (color === 3 && (!palette || palette.length < 3 || palette.length % 3 !== 0 || palette.length / 3 > 2 ** depth)) return undefined;
  const data = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of idat) {
    data.set(c, at);
    at += c.length;
  }
  return {
    width: header.width,
    height: header.height,
    colors: color === 2 ? 3 : 1,
    bits: depth as PassThroughPng['bits'],
    ...(color === 3 ? { palette: palette! } : {}),
    data,
  };
}

/** The colour space of a pass-through PNG, as PDF syntax. */
export function pngColorSpace(png: PassThroughPng): string {
  if (png.palette) return `[/Indexed /DeviceRGB ${png.palette.length / 3 - 1} <${Buffer.from(png.palette).toString('hex')}>]`;
  return png.colors === 3 ? '/DeviceRGB' : '/DeviceGray';
}

/** The image dictionary (without /Length) of a pass-through PNG. */
export function pngImageDict(png: PassThroughPng): string {
  return (
    `/Type /XObject /Subtype /Image /Width ${png.width} /Height ${png.height} /ColorSpace ${pngColorSpace(png)} /BitsPerComponent ${png.bits} ` +
    `/Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors ${png.colors} /BitsPerComponent ${png.bits} /Columns ${png.width} >>`
  );
}
