// `chuangcheng import`: the indicator table a unit receives (任务分解表, Excel/WPS/CSV) becomes a
// commented manual.yaml, so nobody retypes it. Reads the table, writes only the --output file.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { writeOutput } from '../output/write.js';
import { guardOutput } from '../output/guard.js';
import { ChuangchengError } from '../errors.js';
import { tableToManual, type Conversion, type Field } from './indicators.js';
import { readTable, type TableFormat, type TextEncoding } from './table.js';
import { formatManualError } from '../manual/errors.js';
import { parseManual } from '../manual/parse.js';
import { manualToYaml } from '../manual/write.js';
import { realpathDeep } from '../util/fsx.js';
import { withConsole, type LibraryConsole } from '../util/quiet.js';
import { envOption, tempDirOption, validateConsole } from '../project/index.js';

export interface ImportOptions {
  /** the table: .xlsx, .xls, .et, .ods or .csv */
  table: string;
  /** the manual to write; an existing folder means manual.yaml in it */
  output: string;
  /** replace an existing output file */
  force?: boolean;
  /** the manual's title (default: the table's title row) */
  title?: string;
  /** the unit (default: a “单位：…” line above the header) */
  unit?: string;
  /** LibreOffice's soffice for .xls/.et/.ods: a path; null: none; default: looked up on the PATH */
  soffice?: string | null;
  /** where LibreOffice works (default: the system's temporary folder, `os.tmpdir()`) */
  tempDir?: string;
  /** LibreOffice's environment, and the PATH it is found on (default: this process's, `process.env`) */
  env?: NodeJS.ProcessEnv;
  /** where what libraries print on the console goes (default: nowhere; see ProjectOptions.console) */
  console?: LibraryConsole;
}

export interface ImportResult extends Omit<Conversion, 'header'> {
  /** absolute paths */
  table: string;
  output: string;
  format: TableFormat;
  /** CSV: how its text was encoded */
  encoding?: TextEncoding;
  /** CSV: bytes not valid in `encoding` (shown as �), or an encoding that is only a guess */
  encodingDoubt?: { replaced?: number; confidence?: 'uncertain' };
  /** how many sheets the workbook has (`sheet`: the one read) */
  sheets: number;
  /** 1-based */
  headerRow: number;
  columns: { field: Field; header: string }[];
  /** header texts of the columns not read (序号, 备注 …) */
  ignoredColumns: string[];
  aLevels: number;
  bLevels: number;
}

function checkText(option: string, label: string, v: unknown, required: boolean): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new ChuangchengError('option-empty-text', { option, label, required });
  return v.trim();
}

export async function importTable(opts: ImportOptions): Promise<ImportResult> {
  validateConsole(opts?.console);
  return withConsole(opts?.console, () => importNow(opts));
}

async function importNow(opts: ImportOptions): Promise<ImportResult> {
  const table = path.resolve(checkText('table', '要导入的表格', opts?.table, true)!);
  const title = checkText('title', '--title（档案标题）', opts.title, false);
  const unit = checkText('unit', '--unit（立档单位）', opts.unit, false);
  if (opts.soffice !== undefined && opts.soffice !== null && typeof opts.soffice !== 'string') {
    throw new ChuangchengError('option-soffice', { option: 'soffice', command: 'import', received: opts.soffice });
  }
  const tempDir = tempDirOption(opts.tempDir);
  const env = envOption(opts.env);
  const output = await outputPath(opts.output, table, opts.force === true);

  const name = path.basename(table);
  const read = await readTable(table, { soffice: opts.soffice, tempDir, env });
  const conv = tableToManual(read.sheets, { name, ...(title ? { title } : {}), ...(unit ? { unit } : {}) });
  const text = manualToYaml(conv.manual, { intro: intro(name, read.sheets.length > 1 ? conv.sheet : undefined, conv) });

  // What we write must be what `check` reads: a failure here is ours, not the user's.
  const loaded = parseManual(text, output);
  if (!loaded.ok) throw new Error(`import wrote a manual its own loader refuses: ${loaded.errors.map(formatManualError).join('; ')}`);
  await writeOutput(output, text);

  const { header, sheet, ...rest } = conv;
  return {
    ...rest,
    table,
    output,
    format: read.format,
    ...(read.encoding ? { encoding: read.encoding } : {}),
    ...(read.encodingDoubt ? { encodingDoubt: read.encodingDoubt } : {}),
    sheet,
    sheets: read.sheets.length,
    headerRow: header.row + 1,
    columns: header.columns.map((c) => ({ field: c.field, header: c.header })),
    ignoredColumns: header.ignored,
    aLevels: conv.manual.indicators.length,
    bLevels: conv.manual.indicators.reduce((n, a) => n + a.indicators.length, 0),
  };
}

/** Where to write: refuses to replace a file without --force, and never the table itself. */
async function outputPath(given: unknown, table: string, force: boolean): Promise<string> {
  if (typeof given !== 'string' || given.trim() === '') {
    throw new ChuangchengError('import-no-output', {});
  }
  let output = path.resolve(given);
  let st = await stat(output).catch(() => undefined);
  if (st?.isDirectory()) {
    output = path.join(output, 'manual.yaml');
    st = await stat(output).catch(() => undefined);
  }
  // never into an evidence folder (a manual there would be taken for evidence), never a FIFO (output/guard.ts)
  if (!st || st.isFile()) output = guardOutput(output, { option: '--output', kind: 'file' });
  if (realpathDeep(output) === realpathDeep(table)) {
    throw new ChuangchengError('import-output-is-table', { table });
  }
  if (st && !st.isFile()) throw new ChuangchengError('import-output-not-file', { output });
  if (st && !force) {
    throw new ChuangchengError('import-output-exists', { output });
  }
  return output;
}

function intro(name: string, sheet: string | undefined, conv: Conversion): string[] {
  const lines = [
    `本测评手册由 chuangcheng import 从“${name}”${sheet ? `的工作表“${sheet}”` : ''}导入。请对照原表核对各项的编码、名称、分值、负责人和截止日期。`,
    '每个二级指标暂定需要 1 份文档（evidence 中的 kind: document、min: 1）。请按测评要求改成实际需要的材料：照片写 kind: photo，份数改 min，不需要材料的写 evidence: []。',
  ];
  const placeholders = [conv.titleFrom === 'placeholder' ? 'title（档案标题）' : '', conv.unitFrom === 'placeholder' ? 'unit（立档单位）' : ''].filter(Boolean);
  if (placeholders.length > 0) lines.push(`${placeholders.join('和')}是占位文字，请改成实际的内容。`);
  return lines;
}
