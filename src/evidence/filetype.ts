// What a file is, from its first bytes, compared with what its name says.
import type { DropParams, FileType } from '../model.js';
import { pdfHeaderOffset } from './pdf-syntax.js';

const EXT_TO_TYPE: Record<string, FileType> = {
  jpg: 'jpg', jpeg: 'jpg', png: 'png', webp: 'webp', tif: 'tif', tiff: 'tif', heic: 'heic', heif: 'heic',
  bmp: 'bmp', gif: 'gif', pdf: 'pdf', doc: 'doc', docx: 'docx', xls: 'xls', xlsx: 'xlsx', ppt: 'ppt',
  pptx: 'pptx', wps: 'wps', et: 'et', dps: 'dps', odt: 'odt', ods: 'ods', odp: 'odp', txt: 'txt', md: 'md',
};

export const PHOTO_TYPES: ReadonlySet<FileType> = new Set(['jpg', 'png', 'webp', 'tif', 'heic', 'bmp', 'gif']);
export const OFFICE_TYPES: ReadonlySet<FileType> = new Set([
  'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'wps', 'et', 'dps', 'odt', 'ods', 'odp',
]);
const OLE_TYPES: ReadonlySet<FileType> = new Set(['doc', 'xls', 'ppt', 'wps', 'et', 'dps']);
const OOXML_TYPES: ReadonlySet<FileType> = new Set(['docx', 'xlsx', 'pptx']);
const ZIP_TYPES: ReadonlySet<FileType> = new Set(['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp']);

export function typeFromExtension(ext: string): FileType | undefined {
  const key = ext.toLowerCase();
  // own keys only: `x.constructor` or `x.__proto__` must not find Object's
  return Object.hasOwn(EXT_TO_TYPE, key) ? EXT_TO_TYPE[key] : undefined;
}

export function kindOf(type: FileType): 'photo' | 'document' {
  return PHOTO_TYPES.has(type) ? 'photo' : 'document';
}

export type Detection =
  | { ok: true; type: FileType; mismatch?: { detected: FileType; ext: string } }
  | { ok: false; reason: 'unsupported'; params: DropParams['unsupported'] }
  | { ok: false; reason: 'unreadable'; params: DropParams['unreadable'] }
  | { ok: false; reason: 'encrypted'; params: DropParams['encrypted'] };

const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];

function startsWith(head: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => head[i] === b);
}

/**
 * Decide the type from the content's first bytes; the extension breaks ties the content cannot
 * (an OLE container is .doc, .xls, .wps … alike; a text file has no signature).
 */
export async function detectType(head: Uint8Array, ext: string): Promise<Detection> {
  const byExt = typeFromExtension(ext);
  let detected: string | undefined;
  // file-type looks into a TIFF's first directory to tell camera raw formats apart, and gives up
  // when that directory lies beyond the bytes we read (libtiff writes it after the image data).
  // A TIFF named as one is a TIFF; its header is read properly later.
  if (byExt === 'tif' && (startsWith(head, TIFF_LE) || startsWith(head, TIFF_BE))) detected = 'tif';
  else {
    // (loaded only when a file has to be read: a warm check reads none)
    const { fileTypeFromBuffer } = await import('file-type');
    detected = (await fileTypeFromBuffer(head).catch(() => undefined))?.ext as string | undefined;
  }

  let byContent: FileType | undefined;
  if (detected === 'cfb') {
    if (byExt && OOXML_TYPES.has(byExt)) {
      // Office wraps a password-protected .docx/.xlsx/.pptx in an OLE container.
      return { ok: false, reason: 'encrypted', params: { cause: 'office-password' } };
    }
    byContent = byExt && OLE_TYPES.has(byExt) ? byExt : 'doc';
  } else if (detected === 'zip') {
    byContent = byExt && ZIP_TYPES.has(byExt) ? byExt : undefined;
    if (!byContent) return { ok: false, reason: 'unsupported', params: { cause: 'type', detected: 'zip', ext } };
  } else if (detected === 'avif' || detected === 'heif') byContent = 'heic';
  else if (detected) {
    byContent = typeFromExtension(detected);
    if (!byContent) return { ok: false, reason: 'unsupported', params: { cause: 'type', detected, ext } };
  } else if (pdfHeaderOffset(head) > 0) {
    // bytes before `%PDF-` (a blank line, a mail gateway's or web system's header): readers look
    // for the marker within the first 1024 bytes, and so do we
    byContent = 'pdf';
  } else if (byExt === 'txt' || byExt === 'md') {
    byContent = looksLikeText(head) ? byExt : undefined;
    if (!byContent) return { ok: false, reason: 'unreadable', params: { cause: 'not-text', ext } };
  }

  if (!byContent) {
    if (byExt) return { ok: false, reason: 'unreadable', params: { cause: 'unrecognized', ext } };
    return { ok: false, reason: 'unsupported', params: { cause: 'unknown-type', ext } };
  }
  if (byExt && byExt !== byContent && !(OLE_TYPES.has(byExt) && OLE_TYPES.has(byContent))) {
    return { ok: true, type: byContent, mismatch: { detected: byContent, ext } };
  }
  if (!byExt) return { ok: true, type: byContent, mismatch: { detected: byContent, ext: '' } };
  return { ok: true, type: byContent };
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return true;
  let control = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return control <= head.length / 100;
}
