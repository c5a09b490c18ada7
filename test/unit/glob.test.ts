// globMatcher: the manual's exclude/match patterns, matched without regex backtracking
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { globMatcher } from '../../src/util/glob.js';

const matches = (pattern: string, path: string) => globMatcher([pattern])(path);

describe('globMatcher', () => {
  it('an empty list matches nothing', () => {
    const m = globMatcher([]);
    expect(m('a.pdf')).toBe(false);
    expect(m('')).toBe(false);
  });

  it('a bare pattern is tested against the file name only', () => {
    const name = '2023-09-01 关于成立创城工作领导小组的通知.pdf';
    expect(matches('*领导小组*', name)).toBe(true);
    expect(matches('*领导小组*', `A1.1/${name}`)).toBe(true);
    expect(matches('*领导小组*', `A1.1/领导小组/${name.replace('领导小组', '')}`)).toBe(false);
    expect(matches('*领导小组*', '领导小组/会议纪要.pdf')).toBe(false);
    expect(matches('*.bak', 'A1.1/方案.docx.bak')).toBe(true);
    expect(matches('*.bak', 'A1.1/方案.bak/正文.docx')).toBe(false);
  });

  it('a pattern with a slash is tested against the whole path', () => {
    expect(matches('A1.1/*.pdf', 'A1.1/a.pdf')).toBe(true);
    expect(matches('A1.1/*.pdf', 'x/A1.1/a.pdf')).toBe(false);
    expect(matches('A1.1/*.pdf', 'A1.1/sub/a.pdf')).toBe(false);
    expect(matches('./A1.1/*.pdf', 'A1.1/a.pdf')).toBe(true);
  });

  it('** spans zero or more whole segments', () => {
    const m = globMatcher(['**/草稿/**']);
    expect(m('a/草稿/b.doc')).toBe(true);
    expect(m('草稿/x')).toBe(true);
    expect(m('a/b/草稿/c/d/e.pdf')).toBe(true);
    expect(m('a/草稿')).toBe(true); // a trailing /** also takes zero segments, as picomatch does
    expect(m('a/草稿箱/b.doc')).toBe(false);
    expect(m('a/旧草稿/b.doc')).toBe(false);
    expect(matches('A1/**', 'A1/x/y/z.pdf')).toBe(true);
    expect(matches('A1/**', 'B1/x.pdf')).toBe(false);
    expect(matches('a/**/b.txt', 'a/b.txt')).toBe(true);
    expect(matches('a/**/b.txt', 'a/x/y/b.txt')).toBe(true);
    expect(matches('a/**/b.txt', 'a/x/y/c.txt')).toBe(false);
    // inside a segment ** is just *
    expect(matches('a/x**y', 'a/x123y')).toBe(true);
    expect(matches('a/x**y', 'a/x1/2y')).toBe(false);
  });

  it('* and ? never cross a slash; * takes a leading dot', () => {
    expect(matches('a/*', 'a/b/c')).toBe(false);
    expect(matches('a/?/c', 'a/b/c')).toBe(true);
    expect(matches('a?b', 'a/b')).toBe(false);
    expect(matches('*', '.DS_Store')).toBe(true);
    expect(matches('*.txt', '.hidden.txt')).toBe(true);
    expect(matches('a/*/c.txt', 'a/.git/c.txt')).toBe(true);
  });

  it('is case-insensitive', () => {
    expect(matches('*.PDF', 'a/b.pdf')).toBe(true);
    expect(matches('*.pdf', 'a/B.PDF')).toBe(true);
    expect(matches('a1.1/*', 'A1.1/x')).toBe(true);
    expect(matches('[A-C]*', 'b.txt')).toBe(true);
  });

  it('compares composed and decomposed forms alike', () => {
    const nfc = 'café-照片.jpg';
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(matches('caf?-*', nfd)).toBe(true);
    expect(matches('café*', `x/${nfd}`)).toBe(true);
    expect(matches('café*'.normalize('NFD'), nfc)).toBe(true);
  });

  it('? is one code point: a Chinese character or an emoji', () => {
    expect(matches('照?.jpg', '照片.jpg')).toBe(true);
    expect(matches('照?.jpg', '照片片.jpg')).toBe(false);
    expect(matches('?.jpg', '😀.jpg')).toBe(true); // two UTF-16 units, one character
    expect(matches('??.jpg', '😀.jpg')).toBe(false);
    expect(matches('[😀😁].jpg', '😁.jpg')).toBe(true);
  });

  it('character classes: sets, ranges, negation, literal ] and -', () => {
    expect(matches('[abc].txt', 'b.txt')).toBe(true);
    expect(matches('[abc].txt', 'd.txt')).toBe(false);
    expect(matches('[a-c]1', 'c1')).toBe(true);
    expect(matches('[a-c]1', 'd1')).toBe(false);
    expect(matches('[!x].txt', 'y.txt')).toBe(true);
    expect(matches('[!x].txt', 'x.txt')).toBe(false);
    expect(matches('[^x].txt', 'x.txt')).toBe(false);
    expect(matches('[^x].txt', '甲.txt')).toBe(true);
    expect(matches('[]]', ']')).toBe(true);
    expect(matches('[a-]', '-')).toBe(true);
    expect(matches('[一-龥]*.pdf', '通知.pdf')).toBe(true);
    expect(matches('[0-9]*.pdf', '通知.pdf')).toBe(false);
    expect(matches('[ab', '[ab')).toBe(true); // never closed: literal
  });

  it('brace alternatives, nested, and a comma-less group kept literal', () => {
    const m = globMatcher(['*.{doc,docx,wps}']);
    expect(m('a/b.doc')).toBe(true);
    expect(m('a/b.docx')).toBe(true);
    expect(m('a/b.wps')).toBe(true);
    expect(m('a/b.pdf')).toBe(false);
    expect(matches('{草稿,旧}/{a,{b,c}}.txt', '旧/c.txt')).toBe(true);
    expect(matches('{草稿,旧}/{a,{b,c}}.txt', '草稿/a.txt')).toBe(true);
    expect(matches('{草稿,旧}/{a,{b,c}}.txt', '新/a.txt')).toBe(false);
    expect(matches('{a}.txt', '{a}.txt')).toBe(true);
    expect(matches('{a}.txt', 'a.txt')).toBe(false);
    expect(matches('x{,-副本}.pdf', 'x-副本.pdf')).toBe(true);
    expect(matches('x{,-副本}.pdf', 'x.pdf')).toBe(true);
  });

  it('caps brace expansion at 256 alternatives and reads the rest literally', () => {
    // 2^10 alternatives if expanded fully; the first 8 groups expand (256), the last 2 stay literal
    const pattern = '{a,b}'.repeat(10);
    const m = globMatcher([pattern]);
    expect(m('abababab{a,b}{a,b}')).toBe(true);
    expect(m('abababab')).toBe(false);
    expect(m('ababababab')).toBe(false);
    const t0 = performance.now();
    globMatcher(['{a,b}'.repeat(40)])('x');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('escapes make * ? [ { and \\ literal', () => {
    expect(matches('a\\*.txt', 'a*.txt')).toBe(true);
    expect(matches('a\\*.txt', 'ab.txt')).toBe(false);
    expect(matches('\\?', '?')).toBe(true);
    expect(matches('\\?', 'x')).toBe(false);
    expect(matches('\\[x]', '[x]')).toBe(true);
    expect(matches('\\{a,b}', '{a,b}')).toBe(true);
    expect(matches('\\{a,b}', 'a')).toBe(false);
    expect(matches('a\\\\b', 'a\\b')).toBe(true);
  });

  it('stays fast on patterns that make a backtracking regex explode', () => {
    const hostile = Array.from({ length: 200 }, (_, i) => `*a*a*a*a*a*a*a*a*a*a*${'b'.repeat(1 + (i % 3))}`);
    const name = 'a'.repeat(300);
    const m = globMatcher(hostile);
    const t0 = performance.now();
    expect(m(name)).toBe(false);
    expect(m(`dir/${name}`)).toBe(false);
    expect(m(`${'a/'.repeat(50)}${name}`)).toBe(false);
    const deep = globMatcher(Array.from({ length: 200 }, () => '**/a*/**/a*/**/a*/**/a*/**/b'));
    expect(deep(`${'a/'.repeat(60)}${name}`)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(m(`${name}b`)).toBe(true);
  });
});

// The old implementation was picomatch(pattern, { nocase: true, dot: true }) on the path (slash
// patterns) or on the file name (bare ones); these ordinary cases must come out the same.
const require = createRequire(import.meta.url);
const picomatch = (() => {
  try {
    return require('picomatch') as (glob: string, opts: object) => (s: string) => boolean;
  } catch {
    return null;
  }
})();

describe.runIf(picomatch !== null)('globMatcher agrees with picomatch on ordinary patterns', () => {
  const table: Array<[string, string]> = [
    ['**/草稿/**', 'a/草稿/b.doc'],
    ['**/草稿/**', '草稿/x'],
    ['**/草稿/**', 'x/草稿稿/y'],
    ['**/草稿/**', 'a/草稿'],
    ['*.bak', 'a/b.bak'],
    ['*.bak', 'a.bak/b.txt'],
    ['*领导小组*', 'A1/2023-09-01 关于成立创城工作领导小组的通知.pdf'],
    ['*领导小组*', '领导小组/x.pdf'],
    ['A1.1/*.pdf', 'a1.1/X.PDF'],
    ['A1.1/*.pdf', 'A1.1/sub/x.pdf'],
    ['a/**', 'a/b/c/d'],
    ['a/**', 'a'],
    ['a/**', 'ab/c'],
    ['a/**/b.txt', 'a/b.txt'],
    ['a/**/b.txt', 'a/x/y/b.txt'],
    ['**/*.pdf', 'x.pdf'],
    ['**/*.pdf', 'x/y/z.PDF'],
    ['**/*', 'x/.hidden'],
    ['a/?.txt', 'a/b.txt'],
    ['a/?.txt', 'a/bc.txt'],
    ['a/?.txt', 'a/照.txt'],
    ['a/[abc].txt', 'a/c.txt'],
    ['a/[abc].txt', 'a/d.txt'],
    ['a/[a-c]*.txt', 'a/b-1.txt'],
    ['a/[a-c]*.txt', 'a/x-1.txt'],
    ['a/[^a].txt', 'a/b.txt'],
    ['a/[^a].txt', 'a/a.txt'],
    ['a/{x,y}.txt', 'a/y.txt'],
    ['a/{x,y}.txt', 'a/z.txt'],
    ['a/{x,{y,z}}*.txt', 'a/zq.txt'],
    ['{a,b}/c', 'b/c'],
    ['a/*.{pdf,doc}', 'a/c.doc'],
    ['a/*.{pdf,doc}', 'a/c.docx'],
    ['a/\\*.txt', 'a/*.txt'],
    ['a/\\*.txt', 'a/x.txt'],
    ['./a/b.txt', 'a/b.txt'],
    ['*/*', 'a/b'],
    ['*/*', 'a/b/c'],
    ['a/*/c', 'a/.x/c'],
    ['.hidden/*', '.HIDDEN/x'],
    ['a/b*c/d', 'a/bxxc/d'],
    ['**/x/**/y', 'q/x/r/s/y'],
    ['**/x/**/y', 'q/x/r/s/z'],
  ];
  it.each(table)('%s ~ %s', (pattern, path) => {
    const viaPicomatch = picomatch!(pattern, { nocase: true, dot: true });
    const expected = pattern.includes('/') ? viaPicomatch(path) : viaPicomatch(path.slice(path.lastIndexOf('/') + 1));
    expect(matches(pattern, path)).toBe(expected);
  });
});
