// Several units in one check (a city office's view): each unit's full report, and a summary over
// all of them — which unit lacks what, and how much.
import type { Report } from './report.js';

export interface UnitEntry {
  /** the unit's project folder, as given on the command line */
  dir: string;
  report: Report;
}

/** Every unit's summary added up, and how many units, how many lack material, how many B-levels are overdue. */
export type UnitsSummary = Report['summary'] & {
  units: number;
  /** units with at least one gap */
  unitsWithGaps: number;
  /** unsatisfied B-levels whose due date has passed */
  overdue: number;
};

/** `check DIR1 DIR2 … --format json`: one report per unit, with its folder, and the sum. */
export interface UnitsReport {
  version: 1;
  today: string;
  summary: UnitsSummary;
  units: (Report & { dir: string })[];
}

/** Unsatisfied B-levels past their due date. */
export function overdueCount(report: Report): number {
  return report.indicators.reduce((n, a) => n + a.indicators.filter((b) => b.status === 'unsatisfied' && b.overdue).length, 0);
}

export function combineUnits(units: UnitEntry[]): UnitsReport {
  const summary: UnitsSummary = {
    units: units.length, unitsWithGaps: 0, indicators: 0, satisfied: 0, unsatisfied: 0, gaps: 0, overdue: 0,
    files: 0, kept: 0, dropped: 0, unassigned: 0, warnings: 0, score: 0, scoreAtRisk: 0,
  };
  for (const { report } of units) {
    const s = report.summary;
    if (s.gaps > 0) summary.unitsWithGaps++;
    summary.overdue += overdueCount(report);
    for (const k of ['indicators', 'satisfied', 'unsatisfied', 'gaps', 'files', 'kept', 'dropped', 'unassigned', 'warnings', 'score', 'scoreAtRisk'] as const) summary[k] += s[k];
  }
  return { version: 1, today: units[0]?.report.today ?? '', summary, units: units.map((u) => ({ dir: u.dir, ...u.report })) };
}

/** How a unit is named in combined reports: its name, and its folder when two units share a name. */
export function unitLabels(units: UnitEntry[]): string[] {
  const count = new Map<string, number>();
  for (const u of units) count.set(u.report.unit, (count.get(u.report.unit) ?? 0) + 1);
  return units.map((u) => (count.get(u.report.unit)! > 1 ? `${u.report.unit}（${u.dir}）` : u.report.unit));
}

export type FailOn = 'gaps' | 'overdue' | 'none';

/**
 * Whether check fails (exit 1): on any gap (the default); only on gaps past their due date, so a
 * repository can warn early and fail once a deadline has passed; or never.
 */
export function fails(reports: Report[], on: FailOn): boolean {
  if (on === 'none') return false;
  if (on === 'overdue') return reports.some((r) => overdueCount(r) > 0);
  return reports.some((r) => r.summary.gaps > 0);
}
