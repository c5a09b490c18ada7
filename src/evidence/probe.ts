// One look at a file: its type from content, whether it is whole, and the embedded metadata we use.
// Reads the head (up to 256 KiB) and the tail (4 KiB), plus a PDF's cross-reference section and a
// TIFF's first directory. Never reads a whole file, except a damaged PDF being repaired.
import { closeSync, readSync } from 'node:fs';
import type { DropParams, FileType, WarningParams } from '../model.js';
import { decodeText, encodingWarning } from '../convert/text.js';
import { errnoOf, FileAccessError, openRegular, type FsPath } from '../util/fsx.js';
import { detectType, ZIP_TYPES } from './filetype.js';
import { MAX_TEXT_BYTES, pixelLimit } from './limits.js';
import { probePdfFd, type PdfProbe } from './pdf-probe.js';
import { HeifError, readHeif } from './heif.js';
import { readTiffFacts, tiffPageCount } from './tiff.js';

// Enough for every signature and most image headers; a JPEG whose EXIF thumbnail pushes the frame
// header further is read again, further.
const HEAD = 16 * 1024;
const JPEG_HEAD = 256 * 1024;
const TAIL = 4096;

export type Probe =
  | {
      ok: true;
      type: FileType;
      mismatch?: { detected: FileType; ext: string };
      width?: number;
      height?: number;
      orientation?: number;
      embeddedDate?: string;
      embeddedDateSource?: 'exif' | 'pdf';
      /** the EXIF date as stored, when it is no real date (a camera whose clock was never set): not used */
      badDate?: string;
      pages?: number;
      /** a text file whose decoding deserves a word (bytes replaced, or the encoding uncertain) */
      textEncoding?: WarningParams['text-encoding'];
      /** a dynamic XFA form */
      xfa?: true;
    }
  | { ok: false; reason: 'unsupported'; params: DropParams['unsupported'] }
  | { ok: false; reason: 'unreadable'; params: DropParams['unreadable'] }
  | { ok: false; reason: 'encrypted'; params: DropParams['encrypted'] }
  | { ok: false; reason: 'lfs-pointer'; params: Omit<DropParams['lfs-pointer'], 'include'> };

// Synchronous reads: a few small reads per file are cheaper without the promise machinery, and
// `check` spends most of its time here.
function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const bytesRead = readSync(fd, buf, 0, len, pos);
  return bytesRead === len ? buf : buf.subarray(0, bytesRead);
}

// (dates as stored: exifr's own Dates roll 2024:02:30 over into March, 25:61 into the next day)
const EXIFR_OPTIONS = { pick: ['DateTimeOriginal', 'CreateDate', 'Orientation'], translateValues: false, reviveValues: false };

/** Cameras were not sold before this year: an earlier EXIF date (1970-01-01, 1980 …) is a clock never set. */
const FIRST_CAMERA_YEAR = 1990;

/**
 * An EXIF date ('YYYY:MM:DD hh:mm:ss' as stored, or a Date) read strictly: `{ date }` as YYYY-MM-DD
 * when it is a real moment; `{ invalid }` with the value as stored when it is there but is none —
 * 0000:00:00, a date before cameras (1970-01-01: a clock never set), 2024:02:30, 25:61, garbage;
 * undefined when there is no value (EXIF writes an unknown date as blanks).
 */
export function readExifDate(v: unknown): { date: string } | { invalid: string } | undefined {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return undefined;
    // a Date is built from the camera's wall clock in local time: read it back the same way
    const y = v.getFullYear();
    const date = `${y}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
    return y < FIRST_CAMERA_YEAR || y > 2999 ? { invalid: date } : { date };
  }
  if (typeof v !== 'string') return undefined;
  const raw = v.replace(/\0/g, '').trim();
  if (raw === '' || /^[\s:]*$/.test(raw)) return undefined;
  const shown = raw.slice(0, 40);
  const m = /^(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?$/.exec(raw);
  if (!m) return { invalid: shown };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, mi, sec] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const daysInMonth = mo >= 1 && mo <= 12 ? new Date(Date.UTC(y, mo, 0)).getUTCDate() : 0;
  const real = y >= FIRST_CAMERA_YEAR && y <= 2999 && d >= 1 && d <= daysInMonth && h <= 23 && mi <= 59 && sec <= 60;
  if (!real) return { invalid: shown };
  return { date: `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/** An EXIF date as YYYY-MM-DD, when it is a real one (see readExifDate). */
export function exifDate(v: unknown): string | undefined {
  const r = readExifDate(v);
  return r && 'date' in r ? r.date : undefined;
}

/** The first real date among EXIF values (strongest first); else the first that is there but no date. */
function pickExifDate(...values: unknown[]): { date?: string; badDate?: string } {
  let badDate: string | undefined;
  for (const v of values) {
    const r = readExifDate(v);
    if (r && 'date' in r) return { date: r.date };
    if (r) badDate ??= r.invalid;
  }
  return badDate !== undefined ? { badDate } : {};
}

export async function probeFile(abs: FsPath, label: string, size: number, ext: string): Promise<Probe> {
  let fd: number;
  try {
    fd = openRegular(abs, label).fd;
  } catch (err) {
    // the walk saw a regular file; something else stands there now
    if (err instanceof FileAccessError && err.reason === 'not-regular') {
      return { ok: false, reason: 'unsupported', params: { cause: 'special-file', special: 'fifo' } };
    }
    return { ok: false, reason: 'unreadable', params: { cause: 'io-error', errno: ioCode(err) } };
  }
  try {
    return await probeOpen(fd, size, ext);
  } catch (err) {
    return { ok: false, reason: 'unreadable', params: { cause: 'io-error', errno: ioCode(err) } };
  } finally {
    closeSync(fd);
  }
}

function ioCode(err: unknown): string {
  return (err instanceof FileAccessError ? err.errno : errnoOf(err)) ?? 'EIO';
}

type Failure = Extract<Probe, { ok: false }>;

function fromPdf(pdf: PdfProbe, size: number): Failure | undefined {
  switch (pdf.status) {
    case 'ok':
      return undefined;
    case 'encrypted':
      return { ok: false, reason: 'encrypted', params: { cause: pdf.why === 'password' ? 'pdf-password' : 'pdf-certificate' } };
    case 'truncated':
      return { ok: false, reason: 'unreadable', params: { cause: 'truncated', type: 'pdf' } };
    case 'too-large':
      return { ok: false, reason: 'unreadable', params: { cause: 'too-large', type: 'pdf', size, limit: pdf.limit } };
    case 'broken':
      return { ok: false, reason: 'unreadable', params: { cause: 'corrupt', type: 'pdf', what: pdf.what } };
  }
}

const LFS_VERSION = 'version https://git-lfs.github.com/spec/v1';

/** A Git LFS pointer (what a clone without git-lfs holds in place of a large file): its oid and size. */
export function lfsPointer(head: Buffer): { oid: string; size: number } | undefined {
  if (head.length > 1024 || !head.subarray(0, LFS_VERSION.length).equals(Buffer.from(LFS_VERSION, 'latin1'))) return undefined;
  const text = head.toString('latin1');
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1];
  const size = /^size (\d+)$/m.exec(text)?.[1];
  return oid && size ? { oid, size: Number(size) } : undefined;
}

async function probeOpen(fd: number, size: number, ext: string): Promise<Probe> {
  let head = readAt(fd, 0, Math.min(HEAD, size));
  const lfs = size <= 1024 ? lfsPointer(head) : undefined;
  if (lfs) return { ok: false, reason: 'lfs-pointer', params: lfs };
  const tail = readAt(fd, Math.max(0, size - TAIL), Math.min(TAIL, size));
  const det = await detectType(new Uint8Array(head.buffer, head.byteOffset, head.length), ext, (pos, len) => readAt(fd, pos, len), size);
  if (!det.ok) return det;
  const type = det.type;
  const base = { ok: true as const, type, ...(det.mismatch ? { mismatch: det.mismatch } : {}) };

  if (type === 'pdf') {
    let pdf: PdfProbe;
    try {
      pdf = probePdfFd(fd, size);
    } catch {
      pdf = { status: 'broken', what: '文件结构无法读取' };
    }
    const failed = fromPdf(pdf, size);
    if (failed) return failed;
    const ok = pdf as Extract<PdfProbe, { status: 'ok' }>;
    return {
      ...base,
      ...(ok.pages !== undefined ? { pages: ok.pages } : {}),
      ...(ok.xfa ? { xfa: true as const } : {}),
      ...(ok.creationDate ? { embeddedDate: ok.creationDate, embeddedDateSource: 'pdf' as const } : {}),
    };
  }

  if (type === 'txt' || type === 'md' || type === 'csv') {
    // Text is read whole (text files are small) and decoded as binding will: check then says what
    // build would find — bytes that are not valid text, or an encoding that is only a guess.
    if (size > MAX_TEXT_BYTES) return { ok: false, reason: 'unreadable', params: { cause: 'too-large', type, size, limit: MAX_TEXT_BYTES } };
    const all = size <= head.length ? head : readAt(fd, 0, size);
    const warning = encodingWarning(decodeText(all));
    return { ...base, ...(warning ? { textEncoding: warning } : {}) };
  }

  if (ZIP_TYPES.has(type)) {
    // A zip ends with its end-of-central-directory record; without it the file was cut short.
    if (tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) < 0) return { ok: false, reason: 'unreadable', params: { cause: 'truncated', type } };
    return base;
  }

  // The end marker is normally in the last bytes. Where it is not, the image may still end inside
  // the file: phones append the video of a motion photo (动态照片) after the JPEG, some apps data
  // after a PNG. Only an image whose own structure runs off the end was cut short.
  const readAtFd = (pos: number, len: number) => readAt(fd, pos, len);
  if (type === 'jpg' && tail.lastIndexOf(Buffer.from([0xff, 0xd9])) < 0 && !jpegEndsInside(readAtFd, size)) {
    return { ok: false, reason: 'unreadable', params: { cause: 'truncated', type } };
  }
  if (type === 'png' && tail.lastIndexOf(Buffer.from('IEND', 'latin1')) < 0 && !pngEndsInside(readAtFd, size)) {
    return { ok: false, reason: 'unreadable', params: { cause: 'truncated', type } };
  }

  if (type === 'tif') {
    let facts;
    try {
      facts = readTiffFacts((pos: number, len: number) => readAt(fd, pos, len), size);
    } catch {
      return { ok: false, reason: 'unreadable', params: { cause: 'corrupt', type, what: 'TIFF 目录无法读取' } };
    }
    const { date, badDate } = pickExifDate(facts.dateTimeOriginal, facts.dateTime);
    // a scanner's multi-page TIFF: each page is bound (a document), thumbnails are not pages
    const pages = tiffPageCount((pos: number, len: number) => readAt(fd, pos, len), size);
    return withPixels({
      ...base,
      width: facts.width,
      height: facts.height,
      ...(facts.orientation !== undefined ? { orientation: facts.orientation } : {}),
      ...(date ? { embeddedDate: date, embeddedDateSource: 'exif' as const } : {}),
      ...(badDate !== undefined ? { badDate } : {}),
      ...(pages > 1 ? { pages } : {}),
    });
  }

  // HEIC and AVIF: whole (every item's data inside the file) and their EXIF found, from the boxes
  let heifExif: Uint8Array | undefined;
  if (type === 'heic' || type === 'avif') {
    try {
      heifExif = readHeif((pos, len) => readAt(fd, pos, len), size).exif;
    } catch (err) {
      if (!(err instanceof HeifError)) throw err;
      return err.reason === 'truncated'
        ? { ok: false, reason: 'unreadable', params: { cause: 'truncated', type } }
        : { ok: false, reason: 'unreadable', params: { cause: 'corrupt', type, what: err.what } };
    }
  }

  if (type === 'jpg' || type === 'png' || type === 'webp' || type === 'heic' || type === 'avif' || type === 'bmp' || type === 'gif') {
    let width: number | undefined;
    let height: number | undefined;
    // (loaded only when a photo has to be read: a warm check reads none)
    const { imageSize } = await import('image-size');
    for (;;) {
      try {
        const dim = imageSize(new Uint8Array(head.buffer, head.byteOffset, head.length));
        width = dim.width;
        height = dim.height;
      } catch {
        // The header lies past what we read (a large EXIF thumbnail): read more once.
        if (head.length < Math.min(JPEG_HEAD, size)) {
          head = readAt(fd, 0, Math.min(JPEG_HEAD, size));
          continue;
        }
      }
      break;
    }
    if (type === 'jpg' && width === undefined) return { ok: false, reason: 'unreadable', params: { cause: 'corrupt', type, what: '读不出图像尺寸' } };
    let orientation: number | undefined;
    let date: string | undefined;
    let badDate: string | undefined;
    // (HEIF: the EXIF item found through its boxes, as a TIFF structure exifr reads; none: no EXIF)
    const exifSource = type === 'heic' || type === 'avif' ? heifExif : type !== 'bmp' && type !== 'gif' ? head : undefined;
    if (exifSource) {
      try {
        // exifr is loaded only when a photo has to be read: a warm check needs none
        const { default: exifr } = await import('exifr');
        const tags = (await exifr.parse(exifSource, EXIFR_OPTIONS)) as Record<string, unknown> | undefined;
        if (tags) {
          ({ date, badDate } = pickExifDate(tags.DateTimeOriginal, tags.CreateDate));
          if (typeof tags.Orientation === 'number') orientation = tags.Orientation;
        }
      } catch {
        // No readable EXIF: the photo is simply undated by this source.
      }
    }
    return withPixels({
      ...base,
      ...(width !== undefined ? { width, height } : {}),
      ...(orientation !== undefined ? { orientation } : {}),
      ...(date ? { embeddedDate: date, embeddedDateSource: 'exif' as const } : {}),
      ...(badDate !== undefined ? { badDate } : {}),
    });
  }
  return base;
}

type ReadAt = (pos: number, len: number) => Buffer;

/**
 * Whether a JPEG's end-of-image marker lies inside the file: its segments are skipped by their
 * lengths up to the first scan (past an EXIF thumbnail, which has its own end marker), then the
 * scan data is searched for FF D9, which entropy-coded data cannot contain.
 */
export function jpegEndsInside(read: ReadAt, size: number): boolean {
  let pos = 2;
  for (let guard = 0; guard < 10000; guard++) {
    const h = read(pos, 4);
    if (h.length < 4 || h[0] !== 0xff) return false;
    const marker = h[1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd9) return true;
    if (marker === 0xda) break;
    pos += 2 + h.readUInt16BE(2);
  }
  const CHUNK = 1 << 20;
  for (let at = pos; at < size; at += CHUNK) {
    const buf = read(at, CHUNK + 1);
    for (let i = buf.indexOf(0xff); i >= 0 && i + 1 < buf.length; i = buf.indexOf(0xff, i + 1)) {
      if (buf[i + 1] === 0xd9) return true;
    }
  }
  return false;
}

/** Whether a PNG's IEND chunk lies inside the file, found by walking the chunks by their lengths. */
export function pngEndsInside(read: ReadAt, size: number): boolean {
  let pos = 8;
  for (let guard = 0; guard < 1_000_000 && pos + 8 <= size; guard++) {
    const h = read(pos, 8);
    if (h.length < 8) return false;
    if (h.toString('latin1', 4, 8) === 'IEND') return true;
    pos += 12 + h.readUInt32BE(0);
  }
  return false;
}

/** A photo larger than its decoder may take is refused now, not when binding runs out of memory. */
function withPixels(p: Extract<Probe, { ok: true }>): Probe {
  if (p.width === undefined || p.height === undefined) return p;
  const limit = pixelLimit(p.type);
  if (p.width * p.height > limit) {
    return { ok: false, reason: 'unsupported', params: { cause: 'too-many-pixels', width: p.width, height: p.height, limit } };
  }
  return p;
}
