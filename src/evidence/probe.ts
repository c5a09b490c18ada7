// One look at a file: its type from content, whether it is whole, and the embedded metadata we use.
// Reads the head (up to 128 KiB) and the tail (4 KiB), plus a PDF's cross-reference section.
import { closeSync, openSync, readSync } from 'node:fs';
import exifr from 'exifr';
import { imageSize } from 'image-size';
import type { FileType } from '../model.js';
import { detectType } from './filetype.js';
import { probePdfFd, type PdfProbe } from './pdf-probe.js';

// Enough for every signature and most image headers; a JPEG whose EXIF thumbnail pushes the frame
// header further is read again, further.
const HEAD = 16 * 1024;
const JPEG_HEAD = 256 * 1024;
const TAIL = 4096;

export type Probe =
  | {
      ok: true;
      type: FileType;
      mismatch?: string;
      width?: number;
      height?: number;
      orientation?: number;
      embeddedDate?: string;
      embeddedDateSource?: 'exif' | 'pdf';
      pages?: number;
      restricted?: boolean;
    }
  | { ok: false; reason: 'unsupported' | 'unreadable' | 'encrypted'; detail: string };

// Synchronous reads: a few small reads per file are cheaper without the promise machinery, and
// `check` spends most of its time here.
function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const bytesRead = readSync(fd, buf, 0, len, pos);
  return bytesRead === len ? buf : buf.subarray(0, bytesRead);
}

const EXIFR_OPTIONS = { pick: ['DateTimeOriginal', 'CreateDate', 'Orientation'], translateValues: false, reviveValues: true };

function exifDate(v: unknown): string | undefined {
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    // exifr builds the Date in local time from the camera's wall clock: read it back the same way.
    const y = v.getFullYear();
    if (y < 1990 || y > 2999) return undefined;
    return `${y}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  }
  if (typeof v === 'string') {
    const m = /^(\d{4})[:-](\d{2})[:-](\d{2})/.exec(v);
    if (m && m[1] !== '0000') return `${m[1]}-${m[2]}-${m[3]}`;
  }
  return undefined;
}

export async function probeFile(abs: string, size: number, ext: string): Promise<Probe> {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (err) {
    return { ok: false, reason: 'unreadable', detail: `无法读取文件（${(err as NodeJS.ErrnoException).code ?? String(err)}）` };
  }
  try {
    return await probeOpen(fd, size, ext);
  } catch (err) {
    return { ok: false, reason: 'unreadable', detail: `无法读取文件（${(err as NodeJS.ErrnoException).code ?? String(err)}）` };
  } finally {
    closeSync(fd);
  }
}

async function probeOpen(fd: number, size: number, ext: string): Promise<Probe> {
  let head = readAt(fd, 0, Math.min(HEAD, size));
  const tail = readAt(fd, Math.max(0, size - TAIL), Math.min(TAIL, size));
  const det = await detectType(new Uint8Array(head.buffer, head.byteOffset, head.length), ext);
  if (!det.ok) return det;
  const type = det.type;
  const base = { ok: true as const, type, ...(det.mismatch ? { mismatch: det.mismatch } : {}) };

  if (type === 'pdf') {
    let pdf: PdfProbe;
    try {
      pdf = probePdfFd(fd, size);
    } catch {
      pdf = { status: 'broken', detail: 'PDF 无法解析，请用原软件重新导出' };
    }
    if (pdf.status === 'encrypted') return { ok: false, reason: 'encrypted', detail: pdf.detail };
    if (pdf.status !== 'ok') return { ok: false, reason: 'unreadable', detail: pdf.detail };
    return {
      ...base,
      restricted: pdf.restricted,
      ...(pdf.pages !== undefined ? { pages: pdf.pages } : {}),
      ...(pdf.creationDate ? { embeddedDate: pdf.creationDate, embeddedDateSource: 'pdf' as const } : {}),
    };
  }

  if (type === 'docx' || type === 'xlsx' || type === 'pptx' || type === 'odt' || type === 'ods' || type === 'odp') {
    // A zip ends with its end-of-central-directory record; without it the file was cut short.
    if (tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) < 0) {
      return { ok: false, reason: 'unreadable', detail: '文件不完整（压缩结构缺少结尾），可能下载或拷贝中断，请重新获取原文件' };
    }
    return base;
  }

  if (type === 'jpg' && tail.lastIndexOf(Buffer.from([0xff, 0xd9])) < 0) {
    return { ok: false, reason: 'unreadable', detail: 'JPEG 图片不完整（缺少结尾标记），可能下载或拷贝中断，请重新获取原图' };
  }
  if (type === 'png' && tail.lastIndexOf(Buffer.from('IEND', 'latin1')) < 0) {
    return { ok: false, reason: 'unreadable', detail: 'PNG 图片不完整（缺少结尾），可能下载或拷贝中断，请重新获取原图' };
  }

  if (type === 'jpg' || type === 'png' || type === 'webp' || type === 'tif' || type === 'heic' || type === 'bmp' || type === 'gif') {
    let width: number | undefined;
    let height: number | undefined;
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
    if (type === 'jpg' && width === undefined) {
      return { ok: false, reason: 'unreadable', detail: 'JPEG 图片已损坏（读不出图像尺寸），请重新获取原图' };
    }
    let orientation: number | undefined;
    let date: string | undefined;
    if (type !== 'bmp' && type !== 'gif') {
      try {
        const tags = (await exifr.parse(head, EXIFR_OPTIONS)) as Record<string, unknown> | undefined;
        if (tags) {
          date = exifDate(tags.DateTimeOriginal) ?? exifDate(tags.CreateDate);
          if (typeof tags.Orientation === 'number') orientation = tags.Orientation;
        }
      } catch {
        // No readable EXIF: the photo is simply undated by this source.
      }
    }
    return {
      ...base,
      ...(width !== undefined ? { width, height } : {}),
      ...(orientation !== undefined ? { orientation } : {}),
      ...(date ? { embeddedDate: date, embeddedDateSource: 'exif' as const } : {}),
    };
  }
  return base;
}
