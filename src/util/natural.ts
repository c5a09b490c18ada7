// Natural order, as a Chinese user's file manager shows names: numbers by value (`2` before `10`),
// then Latin and other text, then Chinese by pinyin. ICU's zh collation alone would put Chinese before
// Latin (CLDR reorders Han first), and V8 does not accept the `kr` reorder keyword, so names are split
// into runs and each run compared by its own rule. Fixed locales keep the order the same everywhere.
const han = new Intl.Collator('zh-CN', { sensitivity: 'variant' });
const other = new Intl.Collator('en', { sensitivity: 'variant' });

type Run = { rank: 0 | 1 | 2; text: string };
const RUN = /(\d+)|([\p{Script=Han}]+)|([^\d\p{Script=Han}]+)/gu;
const cache = new Map<string, Run[]>();

function runs(s: string): Run[] {
  let r = cache.get(s);
  if (!r) {
    r = [];
    for (const m of s.matchAll(RUN)) r.push({ rank: m[1] !== undefined ? 0 : m[2] !== undefined ? 2 : 1, text: m[0] });
    if (cache.size > 100_000) cache.clear();
    cache.set(s, r);
  }
  return r;
}

export function naturalCompare(a: string, b: string): number {
  const ra = runs(a);
  const rb = runs(b);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i]!;
    const y = rb[i]!;
    if (x.rank !== y.rank) return x.rank - y.rank;
    if (x.text === y.text) continue; // shared folder prefixes: skip the collator
    let c: number;
    if (x.rank === 0) {
      const nx = x.text.replace(/^0+(?=\d)/, '');
      const ny = y.text.replace(/^0+(?=\d)/, '');
      c = nx.length - ny.length || (nx < ny ? -1 : nx > ny ? 1 : 0) || x.text.length - y.text.length;
    } else c = (x.rank === 2 ? han : other).compare(x.text, y.text);
    if (c !== 0) return c;
  }
  return ra.length - rb.length || (a < b ? -1 : a > b ? 1 : 0);
}
