// Spreadsheets an archive office lives in: the 台账 (every evidence file and what became of it), the
// coverage sheet (`check --format xlsx`), and one 卷内目录 sheet per volume (`build` → 目录.xlsx).
// Filters on, header frozen, widths that fit Chinese text. Same inputs and date → same bytes.
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../util/exceljs.js';
import type { Assessment } from '../model.js';
import { DROP_LABEL, KIND_LABEL, unmatchedText, WARNING_LABEL } from '../wording/labels.js';
import type { KeptFile, Report } from './report.js';
import { overdueCount, unitLabels, type UnitEntry } from './units.js';
import { naturalCompare } from '../util/natural.js';
import { rezip } from '../util/zip.js';
import { displayWidth } from '../util/width.js';
import { xmlText } from '../util/xml.js';
import { printable, printableText } from '../util/printable.js';

const Excel = loadExcelJS();

export interface CatalogueSheet {
  /** e.g. "A1 组织领导 第1卷" */
  name: string;
  rows: { seq: string; archiveCode: string; docNo: string; author: string; title: string; date: string; pages: string; note: string }[];
}

type Cell = string | number;

function addTable(wb: ExcelJS.Workbook, name: string, header: string[], rows: Cell[][], landscape = true): void {
  // printed A4, fitted to the page width, the header row repeated on every page
  const ws = wb.addWorksheet(sheetName(name, wb), {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { paperSize: 9, orientation: landscape ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
  });
  ws.addRow(header);
  // control characters and bidi overrides in names shown as escapes (util/printable.ts)
  rows = rows.map((r) => r.map((v) => (typeof v === 'string' ? printableText(v) : v)));
  // empty text becomes an empty cell, not an empty string: filters and COUNTA treat it as blank
  for (const r of rows) ws.addRow(r.map((v) => (v === '' ? null : typeof v === 'string' ? xmlText(v) : v)));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', horizontal: 'center' };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + rows.length, column: header.length } };
  header.forEach((h, i) => {
    const widest = Math.max(displayWidth(h), ...rows.map((r) => displayWidth(String(r[i] ?? ''))));
    ws.getColumn(i + 1).width = Math.min(60, Math.max(6, widest + 2));
  });
}

/** Excel sheet names: at most 31 characters, none of []:*?/\ , unique. */
function sheetName(name: string, wb: ExcelJS.Workbook): string {
  const base = [...xmlText(name).replace(/[[\]:*?/\\]/g, '_')].slice(0, 31).join('');
  let candidate = base;
  for (let i = 2; wb.getWorksheet(candidate); i++) candidate = `${[...base].slice(0, 28).join('')}(${i})`;
  return candidate;
}

/** Every evidence file: where it sits, what claimed it, its date, and what became of it. */
export function ledgerRows(a: Assessment, report: Report): Cell[][] {
  return ledgerTable(
    a.kept.map((f) => ({ path: f.path, bCode: f.bCode, ...(f.meta.date !== undefined ? { date: f.meta.date } : {}) })),
    report,
  );
}

/** The 台账's rows, from the kept files and the report (the A- and B-level titles are the report's). */
export function ledgerTable(kept: readonly KeptFile[], report: Report): Cell[][] {
  const requirementOf = new Map<string, string>();
  const titles = new Map<string, string>();
  const aOfB = new Map<string, string>();
  for (const al of report.indicators) {
    titles.set(al.code, al.title);
    for (const b of al.indicators) {
      titles.set(b.code, b.title);
      aOfB.set(b.code, `${al.code} ${al.title}`);
      for (const r of b.requirements) for (const f of r.files) requirementOf.set(f, r.title);
      for (const f of b.other) requirementOf.set(f, '其他材料');
    }
  }
  const warningsOf = new Map<string, string[]>();
  for (const w of report.warnings) warningsOf.set(w.path, [...(warningsOf.get(w.path) ?? []), `${WARNING_LABEL[w.code]}：${w.detail}`]);
  const aOf = (b?: string) => (b ? (aOfB.get(b) ?? '') : '');
  const rows: { path: string; cells: Cell[] }[] = [];
  for (const f of kept) {
    rows.push({
      path: f.path,
      cells: [printable(f.path), aOf(f.bCode), `${f.bCode} ${titles.get(f.bCode) ?? ''}`, requirementOf.get(f.path) ?? '', f.date ?? '', '采用', '', (warningsOf.get(f.path) ?? []).join('\n')],
    });
  }
  for (const d of report.dropped) {
    rows.push({
      path: d.path,
      cells: [printable(d.path), aOf(d.indicator), d.indicator ? `${d.indicator} ${titles.get(d.indicator) ?? ''}` : '', '', '', `剔除：${DROP_LABEL[d.reason]}`, d.detail, (warningsOf.get(d.path) ?? []).join('\n')],
    });
  }
  const hintOf = (p: string) => report.suggestions.find((s) => p === s.path || p.startsWith(`${s.path}/`))?.hint;
  for (const p of report.unassigned) rows.push({ path: p, cells: [printable(p), '', '', '', '', '未归类', hintOf(p) ?? '不在任何以二级指标编码开头的文件夹中', ''] });
  return rows.sort((x, y) => naturalCompare(x.path, y.path)).map((r) => r.cells);
}

export const LEDGER_HEADER = ['文件', '一级指标', '二级指标', '材料要求', '日期', '状态', '说明', '提醒'];
export const COVERAGE_HEADER = ['一级指标', '二级指标', '负责人', '截止日期', '逾期', '材料要求', '类型', '需要', '已有', '状态', '说明'];
export const CATALOGUE_HEADER = ['顺序号', '档号', '文号', '责任者', '题名', '日期', '页号', '备注'];

export function coverageRows(report: Report): Cell[][] {
  const rows: Cell[][] = [];
  for (const a of report.indicators) {
    for (const b of a.indicators) {
      const owner = b.owner ?? a.owner ?? '';
      const base = [`${a.code} ${a.title}`, `${b.code} ${b.title}`, owner, b.due ?? '', b.overdue ? '是' : ''];
      if (b.requirements.length === 0) rows.push([...base, '（无需提交材料）', '', 0, 0, '满足', '']);
      for (const r of b.requirements) rows.push([...base, r.title, KIND_LABEL[r.kind], r.min, r.found, r.status === 'satisfied' ? '满足' : '缺项', unmatchedText(r) ?? '']);
    }
  }
  return rows;
}

async function finish(wb: ExcelJS.Workbook, date: string): Promise<Uint8Array> {
  const when = new Date(`${date}T00:00:00Z`);
  wb.creator = 'chuangcheng';
  wb.lastModifiedBy = 'chuangcheng';
  wb.created = when;
  wb.modified = when;
  return rezip((await wb.xlsx.writeBuffer()) as ArrayBuffer, date);
}

/** `check --format xlsx`: 台账 and 覆盖情况. */
export async function renderCheckXlsx(a: Assessment, report: Report, date: string): Promise<Uint8Array> {
  const wb = new Excel.Workbook();
  addTable(wb, '覆盖情况', COVERAGE_HEADER, coverageRows(report));
  addTable(wb, '台账', LEDGER_HEADER, ledgerRows(a, report));
  return finish(wb, date);
}

/** `build` → 目录.xlsx: one 卷内目录 per volume, then the 台账 (of the kept files and the report). */
export async function renderCatalogueXlsx(kept: readonly KeptFile[], report: Report, sheets: CatalogueSheet[], date: string): Promise<Uint8Array> {
  const wb = new Excel.Workbook();
  for (const s of sheets) {
    // 顺序号 and a single 页号 as numbers (they sort and sum); a range such as 5-12 stays text
    const asNumber = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
    addTable(wb, s.name, CATALOGUE_HEADER, s.rows.map((r) => [asNumber(r.seq), r.archiveCode, r.docNo, r.author, r.title, r.date, asNumber(r.pages), r.note]));
  }
  addTable(wb, '台账', LEDGER_HEADER, ledgerTable(kept, report));
  return finish(wb, date);
}

/** `check DIR1 DIR2 … --format xlsx`: 各单位汇总, then 覆盖情况 and 台账 of every unit, each row naming its unit. */
export async function renderUnitsXlsx(units: (UnitEntry & { assessment: Assessment })[], date: string): Promise<Uint8Array> {
  const wb = new Excel.Workbook();
  const labels = unitLabels(units);
  addTable(
    wb,
    '各单位汇总',
    ['单位', '文件夹', '二级指标', '满足', '未满足', '缺项', '逾期', '总分', '风险分', '文件', '采用', '剔除', '未归类', '提醒'],
    units.map((u, i) => {
      const s = u.report.summary;
      return [labels[i]!, u.dir, s.indicators, s.satisfied, s.unsatisfied, s.gaps, overdueCount(u.report), s.score, s.scoreAtRisk, s.files, s.kept, s.dropped, s.unassigned, s.warnings];
    }),
  );
  addTable(wb, '覆盖情况', ['单位', ...COVERAGE_HEADER], units.flatMap((u, i) => coverageRows(u.report).map((r) => [labels[i]!, ...r])));
  addTable(wb, '台账', ['单位', ...LEDGER_HEADER], units.flatMap((u, i) => ledgerRows(u.assessment, u.report).map((r) => [labels[i]!, ...r])));
  return finish(wb, date);
}
