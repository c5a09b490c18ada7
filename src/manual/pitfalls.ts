// The mistakes people make typing YAML in Notepad or WPS, found in the text itself so the message
// can name the line, the column and the fix — YAML's own message ("Implicit map keys need to be
// followed by map values", "Unresolved alias") says nothing a school clerk can act on.
import { MANUAL_KEYS } from './schema.js';

export interface Pitfall {
  line: number;
  col: number;
  message: string;
}

const KEYS = new Set(Object.values(MANUAL_KEYS).flat());

/** The line without a trailing comment (a # after a space, outside quotes). */
function uncomment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** An unquoted value that starts with *: YAML reads it as an alias, not as a pattern. */
function starValues(text: string, at: number): { value: string; col: number }[] {
  const out: { value: string; col: number }[] = [];
  const trimmed = text.trimStart();
  const lead = text.length - trimmed.length;
  if (trimmed.startsWith('[')) {
    // a flow list: [*a*, "b"]
    const inner = trimmed.slice(1, trimmed.lastIndexOf(']') > 0 ? trimmed.lastIndexOf(']') : undefined);
    let offset = at + lead + 1;
    for (const part of inner.split(',')) {
      const item = part.trim();
      if (item.startsWith('*')) out.push({ value: item, col: offset + part.indexOf('*') });
      offset += part.length + 1;
    }
  } else if (trimmed.startsWith('*')) out.push({ value: trimmed.trimEnd(), col: at + lead });
  return out;
}

export function findPitfalls(src: string): Pitfall[] {
  const found: Pitfall[] = [];
  const lines = src.split(/\r?\n/);
  let lastKey = '';
  // the lines of a block scalar (standard: |) are text, not YAML: no pitfalls there
  let blockIndent: number | undefined;
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (/^\s*#/.test(raw)) return;
    const text = uncomment(raw);
    const indent = /^[ \t\u3000]*/.exec(text)![0];
    if (blockIndent !== undefined) {
      if (text.trim() === '' || indent.length > blockIndent) return;
      blockIndent = undefined;
    }
    if (indent.includes('\u3000')) {
      found.push({ line, col: indent.indexOf('\u3000') + 1, message: '行首的缩进里有全角空格“　”（中文输入法打出的空格），YAML 只认半角空格。请删掉它，用半角空格对齐' });
    } else if (indent.includes('\t')) {
      found.push({ line, col: indent.indexOf('\t') + 1, message: '这一行用 Tab 缩进，YAML 只认空格。请把 Tab 换成空格（每层缩进 2 个空格）' });
    }
    const keyed = /^([ \t\u3000]*(?:-[ \t]+)?)([A-Za-z_][\w-]*)[ \t]*([:：])(.*)$/.exec(text);
    if (keyed) {
      const [, head, key, colon, rest] = keyed as unknown as [string, string, string, string, string];
      const keyCol = head.length + 1;
      if (colon === '：' && KEYS.has(key)) {
        found.push({ line, col: keyCol + key.length, message: `${key} 后面用了中文冒号“：”，YAML 只认英文冒号。请改成 ${key}: ${rest.trim()}（英文冒号后加一个空格）` });
      }
      if (colon === ':' && rest !== '' && !/^\s/.test(rest) && KEYS.has(key)) {
        found.push({ line, col: keyCol + key.length + 1, message: `${key}: 的冒号后面少了一个空格。请改成 ${key}: ${rest.trim()}` });
      }
      lastKey = key;
      if (/^\s*[|>][+-]?\d*\s*$/.test(rest)) blockIndent = indent.length;
      if (colon === ':') {
        const stars = starValues(rest, keyCol + key.length + 1);
        if (stars.length > 0) found.push({ line, col: stars[0]!.col, message: starMessage(key, rest.trim(), false, stars.map((x) => x.value)) });
      }
      return;
    }
    const item = /^([ \t]*-[ \t]+)(.*)$/.exec(text);
    if (item) {
      const stars = starValues(item[2]!, item[1]!.length + 1);
      if (stars.length > 0) found.push({ line, col: stars[0]!.col, message: starMessage(lastKey, item[2]!.trim(), true) });
    }
  });
  return found;
}

/** Every unquoted *… of a value (or of a flow list) in double quotes. */
function quoteStars(value: string): string {
  const q = (v: string) => (v.startsWith('*') ? `"${v}"` : v);
  if (value.startsWith('[')) {
    const end = value.lastIndexOf(']');
    return `[${value
      .slice(1, end > 0 ? end : undefined)
      .split(',')
      .map((x) => q(x.trim()))
      .join(', ')}]`;
  }
  return q(value);
}

function starMessage(key: string, value: string, listItem = false, stars: string[] = [value]): string {
  const fixed = quoteStars(value);
  const what = listItem ? `${key ? `${key} 列表中的` : '列表中的'}这一项 ${value}` : value.startsWith('[') ? `${key} 列表中的 ${stars.join('、')}` : `${key} 的值 ${value}`;
  const example = listItem ? `- ${fixed}` : `${key}: ${fixed}`;
  return `${what} 以 * 开头，YAML 会把它当作“别名”而不是通配符。请加上引号：${example}`;
}
