// Fonts for the volumes: bundled OFL Noto fonts from npm, or the user's own files (manual `fonts:`).
// Text is measured with the full font (fontkit) and embedded as a per-volume subset made by harfbuzz
// (subset-font): pdf-lib's own subsetting draws blank glyphs for these fonts (see field-notes).
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import subsetFont from 'subset-font';
import type { Manual } from '../model.js';
import type { Measure } from '../layout/linebreak.js';
import { ChuangchengError } from '../errors.js';
import { MAX_FONT_BYTES } from '../evidence/limits.js';
import { FileAccessError, readRegularFile } from '../util/fsx.js';
import { Fallbacks, isComplex, isIgnorable, type Cluster, type Face, type HbFont, type Pick, type Run } from './fallback.js';

import type { Role } from '../layout/template.js';

export type { Role };
export const ROLES: Role[] = ['song', 'songBold', 'hei', 'fang'];

const require = createRequire(import.meta.url);

export function bundledFontFiles(): Record<Role, string> {
  const serif = require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf');
  const serifBold = require.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf');
  const sans = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
  // No 仿宋 is published under a free licence on npm: body text uses the serif unless the manual names one.
  return { song: serif, songBold: serifBold, hei: sans, fang: serif };
}

export function fontFiles(manual: Manual): Record<Role, string> {
  const b = bundledFontFiles();
  const f = manual.fonts;
  return {
    song: f.song ?? b.song,
    songBold: f.song ?? b.songBold,
    hei: f.hei ?? b.hei,
    fang: f.fang ?? f.song ?? b.fang,
  };
}

interface FontkitFont {
  unitsPerEm: number;
  glyphForCodePoint(cp: number): { advanceWidth: number; id: number };
}

/** One loaded font file: bytes for subsetting, fontkit for metrics. */
class LoadedFont {
  private widths = new Map<number, number>();
  constructor(
    readonly file: string,
    readonly bytes: Buffer,
    private readonly fk: FontkitFont,
  ) {}

  /** Advance width of `text` at `size` points. Matches the subset: advances survive subsetting. */
  width(text: string, size: number): number {
    let units = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let w = this.widths.get(cp);
      if (w === undefined) {
        w = this.fk.glyphForCodePoint(cp).advanceWidth;
        this.widths.set(cp, w);
      }
      units += w;
    }
    return (units / this.fk.unitsPerEm) * size;
  }

  private covered = new Map<number, boolean>();
  has(ch: string): boolean {
    return this.hasCode(ch.codePointAt(0)!);
  }

  hasCode(cp: number): boolean {
    let v = this.covered.get(cp);
    if (v === undefined) {
      v = this.fk.glyphForCodePoint(cp).id !== 0;
      this.covered.set(cp, v);
    }
    return v;
  }
}

/**
 * The first face of a TrueType collection (simsun.ttc …) as a standalone font: harfbuzz's subsetter
 * (through subset-font) does not take collections.
 */
export function firstFace(ttc: Buffer): Buffer {
  const faceOffset = ttc.readUInt32BE(12);
  const numTables = ttc.readUInt16BE(faceOffset + 4);
  const headerLen = 12 + numTables * 16;
  const tables: { tag: Buffer; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const rec = faceOffset + 12 + i * 16;
    const off = ttc.readUInt32BE(rec + 8);
    const len = ttc.readUInt32BE(rec + 12);
    tables.push({ tag: ttc.subarray(rec, rec + 4), checksum: ttc.readUInt32BE(rec + 4), data: ttc.subarray(off, off + len) });
  }
  const out = Buffer.alloc(headerLen + tables.reduce((n, t) => n + Math.ceil(t.data.length / 4) * 4, 0));
  ttc.copy(out, 0, faceOffset, faceOffset + 12);
  let pos = headerLen;
  tables.forEach((t, i) => {
    const rec = 12 + i * 16;
    t.tag.copy(out, rec);
    out.writeUInt32BE(t.checksum, rec + 4);
    out.writeUInt32BE(pos, rec + 8);
    out.writeUInt32BE(t.data.length, rec + 12);
    t.data.copy(out, pos);
    pos += Math.ceil(t.data.length / 4) * 4;
  });
  return out;
}

const cache = new Map<string, Promise<LoadedFont>>();

async function loadFont(file: string): Promise<LoadedFont> {
  let p = cache.get(file);
  if (!p) {
    p = (async () => {
      let bytes: Buffer;
      try {
        bytes = readRegularFile(file, `字体文件 ${file}`, MAX_FONT_BYTES);
      } catch (err) {
        throw new ChuangchengError('font-unreadable', { file, detail: err instanceof FileAccessError ? err.detail : String(err) }, { cause: err });
      }
      let fk: FontkitFont;
      try {
        if (bytes.subarray(0, 4).toString('latin1') === 'ttcf') bytes = firstFace(bytes);
        // an ArrayBuffer: given a Buffer, fontkit's bundled Buffer shim copies it byte by byte (100 ms a font)
        fk = fontkit.create(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as unknown as Buffer) as unknown as FontkitFont;
        if (typeof fk.unitsPerEm !== 'number') throw new Error('no font');
      } catch (err) {
        throw new ChuangchengError('font-invalid', { file }, { cause: err });
      }
      return new LoadedFont(file, bytes, fk);
    })();
    cache.set(file, p);
  }
  return p;
}

/** The fonts of one build: measure any time; embed subsets into a document once its text is known. */
export class FontSet {
  private constructor(
    private readonly fonts: Record<Role, LoadedFont>,
    /** what the roles' fonts lack: emoji, other scripts (see fallback.ts) */
    readonly fallbacks: Fallbacks,
  ) {}

  static async load(files: Record<Role, string>): Promise<FontSet> {
    const [entries, fallbacks] = await Promise.all([Promise.all(ROLES.map(async (r) => [r, await loadFont(files[r])] as const)), Fallbacks.load()]);
    return new FontSet(Object.fromEntries(entries) as Record<Role, LoadedFont>, fallbacks);
  }

  /**
   * `text` as clusters with the font each is drawn from and its bidi level, in logical order;
   * undefined when the role's font draws all of it as it is.
   */
  itemize(role: Role, text: string): Cluster[] | undefined {
    const font = this.fonts[role];
    let picks = this.picks.get(role);
    if (!picks) this.picks.set(role, (picks = new Map()));
    return this.fallbacks.itemize(text, (cp) => font.hasCode(cp), picks);
  }

  /** each role's choice of font for the clusters seen (a choice depends only on the cluster and the role's font) */
  private readonly picks = new Map<Role, Map<string, Pick>>();

  width(role: Role, text: string, size: number): number {
    const items = this.itemize(role, text);
    if (!items) return this.fonts[role].width(drawnText(text), size);
    return this.fallbacks.runs(items).reduce((w, r) => w + this.runWidth(role, r, size), 0);
  }

  /** The advance of one run of `itemize`'s clusters; `font` shapes a fallback run instead of the full face (a subset). */
  runWidth(role: Role, run: Run, size: number, font?: HbFont): number {
    switch (run.pick.kind) {
      case 'primary':
        return this.fonts[role].width(drawnText(this.primaryText(role, run.text)), size);
      case 'fallback': {
        const f = font ?? run.pick.face.font;
        return (f.shape(run.text, run.level % 2 === 1).advance / f.upem) * size;
      }
      case 'missing':
        return run.clusters.length * MISSING_EM * size;
    }
  }

  /** `text` as the role's font draws it: without invisible characters (joiners, selectors) it lacks. */
  primaryText(role: Role, text: string): string {
    const font = this.fonts[role];
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (font.hasCode(cp) || !isIgnorable(cp)) out += ch;
    }
    return out;
  }

  /**
   * `text` in parts for the DOCX: what the PDF draws with a fallback family named (not Noto Sans for
   * the Latin, Greek and Cyrillic letters it draws: every office font has them), right-to-left stretches
   * marked, spaces and digits between right-to-left letters with them.
   */
  docxParts(role: Role, text: string): { text: string; font?: string; rtl?: boolean }[] {
    const items = this.itemize(role, text);
    if (!items) return [{ text }];
    const parts = items.map((c) => ({
      text: c.text,
      font: c.pick.kind === 'fallback' && (c.pick.face.family.docx || isComplex(c.text)) ? c.pick.face.family.name : undefined,
      rtl: c.level > 0,
    }));
    // the role's characters inside a right-to-left stretch (spaces, brackets) take its font, so that
    // the stretch stays one run
    parts.forEach((p, i) => {
      if (!p.rtl || p.font) return;
      for (const k of [i - 1, i + 1]) {
        const n = parts[k];
        if (n?.rtl && n.font) {
          p.font = n.font;
          break;
        }
      }
    });
    const out: { text: string; font?: string; rtl?: boolean }[] = [];
    for (const p of parts) {
      const last = out[out.length - 1];
      if (last && last.font === p.font && (last.rtl ?? false) === p.rtl) last.text += p.text;
      else out.push({ text: p.text, ...(p.font ? { font: p.font } : {}), ...(p.rtl ? { rtl: true } : {}) });
    }
    return out;
  }

  /** The fallback face subset to `text` (every character it draws in a volume), for embedding. */
  async subsetFallback(face: Face, text: string): Promise<{ bytes: Uint8Array; font: HbFont }> {
    try {
      const bytes = new Uint8Array(await subsetFont(Buffer.from(face.font.bytes), text, { targetFormat: 'truetype' }));
      return { bytes, font: this.fallbacks.fontOf(bytes) };
    } catch {
      // a font harfbuzz cannot subset goes in whole: larger, drawn all the same
      return { bytes: face.font.bytes, font: face.font };
    }
  }

  /** The font's own advance for `text`, without the typesetting rules of `width`. */
  natural(role: Role, text: string, size: number): number {
    return this.fonts[role].width(text, size);
  }

  /** The measure the page model lays text out with: these fonts' advance widths. */
  readonly measure: Measure = { width: (role, size, text) => this.width(role, text, size) };

  /** Subset each role's font to the characters it draws, and embed it. */
  async embed(doc: PDFDocument, textByRole: Map<Role, Set<string>>): Promise<Map<Role, PDFFont>> {
    doc.registerFontkit(fontkit);
    const out = new Map<Role, PDFFont>();
    const done = new Map<string, PDFFont>();
    for (const role of ROLES) {
      const chars = textByRole.get(role);
      if (!chars || chars.size === 0) continue;
      const font = this.fonts[role];
      // Roles that share a file share one embedded subset.
      const sharing = ROLES.filter((r) => this.fonts[r].file === font.file);
      const key = font.file;
      let pdfFont = done.get(key);
      if (!pdfFont) {
        const all = new Set<string>();
        for (const r of sharing) for (const c of textByRole.get(r) ?? []) all.add(c);
        const text = [...all].sort().join('');
        const subset = await subsetFont(font.bytes, text, { targetFormat: 'truetype' });
        // fontkit's default substitutions draw glyphs that pdf-lib cannot map back to text: `locl`
        // swaps Latin digits after a letter for unmapped alternates, `liga` turns "ffi" in
        // "LibreOffice" into one glyph, `ccmp` joins "——" into one; extraction and search then lose
        // them. Draw the cmap glyphs.
        pdfFont = await doc.embedFont(new Uint8Array(subset), { subset: false, features: NO_SUBSTITUTIONS });
        done.set(key, pdfFont);
      }
      out.set(role, pdfFont);
    }
    return out;
  }
}

/**
 * How `text` is measured: a Chinese dash "——" (two U+2014) takes two full ems, as a typesetter sets
 * it. CJK fonts draw U+2014 narrow and low (a Latin dash), so the PDF draws the dash as a rule at
 * the ideographs' centre line, over the two characters kept as invisible text for search and copy.
 */
export function drawnText(text: string): string {
  return text.includes('——') ? text.replaceAll('——', '\u3000\u3000') : text;
}

/** The advance of a character no font has: a box holding its code point, one em wide. */
export const MISSING_EM = 1;

const NO_SUBSTITUTIONS = { locl: false, liga: false, clig: false, calt: false, dlig: false, rlig: false, ccmp: false };
