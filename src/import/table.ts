// An indicator table (任务分解表) as rows of cells, whatever it was saved as: .xlsx read by exceljs
// (a merged range's value fills every cell of it), .xls/.et/.ods made .xlsx by LibreOffice first, and
// .csv in UTF-8 (with or without BOM), UTF-16 or GBK — what Excel and WPS on Chinese Windows save.
import { parseCsv } from '../convert/csv.js';
import { decodeText, encodingWarning } from '../convert/text.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { ChuangchengError } from '../errors.js';
import { findSoffice, profileDir, runSoffice, sofficeSaid } from '../convert/office.js';
import { validDate } from '../util/dates.js';
import { FileAccessError, readRegularFile } from '../util/fsx.js';
import { Workspace, workspaceError } from '../util/workspace.js';
import { loadExcelJS } from '../util/exceljs.js';

/** A task table is a few hundred rows; anything near this is not one. */
export const MAX_TABLE_BYTES = 32 * 1024 * 1024;
/** Rows and columns read per sheet: formatting can make a sheet claim a million empty rows. */
const MAX_ROWS = 20_000;
const MAX_COLS = 100;

export interface Cell {
  /** the text as shown, line breaks as \n, trimmed; '' for an empty cell */
  text: string;
  /** YYYY-MM-DD when the cell holds a date */
  date?: string;
  /** when the cell holds a number */
  num?: number;
  /** inside a merged range: the address of the range's top-left (master) cell */
  merge?: string;
  /** a merged cell that is not the master: its value is the master's */
  slave?: boolean;
}

export interface Sheet {
  name: string;
  /** rows[i] is row i + 1 as Excel numbers it (for a CSV: the i + 1-th record) */
  rows: Cell[][];
}

export type TableFormat = 'xlsx' | 'xls' | 'et' | 'ods' | 'csv';
export type TextEncoding = 'utf-8' | 'utf-16' | 'gbk' | 'big5';

export interface Table {
  format: TableFormat;
  /** CSV only */
  encoding?: TextEncoding;
  /** CSV only: bytes not valid in the encoding (shown as �), or an encoding that is only a guess */
  encodingDoubt?: { replaced?: number; confidence?: 'uncertain' };
  sheets: Sheet[];
}

export interface ReadTableOptions {
  /** LibreOffice for .xls/.et/.ods: a path, null for none, default: looked up */
  soffice?: string | null;
  /** where LibreOffice works (a private folder is made in it and removed) */
  tempDir: string;
  /** LibreOffice's environment, and the PATH it is found on */
  env: NodeJS.ProcessEnv;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export async function readTable(file: string, opts: ReadTableOptions): Promise<Table> {
  const name = path.basename(file);
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file, `表格 ${file}`, MAX_TABLE_BYTES);
  } catch (err) {
    if (err instanceof FileAccessError) {
      throw err.reason === 'not-found' ? new ChuangchengError('table-not-found', { file }, { cause: err }) : new ChuangchengError('table-unreadable', { file, detail: err.detail }, { cause: err });
    }
    throw err;
  }
  if (bytes.length === 0) throw new ChuangchengError('table-empty-file', { name });
  const ext = path.extname(file).slice(1).toLowerCase();
  const zip = bytes.subarray(0, 4).equals(ZIP);
  const ole = bytes.subarray(0, 8).equals(OLE);
  // The content decides where it can: an .xls that is really an .xlsx (a common export) is read as one.
  if (zip && ext !== 'ods') return { format: 'xlsx', sheets: await readXlsx(bytes, name) };
  if (ole || ext === 'xls' || ext === 'et' || ext === 'ods') {
    const via: TableFormat = ext === 'et' || ext === 'ods' ? ext : 'xls';
    return { format: via, sheets: await readXlsx(await toXlsx(bytes, name, via, opts), name) };
  }
  if (ext === 'csv' || ext === 'txt' || ext === 'tsv') {
    const { text, encoding, doubt } = decodeTable(bytes);
    return { format: 'csv', encoding, ...(doubt ? { encodingDoubt: doubt } : {}), sheets: [{ name, rows: parseCsv(text).map((r) => r.map(textCell)) }] };
  }
  throw new ChuangchengError('table-format', { name, ext });
}

// ---- .xlsx

async function readXlsx(bytes: Buffer, name: string): Promise<Sheet[]> {
  const Excel = loadExcelJS();
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    // (exceljs's own English says nothing a user can act on)
    throw new ChuangchengError('table-not-workbook', { name }, { cause: err });
  }
  const date1904 = wb.properties.date1904 === true;
  const visible = wb.worksheets.filter((ws) => ws.state === 'visible' || ws.state === undefined);
  return (visible.length > 0 ? visible : wb.worksheets).map((ws) => sheetOf(ws, date1904));
}

function sheetOf(ws: ExcelJS.Worksheet, date1904: boolean): Sheet {
  const rows: Cell[][] = [];
  ws.eachRow((row, r) => {
    if (r > MAX_ROWS) return;
    const cells: Cell[] = [];
    const n = Math.min(row.cellCount, MAX_COLS);
    for (let c = 1; c <= n; c++) {
      const cell = row.getCell(c);
      const master = cell.isMerged ? cell.master : cell;
      const v = valueOf(master.value, date1904);
      cells.push(cell.isMerged ? { ...v, merge: master.address, ...(master !== cell ? { slave: true } : {}) } : v);
    }
    rows[r - 1] = cells;
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return { name: ws.name, rows };
}

function valueOf(v: ExcelJS.CellValue, date1904: boolean): Cell {
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return textCell(v);
  if (typeof v === 'number') return { text: String(v), num: v };
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) {
    // exceljs gives a date cell as that day's midnight UTC
    const d = validDate(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
    return d ? { text: d, date: d } : { text: '' };
  }
  if ('richText' in v) return textCell(richText(v.richText));
  if ('formula' in v || 'sharedFormula' in v) return v.result === undefined ? { text: '' } : valueOf(v.result, date1904);
  if ('hyperlink' in v) {
    // exceljs may hand the text of a styled link as rich text
    const t: unknown = v.text;
    return textCell(typeof t === 'string' ? t : t && typeof t === 'object' && 'richText' in t ? richText((t as ExcelJS.CellRichTextValue).richText) : '');
  }
  return { text: '' }; // an error value such as #N/A
}

const richText = (parts: ExcelJS.RichText[]) => parts.map((p) => p.text).join('');

/** A text cell; a number written as text stays text (the table decides what it means). */
export function textCell(s: string): Cell {
  return { text: s.replace(/\r\n?/g, '\n').trim() };
}

/** An Excel serial day number (1900 or 1904 system) as YYYY-MM-DD. */
export function excelSerialDate(n: number, date1904 = false): string | undefined {
  if (!Number.isFinite(n) || n < 1) return undefined;
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const t = new Date(base + Math.floor(n) * 86_400_000);
  return validDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

// ---- .xls, .et, .ods: LibreOffice, as the build runs it (private profile, own process group)

async function toXlsx(bytes: Buffer, name: string, via: TableFormat, opts: ReadTableOptions): Promise<Buffer> {
  const soffice = findSoffice(opts.soffice, opts.env);
  if (!soffice) throw new ChuangchengError('table-needs-libreoffice', { name, format: via === 'csv' || via === 'xlsx' ? 'xls' : via });
  let ws: Workspace | undefined;
  try {
    ws = Workspace.create(opts.tempDir, opts.env);
    const dir = ws.sub('import');
    // a neutral name in our own folder: LibreOffice never touches the user's file or its folder
    const input = path.join(dir, `table.${via}`);
    const out = path.join(dir, 'out');
    let profile: string;
    try {
      await writeFile(input, bytes);
      await mkdir(out);
      profile = await profileDir(path.join(dir, 'profile'));
    } catch (err) {
      throw workspaceError(ws.dir, err);
    }
    const run = await runSoffice(soffice, ws, profile, 'xlsx', out, [input]);
    try {
      return await readFile(path.join(out, 'table.xlsx'));
    } catch {
      // a temporary folder with no room left (LibreOffice's profile and output are there) is not the table's fault
      ws.checkRoom();
      const why = sofficeSaid(run);
      throw new ChuangchengError('table-not-converted', { name, ...(why ? { why } : {}) });
    }
  } finally {
    ws?.disposeSync();
  }
}

// ---- .csv

/** A text file's characters: UTF-8 (BOM or not), UTF-16 with a BOM, else GBK (Excel's “CSV” on Chinese Windows). */
/** A CSV's text, decoded as text evidence is (convert/text.ts): UTF-8, GBK, Big5 or UTF-16, and how sure that is. */
export function decodeTable(bytes: Buffer): { text: string; encoding: TextEncoding; doubt?: { replaced?: number; confidence?: 'uncertain' } } {
  const d = decodeText(bytes);
  const w = encodingWarning(d);
  const encoding: TextEncoding = d.encoding === 'gb18030' ? 'gbk' : d.encoding === 'big5' ? 'big5' : d.encoding.startsWith('utf-16') ? 'utf-16' : 'utf-8';
  return { text: d.text, encoding, ...(w ? { doubt: { ...(w.replaced ? { replaced: w.replaced } : {}), ...(w.confidence ? { confidence: w.confidence } : {}) } } : {}) };
}
