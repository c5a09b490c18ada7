// `chuangcheng init`: a starter manual, and one evidence folder per B-level indicator.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { globby } from 'globby';
import { ChuangchengError } from '../errors.js';
import { readManual, resolvePaths, validateProjectOptions, type ProjectOptions } from './index.js';
import { guardOutput } from '../output/guard.js';
import { manualJsonSchema } from '../manual/schema.js';
import type { Manual } from '../model.js';
import { placeFile } from '../evidence/placement.js';
import { beginsWithCode, NOT_IN_FOLDER_NAMES } from '../evidence/names.js';
import { writeFileAtomic } from '../util/atomic.js';
import { withConsole } from '../util/quiet.js';

import { TEMPLATES_DIR } from '../paths.js';

export { TEMPLATES_DIR };

export interface InitResult {
  manual: string;
  manualCreated: boolean;
  schemaCreated: boolean;
  /** folders created, relative to the evidence folder */
  created: string[];
  /** B-levels that already had a folder */
  existing: number;
}

/** A folder name that is valid on Windows, macOS and Linux alike. */
export function folderName(code: string, title: string): string {
  const name = `${code} ${title}`.replace(NOT_IN_FOLDER_NAMES, '_').replace(/[. ]+$/u, '');
  return name.length > 80 ? name.slice(0, 80).trimEnd() : name;
}

const exists = async (p: string) => !!(await stat(p).catch(() => undefined));

export async function init(opts: ProjectOptions = {}): Promise<InitResult> {
  validateProjectOptions(opts);
  return withConsole(opts?.console, () => initNow(opts));
}

async function initNow(opts: ProjectOptions): Promise<InitResult> {
  const paths = resolvePaths(opts);
  // the manual (and its schema beside it) is ours to write: never inside the evidence folder (output/guard.ts)
  guardOutput(paths.manual, { option: '--manual', kind: 'file', evidence: [paths.evidence] });
  let manualCreated = false;
  if (!(await exists(paths.manual))) {
    const starter = await readFile(path.join(TEMPLATES_DIR, 'starter-manual.yaml'), 'utf8');
    await writeFileAtomic(paths.manual, starter);
    manualCreated = true;
  }
  const manual = await readManual(paths.manual);
  let schemaCreated = false;
  const schemaFile = path.join(path.dirname(paths.manual), 'manual.schema.json');
  if (!(await exists(schemaFile))) {
    await writeFileAtomic(schemaFile, JSON.stringify(manualJsonSchema(), null, 2) + '\n');
    schemaCreated = true;
  }
  const st = await stat(paths.evidence).catch(() => undefined);
  if (st && !st.isDirectory()) throw new ChuangchengError('init-evidence-not-folder', { dir: paths.evidence });
  await mkdir(paths.evidence, { recursive: true });
  const { created, existing } = await createFolders(manual, paths.evidence);
  return { manual: paths.manual, manualCreated, schemaCreated, created, existing };
}

async function createFolders(manual: Manual, evidence: string): Promise<{ created: string[]; existing: number }> {
  const dirs = (await globby(['**/*'], { cwd: evidence, onlyDirectories: true, dot: false, ignore: ['**/.git/**'] })).map((d) =>
    d.normalize('NFC'),
  );
  const codes = new Map<string, string>();
  for (const a of manual.indicators) for (const b of a.indicators) codes.set(b.code, a.code);
  const present = new Set<string>();
  for (const d of dirs) {
    // A folder stands for the B-level its own name begins with.
    const last = d.slice(d.lastIndexOf('/') + 1);
    const placed = placeFile(last, codes);
    if (placed && placed.inner === last) present.add(placed.bCode);
  }
  const created: string[] = [];
  let existing = 0;
  for (const a of manual.indicators) {
    const aDir = dirs.find((d) => !d.includes('/') && beginsWithCode(d, a.code)) ?? folderName(a.code, a.title);
    for (const b of a.indicators) {
      if (present.has(b.code)) {
        existing++;
        continue;
      }
      const rel = `${aDir}/${folderName(b.code, b.title)}`;
      await mkdir(path.join(evidence, rel), { recursive: true });
      const keep = path.join(evidence, rel, '.gitkeep');
      if (!(await exists(keep))) await writeFile(keep, '');
      created.push(rel);
    }
  }
  return { created, existing };
}
