// The page model: every page of a volume as plain data — its size, its blocks of text, tables,
// frames, photos and evidence pages at their places, with their line widths and colours, its
// stamped number — plus bookmarks, page labels, document facts, and what a format that flows its
// pages (the DOCX) needs: its margins and where it numbers pages. `layoutVolume` makes it from the
// layout (templates/layout.json) and the wording catalogue; the PDF and DOCX renderers only draw it.
// Units: points; the origin is the page's top-left corner, y grows downwards.
import type { Role, TextStyle, Typeface } from './template.js';

export type { Role, TextStyle, Typeface };
export type Align = 'left' | 'center' | 'right';
/**
 * A colour as red, green and blue from 0 to 1, as the layout gives it. A block without one is drawn
 * in black, the default ink of both formats.
 */
export type Color = readonly [number, number, number];

/** What a block is, where a format treats it apart: the 归档章 floats over its page in the DOCX. */
export type BlockRole = 'stamp';

/** A line under each line of a cell's text (a field to write on). */
export interface Rule {
  /** line width, points */
  width: number;
  /** how far above the bottom of its line box the rule sits, points */
  raise: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Cell {
  lines: string[];
  /** the text before it was broken into lines: an editable format may let its own layout wrap it */
  source?: string;
  style: TextStyle;
  align: Align;
  valign: 'top' | 'middle';
  /** a rule under each line (a field to write on), drawn across the cell */
  ruled?: Rule;
}

export interface Row {
  height: number;
  cells: Cell[];
}

/**
 * Lines of text whose first line box starts at `y`; `width` is the box aligned in. `paragraphs`: the
 * text before it was broken, where an editable format may let its own layout wrap it.
 */
export interface TextBlock {
  type: 'text';
  x: number;
  y: number;
  width: number;
  lines: string[];
  style: TextStyle;
  align: Align;
  color?: Color;
  paragraphs?: string[];
}

export type Block =
  | TextBlock
  /** a table: `columns` are widths; `frame`, the width of the lines drawn round and between the cells (none without it) */
  | { type: 'table'; x: number; y: number; columns: number[]; rows: Row[]; padding: number; frame?: number; color?: Color; role?: BlockRole; repeatHeader?: boolean }
  /** a frame round `rect`, its lines `width` wide */
  | { type: 'box'; rect: Rect; width: number }
  /** a prepared photo, drawn to fill `rect` exactly (the layout kept its aspect) */
  | { type: 'photo'; photo: PhotoRef; rect: Rect }
  /**
   * a page of an evidence document, scaled into `rect` keeping its aspect, centred; `notice` is
   * drawn in its place when a format cannot draw the page
   */
  | { type: 'evidence'; page: EvidencePageRef; rect: Rect; notice: TextBlock };

/** A photo of the evidence, by its evidence path; the renderer gets its prepared bytes from the assets. */
export interface PhotoRef {
  path: string;
  /** pixel size of the prepared (upright, downscaled) photo */
  width: number;
  height: number;
}

/** One page of an evidence document: a PDF, or an office file as converted. */
export interface EvidencePageRef {
  /** the evidence path the document came from */
  path: string;
  /** 0-based page index in that document */
  index: number;
  /** the page's shown size (rotation applied), points */
  width: number;
  height: number;
}

export type PageKind = 'cover' | 'toc' | 'form' | 'gap' | 'photos' | 'text' | 'evidence' | 'notice' | 'backnote';

export interface VolumePage {
  kind: PageKind;
  width: number;
  height: number;
  blocks: Block[];
  /** the stamped page number and where it sits (numbered pages only) */
  number?: { value: number; x: number; y: number; align: Align; style: TextStyle };
}

export interface OutlineNode {
  title: string;
  /** 0-based page index */
  page: number;
  children?: OutlineNode[];
}

/** PDF page labels: from page `start` (0-based) on, pages are labelled `prefix` or numbered from `first`. */
export interface PageLabel {
  start: number;
  prefix?: string;
  numbered?: { first: number };
}

export interface VolumeModel {
  pages: VolumePage[];
  outline: OutlineNode[];
  labels: PageLabel[];
  info: { title: string; author: string; subject: string; keywords: string[]; date: string };
  /**
   * For a format that lays blocks in a text flow and numbers pages itself (the DOCX): the page
   * margins its flow sits in (every flowing block lies inside them), and where its page numbers
   * stand — as far below the top edge and in from the outer edge as the stamped numbers.
   */
  flow: {
    margins: { top: number; bottom: number; left: number; right: number };
    number: { fromTop: number; fromOuter: number; style: TextStyle };
  };
  /**
   * For a format that names its fonts instead of embedding them (the DOCX): the face each role's
   * text is named with — 仿宋 text with the 宋体 face unless the manual gives a 仿宋 font, as the PDF
   * then draws it with its 宋体.
   */
  faces: Readonly<Record<Role, Typeface>>;
}

/** Where the first line's baseline sits below the top of its line box: CJK faces sit at about 0.88 em. */
export function baseline(style: TextStyle, top: number, line = 0): number {
  return top + line * style.lineHeight + (style.lineHeight - style.size) / 2 + style.size * 0.88;
}

/** `inner` (w×h) scaled down only as much as needed to fit `box`, centred in it. */
export function fitInto(box: Rect, w: number, h: number): Rect {
  const scale = Math.min(1, box.w / w, box.h / h);
  const fw = w * scale;
  const fh = h * scale;
  return { x: box.x + (box.w - fw) / 2, y: box.y + (box.h - fh) / 2, w: fw, h: fh };
}
