// The fallback fonts: which font draws each cluster of a line, in which order, how wide. Checked
// against fontkit (an independent font reader) and the Unicode bidi rules' known results.
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES, fallbackFontFiles, woffToSfnt } from '../../src/render/fallback.js';
import { FontSet, fontFiles } from '../../src/render/fonts.js';
import type { Manual } from '../../src/model.js';

let fonts: FontSet;
beforeAll(async () => {
  fonts = await FontSet.load(fontFiles({ fonts: {} } as unknown as Manual));
});

const familyOf = (role: 'song' | 'songBold' | 'hei' | 'fang', text: string) =>
  fonts.itemize(role, text)!.map((c) => (c.pick.kind === 'fallback' ? c.pick.face.family.id : c.pick.kind));

describe('fallback fonts', () => {
  it('every fallback file is a WOFF that decodes to the same font fontkit reads from it', () => {
    const files = fallbackFontFiles();
    expect(files).toHaveLength(FAMILIES.reduce((n, f) => n + f.files.length, 0));
    for (const file of files) {
      const woff = readFileSync(file);
      const direct = fontkit.create(woff) as unknown as { numGlyphs: number; glyphForCodePoint(cp: number): { id: number }; characterSet: number[] };
      const sfnt = fontkit.create(woffToSfnt(woff)) as unknown as typeof direct;
      expect(sfnt.numGlyphs).toBe(direct.numGlyphs);
      const some = direct.characterSet.filter((_, i) => i % 37 === 0);
      expect(some.map((cp) => sfnt.glyphForCodePoint(cp).id)).toEqual(some.map((cp) => direct.glyphForCodePoint(cp).id));
    }
  });

  it('Chinese text the volume font has takes the old path untouched', () => {
    expect(fonts.itemize('song', '关于成立创城工作领导小组的通知 一小〔2023〕12号 LibreOffice')).toBeUndefined();
  });

  it('each cluster goes to the font that has it: emoji, Arabic, Hebrew, Thai, Tibetan, Mongolian, Yi', () => {
    expect(familyOf('song', '笑脸😀')).toEqual(['primary', 'primary', 'emoji']);
    // a skin tone and a ZWJ family are one cluster each, drawn by the emoji font as one glyph
    expect(familyOf('song', '👍🏻👨‍👩‍👧')).toEqual(['emoji', 'emoji']);
    expect(new Set(familyOf('song', 'ئۇيغۇرچە'))).toEqual(new Set(['arabic']));
    expect(new Set(familyOf('song', 'שלום'))).toEqual(new Set(['hebrew']));
    expect(new Set(familyOf('song', 'ภาษาไทย'))).toEqual(new Set(['thai']));
    expect(new Set(familyOf('song', 'བོད་ཡིག'))).toEqual(new Set(['tibetan']));
    expect(new Set(familyOf('song', 'ᠮᠣᠩᠭᠣᠯ'))).toEqual(new Set(['mongolian']));
    expect(new Set(familyOf('song', 'ꆈꌠ'))).toEqual(new Set(['yi']));
    // Devanagari from Noto Sans, shaped: the vowel sign ि before its consonant is one cluster with it
    expect(familyOf('song', 'हिन्दी')).toEqual(['sans', 'sans']);
  });

  it('a word is drawn in one face: Київ all in Noto Sans, though the CJK face has К, и and в', () => {
    expect(familyOf('song', 'Київ')).toEqual(['sans', 'sans', 'sans', 'sans']);
    // a word the volume font has all of stays in it
    expect(familyOf('song', 'Привет ї').slice(0, 6)).toEqual(Array(6).fill('primary'));
  });

  it('a decomposed accent (a name from macOS) is drawn composed where the font has only the composed letter', () => {
    // the CJK face has Vietnamese ế and ệ but not the combining circumflex, dot below and acute
    const items = fonts.itemize('song', 'Tie\u0302\u0301ng Vie\u0323\u0302t')!;
    expect(items.map((c) => c.text).join('')).toBe('Ti\u1EBFng Vi\u1EC7t');
    expect(items.every((c) => c.pick.kind === 'primary')).toBe(true);
    // Łódź from macOS: whole in Noto Sans, nothing missing
    expect(familyOf('song', '\u0141o\u0301dz\u0301')).toEqual(['sans', 'sans', 'sans', 'sans']);
  });

  it('a character no font has is missing (a box), never a blank', () => {
    const cps = [0x2000b, 0x10fffd];
    for (const cp of cps) {
      // the bundled CJK faces lack CJK Extension B and private use: fontkit says so independently
      const cjk = fontkit.create(readFileSync(fontFiles({ fonts: {} } as unknown as Manual).song)) as unknown as { glyphForCodePoint(cp: number): { id: number } };
      expect(cjk.glyphForCodePoint(cp).id).toBe(0);
      expect(familyOf('song', String.fromCodePoint(cp))).toEqual(['missing']);
    }
    expect(fonts.width('song', '\u{2000B}', 12)).toBe(12);
  });

  it('right-to-left text gets odd levels, numbers inside it level 2, and is shown reversed (rule L2)', () => {
    const text = 'تقرير 2024 报告';
    const items = fonts.itemize('song', text)!;
    const levels = items.map((c) => c.level);
    expect(levels).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0]);
    const shown = fonts.fallbacks.visual(items).map((c) => c.text).join('');
    expect(shown).toBe('2024 ريرقت 报告');
    const runs = fonts.fallbacks.runs(fonts.fallbacks.visual(items), true);
    // a run's text stays logical whatever order its clusters are shown in
    expect(runs.find((r) => r.pick.kind === 'fallback')!.text).toBe('تقرير');
  });

  it('widths come from the shaped fallback glyphs: joined Arabic is narrower than its letters alone', () => {
    const joined = fonts.width('song', 'تقرير', 12);
    const apart = [...'تقرير'].reduce((w, ch) => w + fonts.width('song', ch, 12), 0);
    expect(joined).toBeGreaterThan(0);
    expect(joined).toBeLessThan(apart);
    expect(fonts.width('song', '😀', 12)).toBeGreaterThan(10);
  });

  it('names the fallback family in DOCX parts, with right-to-left stretches marked', () => {
    expect(fonts.docxParts('song', '报告 تقرير 2024 عن')).toEqual([
      { text: '报告 ' },
      { text: 'تقرير 2024 عن', font: 'Noto Sans Arabic', rtl: true },
    ]);
    expect(fonts.docxParts('song', '家庭👨‍👩‍👧')).toEqual([{ text: '家庭' }, { text: '👨‍👩‍👧', font: 'Noto Emoji' }]);
    // Latin, Greek and Cyrillic letters: every office font has them, no Noto name
    expect(fonts.docxParts('song', 'Київ')).toEqual([{ text: 'Київ' }]);
    expect(fonts.docxParts('song', '普通中文')).toEqual([{ text: '普通中文' }]);
  });
});
