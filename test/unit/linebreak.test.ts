// Line breaking by Chinese rules (the cover's 案卷题名, the 卷内目录, every form): measured with the
// bundled fonts, as the volumes are.
import { beforeAll, describe, expect, it } from 'vitest';
import { breakLines, clampLines, fitLine, type Measure } from '../../src/layout/linebreak.js';
import { FontSet, fontFiles } from '../../src/render/fonts.js';
import type { Manual } from '../../src/model.js';

let m: Measure;
const em = 12;
const lines = (text: string, chars: number, prefer?: number) => breakLines(m, 'song', em, text, chars * em + 0.01, prefer === undefined ? {} : { prefer });

beforeAll(async () => {
  m = (await FontSet.load(fontFiles({ fonts: {} } as unknown as Manual))).measure;
});

describe('line breaking', () => {
  it('breaks between Han characters to fill each line', () => {
    expect(lines('一二三四五六七八九十', 4)).toEqual(['一二三四', '五六七八', '九十']);
  });

  it('never starts a line with closing punctuation, nor ends one with opening punctuation (避头尾)', () => {
    // "五，" would put "，" first on line two: the character before it comes down with it
    expect(lines('一二三四，五六七', 4)).toEqual(['一二三', '四，五六', '七']);
    expect(lines('一二三（四五）六', 4)).toEqual(['一二三', '（四五）', '六']);
    for (const l of lines('关于成立创城工作领导小组的通知，请各处室、年级组认真贯彻执行。', 5)) {
      expect('，。、；：？！）》」』】〕'.includes(l[0]!)).toBe(false);
      expect('（《「『【〔'.includes(l[l.length - 1]!)).toBe(false);
    }
  });

  it('keeps a Latin word, a number and a 文号 whole', () => {
    const out = lines('参见一小〔2023〕12号文件和LibreOffice说明', 8);
    expect(out.some((l) => l.includes('小〔2023〕12号'))).toBe(true);
    expect(out.some((l) => l.includes('LibreOffice'))).toBe(true);
    expect(lines('共计20231012项', 4).some((l) => l.includes('20231012'))).toBe(true);
  });

  it('keeps "——" whole', () => {
    for (let w = 3; w < 9; w++) for (const l of lines('材料审核档案——组织领导', w)) expect(l.includes('—') && !l.includes('——')).toBe(false);
  });

  it('with a preference, breaks at a space or after punctuation rather than inside a word', () => {
    const t = '2024年度全国文明城市测评 未成年人思想道德建设 材料审核档案——组织领导';
    const greedy = lines(t, 23);
    const preferred = lines(t, 23, 0.6);
    expect(greedy[0]).not.toMatch(/ $/);
    expect(preferred[0]).toBe('2024年度全国文明城市测评 未成年人思想道德建设');
    expect(preferred[1]).toBe('材料审核档案——组织领导');
  });

  it('a word wider than the line is cut by characters; fitLine and clampLines end in an ellipsis', () => {
    const out = lines('ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ', 4);
    expect(out.length).toBeGreaterThan(1);
    for (const l of out) expect(m.width('song', em, l)).toBeLessThanOrEqual(4 * em + 0.01);
    expect(fitLine(m, 'song', em, '一二三四五六七八', 4 * em)).toBe('一二三…');
    expect(clampLines(m, 'song', em, ['一二三四', '五六七八', '九十'], 2, 4 * em)).toEqual(['一二三四', '五六七…']);
  });

  it('keeps a word of any spaced script whole: Arabic, Uyghur, Cyrillic, Greek, Devanagari break at spaces only', () => {
    for (const text of ['تقرير العمل السنوي للمدرسة الابتدائية', 'ئۇيغۇر تىلى ۋە مەدەنىيىتى', 'Привет Київ Łódź Ελληνικά', 'हिन्दी पाठ और शब्द']) {
      const words = text.split(' ');
      // from the widest word's width on (a word wider than the line is cut, as any other)
      const widest = Math.ceil(Math.max(...words.map((x) => m.width('song', em, x))) / em);
      for (let w = widest; w < widest + 6; w++) {
        const out = lines(text, w);
        expect(out.join(' ')).toBe(text);
        for (const l of out) for (const word of l.split(' ')) expect(words).toContain(word);
      }
    }
  });

  it('never parts an emoji sequence, a skin tone from its hand, or a letter from its marks', () => {
    const text = '家庭👨‍👩‍👧点赞👍🏻笑脸😀好👩🏽‍💻';
    const clusters = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
    for (let w = 1; w < 6; w++) {
      const out = lines(text, w);
      expect(out.join('')).toBe(text);
      // each line is a run of whole clusters
      let at = 0;
      for (const l of out) {
        let taken = '';
        while (taken.length < l.length) taken += clusters[at++];
        expect(taken).toBe(l);
      }
    }
    // cut to fit: an ellipsis after whole clusters only
    const cut = fitLine(m, 'song', em, '👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧', 3 * em);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.replace('…', '').split('👨‍👩‍👧').every((p) => p === '')).toBe(true);
  });

  it('breaks Thai, written without spaces, between its dictionary words', () => {
    const text = 'ภาษาไทยยาวมากเพื่อทดสอบการตัดบรรทัด';
    const bounds = new Set([...new Intl.Segmenter('th', { granularity: 'word' }).segment(text)].map((s) => s.index));
    const out = lines(text, 4);
    expect(out.length).toBeGreaterThan(1);
    expect(out.join('')).toBe(text);
    let at = 0;
    for (const l of out) {
      expect(bounds.has(at)).toBe(true);
      at += l.length;
    }
  });
});
