// Page numbers: recto (odd) top right, verso (even) top left, upright as the page is shown —
// evidence pages keep their own /Rotate and boxes, so the position is mapped into each page's space.
import type { PDFPage } from 'pdf-lib';
import { Canvas, layout, mm } from './canvas.js';

export function stampPageNumber(c: Canvas, page: PDFPage, n: number): void {
  const L = layout().pageNumber;
  const text = String(n);
  const w = c.width(L.font, L.size, text);
  const box = page.getCropBox();
  const rotation = ((page.getRotation().angle % 360) + 360) % 360;
  const shownW = rotation === 90 || rotation === 270 ? box.height : box.width;
  // position in the shown page: from its top-left corner, y downwards, at the text baseline
  const vx = n % 2 === 1 ? shownW - mm(L.fromSide) - w : mm(L.fromSide);
  const vy = mm(L.fromTop) + L.size * 0.88;
  const { x0, y0, w: bw, h: bh } = { x0: box.x, y0: box.y, w: box.width, h: box.height };
  let x: number;
  let y: number;
  switch (rotation) {
    case 90:
      x = x0 + vy;
      y = y0 + vx;
      break;
    case 180:
      x = x0 + bw - vx;
      y = y0 + vy;
      break;
    case 270:
      x = x0 + bw - vy;
      y = y0 + bh - vx;
      break;
    default:
      x = x0 + vx;
      y = y0 + bh - vy;
  }
  c.text(page, L.font, L.size, x, y, text, { rotate: rotation });
}
