// One look at a file: its type from content, whether it is whole, and the embedded metadata we use.
// Reads the head (up to 128 KiB) and the tail (4 KiB), plus a PDF's cross-reference section.
import { open } from 'node:fs/promises';
import exifr from 'exifr';
import { imageSize } from 'image-size';
import type { FileType } from '../model.js';
import { detectType } from './filetype.js';
import { probePdf } from './pdf-probe.js';

const HEAD = 128 * 1024;
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
      embeddedTitle?: string;
      pages?: number;
      restricted?: boolean;
    }
  | { ok: false; reason: 'unsupported' | 'unreadable' | 'encrypted'; detail: string };

async function readEnds(abs: string, size: number): Promise<{ head: Buffer; tail: Buffer }> {
  const fh = await open(abs, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD, size));
    await fh.read(head, 0, head.length, 0);
    const tailLen = Math.min(TAIL, size);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    return { head, tail };
  } finally {
    await fh.close();
  }
}

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
  let ends: { head: Buffer; tail: Buffer };
  try {
    ends = await readEnds(abs, size);
  } catch (err) {
    return { ok: false, reason: 'unreadable', detail: `无法读取文件（${(err as NodeJS.ErrnoException).code ?? String(err)}）` };
  }
  const { head, tail } = ends;
  const det = await detectType(new Uint8Array(head.buffer, head.byteOffset, head.length), ext);
  if (!det.ok) return det;
  const type = det.type;
  const base = { ok: true as const, type, ...(det.mismatch ? { mismatch: det.mismatch } : {}) };

  if (type === 'pdf') {
    const pdf = await probePdf(abs).catch(() => ({ status: 'broken', detail: 'PDF 无法解析' }) as const);
    if (pdf.status === 'encrypted') return { ok: false, reason: 'encrypted', detail: pdf.detail };
    if (pdf.status !== 'ok') return { ok: false, reason: 'unreadable', detail: pdf.detail };
    return {
      ...base,
      restricted: pdf.restricted,
      ...(pdf.pages !== undefined ? { pages: pdf.pages } : {}),
      ...(pdf.creationDate ? { embeddedDate: pdf.creationDate, embeddedDateSource: 'pdf' as const } : {}),
      ...(pdf.title ? { embeddedTitle: pdf.title } : {}),
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
    try {
      const dim = imageSize(new Uint8Array(head.buffer, head.byteOffset, head.length));
      width = dim.width;
      height = dim.height;
    } catch {
      // A HEIC or TIFF whose size lies past the head; not an error in itself.
    }
    if (type === 'jpg' && width === undefined) {
      return { ok: false, reason: 'unreadable', detail: 'JPEG 图片已损坏（读不出图像尺寸），请重新获取原图' };
    }
    let orientation: number | undefined;
    let date: string | undefined;
    if (type !== 'bmp' && type !== 'gif') {
      try {
        const tags = (await exifr.parse(head, {
          pick: ['DateTimeOriginal', 'CreateDate', 'Orientation'],
          translateValues: false,
          reviveValues: true,
        })) as Record<string, unknown> | undefined;
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
