// Built once for the whole run: the bundled example, bound (PDF, DOCX, 目录.xlsx), and its DOCX
// volumes converted back to PDF by LibreOffice in one run. Test files read these instead of each
// building the example again.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { CLI, EXAMPLE } from './helpers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** a copy of the example project, built with --date 2024-05-20 (out/ inside) */
    exampleDir: string;
    /** its DOCX volumes as LibreOffice prints them */
    exampleDocxPdf: string;
    /** the cache folder of the whole run (see testCache) */
    cacheDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'cc-shared-'));
  const cacheDir = path.join(root, 'cache');
  const dir = path.join(root, 'school');
  cpSync(EXAMPLE, dir, { recursive: true });
  rmSync(path.join(dir, 'out'), { recursive: true, force: true });
  const b = spawnSync(process.execPath, [CLI, 'build', dir, '--date', '2024-05-20'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheDir } });
  if (b.status !== 0) throw new Error(`building the example failed (${b.status}): ${b.stderr}`);
  const conv = path.join(root, 'docx-pdf');
  const out = path.join(dir, 'out');
  const docx = readdirSync(out).filter((f) => f.endsWith('.docx')).map((f) => path.join(out, f));
  const lo = spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${root}/lo-profile`, '--convert-to', 'pdf', '--outdir', conv, ...docx], { encoding: 'utf8' });
  if (lo.status !== 0) throw new Error(`LibreOffice could not convert the DOCX volumes: ${lo.stderr}`);
  project.provide('exampleDir', dir);
  project.provide('exampleDocxPdf', conv);
  project.provide('cacheDir', cacheDir);
  return () => rmSync(root, { recursive: true, force: true });
}
