// What a colleague would point out: a folder named almost like an indicator ("A2-1", "a2.2",
// "A4．2", "A2.1社会…"), a file that landed in the wrong B-level, a requirement that found nothing
// because its `match` pattern missed the file that was meant for it. Advice only: nothing is
// renamed or moved; the user does that.
import type { BLevelStatus, EvidenceFile, Kind, Requirement, Suggestion, UnmatchedCause, WarningDiag } from '../model.js';
import { beginsWithCode } from '../evidence/names.js';
import { globMatcher } from '../util/glob.js';

/** Separators people type inside a code, after NFKC (full-width ．－＿ become . - _). */
const INNER_SEP = '[.\\-_·、。]?';
/** What may stand between a code and the title. */
const LEAD = /^[\s.\-_·、。:：]+/u;

interface LooseCode {
  code: string;
  re: RegExp;
}

function looseCodes(codes: Iterable<string>): LooseCode[] {
  const out: LooseCode[] = [];
  for (const code of codes) {
    const runs = code.normalize('NFKC').match(/[\p{L}\p{N}]+/gu);
    if (!runs) continue;
    const body = runs.map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(INNER_SEP);
    // the code must end there: "A2.10" is not A2.1, but "A2.1社会" is
    out.push({ code, re: new RegExp(`^${body}(?![A-Za-z0-9])`, 'iu') });
  }
  // the longest code first: A2.11 before A2.1
  return out.sort((a, b) => b.code.length - a.code.length);
}

/** Spaces a name may begin or end with unseen: a copied title, a zip made on another system. */
const EDGE_SPACE = /^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$/gu;

/**
 * The corrected name of a folder or file that nearly begins with a B-level code, if it does. Spaces
 * before the code (" A1.1 领导机构") or at the end are left out of the corrected name.
 */
export function nearCode(name: string, codes: LooseCode[], exact: Iterable<string>): { code: string; name: string } | undefined {
  for (const code of exact) if (beginsWithCode(name.normalize('NFC'), code)) return undefined;
  const plain = name.normalize('NFKC').replace(EDGE_SPACE, '');
  for (const c of codes) {
    const m = c.re.exec(plain);
    if (!m) continue;
    const rest = plain.slice(m[0].length).replace(LEAD, '');
    return { code: c.code, name: rest ? `${c.code} ${rest}` : c.code };
  }
  return undefined;
}

/**
 * One suggestion per folder (or file) among the unassigned paths whose name nearly begins with a
 * B-level code: the outermost such component of each path.
 */
export function suggestNames(unassigned: readonly string[], bLevels: ReadonlyMap<string, string>): Suggestion[] {
  const codes = looseCodes(bLevels.keys());
  const seen = new Map<string, Suggestion>();
  for (const p of unassigned) {
    const parts = p.split('/');
    for (let i = 0; i < parts.length; i++) {
      const near = nearCode(parts[i]!, codes, bLevels.keys());
      if (!near) continue;
      const at = parts.slice(0, i + 1).join('/');
      const folder = i < parts.length - 1;
      const s = seen.get(at);
      if (s) s.files++;
      else seen.set(at, { path: at, indicator: near.code, name: near.name, kind: folder ? 'folder' : 'file', files: 1 });
      break;
    }
  }
  return [...seen.values()];
}

/** Character pairs of the Chinese (and words of the Latin) in a title: what "the same words" means here. */
function grams(s: string): Set<string> {
  const out = new Set<string>();
  for (const run of s.normalize('NFKC').toLowerCase().match(/[\p{Script=Han}]+|[a-z0-9]+/gu) ?? []) {
    if (/^[a-z0-9]+$/.test(run)) {
      if (run.length > 1 && !/^\d+$/.test(run)) out.add(run);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  }
  return out;
}

/** How much of a requirement's title the file's title holds (0–1), and how many pairs. */
function overlap(req: Set<string>, file: Set<string>): { share: number; shared: number } {
  if (req.size === 0) return { share: 0, shared: 0 };
  let shared = 0;
  for (const g of req) if (file.has(g)) shared++;
  return { share: shared / req.size, shared };
}

const accepts = (kind: Kind, f: EvidenceFile) => kind === 'any' || kind === f.kind;
const fileName = (f: EvidenceFile) => f.inner.slice(f.inner.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');

interface Candidate {
  bCode: string;
  bTitle: string;
  requirement: Requirement;
  test?: (inner: string) => boolean;
  grams: Set<string>;
}

/** A title-word match worth a word: most of the requirement's title, at least two character pairs. */
const STRONG = (o: { share: number; shared: number }) => o.share >= 0.6 && o.shared >= 2;

/**
 * Files in 其他材料 (they met none of their B-level's requirements) that another B-level's
 * requirement would take — by its `match`, or by most of the words of its title — better than any
 * requirement of their own: `possibly-misplaced`.
 */
export function misplaced(statuses: readonly BLevelStatus[]): WarningDiag[] {
  const all: Candidate[] = statuses.flatMap((b) =>
    b.requirements.map((r) => ({
      bCode: b.indicator.code,
      bTitle: b.indicator.title,
      requirement: r.requirement,
      ...(r.requirement.match.length > 0 ? { test: globMatcher(r.requirement.match) } : {}),
      grams: grams(r.requirement.title),
    })),
  );
  const out: WarningDiag[] = [];
  for (const b of statuses) {
    const own = all.filter((c) => c.bCode === b.indicator.code);
    for (const f of b.other) {
      if (f.xfa) continue; // in 其他材料 for having no content, not for its place
      const name = fileName(f);
      const words = grams(`${f.meta.title} ${name}`);
      const ownBest = Math.max(0, ...own.map((c) => overlap(c.grams, words).share));
      let best: { c: Candidate; by: 'match' | 'title'; share: number } | undefined;
      for (const c of all) {
        if (c.bCode === b.indicator.code || !accepts(c.requirement.kind, f)) continue;
        const o = overlap(c.grams, words);
        if (c.test && c.test(f.inner.slice(f.inner.lastIndexOf('/') + 1))) {
          if (!best || best.by !== 'match' || o.share > best.share) best = { c, by: 'match', share: o.share };
        } else if (STRONG(o) && o.share > ownBest && (!best || (best.by === 'title' && o.share > best.share))) {
          best = { c, by: 'title', share: o.share };
        }
      }
      if (best) {
        out.push({
          path: f.path,
          code: 'possibly-misplaced',
          params: { indicator: best.c.bCode, title: best.c.bTitle, requirement: best.c.requirement.title, by: best.by },
          indicator: b.indicator.code,
        });
      }
    }
  }
  return out;
}

/**
 * For a requirement that found too little while its B-level holds 其他材料: those files, and why
 * the requirement did not take each (its `match` patterns, or the kind).
 */
export function unmatchedFor(req: Requirement, other: readonly EvidenceFile[]): { match: string[]; files: { path: string; cause: UnmatchedCause }[] } | undefined {
  if (other.length === 0) return undefined;
  return {
    match: req.match,
    // (a dynamic XFA form is never taken: it has no content to count)
    files: other.map((f) => ({ path: f.path, cause: f.xfa ? ('xfa-form' as const) : accepts(req.kind, f) ? ('pattern' as const) : ('kind' as const) })),
  };
}
