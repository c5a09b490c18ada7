// Names and text from the user's files, made safe to show. A file name may hold any byte but `/`
// and NUL: an ESC (`\x1B`) starts a terminal control sequence (colours, cursor moves, a changed
// window title), a carriage return or newline draws over or fakes a line, a bidi override
// (U+202E) shows `报告gpj.exe` as `报告exe.jpg`, a C1 byte is read as a control by some terminals.
// Every reporter (terminal text, Markdown, JUnit XML, HTML, xlsx cells) and every message of the
// command line shows such characters as visible escapes — `\x1B`, `\u202E` — made by this one
// helper; JSON needs none (its own escaping keeps them as data).

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const escape = (c: string): string => {
  const n = c.codePointAt(0)!;
  return n <= 0xff ? `\\x${n.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${n.toString(16).toUpperCase().padStart(4, '0')}`;
};

/** One line of text (a path, a name, a title): every control character shown as an escape, newlines too. */
export function printable(s: string): string {
  return s.replace(CONTROL, escape);
}

/** Text that may run over several lines (a message, a 缺项说明): as `printable`, but tabs and newlines stay. */
export function printableText(s: string): string {
  return s.replace(CONTROL_BUT_LINES, escape);
}

/** Keys whose text is free prose over several lines (the unit's own 缺项说明). */
const MULTILINE = new Set(['reason']);

/**
 * A copy of report-like data (the §6 report, a unit list) with every string made printable: what
 * the text, Markdown, JUnit, HTML and xlsx reporters render from.
 */
export function printableData<T>(value: T, key?: string): T {
  if (typeof value === 'string') return (key !== undefined && MULTILINE.has(key) ? printableText(value) : printable(value)) as T;
  if (Array.isArray(value)) return value.map((v) => printableData(v, key)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = printableData(v, k);
    return out as T;
  }
  return value;
}
