// How much we are willing to read or decode from one file. A unit's archive may hold anything a
// phone or a zip produced; these bounds keep one hostile or broken file from taking the machine.
import type { FileType } from '../model.js';

/**
 * Pixels a photo may have. libvips (JPEG, PNG, WebP, TIFF, GIF) decodes in strips and shrinks JPEGs
 * while loading, so very large photos (200-megapixel phone modes) still fit; HEIC and BMP are
 * decoded whole in JavaScript, four bytes a pixel.
 */
export function pixelLimit(type: FileType): number {
  // (AVIF: libvips decodes it whole through libheif, like HEIC)
  return type === 'heic' || type === 'bmp' || type === 'avif' ? 64_000_000 : 250_000_000;
}

/** Manual, sidecars and fonts are read whole: sizes beyond these are not what they claim to be. */
export const MAX_MANUAL_BYTES = 4 * 1024 * 1024;
export const MAX_SIDECAR_BYTES = 256 * 1024;
export const MAX_FONT_BYTES = 128 * 1024 * 1024;
/** A `缺项说明.txt` is a paragraph or two. */
export const MAX_REASON_BYTES = 256 * 1024;
/** Text evidence typeset into pages. */
export const MAX_TEXT_BYTES = 16 * 1024 * 1024;
/** A photo is read whole to be decoded. */
export const MAX_PHOTO_BYTES = 512 * 1024 * 1024;
/** pdf-lib holds a PDF in one array (at most 4 GiB, and the volume being written beside it). */
export const MAX_PDF_BYTES = 1024 * 1024 * 1024;
