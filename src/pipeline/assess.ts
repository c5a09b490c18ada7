// 补充完善 (the finding half): offer each kept file to its indicator's requirements and say, per
// requirement, whether enough was found. The gaps this yields are what `check` reports.
import type { ALevelStatus, Assessment, BLevelStatus, EvidenceFile, Manual, Requirement } from '../model.js';
import type { Selection } from './select.js';
import { globMatcher } from '../util/glob.js';
import { misplaced, suggestNames, unmatchedFor } from './advise.js';

function matcher(req: Requirement): (inner: string) => boolean {
  return req.match.length === 0 ? () => true : globMatcher(req.match);
}

function accepts(req: Requirement, f: EvidenceFile): boolean {
  return req.kind === 'any' || req.kind === f.kind;
}

export function assess(manual: Manual, evidenceDir: string, sel: Selection, today: string): Assessment {
  const byB = new Map<string, EvidenceFile[]>();
  // pushed, not spread into a new array per file: a B-level may hold tens of thousands of files
  for (const f of sel.kept) {
    const list = byB.get(f.bCode);
    if (list) list.push(f);
    else byB.set(f.bCode, [f]);
  }

  const indicators: ALevelStatus[] = manual.indicators.map((a) => {
    const bs: BLevelStatus[] = a.indicators.map((b) => {
      const reqs = b.requirements.map((requirement) => ({ requirement, test: matcher(requirement), files: [] as EvidenceFile[] }));
      const other: EvidenceFile[] = [];
      for (const f of byB.get(b.code) ?? []) {
        // a dynamic XFA form has no content of its own: it never counts for a requirement
        const r = f.xfa ? undefined : reqs.find((r) => accepts(r.requirement, f) && r.test(f.inner));
        if (r) r.files.push(f);
        else other.push(f);
      }
      const requirements = reqs.map((r) => {
        const satisfied = r.files.length >= r.requirement.min;
        const unmatched = satisfied ? undefined : unmatchedFor(r.requirement, other);
        return { requirement: r.requirement, files: r.files, satisfied, ...(unmatched ? { unmatched } : {}) };
      });
      const satisfied = requirements.every((r) => r.satisfied);
      return {
        indicator: b,
        aCode: a.code,
        requirements,
        other,
        satisfied,
        overdue: !satisfied && b.due !== undefined && b.due < today,
        ...(sel.reasons.has(b.code) ? { reason: sel.reasons.get(b.code)! } : {}),
      };
    });
    return { indicator: a, indicators: bs, satisfied: bs.every((b) => b.satisfied) };
  });

  const bLevels = new Map(manual.indicators.flatMap((a) => a.indicators.map((b) => [b.code, a.code] as const)));
  return {
    manual,
    evidenceDir,
    today,
    indicators,
    kept: sel.kept,
    hashes: sel.hashes,
    dropped: sel.dropped,
    unassigned: sel.unassigned,
    warnings: [...sel.warnings, ...misplaced(indicators.flatMap((a) => a.indicators))],
    suggestions: suggestNames(sel.unassigned, bLevels),
  };
}
