// Natural order (`2` before `10`), the order people number their files in; Chinese by pinyin.
// ICU's collator does both, in native code; a fixed locale keeps the order the same on every machine.
const collator = new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'variant' });

export function naturalCompare(a: string, b: string): number {
  const c = collator.compare(a, b);
  return c !== 0 ? c : a < b ? -1 : a > b ? 1 : 0;
}
