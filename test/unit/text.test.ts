// Text decoding (convert/text.ts): every fixture is encoded by the system's iconv (glibc), a real
// encoder, never by the code under test. What must hold: the text comes back as written, and a
// reading that replaced bytes or is only a guess says so (`encodingWarning`), never silently.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeText, encodingWarning } from '../../src/convert/text.js';

/** `s` encoded by iconv into `to` (GB18030, BIG5, UTF-16LE, UTF-16BE, UTF-8). */
function iconv(s: string, to: string): Buffer {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', to], { input: s });
}

const SENTENCES = [
  '2023年度创建全国文明城市工作总结',
  '关于成立创城工作领导小组的通知',
  '缺项说明：因疫情原因，9月份的志愿服务活动取消。',
  '本校于2023年10月12日召开创城主题班会，全体师生参加。\n一、指导思想\n二、工作目标\n',
  '某某市第一小学关于开展“文明礼仪进校园”主题教育活动的实施方案。',
];
const TRADITIONAL = ['學校創建文明城市工作總結報告，全體師生參加。', '二零二三年度志願服務記錄（共12次）'];

describe('text decoding: the encodings Chinese offices write, read back exactly', () => {
  it.each([
    ['UTF-8', 'utf-8'],
    ['GB18030', 'gb18030'],
    ['UTF-16LE', 'utf-16le'],
    ['UTF-16BE', 'utf-16be'],
  ] as const)('%s without a BOM: every sentence as written, certain, no warning', (iconvName, encoding) => {
    for (const s of SENTENCES.filter((t) => !iconvName.startsWith('UTF-16') || /[\x20-\x7e\n]/.test(t))) {
      const d = decodeText(iconv(s, iconvName));
      expect({ text: d.text, encoding: d.encoding }).toEqual({ text: s, encoding });
      expect(encodingWarning(d)).toBeUndefined();
    }
  });

  it('Big5 (traditional-Chinese Windows): read as Big5, not as GBK mojibake', () => {
    for (const s of TRADITIONAL) {
      const d = decodeText(iconv(s, 'BIG5'));
      expect(d).toMatchObject({ text: s, encoding: 'big5', replaced: 0, confidence: 'certain' });
    }
  });

  it('a byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE) and is not part of the text', () => {
    const s = SENTENCES[2]!;
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv(s, 'UTF-8')]))).toMatchObject({ text: s, encoding: 'utf-8', bom: true });
    expect(decodeText(iconv(s, 'UTF-16'))).toMatchObject({ text: s, bom: true }); // glibc writes a BOM for "UTF-16"
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv(s, 'UTF-16BE')]))).toMatchObject({ text: s, encoding: 'utf-16be', bom: true });
  });

  it('very short GBK (two to four characters) is GBK, not Shift_JIS or Latin mojibake', () => {
    for (const s of ['文明', '会议记录', '志愿服务', '活动照片说明']) expect(decodeText(iconv(s, 'GB18030')).text).toBe(s);
  });
});

describe('text decoding: damaged files are read as what they are, and said so', () => {
  const s = '2023年度创建全国文明城市工作总结，全体师生参加。';

  it('UTF-8 with one bad byte: UTF-8 with the byte replaced and a warning — not GBK mojibake (“2023骞村害”)', () => {
    const bytes = iconv(s, 'UTF-8');
    bytes[7] = 0xff; // inside 度
    const d = decodeText(bytes);
    expect(d.encoding).toBe('utf-8');
    expect(d.text).toContain('2023年');
    expect(d.text).toContain('全国文明城市工作总结，全体师生参加。');
    expect(d.text).not.toContain('骞');
    expect(encodingWarning(d)).toEqual({ encoding: 'utf-8', replaced: d.replaced });
    expect(d.replaced).toBeGreaterThanOrEqual(1);
  });

  it('UTF-8 whose last character was cut: the rest as written, one replacement, a warning', () => {
    const bytes = iconv(s, 'UTF-8');
    const d = decodeText(bytes.subarray(0, bytes.length - 1));
    expect(d.text).toBe(`${s.slice(0, -1)}\uFFFD`);
    expect(encodingWarning(d)).toEqual({ encoding: 'utf-8', replaced: 1 });
  });

  it('GBK cut inside its last character: GBK, one replacement, a warning', () => {
    const bytes = iconv(s, 'GB18030');
    const d = decodeText(bytes.subarray(0, bytes.length - 1));
    expect(d.encoding).toBe('gb18030');
    expect(d.text.startsWith(s.slice(0, -1))).toBe(true);
    expect(encodingWarning(d)).toMatchObject({ encoding: 'gb18030', replaced: 1 });
  });

  it('a genuine U+FFFD written in UTF-8 is text, not a replacement', () => {
    const d = decodeText(iconv('第\uFFFD页', 'UTF-8'));
    expect(d).toMatchObject({ text: '第\uFFFD页', replaced: 0 });
  });

  it('bytes no encoding reads plausibly (a binary header, random bytes) are an uncertain guess, warned', () => {
    const noise = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 131) % 256).filter((b) => b !== 0));
    const d = decodeText(noise);
    expect(encodingWarning(d)).toMatchObject({ confidence: 'uncertain' });
  });
});
