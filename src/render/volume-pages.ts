// The pages of a bound volume as data, in order: what the PDF drew, for renderers of other formats
// (DOCX) to lay out the same parts with the same pagination.
import type { FormRow, TocRow } from './pdf/pages.js';

export interface PhotoOnPageData {
  bytes: Uint8Array;
  format: 'jpg' | 'png';
  width: number;
  height: number;
  caption: string[];
}

export type VolumePage =
  | { kind: 'cover'; fields: [string, string][]; unit: string }
  | { kind: 'toc'; rows: TocRow[] }
  | { kind: 'form'; heading: string; rows: FormRow[]; table: { header: string[]; widths: number[]; rows: string[][] }; footer: FormRow }
  | { kind: 'notice'; heading: string; body: string }
  | { kind: 'text'; heading: string; lines: string[] }
  | { kind: 'photos'; perPage: 1 | 2 | 4; photos: PhotoOnPageData[] }
  /** a page of evidence that is a PDF page: `index` (0-based) of the document `bytes` */
  | { kind: 'pdf'; bytes: Uint8Array; index: number }
  | { kind: 'backnote'; explanation: string; signatures: FormRow[] };
