// The report of contract §6: plain JSON data that every output format is made from.
import type { Assessment, DropDiag, Dropped, Kind, Suggestion, Warning, WarningDiag } from '../model.js';
import { dropDetail, suggestionHint, warningDetail } from '../wording/diagnostics.js';

export interface RequirementReport {
  title: string;
  kind: Kind;
  min: number;
  found: number;
  status: 'satisfied' | 'unsatisfied';
  files: string[];
  unmatched?: { match: string[]; files: { path: string; cause: 'pattern' | 'kind' }[] };
}

export interface SuggestionReport extends Suggestion {
  hint: string;
}

export interface BLevelReport {
  code: string;
  title: string;
  owner?: string;
  due?: string;
  overdue: boolean;
  score?: number;
  method?: string;
  status: 'satisfied' | 'unsatisfied';
  /** why material is missing, in the unit's words (`缺项说明.txt` in the B-level folder) */
  reason?: string;
  requirements: RequirementReport[];
  other: string[];
}

export interface ALevelReport {
  code: string;
  title: string;
  owner?: string;
  score?: number;
  status: 'satisfied' | 'unsatisfied';
  indicators: BLevelReport[];
}

export interface VolumeReport {
  code: string;
  file: string;
  pages: number;
  items: number;
}

export interface Report {
  version: 1;
  title: string;
  unit: string;
  today: string;
  period?: { from: string; to: string };
  summary: {
    indicators: number;
    satisfied: number;
    unsatisfied: number;
    gaps: number;
    files: number;
    kept: number;
    dropped: number;
    unassigned: number;
    warnings: number;
    score: number;
    scoreAtRisk: number;
  };
  indicators: ALevelReport[];
  dropped: Dropped[];
  unassigned: string[];
  warnings: Warning[];
  suggestions: SuggestionReport[];
  volumes?: VolumeReport[];
}

const status = (ok: boolean): 'satisfied' | 'unsatisfied' => (ok ? 'satisfied' : 'unsatisfied');

export function buildReport(a: Assessment): Report {
  const bTitles = new Map(a.manual.indicators.flatMap((x) => x.indicators.map((b) => [b.code, b.title] as const)));
  let bCount = 0;
  let satisfied = 0;
  let gaps = 0;
  let score = 0;
  let scoreAtRisk = 0;
  const indicators: ALevelReport[] = a.indicators.map((al) => {
    let bScores = 0;
    const bs: BLevelReport[] = al.indicators.map((bl) => {
      const b = bl.indicator;
      bCount++;
      if (bl.satisfied) satisfied++;
      else scoreAtRisk += b.score ?? 0;
      bScores += b.score ?? 0;
      const requirements = bl.requirements.map((r) => {
        if (!r.satisfied) gaps++;
        return {
          title: r.requirement.title,
          kind: r.requirement.kind,
          min: r.requirement.min,
          found: r.files.length,
          status: status(r.satisfied),
          files: r.files.map((f) => f.path),
          ...(r.unmatched ? { unmatched: r.unmatched } : {}),
        };
      });
      return {
        code: b.code,
        title: b.title,
        ...(b.owner !== undefined ? { owner: b.owner } : {}),
        ...(b.due !== undefined ? { due: b.due } : {}),
        overdue: bl.overdue,
        ...(b.score !== undefined ? { score: b.score } : {}),
        ...(b.method !== undefined ? { method: b.method } : {}),
        status: status(bl.satisfied),
        ...(bl.reason !== undefined ? { reason: bl.reason } : {}),
        requirements,
        other: bl.other.map((f) => f.path),
      };
    });
    score += al.indicator.score ?? bScores;
    return {
      code: al.indicator.code,
      title: al.indicator.title,
      ...(al.indicator.owner !== undefined ? { owner: al.indicator.owner } : {}),
      ...(al.indicator.score !== undefined ? { score: al.indicator.score } : {}),
      status: status(al.satisfied),
      indicators: bs,
    };
  });
  return {
    version: 1,
    title: a.manual.title,
    unit: a.manual.unit,
    today: a.today,
    ...(a.manual.period ? { period: a.manual.period } : {}),
    summary: {
      indicators: bCount,
      satisfied,
      unsatisfied: bCount - satisfied,
      gaps,
      files: a.kept.length + a.dropped.length + a.unassigned.length,
      kept: a.kept.length,
      dropped: a.dropped.length,
      unassigned: a.unassigned.length,
      warnings: a.warnings.length,
      score,
      scoreAtRisk,
    },
    indicators,
    dropped: a.dropped.map(withDropDetail),
    unassigned: a.unassigned,
    warnings: a.warnings.map(withWarningDetail),
    suggestions: a.suggestions.map((s) => ({ ...s, hint: suggestionHint(s, bTitles.get(s.indicator) ?? '') })),
  };
}

/** The report's form of a dropped file: `detail` (the sentence) before `params` (the facts). */
export function withDropDetail(d: DropDiag): Dropped {
  const { path, reason, params, indicator } = d;
  return { path, reason, detail: dropDetail(d), params, ...(indicator !== undefined ? { indicator } : {}) } as Dropped;
}

export function withWarningDetail(w: WarningDiag): Warning {
  const { path, code, params, indicator } = w;
  return { path, code, detail: warningDetail(w), params, ...(indicator !== undefined ? { indicator } : {}) } as Warning;
}

/** Each unsatisfied requirement with what it lacks, for the reporters. */
export function gapsOf(b: BLevelReport): RequirementReport[] {
  return b.requirements.filter((r) => r.status === 'unsatisfied');
}

