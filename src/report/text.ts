// The coverage report for a terminal: by indicator, or as one to-do list per owner.
import { Chalk, type ChalkInstance } from 'chalk';
import { DROP_LABEL, dueNote, FILE_SECTION, lackText, NO_OWNER, unmatchedText, WARNING_LABEL } from '../wording/labels.js';
import { gapsOf, type BLevelReport, type Report, type RequirementReport } from './report.js';
import { displayWidth } from '../util/width.js';
import { combineUnits, overdueCount, unitLabels, type UnitEntry } from './units.js';
import { printableData } from '../util/printable.js';

export interface TextOptions {
  by: 'indicator' | 'owner';
  color: boolean;
  /** how many entries of one drop reason or warning code to list before summarising */
  listLimit?: number;
}

const lack = (r: RequirementReport) => lackText(r);

/** The lines under a B-level for each requirement it lacks, with why nothing matched. */
function lackLines(b: BLevelReport, c: ChalkInstance): string[] {
  return gapsOf(b).flatMap((r) => {
    const why = unmatchedText(r);
    return [`      ${c.red('缺')} ${lack(r)}`, ...(why ? [`         ${c.yellow(why)}`] : [])];
  });
}

function dueText(b: BLevelReport, today: string, c: ChalkInstance): string {
  const note = dueNote(b, today);
  if (!note) return '';
  const paint = note.tone === 'overdue' ? c.red.bold : note.tone === 'soon' ? c.yellow : c.dim;
  return paint(`  ${note.text}`);
}

export function renderText(shown: Report, opts: TextOptions): string {
  // (names and titles with control characters shown as escapes: util/printable.ts)
  const report = printableData(shown);
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const limit = opts.listLimit ?? 30;
  const out: string[] = [];
  out.push(c.bold(`${report.title} — ${report.unit}`));
  if (report.period) out.push(c.dim(`测评周期 ${report.period.from} 至 ${report.period.to}`));
  out.push('');

  if (opts.by === 'owner') renderByOwner(report, c, out);
  else renderByIndicator(report, c, out);

  // In a to-do list every dropped file and warning under an indicator is already on its owner's list.
  const listed = (x: { indicator?: string }) => opts.by === 'owner' && x.indicator !== undefined;
  const dropped = report.dropped.filter((d) => !listed(d) || d.reason === 'junk' || d.reason === 'excluded');
  const warnings = report.warnings.filter((w) => !listed(w));
  if (dropped.length > 0) {
    out.push(c.bold(`${opts.by === 'owner' ? '其他' : ''}${FILE_SECTION.dropped}（${dropped.length}）`));
    listByLabel(out, dropped, (d) => d.reason, DROP_LABEL, limit, c);
    out.push('');
  }
  if (report.unassigned.length > 0) {
    out.push(c.bold(`${FILE_SECTION.unassigned}（${report.unassigned.length}）`) + c.dim(`  —— ${FILE_SECTION.unassignedHint}`));
    // a near-miss name first, as a rename; its files are not listed one by one
    for (const s of report.suggestions) {
      out.push(`  ${c.yellow(FILE_SECTION.rename)} ${s.path}  →  ${c.bold(s.name)}${c.dim(`（${s.kind === 'folder' ? `${s.files} 个文件` : '这个文件'}会归入 ${s.indicator}）`)}`);
    }
    const covered = (p: string) => report.suggestions.some((s) => p === s.path || p.startsWith(`${s.path}/`));
    const rest = report.unassigned.filter((p) => !covered(p));
    for (const p of rest.slice(0, limit)) out.push(`  ${p}`);
    if (rest.length > limit) out.push(c.dim(`  … 还有 ${rest.length - limit} 个`));
    out.push('');
  }
  if (warnings.length > 0) {
    out.push(c.bold(`${opts.by === 'owner' ? '其他' : ''}${FILE_SECTION.warnings}（${warnings.length}）`) + c.dim(`  —— ${FILE_SECTION.warningsHint}`));
    listByLabel(out, warnings, (w) => w.code, WARNING_LABEL, limit, c);
    out.push('');
  }
  out.push(summaryLine(report, c));
  return out.join('\n') + '\n';
}

/** Entries grouped under their label, in the labels' order, each group cut at `limit`. */
function listByLabel<T extends { path: string; detail: string }, K extends string>(
  out: string[],
  entries: T[],
  keyOf: (e: T) => K,
  labels: Record<K, string>,
  limit: number,
  c: ChalkInstance,
): void {
  for (const key of Object.keys(labels) as K[]) {
    const list = entries.filter((e) => keyOf(e) === key);
    if (list.length === 0) continue;
    out.push(`  ${labels[key]}（${key}，${list.length}）`);
    for (const e of list.slice(0, limit)) out.push(`    ${e.path}${c.dim(`  ${e.detail}`)}`);
    if (list.length > limit) out.push(c.dim(`    … 还有 ${list.length - limit} 个，用 --format json 查看全部`));
  }
}

export function summaryLine(report: Report, c: ChalkInstance = new Chalk({ level: 0 })): string {
  const s = report.summary;
  const verdict =
    s.gaps === 0
      ? c.green.bold(`全部 ${s.indicators} 项二级指标材料齐全`)
      : c.red.bold(`${s.indicators} 项二级指标中 ${s.unsatisfied} 项未满足，共缺 ${s.gaps} 项材料`);
  const risk = s.score > 0 ? `；总分 ${s.score} 分，${s.scoreAtRisk > 0 ? c.red(`${s.scoreAtRisk} 分有失分风险`) : '无失分风险'}` : '';
  return `${verdict}${risk}。文件 ${s.files} 个：采用 ${s.kept}，剔除 ${s.dropped}，未归类 ${s.unassigned}，提醒 ${s.warnings}。`;
}

function renderByIndicator(report: Report, c: ChalkInstance, out: string[]): void {
  for (const a of report.indicators) {
    const mark = a.status === 'satisfied' ? c.green('✔') : c.red('✘');
    out.push(`${mark} ${c.bold(`${a.code} ${a.title}`)}${a.owner ? c.dim(`  牵头：${a.owner}`) : ''}`);
    for (const b of a.indicators) {
      const bm = b.status === 'satisfied' ? c.green('✔') : c.red('✘');
      const count = b.requirements.reduce((n, r) => n + r.found, 0) + b.other.length;
      out.push(`  ${bm} ${b.code} ${b.title}${b.owner ? c.dim(`  ${b.owner}`) : ''}${c.dim(`  ${count} 个文件`)}${dueText(b, report.today, c)}`);
      out.push(...lackLines(b, c));
    }
    out.push('');
  }
}

/** Who answers for each B-level: its owner, else its A-level's, else 未指定负责人. */
export function ownerIndex(report: Report): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of report.indicators) {
    for (const b of a.indicators) m.set(b.code, b.owner ?? a.owner ?? NO_OWNER);
  }
  return m;
}

export interface OwnerTodo {
  owner: string;
  /** their unsatisfied B-levels, each with what it lacks */
  gaps: { a: string; b: BLevelReport; lacks: RequirementReport[] }[];
  /** their files that need attention, each once with every note on it */
  files: { path: string; notes: { what: string; detail: string }[] }[];
}

/** How many requirements a to-do list lacks (not how many indicators). */
export const lackCount = (t: OwnerTodo) => t.gaps.reduce((n, g) => n + g.lacks.length, 0);

/** One to-do list per person: their unsatisfied indicators, and their files that need attention. */
export function ownerTodos(report: Report): OwnerTodo[] {
  const owners = ownerIndex(report);
  const todos = new Map<string, OwnerTodo>();
  const get = (owner: string) => {
    let t = todos.get(owner);
    if (!t) todos.set(owner, (t = { owner, gaps: [], files: [] }));
    return t;
  };
  const note = (indicator: string, path: string, what: string, detail: string) => {
    const t = get(owners.get(indicator) ?? NO_OWNER);
    let f = t.files.find((x) => x.path === path);
    if (!f) t.files.push((f = { path, notes: [] }));
    f.notes.push({ what, detail });
  };
  for (const a of report.indicators) {
    for (const b of a.indicators) {
      const owner = owners.get(b.code)!;
      const lacks = gapsOf(b);
      if (lacks.length > 0) get(owner).gaps.push({ a: a.code, b, lacks });
    }
  }
  for (const d of report.dropped) {
    if (d.reason === 'junk' || d.reason === 'excluded' || !d.indicator) continue;
    note(d.indicator, d.path, `已剔除：${DROP_LABEL[d.reason]}`, d.detail);
  }
  for (const w of report.warnings) if (w.indicator) note(w.indicator, w.path, WARNING_LABEL[w.code], w.detail);
  return [...todos.values()].sort((x, y) => (x.owner === NO_OWNER ? 1 : y.owner === NO_OWNER ? -1 : x.owner.localeCompare(y.owner, 'zh-CN')));
}

/** 缺 3 项材料（2 项指标），2 个文件待处理 — only the parts there are. */
export function todoSummary(t: OwnerTodo): string {
  const parts: string[] = [];
  const n = lackCount(t);
  if (n > 0) parts.push(`缺 ${n} 项材料${t.gaps.length > 1 ? `（${t.gaps.length} 项指标）` : ''}`);
  if (t.files.length > 0) parts.push(`${t.files.length} 个文件待处理`);
  return parts.join('，');
}

/** 【李老师】待办：缺 3 项材料（2 项指标），2 个文件待处理. */
export function todoHeadline(t: OwnerTodo): string {
  return `【${t.owner}】待办：${todoSummary(t)}`;
}

function renderByOwner(report: Report, c: ChalkInstance, out: string[]): void {
  const todos = ownerTodos(report);
  if (todos.length === 0) {
    out.push(c.green('没有待办事项。'));
    out.push('');
    return;
  }
  for (const t of todos) {
    out.push(c.bold(todoHeadline(t)));
    for (const g of t.gaps) {
      out.push(`  ${c.red('✘')} ${g.b.code} ${g.b.title}${dueText(g.b, report.today, c)}`);
      out.push(...lackLines(g.b, c));
    }
    for (const f of t.files) {
      out.push(`  ${c.yellow('!')} ${f.path}`);
      for (const n of f.notes) out.push(`      ${n.what}${c.dim(`：${n.detail}`)}`);
    }
    out.push('');
  }
}

/** Several units: a table of who lacks what, then each unit's report. */
export function renderUnitsText(given: UnitEntry[], opts: TextOptions): string {
  const units = printableData(given);
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const all = combineUnits(units);
  const labels = unitLabels(units);
  const s = all.summary;
  const out: string[] = [c.bold(`${s.units} 个单位的材料检查（${all.today}）`), ''];
  const width = Math.max(4, ...labels.map((l) => displayWidth(l)));
  const pad = (t: string) => t + ' '.repeat(Math.max(0, width - displayWidth(t)));
  out.push(c.dim(`  ${pad('单位')}  未满足/二级指标  缺项  逾期  风险分`));
  units.forEach((u, i) => {
    const r = u.report.summary;
    const mark = r.gaps === 0 ? c.green('✔') : c.red('✘');
    const overdue = overdueCount(u.report);
    out.push(`${mark} ${pad(labels[i]!)}  ${String(r.unsatisfied).padStart(6)}/${String(r.indicators).padEnd(8)}  ${String(r.gaps).padStart(4)}  ${overdue > 0 ? c.red(String(overdue).padStart(4)) : String(overdue).padStart(4)}  ${String(r.scoreAtRisk).padStart(6)}`);
  });
  out.push('');
  units.forEach((u, i) => {
    out.push(c.bold(`━━ ${labels[i]} ━━`) + c.dim(`  ${u.dir}`), '');
    out.push(renderText(u.report, opts));
  });
  out.push(
    s.unitsWithGaps === 0
      ? c.green.bold(`${s.units} 个单位材料全部齐全。`)
      : c.red.bold(`${s.units} 个单位中 ${s.unitsWithGaps} 个缺材料，共缺 ${s.gaps} 项${s.overdue > 0 ? `，${s.overdue} 项二级指标已逾期` : ''}${s.scoreAtRisk > 0 ? `，${s.scoreAtRisk} 分有失分风险` : ''}。`),
  );
  return out.join('\n') + '\n';
}
