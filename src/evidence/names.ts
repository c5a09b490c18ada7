// Metadata that people write into file names: 2023-10-12 创城主题班会.jpg, x教〔2023〕12号 关于….pdf
import { validDate } from '../util/dates.js';

export const CODE_SEPARATORS = [' ', '\u3000', '_', '-', '.', '、', '·', '－'];

/** `name` begins with `code` followed by a separator or the end: `A1.1 领导` and `A1.1_x`, not `A1.10`. */
export function beginsWithCode(name: string, code: string): boolean {
  if (!name.startsWith(code)) return false;
  const next = name[code.length];
  return next === undefined || CODE_SEPARATORS.includes(next);
}

/** Characters a folder name cannot hold on Windows (or anywhere, for `/`): `init` writes `_` instead. */
export const NOT_IN_FOLDER_NAMES = /[\\/:*?"<>|\u0000-\u001f]/g;

const spelled = new Map<string, string>();

/** A code as `init` spells it in a folder name: `A1/1` → `A1_1`. (Asked for every file and code: remembered.) */
export function folderCode(code: string): string {
  let s = spelled.get(code);
  if (s === undefined) {
    s = code.replace(NOT_IN_FOLDER_NAMES, '_');
    spelled.set(code, s);
  }
  return s;
}

export interface NameMeta {
  title: string;
  date?: string;
  docNo?: string;
  /** the name is only what a camera or an app called the file: no title a person would write */
  deviceName?: boolean;
}


const DATE_PATTERNS: RegExp[] = [
  /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/u,
  /(?<!\d)(\d{4})[-._](\d{1,2})[-._](\d{1,2})(?!\d)/u,
  /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/u,
];

/** The first date written in `s`, and where it stands. */
export function findDate(s: string): { date: string; index: number; length: number } | undefined {
  for (const re of DATE_PATTERNS) {
    const m = re.exec(s);
    if (!m) continue;
    const date = validDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (date) return { date, index: m.index, length: m[0].length };
  }
  return undefined;
}

/** A date written any of the ways people write it, as YYYY-MM-DD. */
export function parseLooseDate(s: string): string | undefined {
  const f = findDate(s.trim());
  return f && f.index === 0 && f.length === s.trim().length ? f.date : undefined;
}

// 文号: 机关代字〔年份〕序号号, with the brackets people actually type.
const DOC_NO = /[\p{Script=Han}A-Za-z]*\s*[〔［\[【(（]\s*\d{4}\s*[〕］\]】)）]\s*第?\s*\d+\s*号/u;

const TRIM = /^[\s\u3000_\-.、·－—,，;；:：]+|[\s\u3000_\-.、·－—,，;；:：]+$/gu;

/** Epoch milliseconds as a date in China's time (UTC+8), where these files are made. */
function fromEpochMs(ms: string): string | undefined {
  const d = new Date(Number(ms) + 8 * 3600_000);
  const y = d.getUTCFullYear();
  return y >= 2000 && y <= 2999 ? d.toISOString().slice(0, 10) : undefined;
}

const ymd = (m: RegExpExecArray) => validDate(Number(m[1]), Number(m[2]), Number(m[3]));

/**
 * Names cameras, phones and chat apps give files. None is a title; several carry the date the
 * photo was taken or received.
 */
const DEVICE_NAMES: { re: RegExp; date?: (m: RegExpExecArray) => string | undefined }[] = [
  { re: /^微信图片_(\d{4})(\d{2})(\d{2})\d{0,6}(?:_\d+)?$/u, date: ymd },
  { re: /^(?:mmexport|wx_camera_)(\d{13})(?:[_-]\d+)?$/iu, date: (m) => fromEpochMs(m[1]!) },
  { re: /^QQ图片(\d{4})(\d{2})(\d{2})\d{0,6}$/u, date: ymd },
  { re: /^(?:IMG|VID|PXL|MVIMG|PANO|BURST|Snipaste|photo|Screenshot|Screen ?Shot|屏幕截图|截屏|截图|Scan|CamScanner|扫描全能王)[_\- ]*(\d{4})[-_.]?(\d{1,2})[-_.]?(\d{1,2})(?:\D.*|\d{6}.*)?$/iu, date: ymd },
  { re: /^(?:IMG|DSC|DSCN|DSCF|DCIM|PICT|SAM|GOPR|DJI|MVIMG|VID|PXL|P|image|photo|Screenshot|屏幕截图|截屏|Scan|扫描件|新建\s*\S*文档)[_\- ]*\d*(?:[_\- ]?\d+)*(?:[_\- ]?(?:edit|edited|HDR|BURST\w*|COVER|MP|PORTRAIT\w*))*$/iu },
];

/** Whether `name` is a camera's or an app's file name, and the date it carries. */
export function deviceName(name: string): { date?: string } | undefined {
  for (const d of DEVICE_NAMES) {
    const m = d.re.exec(name.trim());
    if (!m) continue;
    const date = d.date?.(m);
    return date ? { date } : {};
  }
  return undefined;
}

/** Strip `code` (when the name starts with it), the date and the 文号; what remains is the title. */
export function parseFileName(base: string, code?: string): NameMeta {
  let rest = base.normalize('NFC');
  if (code && beginsWithCode(rest, code)) {
    rest = rest.slice(code.length).replace(TRIM, '');
  }
  const whole = deviceName(rest);
  if (whole) return { title: '', deviceName: true, ...(whole.date ? { date: whole.date } : {}) };
  const meta: NameMeta = { title: '' };
  const docNo = DOC_NO.exec(rest);
  if (docNo) {
    meta.docNo = docNo[0].replace(/\s+/g, '');
    rest = rest.slice(0, docNo.index) + ' ' + rest.slice(docNo.index + docNo[0].length);
  }
  const date = findDate(rest);
  if (date) {
    meta.date = date.date;
    rest = rest.slice(0, date.index) + ' ' + rest.slice(date.index + date.length);
  }
  meta.title = rest
    .replace(/[\s\u3000]+/gu, ' ')
    .replace(/[（(]\s*[）)]|[【\[]\s*[】\]]/gu, '')
    .replace(TRIM, '')
    .trim();
  // "2023-10-16 IMG_0001": a date a person wrote, before a name the camera gave
  if (meta.title === '' || deviceName(meta.title)) {
    meta.title = '';
    meta.deviceName = true;
  }
  return meta;
}

/** 副本, copy, (1) … : the marks a copy gets from Explorer, Finder and WeChat downloads. */
export function hasCopyMarker(base: string): boolean {
  return /副本|复制|拷贝|\bcopy\b|\(\d+\)$|（\d+）$/iu.test(base);
}
