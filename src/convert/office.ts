// Office files (doc, docx, xls, wps …) become PDF pages through LibreOffice, when it is installed:
// one run for the whole build (start-up is the slow part), with a private zh-CN profile so parallel
// runs and a user's open LibreOffice do not collide.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WarningParams } from '../model.js';
import type { Workspace } from '../util/workspace.js';
import { printableXlsx } from './sheet.js';

const CANDIDATES = [
  'soffice',
  'libreoffice',
  '/usr/bin/soffice',
  '/usr/lib/libreoffice/program/soffice',
  '/opt/libreoffice/program/soffice',
  '/Applications/LibreOffice.app/Contents/MacOS/soffice',
  'C:\\Program Files\\LibreOffice\\program\\soffice.exe',
];

const found = new Map<string, string | null>();

/**
 * The soffice executable: `wanted` if it answers as LibreOffice, else the first of the usual places
 * that does; null when there is none (or `wanted` is null: convert nothing).
 */
export function findSoffice(wanted?: string | null): string | null {
  if (wanted === null) return null;
  const key = wanted ?? '';
  const hit = found.get(key);
  if (hit !== undefined) return hit;
  let result: string | null = null;
  for (const c of wanted ? [wanted] : CANDIDATES) {
    if (!c) continue;
    if (path.isAbsolute(c) && !existsSync(c)) continue;
    const r = spawnSync(c, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0 && /LibreOffice/i.test(r.stdout)) {
      result = c;
      break;
    }
  }
  found.set(key, result);
  return result;
}

export type Conversion = { ok: true; pdf: Uint8Array } | { ok: false; params: WarningParams['not-converted'] };

/** Spreadsheets in formats we cannot set print options in: made .xlsx first, then set up. */
const BINARY_SHEETS = new Set(['xls', 'et', 'ods']);

/**
 * A LibreOffice profile whose locale is zh-CN: dates and times in the formats' Chinese forms
 * (24-hour clock), not an English machine's "02:30:00 PM".
 */
export async function profileDir(dir: string): Promise<string> {
  const user = path.join(dir, 'user');
  await mkdir(user, { recursive: true });
  await writeFile(
    path.join(user, 'registrymodifications.xcu'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
      '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>zh-CN</value></prop></item>\n' +
      '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>zh-CN</value></prop></item>\n' +
      '<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse"><value>zh-CN</value></prop></item>\n' +
      '</oor:items>\n',
  );
  return dir;
}

/** One soffice run converting `inputs` (full paths) to `format` in `outDir`; returns stderr. */
export function runSoffice(soffice: string, ws: Workspace, profile: string, format: string, outDir: string, inputs: string[]): Promise<string> {
  const args = [
    '--headless', '--norestore', '--nolockcheck', '--nodefault',
    `-env:UserInstallation=${pathToFileURL(profile).href}`,
    '--convert-to', format, '--outdir', outDir,
    ...inputs,
  ];
  const timeoutMs = 120_000 + 30_000 * inputs.length;
  return new Promise<string>((resolve) => {
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
}

/**
 * Every office file of a build through one LibreOffice run (two when .xls/.et/.ods spreadsheets need
 * making into .xlsx first, to set how they print). Inputs are copied under neutral names: two files
 * called 通知.docx in different folders must not overwrite each other's output.
 */
export async function convertOffice(files: { abs: string | Buffer; ext: string }[], ws: Workspace, wanted?: string | null): Promise<Conversion[]> {
  if (files.length === 0) return [];
  const soffice = findSoffice(wanted);
  if (!soffice) return files.map(() => ({ ok: false, params: { cause: 'no-libreoffice' } }));
  const work = await mkdtemp(path.join(ws.sub('soffice'), 'batch-'));
  try {
    const inDir = path.join(work, 'in');
    const sheetDir = path.join(work, 'sheets');
    const outDir = path.join(work, 'out');
    await Promise.all([mkdir(inDir), mkdir(sheetDir), mkdir(outDir)]);
    const profile = await profileDir(path.join(work, 'profile'));
    const names = files.map((f, i) => `f${String(i).padStart(5, '0')}.${f.ext}`);
    await Promise.all(files.map((f, i) => copyFile(f.abs, path.join(inDir, names[i]!))));
    let stderr = '';
    const binary = names.filter((n, i) => BINARY_SHEETS.has(files[i]!.ext));
    if (binary.length > 0) {
      stderr += await runSoffice(soffice, ws, profile, 'xlsx', sheetDir, binary.map((n) => path.join(inDir, n)));
    }
    // every spreadsheet set up to print: A4, fitted to the width, no header or footer
    const inputs = await Promise.all(
      names.map(async (n, i) => {
        const ext = files[i]!.ext;
        const xlsx = BINARY_SHEETS.has(ext) ? path.join(sheetDir, n.replace(/\.[^.]+$/, '.xlsx')) : ext === 'xlsx' ? path.join(inDir, n) : undefined;
        if (!xlsx) return path.join(inDir, n);
        try {
          const fixed = path.join(sheetDir, n.replace(/\.[^.]+$/, '.print.xlsx'));
          await writeFile(fixed, await printableXlsx(await readFile(xlsx)));
          return fixed;
        } catch {
          return path.join(inDir, n); // not a readable workbook: LibreOffice will say so
        }
      }),
    );
    stderr += await runSoffice(soffice, ws, profile, 'pdf', outDir, inputs);
    return Promise.all(
      inputs.map(async (input): Promise<Conversion> => {
        try {
          const base = path.basename(input).replace(/\.[^.]+$/, '');
          return { ok: true, pdf: new Uint8Array(await readFile(path.join(outDir, `${base}.pdf`))) };
        } catch {
          const message = stderr.trim().split('\n').find((l) => l.trim() !== '');
          return { ok: false, params: { cause: 'conversion-failed', ...(message ? { message } : {}) } };
        }
      }),
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
