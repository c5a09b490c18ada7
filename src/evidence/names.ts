// Metadata that people write into file names: 2023-10-12 创城主题班会.jpg, x教〔2023〕12号 关于….pdf

export const CODE_SEPARATORS = [' ', '\u3000', '_', '-', '.', '、', '·', '－'];

/** `name` begins with `code` followed by a separator or the end: `A1.1 领导` and `A1.1_x`, not `A1.10`. */
export function beginsWithCode(name: string, code: string): boolean {
  if (!name.startsWith(code)) return false;
  const next = name[code.length];
  return next === undefined || CODE_SEPARATORS.includes(next);
}

export interface NameMeta {
  title: string;
  date?: string;
  docNo?: string;
}

function validDate(y: number, m: number, d: number): string | undefined {
  if (y < 1900 || y > 2999) return undefined;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
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

/** Strip `code` (when the name starts with it), the date and the 文号; what remains is the title. */
export function parseFileName(base: string, code?: string): NameMeta {
  let rest = base.normalize('NFC');
  if (code && beginsWithCode(rest, code)) {
    rest = rest.slice(code.length);
  }
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
  return meta;
}

/** 副本, copy, (1) … : the marks a copy gets from Explorer, Finder and WeChat downloads. */
export function hasCopyMarker(base: string): boolean {
  return /副本|复制|拷贝|\bcopy\b|\(\d+\)$|（\d+）$/iu.test(base);
}
