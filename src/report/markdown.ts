// Markdown for a CI job summary or a message to colleagues.
import { DROP_LABEL, FILE_SECTION, lackText, unmatchedText, WARNING_LABEL } from '../wording/labels.js';
import { gapsOf, type BLevelReport, type Report, type RequirementReport } from './report.js';
import { daysBetween } from '../util/dates.js';
import { ownerTodos, summaryLine, todoHeadline } from './text.js';
import { combineUnits, overdueCount, unitLabels, type UnitEntry } from './units.js';
import { printableData } from '../util/printable.js';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const lack = (r: RequirementReport) => esc(lackText(r)) + (unmatchedText(r) ? `（${esc(unmatchedText(r)!)}）` : '');

function due(b: BLevelReport, today: string): string {
  if (!b.due) return '';
  return b.overdue ? `**${b.due}（逾期 ${daysBetween(b.due, today)} 天）**` : b.due;
}

export function renderMarkdown(shown: Report, by: 'indicator' | 'owner'): string {
  const report = printableData(shown);
  const s = report.summary;
  const out: string[] = [];
  out.push(`## ${esc(report.title)} — ${esc(report.unit)}`, '');
  out.push(summaryLine(report), '');
  out.push('| 二级指标 | 满足 | 未满足 | 缺项 | 文件 | 采用 | 剔除 | 未归类 | 提醒 | 总分 | 风险分 |');
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  out.push(`| ${s.indicators} | ${s.satisfied} | ${s.unsatisfied} | ${s.gaps} | ${s.files} | ${s.kept} | ${s.dropped} | ${s.unassigned} | ${s.warnings} | ${s.score} | ${s.scoreAtRisk} |`, '');

  if (by === 'owner') {
    for (const t of ownerTodos(report)) {
      out.push(`### ${esc(todoHeadline(t))}`, '');
      for (const g of t.gaps) {
        out.push(`- [ ] **${esc(g.b.code)} ${esc(g.b.title)}**${g.b.due ? ` 截止 ${due(g.b, report.today)}` : ''}`);
        for (const r of g.lacks) out.push(`  - 缺：${lack(r)}`);
      }
      for (const f of t.files) out.push(`- [ ] \`${f.path}\` ${f.notes.map((n) => `${n.what}：${esc(n.detail)}`).join('；')}`);
      out.push('');
    }
  } else {
    out.push('| 状态 | 编码 | 指标 | 负责人 | 截止 | 缺少的材料 |', '|:---:|---|---|---|---|---|');
    for (const a of report.indicators) {
      for (const b of a.indicators) {
        const gaps = gapsOf(b).map(lack).join('<br>');
        out.push(
          `| ${b.status === 'satisfied' ? '✅' : '❌'} | ${esc(b.code)} | ${esc(b.title)} | ${esc(b.owner ?? a.owner ?? '')} | ${due(b, report.today)} | ${gaps} |`,
        );
      }
    }
    out.push('');
  }

  if (report.dropped.length > 0) {
    out.push(`<details><summary>${FILE_SECTION.dropped}（${report.dropped.length}）</summary>`, '');
    out.push('| 文件 | 原因 | 说明 |', '|---|---|---|');
    for (const d of report.dropped) out.push(`| \`${esc(d.path)}\` | ${DROP_LABEL[d.reason]}（${d.reason}） | ${esc(d.detail)} |`);
    out.push('', '</details>', '');
  }
  if (report.unassigned.length > 0) {
    out.push(`<details><summary>${FILE_SECTION.unassigned}（${report.unassigned.length}）</summary>`, '');
    for (const s of report.suggestions) out.push(`- ${FILE_SECTION.rename}：\`${esc(s.path)}\` → **${esc(s.name)}**（${esc(s.hint)}）`);
    const covered = (p: string) => report.suggestions.some((s) => p === s.path || p.startsWith(`${s.path}/`));
    for (const p of report.unassigned.filter((x) => !covered(x))) out.push(`- \`${esc(p)}\``);
    out.push('', '</details>', '');
  }
  if (report.warnings.length > 0) {
    out.push(`<details><summary>${FILE_SECTION.warnings}（${report.warnings.length}）</summary>`, '');
    out.push('| 文件 | 提醒 | 说明 |', '|---|---|---|');
    for (const w of report.warnings) out.push(`| \`${esc(w.path)}\` | ${WARNING_LABEL[w.code]}（${w.code}） | ${esc(w.detail)} |`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}

/** Several units: who lacks what, then each unit's report under its own heading. */
export function renderUnitsMarkdown(given: UnitEntry[], by: 'indicator' | 'owner'): string {
  const units = printableData(given);
  const all = combineUnits(units);
  const s = all.summary;
  const labels = unitLabels(units);
  const out: string[] = [`# ${s.units} 个单位的材料检查（${all.today}）`, ''];
  out.push(
    s.unitsWithGaps === 0
      ? `**${s.units} 个单位材料全部齐全。**`
      : `**${s.units} 个单位中 ${s.unitsWithGaps} 个缺材料，共缺 ${s.gaps} 项${s.overdue > 0 ? `，${s.overdue} 项二级指标已逾期` : ''}${s.scoreAtRisk > 0 ? `，${s.scoreAtRisk} 分有失分风险` : ''}。**`,
    '',
  );
  out.push('| 状态 | 单位 | 文件夹 | 二级指标 | 未满足 | 缺项 | 逾期 | 风险分 |', '|:---:|---|---|---:|---:|---:|---:|---:|');
  units.forEach((u, i) => {
    const r = u.report.summary;
    out.push(`| ${r.gaps === 0 ? '✅' : '❌'} | ${esc(labels[i]!)} | \`${esc(u.dir)}\` | ${r.indicators} | ${r.unsatisfied} | ${r.gaps} | ${overdueCount(u.report)} | ${r.scoreAtRisk} |`);
  });
  out.push('');
  for (const u of units) out.push(renderMarkdown(u.report, by), '');
  return out.join('\n');
}
