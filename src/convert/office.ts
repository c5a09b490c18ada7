// Office files (doc, docx, xls, wps …) become PDF pages through LibreOffice, when it is installed:
// one run for the whole build (start-up is the slow part), with a private zh-CN profile so parallel
// runs and a user's open LibreOffice do not collide.
import { spawnSync } from 'node:child_process';
import { totalmem } from 'node:os';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createReadStream, createWriteStream, existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import type { FileType, WarningParams } from '../model.js';
import { moduleOf, type OfficeModule } from '../evidence/filetype.js';
import { parseCsv } from './csv.js';
import { loadExcelJS } from '../util/exceljs.js';
import { errnoOf, errnoText, FileAccessError, openRegular, readRegularFile } from '../util/fsx.js';
import { offlineHtml, unpackMht } from './mht.js';
import { decodeText } from './text.js';
import { ChuangchengError } from '../errors.js';
import { isWorkspaceFull, workspaceError, type Workspace } from '../util/workspace.js';
import { canWatchMemory, treeResidentBytes } from '../util/procmem.js';
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
const versions = new Map<string, string>();

/** What `soffice --version` said ("LibreOffice 7.4.7.2 …"), for cache keys: converted with another version is another thing. */
export function sofficeVersion(soffice: string): string {
  return versions.get(soffice) ?? '';
}

/**
 * The soffice executable: `wanted` if it answers as LibreOffice, else the first of the usual places
 * that does; null when there is none (or `wanted` is null: convert nothing). A name without a
 * folder is looked up on `env`'s PATH, and started with `env`.
 */
export function findSoffice(wanted: string | null | undefined, env: NodeJS.ProcessEnv): string | null {
  if (wanted === null) return null;
  const key = `${wanted ?? ''}\u0000${env.PATH ?? ''}`;
  const hit = found.get(key);
  if (hit !== undefined) return hit;
  let result: string | null = null;
  for (const c of wanted ? [wanted] : CANDIDATES) {
    if (!c) continue;
    if (path.isAbsolute(c) && !existsSync(c)) continue;
    const r = spawnSync(c, ['--version'], { encoding: 'utf8', timeout: 30_000, env });
    if (r.status === 0 && /LibreOffice/i.test(r.stdout)) {
      result = c;
      versions.set(c, r.stdout.trim());
      break;
    }
  }
  found.set(key, result);
  return result;
}

export type Conversion =
  | { ok: true; pdf: Uint8Array }
  | { ok: false; params: WarningParams['not-converted'] }
  /** the file could not be read when its turn came: why, in words */
  | { ok: false; unreadable: string };

export interface SofficeRun {
  stderr: string;
  /** stopped by us after `timeoutMs` */
  timedOut: boolean;
  timeoutMs: number;
  /** stopped by us: the memory its processes held passed this cap (MB) */
  overMemory?: number;
  /** ended by a signal, or by LibreOffice's crash handler (exit status 128 + n), not stopped by us */
  crashed?: boolean;
}

/**
 * The memory LibreOffice may hold (resident, all its processes) before a run is stopped, in MB:
 * 2048, or half the machine's memory when that is less (never below 768). Measured (LibreOffice
 * 7.4, see README): 210 MB for an ordinary document, 340 MB for a 60,000-row sheet, 860 MB for a
 * document holding a 15,000×15,000 picture; a zip bomb grows until the machine has no memory left.
 */
export function defaultSofficeMemoryMB(): number {
  return Math.max(768, Math.min(2048, Math.floor(totalmem() / 1024 / 1024 / 2)));
}

/** LibreOffice could not start at all (a broken installation; or no room for its profile, checked first). */
const START_FAILED = /Fatal Error|cannot be started/i;
/** LibreOffice could not store an output (Error Area:Io … in SfxBaseModel::impl_store): our folder's fault. */
const STORE_FAILED = /impl_store[^\n]*Error Area:Io/;

/**
 * What LibreOffice said about a failed run, in Chinese: never its own English (nor the Java warning
 * it prints whatever the file).
 */
export function sofficeSaid(run: SofficeRun): string | undefined {
  if (run.timedOut) return `超过 ${Math.round(run.timeoutMs / 1000)} 秒仍未转换完，已停止`;
  if (run.overMemory !== undefined) return `占用的内存超过了上限 ${run.overMemory} MB，已停止`;
  if (run.crashed) return 'LibreOffice 转换时异常退出';
  const said = run.stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/javaldx/.test(l));
  if (said.some((l) => START_FAILED.test(l))) return 'LibreOffice 无法启动';
  if (said.some((l) => /could not be loaded/i.test(l))) return 'LibreOffice 打不开此文件';
  if (said.some((l) => /no export filter/i.test(l))) return 'LibreOffice 缺少转换此类文件所需的组件';
  return undefined;
}

/** The Debian package that brings each LibreOffice module (Impress needs Draw's, which its package depends on). */
export const MODULE_PACKAGE: Record<OfficeModule, string> = {
  writer: 'libreoffice-writer-nogui',
  calc: 'libreoffice-calc-nogui',
  impress: 'libreoffice-impress-nogui',
  draw: 'libreoffice-draw-nogui',
};

/** The executable `cmd` names: itself when it has a folder, else the first on `env`'s PATH. */
function onPath(cmd: string, env: NodeJS.ProcessEnv): string | undefined {
  if (cmd.includes('/') || cmd.includes('\\')) return existsSync(cmd) ? cmd : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of process.platform === 'win32' ? [`${cmd}.exe`, cmd] : [cmd]) {
      const p = path.join(dir, name);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

const modulesFound = new Map<string, Partial<Record<OfficeModule, boolean>>>();

/**
 * Which modules a LibreOffice installation holds, from its configuration files: each module's
 * `<module>.xcd` in `share/registry` beside the program folder (`Resources/registry` on macOS),
 * found from the soffice executable with its symbolic links resolved. Debian installs Impress and
 * Draw as packages of their own; without them a slide deck, a Visio or a Publisher file cannot be
 * loaded, and LibreOffice says only that the file "could not be loaded". A module that cannot be
 * told (no such folder: a wrapper script, a snap) is taken as present.
 */
export function sofficeModules(soffice: string, env: NodeJS.ProcessEnv): Partial<Record<OfficeModule, boolean>> {
  const hit = modulesFound.get(soffice);
  if (hit) return hit;
  const out: Partial<Record<OfficeModule, boolean>> = {};
  try {
    const exe = onPath(soffice, env);
    const program = exe ? path.dirname(realpathSync(exe)) : undefined;
    const registry = program
      ? [path.join(program, '..', 'share', 'registry'), path.join(program, '..', 'Resources', 'registry')].find((d) => existsSync(path.join(d, 'main.xcd')))
      : undefined;
    if (registry) for (const m of Object.keys(MODULE_PACKAGE) as OfficeModule[]) out[m] = existsSync(path.join(registry, `${m}.xcd`));
  } catch {
    // not told: every module is taken as present, and LibreOffice says what fails
  }
  modulesFound.set(soffice, out);
  return out;
}

/**
 * The extension a file is given for LibreOffice, which picks its import filter by name first:
 * Word/Excel 2003 XML as .xml, a web page as .htm (or as .xls when it was named as a spreadsheet:
 * Calc then reads its tables), a CSV as the .xlsx we make of it; every other type as itself.
 */
export function workExtension(type: FileType | string, nameExt = ''): string {
  const sheetName = ['xls', 'xlsx', 'et', 'xlsm', 'xlt', 'xltx', 'csv', 'ods'].includes(nameExt.toLowerCase());
  switch (type) {
    case 'wordxml':
    case 'sheetxml':
      return 'xml';
    case 'html':
    case 'mht':
      return sheetName ? 'xls' : 'htm';
    case 'csv':
      return 'xlsx';
    default:
      return type;
  }
}

/** Files LibreOffice makes .xlsx first (we set how an .xlsx prints): every spreadsheet but an .xlsx, and a web page read by Calc. */
function prepassed(type: string, work: string): boolean {
  return work !== 'xlsx' && (moduleOf(type as FileType) === 'calc' || work === 'xls');
}

/** LibreOffice's import filter that reads a web page into Writer proper. */
const WRITER_HTML = 'HTML (StarWriter)';

/** Web pages and CSVs read whole to be prepared; larger ones are not what they claim to be. */
const MAX_PREPARED_BYTES = 64 * 1024 * 1024;

/**
 * What LibreOffice is given for a web page, an MHT or a CSV, written into `dir` under `base`: the
 * page without network references (an MHT unpacked with its pictures), a CSV as an .xlsx of text
 * cells (its encoding found as text evidence's is; IDs and leading zeros kept as written). Returns
 * the input's path, or a reason it cannot be prepared.
 */
async function prepareInput(bytes: Buffer, type: string, work: string, dir: string, base: string): Promise<string | { failed: string }> {
  if (type === 'csv') {
    const rows = parseCsv(decodeText(bytes).text);
    const Excel = loadExcelJS();
    const wb = new Excel.Workbook();
    const sheet = wb.addWorksheet('Sheet1');
    const widths: number[] = [];
    for (const r of rows) {
      sheet.addRow(r);
      r.forEach((v, c) => {
        // a CJK character is two columns wide
        const w = [...v].reduce((n, ch) => n + ((ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1), 0);
        widths[c] = Math.max(widths[c] ?? 4, Math.min(w + 2, 60));
      });
    }
    widths.forEach((w, c) => (sheet.getColumn(c + 1).width = w));
    sheet.eachRow((row) => row.eachCell((cell) => (cell.alignment = { wrapText: true, vertical: 'top' })));
    const file = path.join(dir, `${base}.xlsx`);
    await writeFile(file, Buffer.from(await wb.xlsx.writeBuffer()));
    return file;
  }
  let page = bytes;
  let folder = dir;
  if (type === 'mht') {
    const unpacked = unpackMht(bytes);
    if (!unpacked) return { failed: '单个文件网页（MHT）中没有找到网页正文，可能已损坏' };
    // its own folder: the pictures of two MHT files must not meet
    folder = path.join(dir, `${base}-page`);
    await mkdir(folder);
    for (const p of unpacked.parts) await writeFile(path.join(folder, p.name), p.bytes);
    page = unpacked.html;
  }
  const file = path.join(folder, `${base}.${work}`);
  await writeFile(file, offlineHtml(page));
  return file;
}

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

/** The lines in which LibreOffice says it gives up on a file (one each). */
const errorLines = (stderr: string): string[] => stderr.split('\n').map((l) => l.trim()).filter((l) => /^Error\b/.test(l));

/**
 * One soffice run converting `inputs` (full paths, converted in that order) to `format` in
 * `outDir`, killed with its helper processes when it stalls: when `timeout` seconds (default 120)
 * pass without it finishing one more file, an output in `outDir` or an error line for a file it
 * gives up on. LibreOffice writes each output to a temporary name and renames it when done, so a
 * finished output is one without the `.tmp` ending.
 */
export function runSoffice(
  soffice: string,
  ws: Workspace,
  profile: string,
  format: string,
  outDir: string,
  inputs: string[],
  timeout = 120,
  /** LibreOffice's import filter for every input (web pages through Writer) */
  infilter?: string,
  /** stop the run when LibreOffice holds more than this (MB, resident); null: no cap (also where /proc cannot tell) */
  memoryMB: number | null = defaultSofficeMemoryMB(),
  /**
   * seconds LibreOffice's own start may take on top of the first file's time: on a loaded machine
   * starting it (profile, fonts, Java probe) takes tens of seconds, which is not the file's fault
   */
  startup = 30,
): Promise<SofficeRun> {
  const args = [
    '--headless', '--norestore', '--nolockcheck', '--nodefault',
    `-env:UserInstallation=${pathToFileURL(profile).href}`,
    ...(infilter ? [`--infilter=${infilter}`] : []),
    '--convert-to', format, '--outdir', outDir,
    ...inputs,
  ];
  const timeoutMs = timeout * 1000;
  const finished = () => {
    try {
      return readdirSync(outDir).filter((n) => !n.endsWith('.tmp')).length;
    } catch {
      return 0;
    }
  };
  // The memory cap is a watch, not a resource limit: under `ulimit -v` LibreOffice does not fail,
  // it leaves out what it could not allocate (a picture) and writes the PDF without it, silently.
  // Watched, it never meets a failed allocation; it is stopped, and the file it was on is named.
  const cap = memoryMB && memoryMB > 0 && canWatchMemory() ? memoryMB : undefined;
  return new Promise<SofficeRun>((resolve) => {
    const child = ws.spawn(soffice, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let timedOut = false;
    let overMemory: number | undefined;
    const progress = () => finished() + errorLines(err).length;
    let seen = progress();
    // (the first file's time starts once LibreOffice could have started)
    let progressAt = Date.now() + startup * 1000;
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const stop = () => {
      clearInterval(watch);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const watch = setInterval(
      () => {
        if (cap !== undefined && child.pid !== undefined && (treeResidentBytes(child.pid) ?? 0) > cap * 1024 * 1024) {
          overMemory = cap;
          return stop();
        }
        const now = progress();
        if (now !== seen) {
          seen = now;
          progressAt = Date.now();
        } else if (Date.now() - progressAt >= timeoutMs) {
          timedOut = true;
          stop();
        }
      },
      // (memory grows fast: a picture decoded takes hundreds of MB in a second)
      Math.min(cap !== undefined ? 100 : 250, timeoutMs / 4),
    );
    child.on('close', (code, signal) => {
      clearInterval(watch);
      const stopped = timedOut || overMemory !== undefined;
      const crashed = !stopped && (signal !== null || (code !== null && code >= 128));
      resolve({ stderr: err, timedOut, timeoutMs, ...(overMemory !== undefined ? { overMemory } : {}), ...(crashed ? { crashed } : {}) });
    });
    child.on('error', (e) => {
      clearInterval(watch);
      resolve({ stderr: String(e), timedOut, timeoutMs });
    });
  });
}

/**
 * Convert `inputs` with as few LibreOffice runs as it takes: one, unless a file stalls it, makes it
 * hold more memory than the cap, or makes it crash. LibreOffice converts one file after another, in
 * the order given, and says `Error: …` on stderr for each file it gives up on (one it cannot load).
 * So in a run that stopped early, the files without an output are, in order: the ones it gave up
 * on (as many as it said errors), then the one it was on, then the ones it never reached. The one
 * it was on fails (with why the run stopped), and the ones after it go to a new run. Returns, for
 * each input, the run that failed it (its stderr that file's own error line, where LibreOffice
 * said one), or undefined when its output (`outputOf`) is there.
 */
async function convertInTurn(
  /** one run; `afterStop`: the run before was stopped */
  runOne: (inputs: string[], afterStop: boolean) => Promise<SofficeRun>,
  inputs: string[],
  outputOf: (input: string) => string,
): Promise<(SofficeRun | undefined)[]> {
  const failed: (SofficeRun | undefined)[] = inputs.map(() => undefined);
  let pending = inputs.map((_, i) => i);
  let afterStop = false;
  while (pending.length > 0) {
    const run = await runOne(pending.map((i) => inputs[i]!), afterStop);
    const missing = pending.filter((i) => !existsSync(outputOf(inputs[i]!)));
    const errors = errorLines(run.stderr);
    // the files given up, each with its own error line when LibreOffice said as many as it gave up
    const stoppedEarly = run.timedOut || run.overMemory !== undefined || run.crashed === true;
    const givenUp = stoppedEarly ? missing.slice(0, errors.length) : missing;
    givenUp.forEach((i, k) => {
      const { overMemory: _m, crashed: _c, ...plain } = run;
      failed[i] = { ...plain, timedOut: false, ...(errors.length === givenUp.length ? { stderr: errors[k]! } : {}) };
    });
    if (!stoppedEarly) break;
    const stuck = missing[errors.length];
    if (stuck === undefined) break; // stopped after its last file: nothing was stuck
    failed[stuck] = run;
    pending = missing.slice(errors.length + 1);
    afterStop = true;
  }
  return failed;
}

export interface OfficeInput {
  abs: string | Buffer;
  /** the file's type (FileType) */
  ext: string;
  /** the file's own extension, where it matters (a web page named .xls is read by Calc) */
  nameExt?: string;
  /** the evidence path, for messages */
  label: string;
  /** the evidence folder's real path: the file must still lie inside it */
  within?: Buffer | undefined;
}

export interface ConvertOptions {
  /** LibreOffice: a path, null for none, undefined to look it up */
  soffice?: string | null | undefined;
  /** seconds LibreOffice may spend on one file before it is stopped (default 120) */
  timeout?: number | undefined;
  /**
   * Where a LibreOffice profile is kept between builds (in the cache): its first start, which sets
   * the profile up, is then paid once, not by every build. Each build works on its own copy.
   */
  keptProfile?: string | undefined;
  /** the memory LibreOffice may hold, MB (default `defaultSofficeMemoryMB()`); null: no cap */
  memoryMB?: number | null | undefined;
  /** seconds allowed for LibreOffice to start, on top of each run's first file (default 30) */
  startup?: number | undefined;
}

/** A profile for this run: a copy of the kept one when there is one, else a new zh-CN profile. */
async function startProfile(dir: string, kept: string | undefined): Promise<{ dir: string; fresh: boolean }> {
  if (kept && existsSync(path.join(kept, 'user', 'registrymodifications.xcu'))) {
    try {
      await cp(kept, dir, { recursive: true });
      return { dir, fresh: false };
    } catch {
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  }
  return { dir: await profileDir(dir), fresh: true };
}

/** Keep a profile LibreOffice has set up, whole or not at all (copied, then renamed into place). */
async function keepProfile(dir: string, kept: string): Promise<void> {
  if (existsSync(kept)) return;
  const tmp = `${kept}.${process.pid}.tmp`;
  try {
    await mkdir(path.dirname(kept), { recursive: true });
    await cp(dir, tmp, { recursive: true });
    await rename(tmp, kept);
  } catch {
    // another build kept one first, or the cache is not writable: only the saving is lost
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * Every office file of a build through one LibreOffice run (two when .xls/.et/.ods spreadsheets need
 * making into .xlsx first, to set how they print). Inputs are copied under neutral names: two files
 * called 通知.docx in different folders must not overwrite each other's output.
 */
export async function convertOffice(files: OfficeInput[], ws: Workspace, opts: ConvertOptions = {}): Promise<Conversion[]> {
  if (files.length === 0) return [];
  const soffice = findSoffice(opts.soffice, ws.env);
  if (!soffice) return files.map(() => ({ ok: false, params: { cause: 'no-libreoffice' } }));
  const inTemp = <T>(p: Promise<T>): Promise<T> => p.catch((err: unknown) => Promise.reject(workspaceError(ws.dir, err)));
  const work = await inTemp(mkdtemp(path.join(ws.sub('soffice'), 'batch-')));
  try {
    const inDir = path.join(work, 'in');
    const sheetDir = path.join(work, 'sheets');
    const outDir = path.join(work, 'out');
    await inTemp(Promise.all([mkdir(inDir), mkdir(sheetDir), mkdir(outDir)]));
    const started = await inTemp(startProfile(path.join(work, 'profile'), opts.keptProfile));
    // the profile the next run starts with
    let profile = started.dir;
    const works = files.map((f) => workExtension(f.ext, f.nameExt));
    const names = files.map((f, i) => `f${String(i).padStart(5, '0')}.${works[i]}`);
    /** where each input was put, when not `inDir/name` (an unpacked MHT) */
    const placed = new Map<number, string>();
    // A module this installation lacks (Impress, Draw) is said as such; its files are not tried.
    const modules = sofficeModules(soffice, ws.env);
    const missing = files.map((f) => {
      const m = moduleOf(f.ext as FileType);
      return m && modules[m] === false ? m : undefined;
    });
    // Each input is opened as check saw it, a regular file inside the evidence folder: one that
    // vanished or became a FIFO since (which a plain copy would wait on for good) is that file's
    // problem, not the whole batch's.
    const unreadable = await Promise.all(
      files.map(async (f, i): Promise<string | undefined> => {
        if (missing[i]) return undefined;
        if (f.ext === 'html' || f.ext === 'mht' || f.ext === 'csv') {
          let bytes: Buffer;
          try {
            bytes = readRegularFile(f.abs, f.label, MAX_PREPARED_BYTES, f.within);
          } catch (err) {
            if (err instanceof FileAccessError) return err.detail;
            throw err;
          }
          try {
            const made = await prepareInput(bytes, f.ext, works[i]!, inDir, names[i]!.replace(/\.[^.]+$/, ''));
            if (typeof made !== 'string') return made.failed;
            placed.set(i, made);
          } catch (err) {
            if (isWorkspaceFull(err)) throw workspaceError(ws.dir, err);
            return `无法准备 ${f.label}（${err instanceof Error ? err.message : String(err)}）`;
          }
          return undefined;
        }
        let fd: number;
        try {
          fd = openRegular(f.abs, f.label, Number.POSITIVE_INFINITY, f.within).fd;
        } catch (err) {
          if (err instanceof FileAccessError) return err.detail;
          throw err;
        }
        try {
          await pipeline(createReadStream('', { fd }), createWriteStream(path.join(inDir, names[i]!), { flags: 'wx' }));
        } catch (err) {
          if (isWorkspaceFull(err)) throw workspaceError(ws.dir, err);
          return `无法读取 ${f.label}（${errnoText(errnoOf(err))}）`;
        }
        return undefined;
      }),
    );
    const inputOf = (i: number) => placed.get(i) ?? path.join(inDir, names[i]!);
    const readable = names.map((_, i) => i).filter((i) => unreadable[i] === undefined && !missing[i]);
    const binary = readable.filter((i) => prepassed(files[i]!.ext, works[i]!));
    let profiles = 0;
    const runIn = (format: string, outDir: string, infilter?: string) => async (inputs: string[], afterStop: boolean) => {
      // a new profile after a stopped run: the one it used may be left half-written
      if (afterStop) profile = (await inTemp(startProfile(path.join(work, `profile-${++profiles}`), opts.keptProfile))).dir;
      const used = profile;
      const run = await runSoffice(soffice, ws, used, format, outDir, inputs, opts.timeout, infilter, opts.memoryMB === undefined ? defaultSofficeMemoryMB() : opts.memoryMB, opts.startup);
      // LibreOffice that could not store its output, or not start, or crashed: our temporary
      // folder full (its profile, its outputs and its own temporary files are there) is said as
      // such and stops the build; it is never the evidence's fault
      if (STORE_FAILED.test(run.stderr)) {
        ws.checkRoom();
        throw new ChuangchengError('temp-soffice-store', { dir: ws.root });
      }
      if (run.crashed || START_FAILED.test(run.stderr)) ws.checkRoom();
      // the first run that sets up a new profile and ends by itself: its profile is kept for the next builds
      if (!run.timedOut && started.fresh && used === started.dir && opts.keptProfile) await keepProfile(used, opts.keptProfile);
      return run;
    };
    const baseOf = (input: string) => path.basename(input).replace(/\.[^.]+$/, '');
    if (binary.length > 0) {
      await convertInTurn(runIn('xlsx', sheetDir), binary.map(inputOf), (input) => path.join(sheetDir, `${baseOf(input)}.xlsx`));
    }
    // every spreadsheet set up to print: A4, fitted to the width, no header or footer
    const inputs = await Promise.all(
      names.map(async (n, i) => {
        const work = works[i]!;
        const xlsx = prepassed(files[i]!.ext, work) ? path.join(sheetDir, n.replace(/\.[^.]+$/, '.xlsx')) : work === 'xlsx' ? inputOf(i) : undefined;
        if (!xlsx || unreadable[i] !== undefined || missing[i]) return inputOf(i);
        try {
          const fixed = path.join(sheetDir, n.replace(/\.[^.]+$/, '.print.xlsx'));
          await writeFile(fixed, await printableXlsx(await readFile(xlsx)));
          return fixed;
        } catch (err) {
          if (isWorkspaceFull(err)) throw workspaceError(ws.dir, err);
          return inputOf(i); // not a readable workbook (or Calc did not read the page): LibreOffice will say so
        }
      }),
    );
    const pdfOf = (input: string) => path.join(outDir, `${baseOf(input)}.pdf`);
    const outPdf = async (i: number): Promise<Uint8Array | undefined> => {
      try {
        return new Uint8Array(await readFile(pdfOf(inputs[i]!)));
      } catch {
        return undefined;
      }
    };
    const failure = (run: SofficeRun | undefined): Conversion => {
      if (run?.overMemory !== undefined) return { ok: false, params: { cause: 'memory-limit', limitMB: run.overMemory } };
      const message = run && sofficeSaid(run);
      // a LibreOffice that cannot start fails every file alike: not the files' fault
      if (run && START_FAILED.test(run.stderr) && !run.crashed) return { ok: false, params: { cause: 'libreoffice-failed', ...(message ? { message } : {}) } };
      return { ok: false, params: { cause: 'conversion-failed', ...(message ? { message } : {}) } };
    };
    // Web pages go through Writer, not Writer/Web (which LibreOffice picks for .htm by itself, and
    // whose PDF export loses a page's first paragraph): a run of their own with that import filter.
    const asWriterPage = (i: number) => (files[i]!.ext === 'html' || files[i]!.ext === 'mht') && works[i] === 'htm';
    const failed = new Map<number, SofficeRun | undefined>();
    for (const [group, infilter] of [[readable.filter((i) => !asWriterPage(i)), undefined], [readable.filter(asWriterPage), WRITER_HTML]] as const) {
      if (group.length === 0) continue;
      const done = await convertInTurn(runIn('pdf', outDir, infilter), group.map((i) => inputs[i]!), pdfOf);
      group.forEach((i, k) => failed.set(i, done[k]));
    }
    // a file LibreOffice gave up on while the temporary folder has no room left: the folder's fault
    if ([...failed.values()].some((f) => f !== undefined)) ws.checkRoom();
    const results: Conversion[] = [];
    for (const [i, why] of unreadable.entries()) if (why !== undefined) results[i] = { ok: false, unreadable: why };
    for (const [i, m] of missing.entries()) if (m) results[i] = { ok: false, params: { cause: 'missing-module', module: m, package: MODULE_PACKAGE[m] } };
    for (const i of readable) {
      const pdf = failed.get(i) ? undefined : await outPdf(i);
      results[i] = pdf ? { ok: true, pdf } : failure(failed.get(i));
    }
    return results;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
