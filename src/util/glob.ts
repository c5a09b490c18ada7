import picomatch from 'picomatch';

/**
 * A pattern with a slash is tested against the whole relative path; a bare one (`*领导小组*`) against
 * the file name, wherever it sits — what people mean when they write one. picomatch's own `basename`
 * option mishandles patterns that contain a slash, hence the split.
 */
export function globMatcher(patterns: readonly string[]): (relPath: string) => boolean {
  if (patterns.length === 0) return () => false;
  const opts = { nocase: true, dot: true };
  const globs = patterns.map((g) => g.normalize('NFC'));
  const pathGlobs = globs.filter((g) => g.includes('/'));
  const nameGlobs = globs.filter((g) => !g.includes('/'));
  const byPath = pathGlobs.length > 0 ? picomatch(pathGlobs, opts) : () => false;
  const byName = nameGlobs.length > 0 ? picomatch(nameGlobs, opts) : () => false;
  return (relPath) => {
    const p = relPath.normalize('NFC');
    return byPath(p) || byName(p.slice(p.lastIndexOf('/') + 1));
  };
}
