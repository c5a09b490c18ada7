// Office files (doc, docx, xls, wps …) become PDF pages through LibreOffice, when it is installed.
// One call converts a batch (start-up is the slow part), with a private profile so parallel runs and
// a user's open LibreOffice do not collide. Inputs are copied under neutral names first: two files
// called 通知.docx in different folders must not overwrite each other's output.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WarningParams } from '../model.js';
import type { Workspace } from '../util/workspace.js';

const CANDIDATES = [
  process.env.CHUANGCHENG_SOFFICE,
  'soffice',
  'libreoffice',
  '/usr/bin/soffice',
  '/usr/lib/libreoffice/program/soffice',
  '/opt/libreoffice/program/soffice',
  '/Applications/LibreOffice.app/Contents/MacOS/soffice',
  'C:\\Program Files\\LibreOffice\\program\\soffice.exe',
];

let found: string | null | undefined;

/** The soffice executable, or null when LibreOffice is not installed. */
export function findSoffice(): string | null {
  if (found !== undefined) return found;
  found = null;
  // CHUANGCHENG_SOFFICE=none: bind as if LibreOffice were not installed (tests, or to skip it)
  if (process.env.CHUANGCHENG_SOFFICE === 'none') return found;
  for (const c of CANDIDATES) {
    if (!c) continue;
    if (path.isAbsolute(c) && !existsSync(c)) continue;
    const r = spawnSync(c, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0 && /LibreOffice/i.test(r.stdout)) {
      found = c;
      break;
    }
  }
  return found;
}

export type Conversion = { ok: true; pdf: Uint8Array } | { ok: false; params: WarningParams['not-converted'] };

export async function convertOffice(files: { abs: string | Buffer; ext: string }[], ws: Workspace): Promise<Conversion[]> {
  if (files.length === 0) return [];
  const soffice = findSoffice();
  if (!soffice) return files.map(() => ({ ok: false, params: { cause: 'no-libreoffice' } }));
  const work = await mkdtemp(path.join(ws.sub('soffice'), 'batch-'));
  try {
    const inDir = path.join(work, 'in');
    const outDir = path.join(work, 'out');
    await mkdir(inDir);
    await mkdir(outDir);
    const names = files.map((f, i) => `f${String(i).padStart(5, '0')}.${f.ext}`);
    await Promise.all(files.map((f, i) => copyFile(f.abs, path.join(inDir, names[i]!))));
    const args = [
      '--headless', '--norestore', '--nolockcheck', '--nodefault',
      `-env:UserInstallation=${pathToFileURL(path.join(work, 'profile')).href}`,
      '--convert-to', 'pdf', '--outdir', outDir,
      ...names.map((n) => path.join(inDir, n)),
    ];
    const timeoutMs = 120_000 + 30_000 * files.length;
    const stderr = await new Promise<string>((resolve) => {
      const child = ws.spawn(soffice, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, timeoutMs);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(err);
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve(String(e));
      });
    });
    return Promise.all(
      names.map(async (n): Promise<Conversion> => {
        try {
          return { ok: true, pdf: new Uint8Array(await readFile(path.join(outDir, n.replace(/\.[^.]+$/, '.pdf')))) };
        } catch {
          const message = stderr.trim().split('\n')[0];
          return { ok: false, params: { cause: 'conversion-failed', ...(message ? { message } : {}) } };
        }
      }),
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
