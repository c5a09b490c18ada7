// Drawing on PDF pages with fonts that do not exist yet: text is measured with the full fonts now,
// recorded, and drawn once the whole volume is laid out and each font subset to what it shows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { degrees, rgb, type PDFDocument, type PDFPage } from 'pdf-lib';
import type { FontSet, Role } from '../fonts.js';
import { TEMPLATES_DIR } from '../../init.js';

export const MM = 72 / 25.4;
export const mm = (n: number) => n * MM;

interface TitleSpec { text: string; font: Role; size: number; fromTop?: number }
/** templates/layout.json: the printed layout as data (mm and pt). */
export interface Layout {
  page: { width: number; height: number };
  margins: { top: number; bottom: number; left: number; right: number };
  pageNumber: { font: Role; size: number; fromTop: number; fromSide: number };
  cover: {
    title: TitleSpec; fields: string[]; labelFont: Role; labelSize: number; valueFont: Role; valueSize: number;
    fromTop: number; labelWidth: number; rowGap: number; lineHeight: number; unitFromBottom: number;
  };
  toc: {
    title: TitleSpec; headerFont: Role; headerSize: number; rowFont: Role; rowSize: number; rowPadding: number;
    minRowHeight: number; columns: { key: string; label: string; width: number; align: 'left' | 'center' | 'right' }[];
  };
  form: { title: TitleSpec; labelFont: Role; labelWidth: number; font: Role; size: number; lineHeight: number };
  gap: { title: TitleSpec; font: Role; size: number; lineHeight: number };
  notice: { font: Role; size: number; lineHeight: number };
  photo: { captionFont: Role; captionSize: number; captionLineHeight: number; captionLines: number; gap: number; dpi: number };
  text: { font: Role; size: number; lineHeight: number; headerFont: Role; headerSize: number };
  backnote: { title: TitleSpec; font: Role; size: number; lineHeight: number; labelFont: Role };
}

let layoutCache: Layout | undefined;
export function layout(): Layout {
  layoutCache ??= JSON.parse(readFileSync(path.join(TEMPLATES_DIR, 'layout.json'), 'utf8')) as Layout;
  return layoutCache;
}

interface TextOp {
  page: PDFPage;
  role: Role;
  size: number;
  x: number;
  y: number;
  text: string;
  rotate: number;
  grey: number;
}

const NO_LINE_START = new Set('，。、；：？！）》」』】〕〉”’％,.;:?!)]}…—'.split(''));

export class Canvas {
  private ops: TextOp[] = [];
  constructor(readonly fonts: FontSet) {}

  width(role: Role, size: number, text: string): number {
    return this.fonts.width(role, text, size);
  }

  /** Draw `text` with its baseline at (x, y) in the page's user space. */
  text(page: PDFPage, role: Role, size: number, x: number, y: number, text: string, opts: { rotate?: number; grey?: number } = {}): void {
    if (text === '') return;
    this.ops.push({ page, role, size, x, y, text, rotate: opts.rotate ?? 0, grey: opts.grey ?? 0 });
  }

  /** Text whose top edge is at `top` (a baseline at about 0.88 em below it, as CJK fonts sit). */
  textTop(page: PDFPage, role: Role, size: number, x: number, top: number, text: string, align: 'left' | 'center' | 'right' = 'left', boxWidth = 0): void {
    const w = this.width(role, size, text);
    const dx = align === 'center' ? (boxWidth - w) / 2 : align === 'right' ? boxWidth - w : 0;
    this.text(page, role, size, x + dx, top - size * 0.88, text);
  }

  /** Break `text` into lines no wider than `max`: anywhere between CJK characters, at spaces in Latin. */
  wrap(role: Role, size: number, text: string, max: number): string[] {
    const out: string[] = [];
    for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
      if (para === '') {
        out.push('');
        continue;
      }
      const tokens = para.match(/[A-Za-z0-9@#$%&*+=/\\._\-:'"()[\]]+\s*|\s+|./gsu) ?? [];
      let line = '';
      for (const tok of tokens) {
        if (this.width(role, size, line + tok) <= max || line === '') {
          if (this.width(role, size, tok) > max && line === '') {
            // a token longer than the line: break it character by character
            for (const ch of tok) {
              if (this.width(role, size, line + ch) > max && line !== '') {
                out.push(line);
                line = '';
              }
              line += ch;
            }
          } else line += tok;
          continue;
        }
        // 避头: a closing punctuation mark may not start a line; pull the last character down with it.
        if (NO_LINE_START.has(tok[0]!) && line.length > 1) {
          // take the last character down with it, or the whole number/word it ends
          const tail = /[A-Za-z0-9]+$/.exec(line)?.[0] ?? [...line].pop()!;
          const keep = line.slice(0, line.length - tail.length);
          if (keep.trim() === '') {
            out.push(line.trimEnd());
            line = tok.trimStart();
            continue;
          }
          out.push(keep.trimEnd());
          line = tail + tok;
        } else {
          out.push(line.trimEnd());
          line = tok.trimStart();
        }
      }
      out.push(line.trimEnd());
    }
    return out;
  }

  /** Shorten to fit `max`, ending in an ellipsis. */
  fit(role: Role, size: number, text: string, max: number): string {
    if (this.width(role, size, text) <= max) return text;
    const chars = [...text];
    while (chars.length > 0 && this.width(role, size, chars.join('') + '…') > max) chars.pop();
    return chars.join('') + '…';
  }

  line(page: PDFPage, x1: number, y1: number, x2: number, y2: number, thickness = 0.6): void {
    page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness, color: rgb(0, 0, 0) });
  }

  rect(page: PDFPage, x: number, y: number, w: number, h: number, thickness = 0.6): void {
    page.drawRectangle({ x, y, width: w, height: h, borderWidth: thickness, borderColor: rgb(0, 0, 0) });
  }

  /** Subset and embed the fonts, then draw every recorded text. */
  async flush(doc: PDFDocument): Promise<void> {
    const chars = new Map<Role, Set<string>>();
    for (const op of this.ops) {
      let set = chars.get(op.role);
      if (!set) chars.set(op.role, (set = new Set()));
      for (const ch of op.text) set.add(ch);
    }
    const fonts = await this.fonts.embed(doc, chars);
    for (const op of this.ops) {
      op.page.drawText(op.text, {
        x: op.x,
        y: op.y,
        size: op.size,
        font: fonts.get(op.role)!,
        color: rgb(op.grey, op.grey, op.grey),
        ...(op.rotate ? { rotate: degrees(op.rotate) } : {}),
      });
    }
    this.ops = [];
  }
}
