// Shared geometry of the page model: page and content boxes (the binding margin on the recto's left
// and the verso's right), the stamped number's place, titles, and tables whose cells are broken
// into lines and whose rows are measured.
import { breakLines, clampLines, type Measure } from './linebreak.js';
import type { Align, Block, Cell, Rect, Row, Rule, TextStyle } from './model.js';
import type { Layout } from './template.js';

export type Side = 'recto' | 'verso';

export function sideOf(n: number): Side {
  return n % 2 === 1 ? 'recto' : 'verso';
}

/** A4 portrait, or landscape for a landscape evidence page. */
export function pageSize(L: Layout, landscape = false): { width: number; height: number } {
  return landscape ? { width: L.page.height, height: L.page.width } : { ...L.page };
}

/** The area inside the margins; the binding side is left on a recto (and on unnumbered pages). */
export function contentBox(L: Layout, side: Side = 'recto', m = L.margins, size = pageSize(L)): Rect {
  const left = side === 'recto' ? m.binding : m.outer;
  const right = side === 'recto' ? m.outer : m.binding;
  return { x: left, y: m.top, w: size.width - left - right, h: size.height - m.top - m.bottom };
}

/** The stamped number: top right on a recto, top left on a verso, in the band above the content. */
export function numberOf(L: Layout, n: number, width: number): NonNullable<import('./model.js').VolumePage['number']> {
  const recto = sideOf(n) === 'recto';
  return {
    value: n,
    x: recto ? width - L.pageNumber.fromOuter : L.pageNumber.fromOuter,
    y: L.pageNumber.fromTop,
    align: recto ? 'right' : 'left',
    style: L.pageNumber.style,
  };
}

/** A centred page title at the top of `box`; returns the block and where the content below starts. */
export function titleBlock(L: Layout, box: Rect, text: string): { block: Block; bottom: number } {
  const style = L.title.style;
  return {
    block: { type: 'text', x: box.x, y: box.y, width: box.w, lines: [text], style, align: 'center' },
    bottom: box.y + style.lineHeight + L.title.after,
  };
}

/** The layout's rule under a line to write on (`raise` a fraction of the line height), for text in `style`. */
export function ruleFor(spec: Layout['lines']['rule'], style: TextStyle): Rule {
  return { width: spec.width, raise: style.lineHeight * spec.raise };
}

export interface CellSpec {
  text: string;
  style: TextStyle;
  align?: Align;
  valign?: 'top' | 'middle';
  /** ruled lines to write on: the layout's `lines.rule` */
  ruled?: Layout['lines']['rule'];
  /** prefer breaks at spaces and punctuation (titles) */
  prefer?: boolean;
  maxLines?: number;
  /** at least this many lines (a blank to write on) */
  minLines?: number;
}

/** Cells broken into lines for their column, and the row's height (at least `minHeight`). */
export function measureRow(m: Measure, columns: number[], cells: CellSpec[], padding: number, minHeight: number): Row {
  const out: Cell[] = cells.map((c, i) => {
    const inner = columns[i]! - 2 * padding;
    let lines = c.text === '' ? [''] : breakLines(m, c.style.font, c.style.size, c.text, inner, c.prefer ? { prefer: 0.6 } : {});
    if (c.maxLines !== undefined) lines = clampLines(m, c.style.font, c.style.size, lines, c.maxLines, inner);
    while (c.minLines !== undefined && lines.length < c.minLines) lines.push('');
    return { lines, ...(c.text !== '' && lines.length > 1 && c.maxLines === undefined ? { source: c.text } : {}), style: c.style, align: c.align ?? 'left', valign: c.valign ?? 'middle', ...(c.ruled ? { ruled: ruleFor(c.ruled, c.style) } : {}) };
  });
  const height = Math.max(minHeight, ...out.map((c) => c.lines.length * c.style.lineHeight + 2 * padding));
  return { height, cells: out };
}

export function tableHeight(rows: Row[]): number {
  return rows.reduce((h, r) => h + r.height, 0);
}
