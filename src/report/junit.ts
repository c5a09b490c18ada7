// JUnit XML: one <testcase> per B-level indicator, so CI systems show gaps as failing tests.
import { lackText, unmatchedText } from '../wording/labels.js';
import { gapsOf, type ALevelReport, type Report } from './report.js';
import { unitLabels, type UnitEntry } from './units.js';
import { printableData } from '../util/printable.js';

function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** One <testcase> per B-level: passing when its material is complete, failing with what it lacks. */
function testcases(a: ALevelReport, classname: string, out: string[]): void {
  for (const b of a.indicators) {
    const name = xml(`${b.code} ${b.title}`);
    const gaps = gapsOf(b);
    if (gaps.length === 0) {
      out.push(`    <testcase classname="${xml(classname)}" name="${name}"/>`);
      continue;
    }
    const lines = gaps.flatMap((r) => [lackText(r), ...(unmatchedText(r) ? [`  ${unmatchedText(r)!}`] : [])]);
    const who = b.owner ?? a.owner;
    const extra = [who ? `负责人：${who}` : '', b.due ? `截止：${b.due}${b.overdue ? '（已逾期）' : ''}` : ''].filter(Boolean);
    out.push(`    <testcase classname="${xml(classname)}" name="${name}">`);
    out.push(`      <failure type="gap" message="${xml(`缺 ${gaps.length} 项材料：${gaps.map((r) => r.title).join('、')}`)}">${xml([...lines, ...extra].join('\n'))}</failure>`);
    out.push('    </testcase>');
  }
}

export function renderJunit(shown: Report): string {
  const report = printableData(shown);
  const s = report.summary;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="${xml(report.title)}" tests="${s.indicators}" failures="${s.unsatisfied}" errors="0">`);
  for (const a of report.indicators) {
    const failures = a.indicators.filter((b) => b.status === 'unsatisfied').length;
    out.push(`  <testsuite name="${xml(`${a.code} ${a.title}`)}" tests="${a.indicators.length}" failures="${failures}" errors="0" skipped="0">`);
    testcases(a, a.code, out);
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** Several units: one <testsuite> per unit, each B-level a test named by its unit and A-level. */
export function renderUnitsJunit(given: UnitEntry[]): string {
  const units = printableData(given);
  const labels = unitLabels(units);
  const tests = units.reduce((n, u) => n + u.report.summary.indicators, 0);
  const failures = units.reduce((n, u) => n + u.report.summary.unsatisfied, 0);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="${xml(`${units.length} 个单位的材料检查`)}" tests="${tests}" failures="${failures}" errors="0">`);
  units.forEach((u, i) => {
    const s = u.report.summary;
    out.push(`  <testsuite name="${xml(labels[i]!)}" tests="${s.indicators}" failures="${s.unsatisfied}" errors="0" skipped="0">`);
    for (const a of u.report.indicators) testcases(a, `${labels[i]} / ${a.code} ${a.title}`, out);
    out.push('  </testsuite>');
  });
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
