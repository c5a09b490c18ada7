// From the rows of a task table (任务分解表) to a manual: find the header by its Chinese column
// names, read A-levels (测评项目, merged down or written once and left blank below) and B-levels
// (测评内容), their codes, scores, owners and deadlines. Plain data in, plain data out; problems
// the user must fix are thrown as one error (table-rows) naming every row, the rest come back as warnings.
import { ChuangchengError } from '../errors.js';
import type { ManualInput } from '../manual/schema.js';
import { validDate } from '../util/dates.js';
import { excelSerialDate, type Cell, type Sheet } from './table.js';

export type Field = 'a' | 'b' | 'standard' | 'method' | 'score' | 'owner' | 'due';

/** What each column is called in the tables units receive, best name first. */
export const HEADER_NAMES: Record<Field | 'other', readonly string[]> = {
  a: ['测评项目', '一级指标', '项目'],
  b: ['测评内容', '二级指标', '测评指标', '内容'],
  standard: ['测评标准', '评分标准', '具体要求', '测评要求', '工作要求', '三级指标', '评分细则', '标准', '要求'],
  method: ['测评方法', '测评方式', '考核方式', '检查方式', '方法'],
  score: ['分值', '分数', '标准分', '赋分'],
  owner: ['责任人', '负责人', '责任单位', '责任部门', '责任科室', '责任处室', '牵头单位', '牵头部门'],
  due: ['完成时限', '截止时间', '截止日期', '完成时间', '完成期限', '时间节点', '时限'],
  // recognised so that their names do not pass for one of ours (佐证材料要求 is not a 要求 column)
  other: ['序号', '备注', '佐证材料', '材料清单', '配合单位', '配合部门', '完成情况', '自评'],
};

/** Field names as the summary says them. */
export const FIELD_LABELS: Record<Field, string> = {
  a: '测评项目（一级指标）',
  b: '测评内容（二级指标）',
  standard: '测评标准',
  method: '测评方法',
  score: '分值',
  owner: '责任人',
  due: '完成时限',
};

/** The header is looked for in this many rows from the top. */
export const HEADER_SCAN_ROWS = 15;

export interface Column {
  field: Field;
  /** 0-based */
  index: number;
  header: string;
}

export interface Header {
  /** 0-based index into the sheet's rows */
  row: number;
  columns: Column[];
  /** the header texts of the columns that are not read */
  ignored: string[];
}

export type SkipReason = 'blank' | 'total' | 'note' | 'header' | 'no-indicator';

export interface Skipped {
  row: number;
  reason: SkipReason;
  /** the row's text, for notes and rows without an indicator */
  text?: string;
}

export interface RowWarning {
  row: number;
  message: string;
}

export interface Conversion {
  manual: ManualInput;
  /** the sheet the header was found in */
  sheet: string;
  header: Header;
  skipped: Skipped[];
  warnings: RowWarning[];
  /** B-levels read from more than one row (a 测评内容 cell merged down, or continued below) */
  combined: { code: string; rows: number[] }[];
  /** where title and unit came from */
  titleFrom: 'option' | 'sheet' | 'placeholder';
  unitFrom: 'option' | 'sheet' | 'placeholder';
}

export const TITLE_PLACEHOLDER = '请填写档案标题（如：2024年度全国文明城市测评 材料审核档案）';
export const UNIT_PLACEHOLDER = '请填写立档单位全称';

const squeeze = (s: string) => s.replace(/[\s\u3000*＊:：]/gu, '');

/** A header cell's field: the longest name it contains wins (测评内容（二级指标） is b either way). */
function fieldOf(text: string): { field: Field | 'other'; rank: number } | undefined {
  const t = squeeze(text);
  if (t === '' || t.length > 16) return undefined;
  let best: { field: Field | 'other'; rank: number; len: number } | undefined;
  for (const [field, names] of Object.entries(HEADER_NAMES) as [Field | 'other', readonly string[]][]) {
    names.forEach((n, rank) => {
      if (t.includes(n) && (!best || n.length > best.len)) best = { field, rank, len: n.length };
    });
  }
  return best && { field: best.field, rank: best.rank };
}

function headerOf(cells: Cell[], row: number): Header & { score: number } {
  const chosen = new Map<Field, { index: number; rank: number; header: string }>();
  const texts: string[] = [];
  cells.forEach((c, index) => {
    texts[index] = c.text;
    const f = fieldOf(c.text);
    if (!f || f.field === 'other') return;
    const prev = chosen.get(f.field);
    if (!prev || f.rank < prev.rank) chosen.set(f.field, { index, rank: f.rank, header: c.text.replace(/\s+/gu, '') });
  });
  const columns = [...chosen].map(([field, c]) => ({ field, index: c.index, header: c.header })).sort((x, y) => x.index - y.index);
  const used = new Set(columns.map((c) => c.index));
  const ignored = texts.filter((t, i) => t && !used.has(i) && !cells[i]?.slave).map((t) => t.replace(/\s+/gu, ''));
  return { row, columns, ignored, score: chosen.has('b') ? columns.length : 0 };
}

/** The header row of the best sheet: most recognised column names, a 测评内容 column among them. */
export function findHeader(sheets: Sheet[]): { sheet: Sheet; header: Header } | undefined {
  let best: { sheet: Sheet; header: Header; score: number } | undefined;
  for (const sheet of sheets) {
    for (let r = 0; r < Math.min(HEADER_SCAN_ROWS, sheet.rows.length); r++) {
      const h = headerOf(sheet.rows[r]!, r);
      if (h.score >= 2 && (!best || h.score > best.score)) best = { sheet, header: { row: h.row, columns: h.columns, ignored: h.ignored }, score: h.score };
    }
  }
  return best && { sheet: best.sheet, header: best.header };
}

// ---- codes

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN = '[一二三四五六七八九十百零〇两]+';

/** 一 … 九十九, 一百 …: the number a Chinese numeral writes, or undefined. */
export function chineseNumber(s: string): number | undefined {
  if (!/^[一二三四五六七八九十百零〇两]+$/u.test(s)) return undefined;
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else digit = CN_DIGITS[ch]!;
  }
  return total + digit || undefined;
}

export type CodeSpec = { kind: 'literal'; value: string } | { kind: 'number'; n: number };

const SEP = '[\\s、，,．.:：]';
// Codes as written: letters or Roman numerals with numbers (A1, A1.1, W1-2, Ⅱ, Ⅱ-1, II-3).
const LITERAL = [
  new RegExp(`^([A-Za-z]{1,2}\\d+(?:[.．\\-－—_·]\\d+)*)(?=${SEP}|[^\\x00-\\x7f]|$)`, 'u'),
  new RegExp(`^([\\u2160-\\u216b\\u2170-\\u217b]+(?:[.．\\-－—_·]\\d+)*)(?=${SEP}|[^\\x00-\\x7f]|$)`, 'u'),
  new RegExp(`^((?:[IVX]{1,4}|[A-Z])(?:[.．\\-－—]\\d+)*)(?=[、．.]|\\s)`, 'u'),
];
// Numbering: 一、 （一） 第一项 1. 1、 （1） ① 1.1 — numbers, written in our A1 / A1.1 form.
const NUMBERED: [RegExp, (m: RegExpExecArray) => number | undefined][] = [
  [new RegExp(`^第\\s*(${CN}|\\d{1,3})\\s*(?:项|条|部分|章|节|类)${SEP}*`, 'u'), (m) => num(m[1]!)],
  [new RegExp(`^第\\s*(${CN}|\\d{1,3})${SEP}+`, 'u'), (m) => num(m[1]!)],
  [new RegExp(`^[（(]\\s*(${CN}|\\d{1,3})\\s*[）)]${SEP}*`, 'u'), (m) => num(m[1]!)],
  [new RegExp(`^(${CN})\\s*[、，,．.:：]\\s*`, 'u'), (m) => chineseNumber(m[1]!)],
  [new RegExp(`^(${CN})\\s+`, 'u'), (m) => chineseNumber(m[1]!)],
  [/^(\d{1,3}(?:[.．\-－]\d{1,3})+)(?![\d.．])[\s、，,．.:：)）]*/u, (m) => Number(m[1]!.split(/[.．\-－]/u).pop())],
  [/^(\d{1,3})(?:[、，,．.:：)）]\s*|\s+)(?!\d)/u, (m) => Number(m[1])],
  [/^([\u2460-\u2473])\s*[、.．]?\s*/u, (m) => m[1]!.codePointAt(0)! - 0x2460 + 1],
];

function num(s: string): number | undefined {
  return /^\d+$/.test(s) ? Number(s) : chineseNumber(s);
}

/** A title's leading code, and the title without it. */
export function splitCode(text: string): { code?: CodeSpec; title: string } {
  for (const re of LITERAL) {
    const m = re.exec(text);
    if (m) return { code: { kind: 'literal', value: m[1]!.normalize('NFC') }, title: stripSep(text.slice(m[0].length)) };
  }
  for (const [re, value] of NUMBERED) {
    const m = re.exec(text);
    const n = m ? value(m) : undefined;
    if (m && n !== undefined && n > 0) return { code: { kind: 'number', n }, title: stripSep(text.slice(m[0].length)) };
  }
  return { title: text };
}

const stripSep = (s: string) => s.replace(/^[\s、，,．.:：)）\-－—]+/u, '').trim();

/** One line: line breaks inside a cell (Alt+Enter) joined, without a space between Chinese characters. */
export function oneLine(s: string): string {
  return s
    .replace(/\s*\n\s*/gu, (m, at: number, all: string) => (/[\x21-\x7e]/.test(all[at - 1] ?? '') && /[\x21-\x7e]/.test(all[at + m.length] ?? '') ? ' ' : ''))
    .replace(/[ \t\u3000]+/gu, ' ')
    .trim();
}

/** “组织领导（15分）”: the score written into a title. */
function titleScore(title: string): { title: string; score?: number } {
  const m = /[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]$/u.exec(title);
  if (!m || m.index === 0) return { title };
  return { title: title.slice(0, m.index).trim(), score: Number(m[1]) };
}

// ---- values

/** 8, "8", "8分", "8 分（每项 2 分）" → 8. */
export function parseScore(c: Cell): number | undefined {
  if (c.num !== undefined) return c.num >= 0 ? c.num : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*分?(?![\d.])/u.exec(c.text.replace(/\s+/gu, ' '));
  return m ? Number(m[1]) : undefined;
}

/** A date cell, an Excel day number, or 2024-04-30, 2024/4/30, 2024.4.30, 2024年4月30日(前) → YYYY-MM-DD. */
export function parseDue(c: Cell): string | undefined {
  if (c.date) return c.date;
  if (c.num !== undefined) return c.num > 20_000 && c.num < 80_000 ? excelSerialDate(c.num) : undefined;
  const t = c.text.replace(/\s+/gu, '');
  const m = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})(?!\d)/u.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/u.exec(t);
  return m ? validDate(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

const TOTAL = /^(合计|总计|小计|共计|总分|分值合计|合计分值)/u;
const NOTE = /^(注|备注|说明|附注|填表说明)\s*\d*\s*[：:]/u;

// ---- the table

interface BDraft {
  /** the code written into the manual (assignCodes) */
  id: string;
  row: number;
  rows: number[];
  raw: string;
  code?: CodeSpec;
  title: string;
  titleScore?: number;
  standard: string[];
  method: string[];
  owners: string[];
  due?: string;
  scores: number[];
  bMerge?: string;
}

interface ADraft {
  id: string;
  row: number;
  /** the same 测评项目 again further down (already an error: its code is not reported twice) */
  again?: boolean;
  raw: string;
  code?: CodeSpec;
  title: string;
  score?: number;
  owner?: string;
  bs: BDraft[];
}

export interface ConvertOptions {
  title?: string;
  unit?: string;
  /** the file's name, for messages */
  name: string;
}

/** The manual a table describes. Throws a ChuangchengError naming each row that must be fixed. */
export function tableToManual(sheets: Sheet[], opts: ConvertOptions): Conversion {
  if (sheets.every((s) => s.rows.every((r) => r.every((c) => c.text === '')))) {
    throw new ChuangchengError('table-blank', { name: opts.name });
  }
  const found = findHeader(sheets);
  if (!found) {
    throw new ChuangchengError('table-no-header', { name: opts.name, rows: HEADER_SCAN_ROWS });
  }
  const { sheet, header } = found;
  const col = new Map(header.columns.map((c) => [c.field, c.index]));
  const rowNo = (i: number) => i + 1;
  if (!col.has('a')) {
    throw new ChuangchengError('table-no-a-column', { row: rowNo(header.row) });
  }
  const get = (cells: Cell[], f: Field): Cell => {
    const i = col.get(f);
    return (i === undefined ? undefined : cells[i]) ?? { text: '' };
  };

  const headRow = sheet.rows[header.row]!;
  const errors: RowWarning[] = [];
  const warnings: RowWarning[] = [];
  const skipped: Skipped[] = [];
  const as: ADraft[] = [];
  const seenA = new Map<string, number>();
  // a merged 分值 cell: whose rows it spans decides whether it scores a B-level or its A-level
  const mergedScores = new Map<string, { row: number; value: number; bs: Set<BDraft> }>();
  let curA: ADraft | undefined;
  let curB: BDraft | undefined;
  let lastRowB: BDraft | undefined;

  const absorb = (b: BDraft, cells: Cell[], r: number) => {
    const std = get(cells, 'standard');
    const stdText = std.text.split('\n').map((l) => l.trimEnd()).join('\n');
    if (stdText && !std.slave && !b.standard.includes(stdText)) b.standard.push(stdText);
    const method = get(cells, 'method');
    const m = oneLine(method.text);
    if (m && !b.method.includes(m)) b.method.push(m);
    const owner = get(cells, 'owner');
    for (const o of owner.text.split(/\s*\n\s*/u).map(oneLine)) if (o && !b.owners.includes(o)) b.owners.push(o);
    const due = get(cells, 'due');
    if (due.text) {
      const d = parseDue(due);
      if (d) b.due = !b.due || d > b.due ? d : b.due;
      else if (!due.slave) warnings.push({ row: r, message: `完成时限“${oneLine(due.text)}”不是日期，没有写入 due（截止日期）。需要时请在手册中写成 YYYY-MM-DD。` });
    }
    const score = get(cells, 'score');
    if (score.text) {
      if (score.slave) mergedScores.get(score.merge!)?.bs.add(b);
      else {
        const v = parseScore(score);
        if (v === undefined) warnings.push({ row: r, message: `分值“${oneLine(score.text)}”不是数字，没有写入 score。` });
        else if (score.merge) mergedScores.set(score.merge, { row: r, value: v, bs: new Set([b]) });
        else b.scores.push(v);
      }
    }
    if (!b.rows.includes(r)) b.rows.push(r);
  };

  for (let i = header.row + 1; i < sheet.rows.length; i++) {
    const cells = sheet.rows[i]!;
    const r = rowNo(i);
    const texts = cells.map((c) => c.text).filter((t) => t !== '');
    if (texts.length === 0) {
      skipped.push({ row: r, reason: 'blank' });
      lastRowB = undefined;
      continue;
    }
    // only cells carried down from merged ranges above: nothing new in this row
    if (cells.every((c) => c.text === '' || c.slave)) continue;
    const aCell = get(cells, 'a');
    const bCell = get(cells, 'b');
    const first = oneLine(texts[0]!);
    if ([aCell.text, bCell.text, texts[0]!].some((t) => TOTAL.test(squeeze(t)))) {
      skipped.push({ row: r, reason: 'total' });
      continue;
    }
    if (squeeze(aCell.text) === squeeze(get(headRow, 'a').text) && squeeze(bCell.text) === squeeze(get(headRow, 'b').text)) {
      skipped.push({ row: r, reason: 'header' }); // the header again (a table pasted from pages)
      continue;
    }
    // 测评项目 merged across into the 测评内容 column: a row of the A-level alone, or a note
    const across = aCell.merge !== undefined && aCell.merge === bCell.merge;
    const masters = new Set(cells.filter((c) => c.text !== '').map((c) => c.merge ?? ''));
    if (NOTE.test(first) || (across && masters.size === 1 && !splitCode(oneLine(aCell.text)).code)) {
      skipped.push({ row: r, reason: 'note', text: first });
      continue;
    }

    const aText = oneLine(aCell.text);
    let newA = false;
    if (aText !== '' && !aCell.slave && aText !== curA?.raw) {
      const before = seenA.get(aText);
      if (before !== undefined) {
        errors.push({ row: r, message: `测评项目“${aText}”在第 ${before} 行已经出现过。同一测评项目的各行要连在一起（可以合并单元格），请把它们排到一起。` });
      }
      const { code, title: t0 } = splitCode(aText);
      const { title, score } = titleScore(t0);
      if (title === '') errors.push({ row: r, message: `测评项目“${aText}”只有编号，没有名称。` });
      curA = { id: '', row: r, raw: aText, ...(code ? { code } : {}), title, ...(score !== undefined ? { score } : {}), ...(before !== undefined ? { again: true } : {}), bs: [] };
      as.push(curA);
      seenA.set(aText, r);
      curB = undefined;
      newA = true;
    }
    const bText = across ? '' : oneLine(bCell.text);
    if (!curA) {
      if (bText !== '') {
        errors.push({ row: r, message: `有测评内容“${bText}”，但它上面还没有任何测评项目（一级指标）。请在这一行的“测评项目”列填上它所属的项目。` });
      } else skipped.push({ row: r, reason: 'no-indicator', text: first });
      continue;
    }
    if (bText === '') {
      if (curB && !newA) absorb(curB, cells, r); // more of the B-level above: another 标准, more points
      else {
        // the A-level's own row: its score and owner
        const score = get(cells, 'score');
        const v = score.text && !score.slave ? parseScore(score) : undefined;
        if (score.text && !score.slave && v === undefined) warnings.push({ row: r, message: `分值“${oneLine(score.text)}”不是数字，没有写入 score。` });
        if (v !== undefined) curA.score = v;
        const owner = oneLine(get(cells, 'owner').text.replace(/\s*\n\s*/gu, '、'));
        if (owner && !curA.owner) curA.owner = owner;
        if (get(cells, 'standard').text || get(cells, 'method').text || get(cells, 'due').text) {
          warnings.push({ row: r, message: `这一行只有测评项目“${curA.raw}”，没有测评内容；它的测评标准、方法或时限没有导入。` });
        }
      }
      lastRowB = curB;
      continue;
    }
    const continues =
      curB !== undefined &&
      !newA &&
      ((bCell.slave === true && bCell.merge === curB.bMerge) || (bText === curB.raw && lastRowB === curB));
    if (!continues) {
      const { code, title: t0 } = splitCode(bText);
      const { title, score } = titleScore(t0);
      if (title === '') errors.push({ row: r, message: `测评内容“${bText}”只有编号，没有名称。` });
      curB = {
        id: '',
        row: r,
        rows: [],
        raw: bText,
        ...(code ? { code } : {}),
        title,
        ...(score !== undefined ? { titleScore: score } : {}),
        standard: [],
        method: [],
        owners: [],
        scores: [],
        ...(bCell.merge ? { bMerge: bCell.merge } : {}),
      };
      curA.bs.push(curB);
    }
    absorb(curB!, cells, r);
    lastRowB = curB;
  }

  if (as.length === 0 && errors.length === 0) {
    throw new ChuangchengError('table-no-rows', { name: opts.name, row: rowNo(header.row) });
  }
  for (const a of as) {
    if (a.bs.length === 0) errors.push({ row: a.row, message: `测评项目“${a.raw}”下面没有测评内容（二级指标）。每个测评项目至少要有一项测评内容。` });
  }
  for (const [, s] of mergedScores) {
    const bs = [...s.bs];
    const owners = new Set(as.filter((a) => a.bs.some((b) => s.bs.has(b))));
    if (bs.length === 1) bs[0]!.scores.push(s.value);
    else if (owners.size === 1) {
      const a = [...owners][0]!;
      if (a.score === undefined) a.score = s.value;
    } else warnings.push({ row: s.row, message: `分值 ${s.value} 所在的合并单元格跨了几个测评项目，不知道属于哪一项，没有写入。` });
  }
  assignCodes(as, errors);
  if (errors.length > 0) {
    throw new ChuangchengError('table-rows', { name: opts.name, rows: errors.sort((x, y) => x.row - y.row).map((e) => ({ row: e.row, message: e.message })) });
  }

  // the rows above the header that are not part of it (a header can span two rows): title, 单位
  const above = sheet.rows
    .slice(0, header.row)
    .filter((cells) => !cells.some((c) => fieldOf(c.text)))
    .flatMap((cells) => [...new Set(cells.filter((c) => c.text !== '' && !c.slave).map((c) => oneLine(c.text)))]);
  const unitLine = above.map((t) => /(?:填报|报送|申报|责任|立档)?单位(?:名称)?\s*[：:]\s*([^\s：:，,；;]+)/u.exec(t)?.[1]).find((u) => u);
  const titleLine = above.find((t) => !/[：:]/u.test(t) && !/^附件/u.test(t) && t.length >= 4);
  const title = opts.title ?? titleLine ?? TITLE_PLACEHOLDER;
  const unit = opts.unit ?? unitLine ?? UNIT_PLACEHOLDER;

  const manual: ManualInput = {
    title,
    unit,
    indicators: as.map((a) => ({
      code: a.id,
      title: a.title,
      ...(a.owner ? { owner: a.owner } : {}),
      ...(a.score !== undefined ? { score: a.score } : {}),
      indicators: a.bs.map((b) => {
        const score = b.scores.length > 0 ? round(b.scores.reduce((x, y) => x + y, 0)) : b.titleScore;
        return {
          code: b.id,
          title: b.title,
          ...(b.owners.length > 0 ? { owner: b.owners.join('、') } : {}),
          ...(b.due ? { due: b.due } : {}),
          ...(score !== undefined ? { score } : {}),
          ...(b.method.length > 0 ? { method: b.method.join('、') } : {}),
          ...(b.standard.length > 0 ? { standard: b.standard.join('\n') } : {}),
          evidence: [{ title: /材料$/u.test(b.title) ? b.title : `${b.title}材料`, kind: 'document' as const, min: 1 }],
        };
      }),
    })),
  };
  return {
    manual,
    sheet: sheet.name,
    header,
    skipped,
    warnings: warnings.sort((x, y) => x.row - y.row),
    combined: as.flatMap((a) => a.bs.filter((b) => b.rows.length > 1).map((b) => ({ code: b.id, rows: b.rows }))),
    titleFrom: opts.title !== undefined ? 'option' : titleLine ? 'sheet' : 'placeholder',
    unitFrom: opts.unit !== undefined ? 'option' : unitLine ? 'sheet' : 'placeholder',
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Every A- and B-level gets its code (`id`), unique over the manual. Codes written with letters are
 * kept; numbering becomes A<n> and <A code>.<n>; levels without one get the next free number by
 * position. A clash names both rows.
 */
function assignCodes(as: ADraft[], errors: RowWarning[]): void {
  const used = new Map<string, number>();
  const claim = (code: string, row: number, what: string): string => {
    const first = used.get(code);
    if (first !== undefined) errors.push({ row, message: `${what}的编码“${code}”与第 ${first} 行重复。编码须全手册唯一，请改正其中一个的编号。` });
    else used.set(code, row);
    return code;
  };
  const next = (prefix: string, from: number, row: number) => {
    let k = from;
    while (used.has(`${prefix}${k}`)) k++;
    used.set(`${prefix}${k}`, row);
    return `${prefix}${k}`;
  };
  const written = (spec: CodeSpec, prefix: string) => (spec.kind === 'literal' ? spec.value : `${prefix}${spec.n}`);
  // written codes first, so that a made one never takes a number the table uses further down
  for (const a of as) if (a.code) a.id = a.again ? written(a.code, 'A') : claim(written(a.code, 'A'), a.row, '测评项目');
  as.forEach((a, i) => {
    if (!a.code) a.id = next('A', i + 1, a.row);
  });
  for (const a of as) for (const b of a.bs) if (b.code) b.id = claim(written(b.code, `${a.id}.`), b.row, '测评内容');
  for (const a of as) {
    a.bs.forEach((b, j) => {
      if (!b.code) b.id = next(`${a.id}.`, j + 1, b.row);
    });
  }
}
