// A PNG that a PDF can carry as it is. A PNG's IDAT chunks are one zlib stream of filtered pixel
// rows, and that is what a PDF image with FlateDecode and the PNG predictors (/Predictor 15) holds:
// an 8-bit RGB or grey PNG without palette, transparency or interlacing (what photo preparation
// makes of screenshots and drawings) is embedded without decoding it, as img2pdf does.

export interface PassThroughPng {
  width: number;
  height: number;
  /** colour components per pixel: 3 (RGB) or 1 (grey) */
  colors: 1 | 3;
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
  for (let pos = 8; pos + 12 <= bytes.length; ) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    const body = pos + 8;
    if (body + len + 4 > bytes.length) return undefined; // cut short
    if (type === 'IHDR' && len >= 13) {
      // compression, filter and interlace methods must all be 0
      header = { width: view.getUint32(body), height: view.getUint32(body + 4), depth: bytes[body + 8]!, color: bytes[body + 9]!, rest: bytes[body + 10]! | bytes[body + 11]! | bytes[body + 12]! };
    } else if (type === 'IDAT') idat.push(bytes.subarray(body, body + len));
    else if (type === 'tRNS') return undefined; // a transparent colour: needs a mask
    else if (type === 'IEND') break;
    pos = body + len + 4;
  }
  if (!header || header.depth !== 8 || (header.color !== 2 && header.color !== 0) || header.rest !== 0 || idat.length === 0) return undefined;
  if (header.width === 0 || header.height === 0) return undefined;
  const data = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of idat) {
    data.set(c, at);
    at += c.length;
  }
  return { width: header.width, height: header.height, colors: header.color === 2 ? 3 : 1, data };
}

/** The image dictionary (without /Length) of a pass-through PNG. */
export function pngImageDict(png: PassThroughPng): string {
  const space = png.colors === 3 ? '/DeviceRGB' : '/DeviceGray';
  return (
    `/Type /XObject /Subtype /Image /Width ${png.width} /Height ${png.height} /ColorSpace ${space} /BitsPerComponent 8 ` +
    `/Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors ${png.colors} /BitsPerComponent 8 /Columns ${png.width} >>`
  );
}
