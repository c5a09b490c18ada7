// What the volume's own fonts cannot draw. The Noto SC faces (or the manual's fonts) have the Han
// characters, Latin, most Cyrillic and Greek; names of evidence files also hold emoji, Uyghur and
// Arabic, Tibetan, Mongolian, Yi, Hebrew, Thai, Devanagari, Ukrainian or Turkish letters. Those
// characters are drawn with small OFL fallback fonts (Noto, from the @fontsource packages), shaped by
// harfbuzz (joining Arabic letters, Indic and Tibetan clusters, emoji sequences, marks placed by
// GPOS) and put in visual order by the Unicode bidirectional algorithm (bidi-js). A character no
// font has is drawn as a box holding its code point, never as a blank, and the build names it.
//
// Text is cut into grapheme clusters (a base with its marks, an emoji with its modifiers and joiners)
// and each cluster goes to the first font that has all its characters: the emoji font first for an
// emoji-style cluster, then the volume's own font, then the fallbacks in order. Complex scripts
// (Arabic, Hebrew, Thai, Indic, Tibetan, Mongolian) always go to their fallback, which is shaped:
// the volume's own fonts are drawn glyph by glyph, without shaping.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import bidiModule, { type Bidi } from 'bidi-js';
import type * as HB from 'harfbuzzjs';

const require = createRequire(import.meta.url);
// bidi-js is a UMD file whose module.exports is the factory: Node's default import is that function
const bidiFactory = bidiModule as unknown as () => Bidi;

export type FamilyId = 'sans' | 'arabic' | 'hebrew' | 'thai' | 'tibetan' | 'mongolian' | 'yi' | 'emoji';

export interface Family {
  id: FamilyId;
  /** the family name: the PDF's BaseFont (without spaces) and the DOCX runs' font */
  name: string;
  /** the npm package and its files (WOFF 1.0: decoded synchronously; the packages slice a family by script) */
  pkg: string;
  files: string[];
  /** named in the DOCX runs: not for Latin/Greek/Cyrillic, which every office font already has */
  docx: boolean;
}

const slice = (font: string, ...names: string[]) => names.map((n) => `files/${font}-${n}-400-normal.woff`);

/** The fallback fonts, in the order they are tried. Regular weight only (bold text gets a stroked outline). */
export const FAMILIES: readonly Family[] = [
  { id: 'sans', name: 'Noto Sans', pkg: '@fontsource/noto-sans', files: slice('noto-sans', 'latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese', 'devanagari'), docx: false },
  { id: 'arabic', name: 'Noto Sans Arabic', pkg: '@fontsource/noto-sans-arabic', files: slice('noto-sans-arabic', 'arabic'), docx: true },
  { id: 'hebrew', name: 'Noto Sans Hebrew', pkg: '@fontsource/noto-sans-hebrew', files: slice('noto-sans-hebrew', 'hebrew'), docx: true },
  { id: 'thai', name: 'Noto Sans Thai', pkg: '@fontsource/noto-sans-thai', files: slice('noto-sans-thai', 'thai'), docx: true },
  { id: 'tibetan', name: 'Noto Serif Tibetan', pkg: '@fontsource/noto-serif-tibetan', files: slice('noto-serif-tibetan', 'tibetan'), docx: true },
  { id: 'mongolian', name: 'Noto Sans Mongolian', pkg: '@fontsource/noto-sans-mongolian', files: slice('noto-sans-mongolian', 'mongolian'), docx: true },
  { id: 'yi', name: 'Noto Sans Yi', pkg: '@fontsource/noto-sans-yi', files: slice('noto-sans-yi', 'yi'), docx: true },
  { id: 'emoji', name: 'Noto Emoji', pkg: '@fontsource/noto-emoji', files: slice('noto-emoji', 'emoji'), docx: true },
];

/** Every fallback font file, absolute (for the build cache's fingerprint). */
export function fallbackFontFiles(): string[] {
  return FAMILIES.flatMap((f) => {
    const dir = path.dirname(require.resolve(`${f.pkg}/package.json`));
    return f.files.map((file) => path.join(dir, file));
  });
}

/** A WOFF 1.0 file as the TrueType/OpenType font it wraps (tables inflated, directory rebuilt). */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF file');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + i * 20;
    const offset = woff.readUInt32BE(e + 4);
    const compLength = woff.readUInt32BE(e + 8);
    const origLength = woff.readUInt32BE(e + 12);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : raw;
    if (data.length !== origLength) throw new Error('WOFF table length mismatch');
    tables.push({ tag: woff.readUInt32BE(e), checksum: woff.readUInt32BE(e + 16), data });
  }
  let pow = 1;
  let log = 0;
  while (pow * 2 <= numTables) {
    pow *= 2;
    log++;
  }
  const head = 12 + numTables * 16;
  const out = Buffer.alloc(head + tables.reduce((n, t) => n + Math.ceil(t.data.length / 4) * 4, 0));
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(pow * 16, 6);
  out.writeUInt16BE(log, 8);
  out.writeUInt16BE(numTables * 16 - pow * 16, 10);
  let pos = head;
  tables.forEach((t, i) => {
    const r = 12 + i * 16;
    out.writeUInt32BE(t.tag, r);
    out.writeUInt32BE(t.checksum, r + 4);
    out.writeUInt32BE(pos, r + 8);
    out.writeUInt32BE(t.data.length, r + 12);
    t.data.copy(out, pos);
    pos += Math.ceil(t.data.length / 4) * 4;
  });
  return out;
}

export interface ShapedGlyph {
  /** glyph id in the font shaped with */
  gid: number;
  /** UTF-16 offset of its cluster in the shaped text */
  cluster: number;
  /** font units */
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}

export interface Shaped {
  /** in visual order (left to right) */
  glyphs: ShapedGlyph[];
  /** font units */
  advance: number;
}

type Harfbuzz = typeof HB;

/** A font harfbuzz shapes with: a fallback file, or the per-volume subset of one. */
export class HbFont {
  readonly upem: number;
  private readonly font: HB.Font;
  private readonly covered = new Map<number, boolean>();
  private readonly shapes = new Map<string, Shaped>();

  constructor(
    private readonly hb: Harfbuzz,
    readonly bytes: Uint8Array,
  ) {
    const face = new hb.Face(new hb.Blob(bytes));
    this.upem = face.upem;
    this.font = new hb.Font(face);
  }

  has(cp: number): boolean {
    let v = this.covered.get(cp);
    if (v === undefined) {
      const g = this.font.nominalGlyph(cp);
      v = g !== undefined && g !== 0;
      this.covered.set(cp, v);
    }
    return v;
  }

  /** Whether every character of `cluster` that is not default-ignorable is in the font. */
  covers(cluster: string): boolean {
    let any = false;
    for (const ch of cluster) {
      const cp = ch.codePointAt(0)!;
      if (isIgnorable(cp)) continue;
      if (!this.has(cp)) return false;
      any = true;
    }
    return any;
  }

  /** `text` shaped in one direction (harfbuzz guesses script and language). */
  shape(text: string, rtl: boolean): Shaped {
    const key = `${rtl ? 'r' : 'l'}${text}`;
    let s = this.shapes.get(key);
    if (s) return s;
    const hb = this.hb;
    const buf = new hb.Buffer();
    buf.addText(text);
    buf.setDirection(rtl ? hb.Direction.RTL : hb.Direction.LTR);
    buf.setFlags(hb.BufferFlag.BOT | hb.BufferFlag.EOT);
    buf.guessSegmentProperties();
    hb.shape(this.font, buf);
    const glyphs = buf.getGlyphInfosAndPositions().map((g) => ({ gid: g.codepoint, cluster: g.cluster, xAdvance: g.xAdvance ?? 0, xOffset: g.xOffset ?? 0, yOffset: g.yOffset ?? 0 }));
    s = { glyphs, advance: glyphs.reduce((a, g) => a + g.xAdvance, 0) };
    if (this.shapes.size > 20_000) this.shapes.clear();
    this.shapes.set(key, s);
    return s;
  }

  /** The font's own advance of glyph `gid`, font units. */
  advanceOf(gid: number): number {
    return this.font.glyphHAdvance(gid);
  }
}

/** One fallback file, loaded on first use. */
export interface Face {
  family: Family;
  /** index in `Fallbacks.faces`, stable for a build */
  index: number;
  file: string;
  font: HbFont;
}

/** Where a cluster is drawn from. */
export type Pick = { kind: 'primary' } | { kind: 'fallback'; face: Face } | { kind: 'missing' };

export interface Cluster {
  text: string;
  /** UTF-16 offset in the line */
  start: number;
  pick: Pick;
  /** bidi embedding level (odd: right to left) */
  level: number;
}

/** A run of clusters drawn with one font, in one direction. */
export interface Run {
  pick: Pick;
  /** in logical order */
  text: string;
  level: number;
  clusters: Cluster[];
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
export function isIgnorable(cp: number): boolean {
  return IGNORABLE.test(String.fromCodePoint(cp));
}

/** Scripts the volume's own fonts would draw unshaped: always their shaped fallback. */
const COMPLEX = /[\p{sc=Arabic}\p{sc=Hebrew}\p{sc=Syriac}\p{sc=Thaana}\p{sc=Thai}\p{sc=Lao}\p{sc=Devanagari}\p{sc=Tibetan}\p{sc=Mongolian}\p{sc=Khmer}\p{sc=Myanmar}]/u;
/** Characters that are strongly right-to-left (bidi classes R and AL): Hebrew, Arabic, Syriac, Thaana, N'Ko … */
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
/** A cluster meant to be shown as an emoji picture. */
const EMOJI_STYLE = /\uFE0F|\p{Emoji_Modifier}|\u20E3|\p{Regional_Indicator}|\p{Emoji_Presentation}/u;
const PICTOGRAPHIC_ZWJ = /\p{Extended_Pictographic}.*\u200D/u;
/** Letters of scripts that break lines at spaces: a word of them is drawn in one font where one has it all. */
const WORD_LETTER = /^[\p{L}\p{M}\p{N}]/u;
const IDEOGRAPHIC = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Bopomofo}\p{sc=Yi}]/u;

/** Whether `text` holds a script that needs shaping (Arabic, Hebrew, Thai, Indic, Tibetan, Mongolian …). */
export function isComplex(text: string): boolean {
  return COMPLEX.test(text);
}

export function clusters(text: string): { text: string; start: number }[] {
  return [...segmenter.segment(text)].map((s) => ({ text: s.segment, start: s.index }));
}

/** The fallback fonts of a build: files read when first needed, harfbuzz loaded once. */
export class Fallbacks {
  private faces: Face[] = [];
  private byFile = new Map<string, Face | null>();
  private readonly bidi = bidiFactory();

  private constructor(readonly hb: Harfbuzz) {}

  static async load(): Promise<Fallbacks> {
    return new Fallbacks(await loadHarfbuzz());
  }

  /** The face of fallback file `file` of `family`; null when it cannot be read (the next font is tried). */
  private face(family: Family, file: string): Face | null {
    const key = `${family.pkg}/${file}`;
    let f = this.byFile.get(key);
    if (f === undefined) {
      try {
        const abs = path.join(path.dirname(require.resolve(`${family.pkg}/package.json`)), file);
        const font = new HbFont(this.hb, woffToSfnt(readFileSync(abs)));
        f = { family, index: this.faces.length, file: abs, font };
        this.faces.push(f);
      } catch {
        f = null;
      }
      this.byFile.set(key, f);
    }
    return f;
  }

  /** The first file of `family` that has every character of `cluster`. */
  private inFamily(family: Family, cluster: string): Face | undefined {
    for (const file of family.files) {
      const f = this.face(family, file);
      if (f?.font.covers(cluster)) return f;
    }
    return undefined;
  }

  private pick(cluster: string, primary: (cp: number) => boolean): Pick {
    const emoji = FAMILIES.find((f) => f.id === 'emoji')!;
    const emojiStyle = EMOJI_STYLE.test(cluster) || PICTOGRAPHIC_ZWJ.test(cluster);
    if (emojiStyle && !cluster.includes('\uFE0E')) {
      const f = this.inFamily(emoji, cluster);
      if (f) return { kind: 'fallback', face: f };
    }
    if (!COMPLEX.test(cluster) && coversPrimary(cluster, primary)) return { kind: 'primary' };
    for (const family of FAMILIES) {
      const f = this.inFamily(family, cluster);
      if (f) return { kind: 'fallback', face: f };
    }
    // a complex-script letter no fallback has: the volume's font unshaped is still better than a box
    if (coversPrimary(cluster, primary)) return { kind: 'primary' };
    return { kind: 'missing' };
  }

  /**
   * `text` as clusters with their font and level, in logical order; undefined when the volume's
   * own font draws all of it as it is (the common case, measured and drawn as before).
   */
  itemize(text: string, primary: (cp: number) => boolean, picks?: Map<string, Pick>): Cluster[] | undefined {
    let plain = true;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (!primary(cp) || cp === 0xfe0f || cp === 0x200d) {
        plain = false;
        break;
      }
    }
    if (plain && !COMPLEX.test(text)) return undefined;
    const levels = RTL.test(text) ? this.bidi.getEmbeddingLevels(text, 'ltr').levels : undefined;
    const pickOf = (cluster: string) => {
      let p = picks?.get(cluster);
      if (!p) {
        p = this.pick(cluster, primary);
        picks?.set(cluster, p);
      }
      return p;
    };
    const list: Cluster[] = clusters(text).map((c) => {
      let t = c.text;
      let pick = pickOf(t);
      // a letter with a separate accent (names from macOS are decomposed): drawn composed (canonically
      // the same text) unless that font is a worse choice; single characters (CJK compatibility
      // ideographs, whose composed form is another glyph) stay as they are
      const nfc = t.normalize('NFC');
      if (nfc !== t && [...t].length > 1) {
        const composed = pickOf(nfc);
        if (RANK[composed.kind] >= RANK[pick.kind]) {
          t = nfc;
          pick = composed;
        }
      }
      return { text: t, start: c.start, pick, level: levels ? levels[c.start]! : 0 };
    });
    // a word of letters drawn in one font where a fallback has all of it ("Київ", not К-и-ї-в from two faces)
    for (let i = 0; i < list.length; ) {
      if (!isWordLetter(list[i]!.text)) {
        i++;
        continue;
      }
      let j = i;
      while (j < list.length && isWordLetter(list[j]!.text)) j++;
      const word = list.slice(i, j);
      const families = new Set(word.map((c) => (c.pick.kind === 'fallback' ? c.pick.face.family : undefined)));
      if (families.size > 1 && word.every((c) => c.pick.kind !== 'missing')) {
        for (const family of families) {
          if (!family || family.id === 'emoji') continue;
          const faces = word.map((c) => this.inFamily(family, c.text));
          if (faces.every((f) => f)) {
            word.forEach((c, k) => (c.pick = { kind: 'fallback', face: faces[k]! }));
            break;
          }
        }
      }
      i = j;
    }
    return list;
  }

  /**
   * Clusters grouped into runs of one font and one level. `visual`: the clusters are in visual order
   * (see `visual`), so a right-to-left run's clusters stand reversed; a run's `text` is always logical.
   */
  runs(list: Cluster[], visual = false): Run[] {
    const out: Run[] = [];
    for (const c of list) {
      const last = out[out.length - 1];
      if (last && last.level === c.level && samePick(last.pick, c.pick) && c.pick.kind !== 'missing') last.clusters.push(c);
      else out.push({ pick: c.pick, text: '', level: c.level, clusters: [c] });
    }
    for (const r of out) r.text = (visual && r.level % 2 === 1 ? [...r.clusters].reverse() : r.clusters).map((c) => c.text).join('');
    return out;
  }

  /** Clusters in the order they are seen, left to right (rule L2 of the bidi algorithm). */
  visual(list: Cluster[]): Cluster[] {
    const out = [...list];
    const max = Math.max(0, ...out.map((c) => c.level));
    const lowestOdd = Math.min(...out.map((c) => c.level).filter((l) => l % 2 === 1), Infinity);
    if (!Number.isFinite(lowestOdd)) return out;
    for (let lvl = max; lvl >= lowestOdd; lvl--) {
      for (let i = 0; i < out.length; ) {
        if (out[i]!.level < lvl) {
          i++;
          continue;
        }
        let j = i;
        while (j < out.length && out[j]!.level >= lvl) j++;
        const rev = out.slice(i, j).reverse();
        out.splice(i, j - i, ...rev);
        i = j;
      }
    }
    return out;
  }

  /** The character a right-to-left run shows for `ch`: brackets mirrored. */
  mirrored(ch: string): string {
    return this.bidi.getMirroredCharacter(ch) ?? ch;
  }

  /** A font harfbuzz can shape with, from other bytes (a subset). */
  fontOf(bytes: Uint8Array): HbFont {
    return new HbFont(this.hb, bytes);
  }
}

const RANK: Record<Pick['kind'], number> = { primary: 2, fallback: 1, missing: 0 };

function samePick(a: Pick, b: Pick): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind !== 'fallback' || a.face === (b as Extract<Pick, { kind: 'fallback' }>).face;
}

function coversPrimary(cluster: string, primary: (cp: number) => boolean): boolean {
  let any = false;
  for (const ch of cluster) {
    const cp = ch.codePointAt(0)!;
    if (primary(cp)) any = true;
    else if (!isIgnorable(cp)) return false;
  }
  return any;
}

function isWordLetter(cluster: string): boolean {
  return WORD_LETTER.test(cluster) && !IDEOGRAPHIC.test(cluster);
}

let harfbuzz: Promise<Harfbuzz> | undefined;
/** harfbuzz (wasm, ~35 ms to start), loaded once per process. */
export function loadHarfbuzz(): Promise<Harfbuzz> {
  harfbuzz ??= import('harfbuzzjs');
  return harfbuzz;
}

/** `U+2000B` */
export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}
