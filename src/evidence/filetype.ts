// What a file is, from its first bytes, compared with what its name says.
import { fileTypeFromBuffer } from 'file-type';
import type { FileType } from '../model.js';

export const PHOTO_EXTS = ['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'heic', 'heif', 'bmp', 'gif'] as const;
export const DOCUMENT_EXTS = [
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'wps', 'et', 'dps', 'odt', 'ods', 'odp', 'txt', 'md',
] as const;

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

/** Chinese names for messages. */
export const TYPE_LABEL: Record<FileType, string> = {
  pdf: 'PDF', jpg: 'JPEG 图片', png: 'PNG 图片', webp: 'WebP 图片', tif: 'TIFF 图片', heic: 'HEIC 图片',
  bmp: 'BMP 图片', gif: 'GIF 图片', doc: 'Word 文档(.doc)', docx: 'Word 文档(.docx)', xls: 'Excel 表格(.xls)',
  xlsx: 'Excel 表格(.xlsx)', ppt: 'PowerPoint(.ppt)', pptx: 'PowerPoint(.pptx)', wps: 'WPS 文字', et: 'WPS 表格',
  dps: 'WPS 演示', odt: 'ODF 文档', ods: 'ODF 表格', odp: 'ODF 演示', txt: '纯文本', md: 'Markdown 文本',
};

export function typeFromExtension(ext: string): FileType | undefined {
  return EXT_TO_TYPE[ext.toLowerCase()];
}

export function kindOf(type: FileType): 'photo' | 'document' {
  return PHOTO_TYPES.has(type) ? 'photo' : 'document';
}

export type Detection =
  | { ok: true; type: FileType; mismatch?: string; encryptedOffice?: false }
  | { ok: false; reason: 'unsupported' | 'unreadable' | 'encrypted'; detail: string };

/**
 * Decide the type from the content's first bytes; the extension breaks ties the content cannot
 * (an OLE container is .doc, .xls, .wps … alike; a text file has no signature).
 */
export async function detectType(head: Uint8Array, ext: string): Promise<Detection> {
  const byExt = typeFromExtension(ext);
  const ft = await fileTypeFromBuffer(head).catch(() => undefined);
  const detected = ft?.ext as string | undefined;

  let byContent: FileType | undefined;
  if (detected === 'cfb') {
    if (byExt && OOXML_TYPES.has(byExt)) {
      // Office wraps a password-protected .docx/.xlsx/.pptx in an OLE container.
      return { ok: false, reason: 'encrypted', detail: '这个 Office 文件设置了打开密码。请去掉密码后另存一份再放入' };
    }
    byContent = byExt && OLE_TYPES.has(byExt) ? byExt : 'doc';
  } else if (detected === 'zip') {
    byContent = byExt && ZIP_TYPES.has(byExt) ? byExt : undefined;
    if (!byContent) return { ok: false, reason: 'unsupported', detail: '压缩包（zip）不能装订，请解压后把其中的文件放入' };
  } else if (detected === 'avif' || detected === 'heif') byContent = 'heic';
  else if (detected) {
    byContent = typeFromExtension(detected);
    if (!byContent) {
      return {
        ok: false,
        reason: 'unsupported',
        detail: `${detected.toUpperCase()} 文件不能装订成卷（支持 PDF、Office/WPS 文档、图片和文本）${hintFor(detected)}`,
      };
    }
  } else if (byExt === 'txt' || byExt === 'md') {
    byContent = looksLikeText(head) ? byExt : undefined;
    if (!byContent) return { ok: false, reason: 'unreadable', detail: '文件扩展名是文本，但内容不是可读的文字' };
  }

  if (!byContent) {
    if (byExt) {
      return { ok: false, reason: 'unreadable', detail: `文件扩展名是 .${ext}，但内容无法识别，可能已损坏。请重新获取原文件` };
    }
    return {
      ok: false,
      reason: 'unsupported',
      detail: `不支持的文件类型${ext ? ` .${ext}` : ''}（支持 PDF、Office/WPS 文档、图片和文本）`,
    };
  }
  if (byExt && byExt !== byContent && !(OLE_TYPES.has(byExt) && OLE_TYPES.has(byContent))) {
    return {
      ok: true,
      type: byContent,
      mismatch: `扩展名是 .${ext}，内容却是${TYPE_LABEL[byContent]}；将按${TYPE_LABEL[byContent]}处理，建议改正扩展名`,
    };
  }
  if (!byExt) {
    return { ok: true, type: byContent, mismatch: `文件没有可识别的扩展名，内容是${TYPE_LABEL[byContent]}；建议补上扩展名` };
  }
  return { ok: true, type: byContent };
}

function hintFor(ext: string): string {
  if (['mp4', 'mov', 'avi', 'mkv', 'webm', 'flv', 'wmv', 'm4v'].includes(ext)) return '；视频请截取关键画面作为照片';
  if (['mp3', 'wav', 'm4a', 'aac', 'amr'].includes(ext)) return '；录音请整理成文字材料';
  if (['rar', '7z', 'gz', 'tar'].includes(ext)) return '；请解压后把其中的文件放入';
  return '';
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
