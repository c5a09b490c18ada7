// The report of contract §6: plain JSON data that every output format is made from.
import type { ALevelStatus, Assessment, DropDiag, Dropped, EvidenceFile, Kind, Suggestion, UnmatchedCause, Warning, WarningDiag } from '../model.js';
import { naturalCompare } from '../util/natural.js';
import { dropDetail, suggestionHint, warningDetail } from '../wording/diagnostics.js';

export interface RequirementReport {
  title: string;
  kind: Kind;
  min: number;
  found: number;
  status: 'satisfied' | 'unsatisfied';
  files: string[];
  unmatched?: { match: string[]; files: { path: string; cause: UnmatchedCause }[] };
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

// ---- The report in parts
//
// The report is put together from parts: one per A-level (its coverage, and the files, drops and
// warnings under its B-levels) and one for the evidence outside every A-level. `check` splits its
// assessment into these parts and composes them again; a sharded build writes the parts of its
// A-levels into shard.json and `merge` composes the parts of all shards. One composition for all
// three: the merged report.json is what one build writes, by construction.

/** A kept file as the report and the 台账 need it. */
export interface KeptFile {
  path: string;
  bCode: string;
  /** YYYY-MM-DD, as the 台账 shows it */
  date?: string;
  /** its content's SHA-256, where known: what `reused` (the same content under two B-levels) is found from */
  sha256?: string;
}

/** Title, unit, today and period: what the report says of the whole archive. */
export interface ReportHeader {
  title: string;
  unit: string;
  today: string;
  period?: { from: string; to: string };
}

/**
 * The evidence outside every A-level (drops and warnings without a B-level, unassigned files, rename
 * suggestions): found from names alone, never from content, so it is the same however many of the
 * files are really there (a partial `git lfs pull`).
 */
export interface GlobalPart {
  dropped: DropDiag[];
  warnings: WarningDiag[];
  unassigned: string[];
  suggestions: Suggestion[];
}

/** One A-level's share of the report. */
export interface ALevelPart {
  code: string;
  report: ALevelReport;
  kept: KeptFile[];
  dropped: DropDiag[];
  /** check's warnings on its files, but `reused` (found over all A-levels) and `possibly-misplaced` */
  warnings: WarningDiag[];
  /** `possibly-misplaced`, which follows the others in the report */
  misplaced: WarningDiag[];
}

export interface ReportParts {
  header: ReportHeader;
  global: GlobalPart;
  /** every A-level of the manual, in its order */
  aLevels: ALevelPart[];
}

function aLevelReport(al: ALevelStatus): ALevelReport {
  const bs: BLevelReport[] = al.indicators.map((bl) => {
    const b = bl.indicator;
    const requirements = bl.requirements.map((r) => ({
      title: r.requirement.title,
      kind: r.requirement.kind,
      min: r.requirement.min,
      found: r.files.length,
      status: status(r.satisfied),
      files: r.files.map((f) => f.path),
      ...(r.unmatched ? { unmatched: r.unmatched } : {}),
    }));
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
  return {
    code: al.indicator.code,
    title: al.indicator.title,
    ...(al.indicator.owner !== undefined ? { owner: al.indicator.owner } : {}),
    ...(al.indicator.score !== undefined ? { score: al.indicator.score } : {}),
    status: status(al.satisfied),
    indicators: bs,
  };
}

/**
 * The assessment in parts. `hashOf` gives the content hash of a kept file where the assessment has
 * none (a shard hashes every file of its A-levels: the files they could share content with are
 * elsewhere).
 */
export function reportParts(a: Assessment, hashOf?: (f: EvidenceFile) => string | undefined): ReportParts {
  const aOfB = new Map(a.manual.indicators.flatMap((x) => x.indicators.map((b) => [b.code, x.code] as const)));
  const parts = new Map<string, ALevelPart>(
    a.indicators.map((al) => [al.indicator.code, { code: al.indicator.code, report: aLevelReport(al), kept: [], dropped: [], warnings: [], misplaced: [] }]),
  );
  const global: GlobalPart = { dropped: [], warnings: [], unassigned: [...a.unassigned], suggestions: [...a.suggestions] };
  const partOf = (x: { indicator?: string }) => (x.indicator !== undefined ? parts.get(aOfB.get(x.indicator) ?? '') : undefined);
  for (const f of a.kept) {
    const sha = a.hashes?.get(f.path) ?? hashOf?.(f);
    parts.get(f.aCode)!.kept.push({ path: f.path, bCode: f.bCode, ...(f.meta.date !== undefined ? { date: f.meta.date } : {}), ...(sha ? { sha256: sha } : {}) });
  }
  for (const d of a.dropped) (partOf(d)?.dropped ?? global.dropped).push(d);
  for (const w of a.warnings) {
    if (w.code === 'reused') continue; // found again over all A-levels
    const part = partOf(w);
    if (!part) global.warnings.push(w);
    else if (w.code === 'possibly-misplaced') part.misplaced.push(w);
    else part.warnings.push(w);
  }
  const header: ReportHeader = { title: a.manual.title, unit: a.manual.unit, today: a.today, ...(a.manual.period ? { period: a.manual.period } : {}) };
  return { header, global, aLevels: [...parts.values()] };
}

const byPath = (x: { path: string }, y: { path: string }) => naturalCompare(x.path, y.path);

/**
 * Files of the same content kept under two B-levels or more (`reused`, on each of them), from the
 * content hashes of the kept files: the same over all shards as over one build. The first copy (in
 * path order) names every other; each other copy names the first and counts the rest (`more`): a
 * file used under 100 B-levels gives 100 warnings of linear size, not 100 lists of 99.
 */
export function reusedWarnings(kept: readonly KeptFile[]): WarningDiag[] {
  const byHash = new Map<string, KeptFile[]>();
  for (const f of kept) {
    if (!f.sha256) continue;
    const g = byHash.get(f.sha256);
    if (g) g.push(f);
    else byHash.set(f.sha256, [f]);
  }
  const out: WarningDiag[] = [];
  for (const group of byHash.values()) {
    if (new Set(group.map((f) => f.bCode)).size < 2) continue;
    const [first, ...rest] = group;
    const elsewhere = (f: KeptFile) => group.filter((o) => o.bCode !== f.bCode);
    const ref = (o: KeptFile) => ({ path: o.path, indicator: o.bCode });
    out.push({ path: first!.path, code: 'reused', params: { others: elsewhere(first!).map(ref) }, indicator: first!.bCode });
    for (const f of rest) {
      const others = elsewhere(f);
      // (the first copy, unless it lies under this same B-level: then the first copy elsewhere)
      const named = others.includes(first!) ? first! : others[0]!;
      const more = others.length - 1;
      out.push({ path: f.path, code: 'reused', params: { others: [ref(named)], ...(more > 0 ? { more } : {}) }, indicator: f.bCode });
    }
  }
  return out;
}

/** The kept files of all parts, in natural order of their paths. */
export function keptFiles(parts: ReportParts): KeptFile[] {
  return parts.aLevels.flatMap((p) => p.kept).sort(byPath);
}

/** The report of contract §6, from its parts. */
export function composeReport(parts: ReportParts): Report {
  const { header, global, aLevels } = parts;
  let bCount = 0;
  let satisfied = 0;
  let gaps = 0;
  let score = 0;
  let scoreAtRisk = 0;
  const bTitles = new Map<string, string>();
  const indicators = aLevels.map((p) => p.report);
  for (const al of indicators) {
    let bScores = 0;
    for (const b of al.indicators) {
      bTitles.set(b.code, b.title);
      bCount++;
      if (b.status === 'satisfied') satisfied++;
      else scoreAtRisk += b.score ?? 0;
      bScores += b.score ?? 0;
      gaps += b.requirements.filter((r) => r.status === 'unsatisfied').length;
    }
    score += al.score ?? bScores;
  }
  const kept = keptFiles(parts);
  const dropped = [...global.dropped, ...aLevels.flatMap((p) => p.dropped)].sort(byPath);
  // (a stable sort: the warnings of one file all come from one part, in the order it found them)
  const warnings = [...global.warnings, ...aLevels.flatMap((p) => p.warnings), ...reusedWarnings(kept)]
    .sort((x, y) => naturalCompare(x.path, y.path) || x.code.localeCompare(y.code))
    .concat(aLevels.flatMap((p) => p.misplaced));
  return {
    version: 1,
    title: header.title,
    unit: header.unit,
    today: header.today,
    ...(header.period ? { period: header.period } : {}),
    summary: {
      indicators: bCount,
      satisfied,
      unsatisfied: bCount - satisfied,
      gaps,
      files: kept.length + dropped.length + global.unassigned.length,
      kept: kept.length,
      dropped: dropped.length,
      unassigned: global.unassigned.length,
      warnings: warnings.length,
      score,
      scoreAtRisk,
    },
    indicators,
    dropped: dropped.map(withDropDetail),
    unassigned: global.unassigned,
    warnings: warnings.map(withWarningDetail),
    suggestions: global.suggestions.map((s) => ({ ...s, hint: suggestionHint(s, bTitles.get(s.indicator) ?? '') })),
  };
}

export function buildReport(a: Assessment): Report {
  return composeReport(reportParts(a));
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

