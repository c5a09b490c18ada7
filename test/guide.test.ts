// The user guide (docs/使用手册.md) stays true to the code: it names every drop reason, warning code,
// command, option and manual key the code defines (the lists are read from the code, so a new one
// fails here until the guide explains it), every image it shows exists, and it links nowhere
// outside the repository. Reads files only: no build, no CLI run.
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../src/cli/env.js';
import { program } from '../src/cli/program.js';
import { SIDECAR_KEYS } from '../src/evidence/sidecar.js';
import { MANUAL_KEYS } from '../src/manual/schema.js';
import { droppedSchema, warningSchema } from '../src/report/schema.js';
import { DROP_LABEL, WARNING_LABEL } from '../src/wording/labels.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = path.join(ROOT, 'docs');
const GUIDE_FILE = path.join(DOCS, '使用手册.md');
const guide = readFileSync(GUIDE_FILE, 'utf8');
/** The commands as the command line parses them (cli/program.ts builds them without running anything). */
const commands = program().commands;

/** The guide without fenced code blocks and inline code: what a Markdown viewer renders as links. */
const prose = guide.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
const inBackticks = (word: string) => guide.includes(`\`${word}\``);

const dropReasons = droppedSchema.options.map((o) => o.shape.reason.value);
const warningCodes = warningSchema.options.map((o) => o.shape.code.value);

/** Every Markdown link and image target, reference definition, autolink and HTML href/src. */
function linkTargets(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]!);
  for (const m of md.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) out.push(m[1]!);
  for (const m of md.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]*)>/gi)) out.push(m[1]!);
  for (const m of md.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/gi)) out.push(m[1]!);
  return out;
}

function imageTargets(md: string): string[] {
  return [
    ...[...md.matchAll(/!\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?/g)].map((m) => m[1]!),
    ...[...md.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!),
  ];
}

/** Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of md.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = m[1]!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*_]/g, '');
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

const isInside = (dir: string, p: string) => {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

describe('docs/使用手册.md', () => {
  it('explains every drop reason and warning code, verbatim in backticks, with the label reports show', () => {
    // the report schema and the wording catalogue hold the same lists; the guide follows both
    expect([...dropReasons].sort()).toEqual(Object.keys(DROP_LABEL).sort());
    expect([...warningCodes].sort()).toEqual(Object.keys(WARNING_LABEL).sort());
    expect(dropReasons.length).toBeGreaterThan(0);
    expect(warningCodes.length).toBeGreaterThan(0);
    expect(dropReasons.filter((r) => !inBackticks(r))).toEqual([]);
    expect(warningCodes.filter((c) => !inBackticks(c))).toEqual([]);
    const labels = [...Object.values(DROP_LABEL), ...Object.values(WARNING_LABEL)];
    expect(labels.filter((l) => !guide.includes(l))).toEqual([]);
  });

  it('names every command and every option of the command line', () => {
    const names = commands.map((c) => c.name());
    expect(names.length).toBeGreaterThanOrEqual(5);
    expect(names.filter((c) => !guide.includes(`chuangcheng ${c}`))).toEqual([]);
    const options = commands.flatMap((c) => c.options.map((o) => o.long!));
    expect(options.length).toBeGreaterThan(10);
    const named = (opt: string) => new RegExp(`${opt}(?![\\w-])`).test(guide);
    expect([...new Set(options)].filter((o) => !named(o))).toEqual([]);
  });

  it('names every environment variable the command line reads', () => {
    // HOME and USERPROFILE only locate the default cache folder, which the guide gives as ~/.cache
    const vars = ENVIRONMENT.filter((v) => v !== 'HOME' && v !== 'USERPROFILE');
    expect(vars.length).toBeGreaterThan(0);
    expect(vars.filter((v) => !guide.includes(v))).toEqual([]);
  });

  it('explains every key of the manual at every level, and every key of a sidecar', () => {
    const levels = Object.entries(MANUAL_KEYS);
    expect(levels.map(([level]) => level)).toEqual(expect.arrayContaining(['root', 'a', 'b', 'req']));
    const missing = levels.flatMap(([level, keys]) => keys.filter((k) => !inBackticks(k)).map((k) => `${level}.${k}`));
    expect(missing).toEqual([]);
    expect(SIDECAR_KEYS.filter((k) => !inBackticks(k))).toEqual([]);
  });

  it('shows only images that exist, and every image made for it', () => {
    const images = imageTargets(prose);
    expect(images.length).toBeGreaterThan(0);
    for (const src of images) {
      const file = path.resolve(DOCS, decodeURI(src.split('#')[0]!));
      expect(isInside(ROOT, file), src).toBe(true);
      expect(existsSync(file) && statSync(file).isFile(), `${src} exists`).toBe(true);
    }
    const shown = new Set(images.map((src) => path.resolve(DOCS, decodeURI(src))));
    const made = readdirSync(path.join(DOCS, 'images')).filter((f) => f.endsWith('.png'));
    expect(made.filter((f) => !shown.has(path.join(DOCS, 'images', f)))).toEqual([]);
  });

  it('links nowhere outside the repository, and every link and anchor resolves', () => {
    // no address on the web at all, not even in a code block: GitHub turns bare URLs into links
    expect(guide.match(/\b(?:https?|ftp):\/\/\S*/gi) ?? []).toEqual([]);
    expect(guide).not.toContain('../shared');
    const anchors = headingAnchors(guide);
    const targets = linkTargets(prose);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      if (target.startsWith('#')) {
        expect(anchors.has(decodeURIComponent(target.slice(1))), `anchor ${target}`).toBe(true);
        continue;
      }
      expect(/^[a-z][a-z0-9+.-]*:/i.test(target), `${target} must not be a URL`).toBe(false);
      expect(target.startsWith('/'), `${target} must be relative`).toBe(false);
      const file = path.resolve(DOCS, decodeURI(target.split('#')[0]!));
      expect(isInside(ROOT, file), `${target} stays in the repository`).toBe(true);
      expect(existsSync(file), `${target} exists`).toBe(true);
    }
  });

  it('has its image script, executable', () => {
    const script = path.join(DOCS, 'make-images.sh');
    expect(statSync(script).isFile()).toBe(true);
    expect(statSync(script).mode & 0o111).not.toBe(0);
    expect(() => accessSync(script, constants.X_OK)).not.toThrow();
  });
});
