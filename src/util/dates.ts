// Dates as the archive writes them. Everything is a calendar date, YYYY-MM-DD, with no time zone:
// a date read from a file name or EXIF is the date as written; only the CLI reads the clock.

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** y-m-d as YYYY-MM-DD when that day exists (1900–2999), else undefined. */
export function validDate(y: number, m: number, d: number): string | undefined {
  if (y < 1900 || y > 2999) return undefined;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function isCalendarDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  return validDate(y, m, d) === s;
}

/** A Date's local calendar day (the CLI's "today"). */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

/** 2024-05-20 → 20240520 (the 卷内目录's 日期); '' for none. */
export function digits8(d?: string): string {
  return d ? d.replaceAll('-', '') : '';
}
