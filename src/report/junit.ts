// JUnit XML: one <testcase> per B-level indicator, so CI systems show gaps as failing tests.
import { lackText, unmatchedText } from '../wording/labels.js';
import { gapsOf, type Report } from './report.js';

function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function renderJunit(report: Report): string {
  const s = report.summary;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="${xml(report.title)}" tests="${s.indicators}" failures="${s.unsatisfied}" errors="0">`);
  for (const a of report.indicators) {
    const failures = a.indicators.filter((b) => b.status === 'unsatisfied').length;
    out.push(`  <testsuite name="${xml(`${a.code} ${a.title}`)}" tests="${a.indicators.length}" failures="${failures}" errors="0" skipped="0">`);
    for (const b of a.indicators) {
      const name = xml(`${b.code} ${b.title}`);
      const gaps = gapsOf(b);
      if (gaps.length === 0) {
        out.push(`    <testcase classname="${xml(a.code)}" name="${name}"/>`);
        continue;
      }
      const lines = gaps.flatMap((r) => [lackText(r), ...(unmatchedText(r) ? [`  ${unmatchedText(r)!}`] : [])]);
      const who = b.owner ?? a.owner;
      const extra = [who ? `负责人：${who}` : '', b.due ? `截止：${b.due}${b.overdue ? '（已逾期）' : ''}` : ''].filter(Boolean);
      out.push(`    <testcase classname="${xml(a.code)}" name="${name}">`);
      out.push(`      <failure type="gap" message="${xml(`缺 ${gaps.length} 项材料：${gaps.map((r) => r.title).join('、')}`)}">${xml([...lines, ...extra].join('\n'))}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
