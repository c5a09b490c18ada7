// Breaking Chinese text into lines the way a typesetter would: anywhere between Han characters, but
// never inside a Latin word, a number or a 文号 (一小〔2023〕12号); no closing punctuation at the
// start of a line and no opening punctuation at its end (避头尾); "——" kept whole. For titles, a
// break at a space or after punctuation is preferred when it costs little of the line.
import type { Role } from './template.js';

/** Text widths in points: the only thing layout needs from a font. */
export interface Measure {
  width(role: Role, size: number, text: string): number;
}

const NO_START = new Set('，。、；：？！）》」』】〕〉”’％,.;:?!)]}…—～·'.split(''));
const NO_END = new Set('（《「『【〔〈“‘([{'.split(''));
const BREAK_AFTER = new Set('，。、；：？！,.;:?!）》」』】〕〉'.split(''));

// the year-and-number part of a 文号; it also never parts from the 机关代字 character before it
const DOC_NO = /[〔［[【(（]\d{4}[〕］\]】)）]第?\d+号/uy;
// a word: Latin letters, digits and the signs inside addresses and numbers, and the letters of every
// script that puts spaces between words (Cyrillic, Greek, Arabic and Uyghur, Hebrew, Devanagari,
// Tibetan, Mongolian …) with their marks and joiners; not ideographs, which break anywhere
const WORD = /(?:[A-Za-z0-9@#$%&*+=/\\._\-:'"\u200C\u200D]|(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Bopomofo}\p{sc=Yi}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}])[\p{L}\p{M}])+/uy;
// scripts written without spaces whose words a dictionary finds (ICU's, through Intl.Segmenter)
const DICTIONARY = /[\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]+/uy;
const SPACE = /[ \t\u3000]+/y;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const words = new Intl.Segmenter('th', { granularity: 'word' });

/** `text` as grapheme clusters: a character with its marks, an emoji with its modifiers and joiners. */
export function clustersOf(text: string): string[] {
  return [...graphemes.segment(text)].map((s) => s.segment);
}

interface Atom {
  text: string;
  space: boolean;
  /** no break before it */
  glue?: boolean;
}

function atoms(para: string): Atom[] {
  const out: Atom[] = [];
  // where grapheme clusters start: no atom ends inside one (a keycap's "1" with its "️⃣")
  const starts = new Set([...graphemes.segment(para)].map((s) => s.index));
  const whole = (end: number) => {
    while (end < para.length && !starts.has(end)) end++;
    return end;
  };
  for (let i = 0; i < para.length; ) {
    let m: RegExpExecArray | null = null;
    for (const re of [DOC_NO, WORD, DICTIONARY, SPACE]) {
      re.lastIndex = i;
      m = re.exec(para);
      if (m && m[0].length > 0) {
        const end = whole(i + m[0].length);
        const text = para.slice(i, end);
        if (re === DICTIONARY) for (const w of words.segment(text)) out.push({ text: w.segment, space: false });
        else out.push({ text, space: re === SPACE, ...(re === DOC_NO ? { glue: true } : {}) });
        i = end;
        break;
      }
      m = null;
    }
    if (m) continue;
    if (para.startsWith('——', i)) {
      out.push({ text: '——', space: false });
      i += 2;
      continue;
    }
    const end = whole(i + String.fromCodePoint(para.codePointAt(i)!).length);
    out.push({ text: para.slice(i, end), space: false });
    i = end;
  }
  return out;
}

/** Atoms glued where no line may break: before closing punctuation, after opening punctuation. */
function clusters(list: Atom[]): Atom[] {
  const out: Atom[] = [];
  let glueNext = false;
  for (const a of list) {
    const prev = out[out.length - 1];
    if (prev && !a.space && !prev.space && (glueNext || a.glue || NO_START.has(a.text[0]!))) {
      prev.text += a.text;
    } else out.push({ ...a });
    glueNext = !a.space && NO_END.has(a.text[a.text.length - 1]!);
  }
  return out;
}

export interface BreakOptions {
  /** prefer a break at a space or after punctuation when the line stays at least this full (0–1) */
  prefer?: number;
}

/** `text` as lines no wider than `max` points (a single character wider than that stands alone). */
export function breakLines(m: Measure, role: Role, size: number, text: string, max: number, opts: BreakOptions = {}): string[] {
  const lines: string[] = [];
  const w = (s: string) => m.width(role, size, s);
  for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
    const parts = clusters(atoms(para));
    let line: Atom[] = [];
    let width = 0;
    const flush = (upTo = line.length) => {
      const taken = line.slice(0, upTo);
      lines.push(taken.map((a) => a.text).join('').trimEnd());
      line = line.slice(upTo);
      while (line.length > 0 && line[0]!.space) line.shift();
      width = w(line.map((a) => a.text).join(''));
    };
    for (const c of parts) {
      if (c.space && line.length === 0) continue;
      const cw = w(c.text);
      if (width + cw <= max || c.space) {
        line.push(c);
        width += cw;
        continue;
      }
      if (line.length === 0) {
        // wider than the line on its own: cut it character by character
        let piece = '';
        for (const ch of clustersOf(c.text)) {
          if (piece !== '' && w(piece + ch) > max) {
            lines.push(piece);
            piece = '';
          }
          piece += ch;
        }
        line = [{ text: piece, space: false }];
        width = w(piece);
        continue;
      }
      let cut = line.length;
      if (opts.prefer !== undefined) {
        let acc = 0;
        let best = -1;
        for (let i = 0; i < line.length; i++) {
          acc += w(line[i]!.text);
          const a = line[i]!;
          const goodAfter = a.space || BREAK_AFTER.has(a.text[a.text.length - 1]!);
          if (goodAfter && i < line.length - 1 && acc >= max * opts.prefer) best = i + 1;
        }
        if (best > 0) cut = best;
      }
      flush(cut);
      if (line.length > 0 && width + cw > max) flush();
      line.push(c);
      width += cw;
    }
    flush();
  }
  return lines;
}

/** `text` shortened to fit `max`, ending in an ellipsis. */
export function fitLine(m: Measure, role: Role, size: number, text: string, max: number): string {
  if (m.width(role, size, text) <= max) return text;
  const chars = clustersOf(text);
  while (chars.length > 0 && m.width(role, size, chars.join('') + '…') > max) chars.pop();
  return chars.join('') + '…';
}

/** At most `n` lines; the last one ends in an ellipsis when text was cut. */
export function clampLines(m: Measure, role: Role, size: number, lines: string[], n: number, max: number): string[] {
  if (lines.length <= n) return lines;
  return [...lines.slice(0, n - 1), fitLine(m, role, size, `${lines[n - 1]}…`, max)];
}
