// Text files (.txt, .md, .csv, 缺项说明.txt) decoded without guessing wrong silently.
//
// Chinese offices write text in five encodings: UTF-8 (with or without a BOM), GB18030/GBK (Notepad's
// "ANSI" on simplified-Chinese Windows), Big5 (traditional-Chinese Windows), and UTF-16 (Notepad's
// "Unicode", with a BOM; some exporters without). A file is read as each of them that fits, and the
// reading whose characters are most plausible wins: a character is plausible when it is ASCII text,
// CJK or full-width punctuation, or one of the characters that people actually write — for a GB18030
// reading the 6,763 of GB 2312, for a Big5 reading the 5,401 frequent ones of Big5's first level, for
// the Unicode readings either. Mojibake (UTF-8 read as GBK, GBK read as Big5, bytes read as UTF-16)
// is made of rare characters, control codes and replacement characters, so it scores low.
//
// General-purpose detectors (the npm `chardet` and `jschardet`) were measured on short Chinese texts
// and do not fit: four to six characters of GBK or Big5 come out as Shift_JIS, ISO-8859 or
// windows-125x, and neither recognises UTF-16 without a BOM (README, "Dependencies").

/** The encodings a text file is read in. */
export type TextEncodingName = 'utf-8' | 'gb18030' | 'big5' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** the file began with a byte-order mark (which is not part of `text`) */
  bom: boolean;
  /** bytes that are not valid in `encoding`, each shown as U+FFFD (a damaged or cut file) */
  replaced: number;
  /** 'uncertain': another encoding reads the bytes almost as plausibly (very short text, odd bytes) */
  confidence: 'certain' | 'uncertain';
}

let gbCommon: Set<number> | undefined;
let big5Common: Set<number> | undefined;

/** The characters of a double-byte range, decoded once: leads × trails. */
function charsOf(encoding: string, leads: [number, number], trails: [number, number][]): Set<number> {
  const bytes: number[] = [];
  for (let l = leads[0]; l <= leads[1]; l++) for (const [a, b] of trails) for (let t = a; t <= b; t++) bytes.push(l, t);
  const set = new Set<number>();
  for (const ch of new TextDecoder(encoding).decode(new Uint8Array(bytes))) {
    const cp = ch.codePointAt(0)!;
    if (cp !== 0xfffd && !(cp >= 0xe000 && cp <= 0xf8ff)) set.add(cp);
  }
  return set;
}

/** GB 2312's hanzi (levels 1 and 2: rows 0xB0–0xF7). */
function gbSet(): Set<number> {
  return (gbCommon ??= charsOf('gb18030', [0xb0, 0xf7], [[0xa1, 0xfe]]));
}

/** Big5's frequent hanzi (level 1: 0xA440–0xC67E). */
function big5Set(): Set<number> {
  if (!big5Common) {
    big5Common = charsOf('big5', [0xa4, 0xc5], [[0x40, 0x7e], [0xa1, 0xfe]]);
    for (const c of charsOf('big5', [0xc6, 0xc6], [[0x40, 0x7e]])) big5Common.add(c);
  }
  return big5Common;
}

/** Punctuation and symbols of ordinary Chinese text (general punctuation, CJK, full-width forms, ①…). */
function isPunctuation(cp: number): boolean {
  return (
    (cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff00 && cp <= 0xffef) ||
    (cp >= 0x2460 && cp <= 0x24ff) || (cp >= 0x2160 && cp <= 0x217f) || (cp >= 0x2190 && cp <= 0x21ff) ||
    (cp >= 0x25a0 && cp <= 0x25ff) || (cp >= 0x2500 && cp <= 0x257f) || cp === 0x00b7 || cp === 0x00d7 || cp === 0x00f7 ||
    cp === 0x00b0 || cp === 0x00a7 || cp === 0x00a9 || cp === 0x00ae
  );
}

interface Reading {
  encoding: TextEncodingName;
  text: string;
  replaced: number;
  /** characters beyond ASCII text */
  others: number;
  /** of those, the plausible ones */
  plausible: number;
  /** control characters (not tab, line breaks, form feed) and NULs */
  controls: number;
}

function score(encoding: TextEncodingName, text: string, common: (cp: number) => boolean, genuineReplacements = 0): Reading {
  let replaced = -genuineReplacements;
  let others = 0;
  let plausible = 0;
  let controls = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      if (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d && cp !== 0x0c) controls++;
      else if (cp === 0x7f) controls++;
      continue;
    }
    others++;
    if (cp === 0xfffd) replaced++;
    else if (isPunctuation(cp) || common(cp)) plausible++;
  }
  return { encoding, text, replaced: Math.max(0, replaced), others, plausible, controls };
}

/** Share of a reading's characters that are plausible (ASCII text counts for all readings alike). */
function quality(r: Reading): number {
  const total = r.others + r.controls;
  return total === 0 ? 1 : r.plausible / total;
}

/** How many times EF BF BD (a genuine U+FFFD in UTF-8) occurs: not replacements made by decoding. */
function countUtf8Fffd(buf: Uint8Array): number {
  let n = 0;
  for (let i = 0; i + 2 < buf.length; i++) if (buf[i] === 0xef && buf[i + 1] === 0xbf && buf[i + 2] === 0xbd) n++;
  return n;
}

function hasControls(text: string): boolean {
  // (a for loop: this runs on every text file, and most are plain)
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) || c === 0x7f) return true;
  }
  return false;
}

/** Whether ASCII characters show as UTF-16 code units (a NUL beside a printable byte) in this byte order. */
function asciiInUtf16(buf: Uint8Array, le: boolean): boolean {
  let ascii = 0;
  for (let i = 0; i + 1 < buf.length; i += 2) {
    const lo = le ? buf[i]! : buf[i + 1]!;
    const hi = le ? buf[i + 1]! : buf[i]!;
    if (hi === 0 && (lo === 0x0a || (lo >= 0x20 && lo < 0x7f))) ascii++;
  }
  return ascii >= 1;
}

function strictUtf8(buf: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return undefined;
  }
}

/**
 * Decode a text file: a byte-order mark decides; else valid UTF-8 is UTF-8; else the most plausible
 * of UTF-8 with replacements, GB18030, Big5, UTF-16LE and UTF-16BE. Never throws.
 */
export function decodeText(input: Uint8Array): DecodedText {
  const buf = input;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return bomDecoded('utf-8', buf.subarray(3));
  if (buf[0] === 0xff && buf[1] === 0xfe) return bomDecoded('utf-16le', buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return bomDecoded('utf-16be', buf.subarray(2));

  const utf8 = strictUtf8(buf);
  // Valid UTF-8 without control codes is UTF-8 (UTF-16 of ASCII text is full of NULs, and UTF-16
  // that happens to be valid UTF-8 reads as ASCII with control codes).
  if (utf8 !== undefined && !hasControls(utf8)) {
    return { text: utf8, encoding: 'utf-8', bom: false, replaced: 0, confidence: 'certain' };
  }
  const either = (cp: number) => gbSet().has(cp) || big5Set().has(cp);
  const readings: Reading[] = [
    score('utf-8', new TextDecoder('utf-8', { ignoreBOM: true }).decode(buf), either, countUtf8Fffd(buf)),
    score('gb18030', new TextDecoder('gb18030', { ignoreBOM: true }).decode(buf), (cp) => gbSet().has(cp)),
    score('big5', new TextDecoder('big5', { ignoreBOM: true }).decode(buf), (cp) => big5Set().has(cp)),
  ];
  if (buf.length >= 2) {
    readings.push(score('utf-16le', new TextDecoder('utf-16le', { ignoreBOM: true }).decode(buf), either));
    readings.push(score('utf-16be', new TextDecoder('utf-16be', { ignoreBOM: true }).decode(buf), either));
  }
  // the most plausible; on a tie the order above (UTF-8, then GB18030: what Chinese Windows writes)
  const ranked = readings.map((r, i) => ({ r, q: quality(r), i })).sort((a, b) => b.q - a.q || a.i - b.i);
  const best = ranked[0]!;
  const second = ranked[1]!;
  // Certain: the winner reads nearly all of what it could decode plausibly, replaced at most one
  // character in twenty (or three: one damaged character), the runner-up is clearly less plausible, and there is enough text to tell
  // (two characters beyond ASCII at least). UTF-16 without a BOM is certain only where its ASCII
  // shows (NUL bytes on one side of every ASCII character): pure CJK could be either byte order.
  const r = best.r;
  const decodedWell = r.plausible / Math.max(1, r.others - r.replaced + r.controls) >= 0.9 && r.replaced <= Math.max(3, r.others / 20);
  const utf16Shown = !r.encoding.startsWith('utf-16') || asciiInUtf16(buf, r.encoding === 'utf-16le');
  const certain = decodedWell && best.q - second.q >= 0.3 && r.others >= 2 && utf16Shown;
  return {
    text: best.r.text,
    encoding: best.r.encoding,
    bom: false,
    replaced: best.r.replaced,
    confidence: certain ? 'certain' : 'uncertain',
  };
}

function bomDecoded(encoding: TextEncodingName, body: Uint8Array): DecodedText {
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
  let replaced = 0;
  for (const ch of text) if (ch === '\uFFFD') replaced++;
  if (encoding === 'utf-8') replaced -= countUtf8Fffd(body);
  return { text, encoding, bom: true, replaced: Math.max(0, replaced), confidence: 'certain' };
}

/** The text of a text file, decoded as `decodeText` decides (for callers that report nothing). */
export function readText(buf: Uint8Array): string {
  return decodeText(buf).text;
}

/** Whether a decoding deserves a `text-encoding` warning: bytes replaced, or the guess uncertain. */
export function encodingWarning(d: DecodedText): { encoding: TextEncodingName; replaced?: number; confidence?: 'uncertain' } | undefined {
  if (d.replaced === 0 && d.confidence === 'certain') return undefined;
  return { encoding: d.encoding, ...(d.replaced > 0 ? { replaced: d.replaced } : {}), ...(d.confidence === 'uncertain' ? { confidence: 'uncertain' as const } : {}) };
}
