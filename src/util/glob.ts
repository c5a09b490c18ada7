/**
 * Glob matching for the manual's `exclude` and `match` lists, in time linear in the path for a given
 * pattern. Patterns come from users; a regex compiled from `*a*a*a*a*a*b` backtracks exponentially
 * on a long file name, so this matcher never builds a regex. Each segment is matched with the
 * greedy-star algorithm that keeps a single backtrack point (O(pattern × name)), and `**` runs the
 * same algorithm one level up, over path segments.
 *
 * A pattern with a slash is tested against the whole relative path; a bare one (`*领导小组*`) against
 * the file name, wherever it sits — what people mean when they write one.
 */

/** Brace expansion stops here: `{a,b}{a,b}…` twenty times would otherwise be a million patterns. */
const MAX_ALTERNATIVES = 256;

type Token =
  | { kind: 'char'; cp: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negated: boolean; ranges: ReadonlyArray<readonly [number, number]> };

/** `null` stands for a `**` segment: zero or more whole path segments. */
type Segment = readonly Token[] | null;

interface CompiledGlob {
  wholePath: boolean;
  segments: readonly Segment[];
}

export function globMatcher(patterns: readonly string[]): (relPath: string) => boolean {
  if (patterns.length === 0) return () => false;
  const globs = patterns.flatMap(compileGlob);
  return (relPath) => {
    const segments = fold(relPath).split('/').map((s) => Array.from(s));
    const name = segments.slice(-1);
    return globs.some((g) => matchSegments(g.segments, g.wholePath ? segments : name));
  };
}

/** Case-insensitive and indifferent to how the OS composed the characters (macOS hands out NFD). */
function fold(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

function compileGlob(pattern: string): CompiledGlob[] {
  const folded = fold(pattern);
  // Decided before brace expansion, as before: `{a/b,c}` is a path pattern in every alternative.
  const wholePath = folded.includes('/');
  return expandBraces(folded).map((alt) => ({ wholePath, segments: parseSegments(stripDotSlash(alt)) }));
}

/** `./a.pdf` means `a.pdf` at the top of the evidence folder. */
function stripDotSlash(pattern: string): string {
  let p = pattern;
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Brace expansion

/**
 * Expands `{a,b}` groups (nested allowed) breadth-first. Once one more expansion would pass
 * MAX_ALTERNATIVES the pattern is kept as it stands, its remaining braces then matching literally.
 */
function expandBraces(pattern: string): string[] {
  const done: string[] = [];
  const queue: string[] = [pattern];
  for (let head = 0; head < queue.length; head++) {
    const p = queue[head]!;
    const group = findBraceGroup(p);
    const pending = queue.length - head - 1;
    if (group === null || done.length + pending + group.alternatives.length > MAX_ALTERNATIVES) {
      done.push(p);
      continue;
    }
    const before = p.slice(0, group.start);
    const after = p.slice(group.end + 1);
    for (const alt of group.alternatives) queue.push(before + alt + after);
  }
  return done;
}

interface BraceGroup {
  start: number;
  end: number;
  alternatives: string[];
}

/** The first `{…}` holding a top-level comma; a comma-less `{x}` stays literal, as in a shell. */
function findBraceGroup(p: string): BraceGroup | null {
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(p, i) ?? i;
    else if (c === '{') {
      const group = braceGroupAt(p, i);
      if (group !== null) return group;
    }
  }
  return null;
}

function braceGroupAt(p: string, start: number): BraceGroup | null {
  let depth = 0;
  let from = start + 1;
  const alternatives: string[] = [];
  for (let i = start; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(p, i) ?? i;
    else if (c === '{') depth++;
    else if (c === ',' && depth === 1) {
      alternatives.push(p.slice(from, i));
      from = i + 1;
    } else if (c === '}' && --depth === 0) {
      if (alternatives.length === 0) return null;
      alternatives.push(p.slice(from, i));
      return { start, end: i, alternatives };
    }
  }
  return null;
}

/**
 * Index of the `]` closing the class opened at `open`, or null when there is none (the `[` is then
 * literal). A `]` first in the class is a member, as in POSIX.
 */
function classEnd(p: string, open: number): number | null {
  let i = open + 1;
  if (p[i] === '!' || p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === ']') return i;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Parsing

function parseSegments(pattern: string): Segment[] {
  return splitUnescaped(pattern).map((seg) => (seg === '**' ? null : parseTokens(seg)));
}

/** Splits on `/` that is neither escaped nor inside a class. */
function splitUnescaped(p: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(p, i) ?? i;
    else if (c === '/') {
      out.push(p.slice(from, i));
      from = i + 1;
    }
  }
  out.push(p.slice(from));
  return out;
}

function parseTokens(seg: string): Token[] {
  const tokens: Token[] = [];
  const cps = Array.from(seg);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (c === '\\' && i + 1 < cps.length) {
      tokens.push({ kind: 'char', cp: cps[++i]! });
    } else if (c === '*') {
      // `a**b` inside a segment is a plain star; runs collapse so the matcher sees one.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
    } else if (c === '[') {
      const parsed = parseClass(cps, i);
      if (parsed === null) tokens.push({ kind: 'char', cp: c });
      else {
        tokens.push(parsed.token);
        i = parsed.end;
      }
    } else {
      tokens.push({ kind: 'char', cp: c });
    }
  }
  return tokens;
}

/** Parses the class opened at code-point index `open`; null when it is never closed. */
function parseClass(cps: readonly string[], open: number): { token: Token; end: number } | null {
  let i = open + 1;
  const negated = cps[i] === '!' || cps[i] === '^';
  if (negated) i++;
  const ranges: Array<readonly [number, number]> = [];
  for (let first = true; i < cps.length; first = false) {
    let c = cps[i]!;
    if (c === ']' && !first) return { token: { kind: 'class', negated, ranges }, end: i };
    if (c === '\\' && i + 1 < cps.length) c = cps[++i]!;
    const lo = c.codePointAt(0)!;
    // `a-z` is a range; a `-` before the closing `]` is a member.
    if (cps[i + 1] === '-' && i + 2 < cps.length && cps[i + 2] !== ']') {
      let hiChar = cps[i + 2]!;
      i += 2;
      if (hiChar === '\\' && i + 1 < cps.length) hiChar = cps[++i]!;
      ranges.push([lo, hiChar.codePointAt(0)!]);
    } else {
      ranges.push([lo, lo]);
    }
    i++;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Matching

/**
 * Wildcard matching where every non-star item consumes exactly one element: on a mismatch only the
 * most recent star is retried one element further. Earlier stars never need revisiting, because
 * the latest star can absorb anything they could, which bounds the work to O(pattern × text).
 */
function wildcardMatch<P, T>(
  pattern: readonly P[],
  text: readonly T[],
  isStar: (p: P) => boolean,
  matchOne: (p: P, t: T) => boolean,
): boolean {
  let pi = 0;
  let ti = 0;
  let starPi = -1;
  let starTi = 0;
  while (ti < text.length) {
    const p = pattern[pi];
    if (p !== undefined && isStar(p)) {
      starPi = pi++;
      starTi = ti;
    } else if (p !== undefined && matchOne(p, text[ti]!)) {
      pi++;
      ti++;
    } else if (starPi >= 0) {
      pi = starPi + 1;
      ti = ++starTi;
    } else {
      return false;
    }
  }
  while (pi < pattern.length && isStar(pattern[pi]!)) pi++;
  return pi === pattern.length;
}

function matchSegments(segments: readonly Segment[], path: readonly (readonly string[])[]): boolean {
  return wildcardMatch(segments, path, (s) => s === null, (s, name) => s !== null && matchTokens(s, name));
}

function matchTokens(tokens: readonly Token[], name: readonly string[]): boolean {
  return wildcardMatch(tokens, name, (t) => t.kind === 'star', matchChar);
}

function matchChar(t: Token, cp: string): boolean {
  switch (t.kind) {
    case 'char':
      return t.cp === cp;
    case 'any':
      return true;
    case 'class': {
      const n = cp.codePointAt(0)!;
      return t.ranges.some(([lo, hi]) => n >= lo && n <= hi) !== t.negated;
    }
    case 'star':
      return false;
  }
}
