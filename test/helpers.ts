// Test helpers: run the built CLI as a user would, and build throw-away projects on disk.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { inject } from 'vitest';
import type { Report } from '../src/report/report.js';
import type { BuildOptions, BuildResult } from '../src/build/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist/cli/main.js');
export const EXAMPLE = path.join(ROOT, 'examples/school');
export const EXAMPLE_EVIDENCE = path.join(EXAMPLE, 'evidence');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The cache folder the CLI and in-process builds use in tests, never the user's ~/.cache: one for
 * the whole run (made by the global setup), shared by the test files as builds share one cache;
 * tests of the cache itself make their own.
 */
export function testCache(): string {
  return inject('cacheDir');
}

/** The same cache as the CLI's in tests, for the API (which takes the cache folder itself). */
export const runCache = () => path.join(testCache(), 'chuangcheng');

/**
 * Run the built CLI. `timeout` (ms) guards tests of things that used to hang: a run killed by it
 * reports code -1 and `timedOut`.
 */
export function run(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeout?: number; nodeArgs?: string[] } = {}): Promise<RunResult & { timedOut?: boolean }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(opts.nodeArgs ?? []), CLI, ...args],
      { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: testCache(), ...opts.env }, maxBuffer: 64 * 1024 * 1024, timeout: opts.timeout ?? 0, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err && typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : err ? -1 : 0;
        resolve({ code, stdout, stderr, ...(err && (err as { killed?: boolean }).killed ? { timedOut: true } : {}) });
      },
    );
  });
}

/**
 * `build` in this process, through the API: no Node start-up, modules and fonts loaded once per
 * test file. For tests of what a volume holds; tests of the command line itself use `run`.
 */
export async function bindHere(dir: string, opts: Partial<BuildOptions> = {}): Promise<BuildResult> {
  const { build } = await import('../src/build/index.js');
  return build({ dir, date: '2024-05-20', formats: ['pdf'], tempDir: tmpdir(), cache: runCache(), ...opts });
}

/**
 * The §6 report of a project as `check --format json` prints it, computed in this process through
 * the API (tests of collect and select need no Node start-up; tests of the command use `run`).
 */
export async function reportOf(dir: string): Promise<Report> {
  const { check } = await import('../src/check/index.js');
  const { report } = await check({ dir, today: '2024-01-01', cache: runCache() });
  return JSON.parse(JSON.stringify(report)) as Report;
}

export function tempDir(prefix = 'cc-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A minimal valid manual; `body` replaces the indicators. */
export function manualYaml(indicators: string, head = ''): string {
  return `title: 测试档案\nunit: 测试小学\n${head}indicators:\n${indicators}`;
}

export const ONE_B = `  - code: A1
    title: 组织领导
    indicators:
      - code: A1.1
        title: 领导机构健全
`;

/** One A-level with an owner, one B-level: the smallest archive a person is answerable for. */
export const ONE_OWNED = `  - code: A1
    title: 组织领导
    owner: 王主任
    indicators:
      - code: A1.1
        title: 领导机构健全
`;

export interface Project {
  dir: string;
  evidence: string;
  write(rel: string, data: string | Uint8Array): string;
  copy(from: string, rel: string): string;
}

export function project(manual: string): Project {
  const dir = tempDir();
  const evidence = path.join(dir, 'evidence');
  mkdirSync(evidence, { recursive: true });
  writeFileSync(path.join(dir, 'manual.yaml'), manual);
  return {
    dir,
    evidence,
    write(rel, data) {
      const p = path.join(evidence, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, data);
      return p;
    },
    copy(from, rel) {
      const p = path.join(evidence, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      cpSync(from, p);
      return p;
    },
  };
}

/** A camera-like JPEG made by libvips, with EXIF written by libvips too. */
export async function jpeg(opts: { width?: number; height?: number; date?: string; orientation?: number; seed?: number } = {}): Promise<Buffer> {
  const width = opts.width ?? 1200;
  const height = opts.height ?? 1000;
  const seed = opts.seed ?? 1;
  const exif: Record<string, Record<string, string>> = { IFD0: { Make: 'Canon', Model: 'EOS 200D' } };
  if (opts.date) exif.IFD2 = { DateTimeOriginal: opts.date };
  if (opts.orientation) exif.IFD0!.Orientation = String(opts.orientation);
  return sharp({ create: { width, height, channels: 3, background: { r: (seed * 53) % 256, g: (seed * 97) % 256, b: (seed * 31) % 256 } } })
    .jpeg({ quality: 80 })
    .withExif(exif)
    .toBuffer();
}

export async function png(width = 1200, height = 1000): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 220, b: 240 } } }).png().toBuffer();
}

/** A PDF made by LibreOffice (committed with the example). */
export const LO_PDF = path.join(EXAMPLE_EVIDENCE, 'A1 组织领导/A1.1 领导机构健全/2023-09-01 关于成立创城工作领导小组的通知 一小〔2023〕12号.pdf');
/** Another PDF made by LibreOffice (different bytes from LO_PDF). */
export const LO_PDF2 = path.join(EXAMPLE_EVIDENCE, 'A4 校园文化与心理健康/A4.2 心理健康教育/2023-09-01 心理健康教育课表.pdf');
export const LO_DOCX = path.join(EXAMPLE_EVIDENCE, 'A1 组织领导/A1.2 工作制度完善/2023-09-10 2023-2024学年创城工作计划.docx');
export const LO_XLSX = path.join(EXAMPLE_EVIDENCE, 'A3 道德品质教育/A3.2 志愿服务/2023-12-05 志愿服务记录表.xlsx');

/** Two A-levels: A1 a text, A2 an office file; for tests that act on the project or its outputs between the two volumes. */
export function twoVolumes(): Project {
  const p = project(
    manualYaml(`  - code: A1
    title: 组织领导
    indicators:
      - { code: A1.1, title: 领导机构健全 }
  - code: A2
    title: 制度建设
    indicators:
      - { code: A2.1, title: 工作计划 }
`),
  );
  p.write('A1.1/2023-10-01 记录.txt', '第一版');
  p.copy(LO_DOCX, 'A2.1/2023-10-02 计划.docx');
  return p;
}

/**
 * A stand-in for LibreOffice's soffice: answers --version as LibreOffice, reads the arguments as
 * soffice does (--convert-to FORMAT, --outdir DIR, the inputs), logs how many inputs each run had,
 * then runs `perInput` (bash) for each input in order, with $f the input, $out the folder, $fmt
 * the format and $b the input's name without folder. `runs()`: the input counts, one per run.
 */
export function sofficeStandIn(perInput: string): { bin: string; runs: () => number[] } {
  const dir = tempDir('cc-lo-stand-in-');
  const log = path.join(dir, 'runs.log');
  const bin = path.join(dir, 'soffice');
  writeFileSync(
    bin,
    `#!/bin/bash
if [ "$1" = "--version" ]; then echo "LibreOffice 9.9.9.9 (test stand-in)"; exit 0; fi
out=""; fmt=""; inputs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) out="$2"; shift 2;;
    --convert-to) fmt="$2"; shift 2;;
    -*) shift;;
    *) inputs+=("$1"); shift;;
  esac
done
echo "\${#inputs[@]}" >> '${log}'
for f in "\${inputs[@]}"; do
  b=$(basename "$f")
${perInput}
done
`,
  );
  chmodSync(bin, 0o755);
  return { bin, runs: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number) : []) };
}

let zips = 0;
/**
 * Give an Office file (a zip) a zip comment of its own, by python's zipfile: content no cache has
 * seen, so that LibreOffice really converts it. Returns the file.
 */
export function uniqueZip(file: string): string {
  const py = 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "a"); z.comment = sys.argv[2].encode(); z.close()';
  const r = spawnSync('python3', ['-c', py, file, `${process.pid}-${Date.now()}-${zips++}`], { encoding: 'utf8' });
  // (a file left as it was would be converted from the cache, and the test would prove nothing)
  if (r.status !== 0) throw new Error(`python3 could not give ${file} a zip comment: ${r.stderr || r.error?.message}`);
  return file;
}

/** ImageMagick's convert (the PATH may hold a wrapper of the same name). */
export const M_CONVERT = '/usr/bin/convert';

export function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} is needed by the tests (bash .ci/run installs it): ${r.error.message}`);
  if (r.status !== 0 && r.status !== 3) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Every file below dir with its content hash, size and mtime: to prove nothing was touched. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const st = statSync(p);
        out.set(path.relative(dir, p), `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${st.size} ${st.mtimeMs}`);
      }
    }
    out.set(path.relative(dir, d) + '/', String(readdirSync(d).length));
  };
  walk(dir);
  return out;
}

// ---- reading PDFs with poppler and qpdf

export const pageText = (file: string, n: number, extra: string[] = []) => tool('pdftotext', ['-f', String(n), '-l', String(n), '-layout', ...extra, file, '-']);
export const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [file]))![1]);

export interface Outline {
  title: string;
  destpageposfrom1: number;
  kids: Outline[];
}
export const outlines = (file: string) => (JSON.parse(tool('qpdf', ['--json', '--json-key=outlines', file])) as { outlines: Outline[] }).outlines;

/** The number printed in the top band of a page (a digits-only word, read by pdftotext -bbox), and its side. */
export function stampedNumber(file: string, n: number): { side: 'left' | 'right'; value: string } | undefined {
  const html = tool('pdftotext', ['-f', String(n), '-l', String(n), '-bbox', file, '-']);
  const width = Number(/<page width="([\d.]+)"/.exec(html)![1]);
  for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(\d+)<\/word>/g)) {
    const [x0, y0, x1] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (y0 > 45) continue;
    if (x0 > (width * 3) / 4) return { side: 'right', value: m[5]! };
    if (x1 < width / 4) return { side: 'left', value: m[5]! };
  }
  return undefined;
}


// ---- written manuals

/**
 * The keys of a YAML text (as `path.to.key`) that carry no Chinese comment, read with the yaml
 * package's Document API: a comment on the lines above the key, at the end of its line, or — for the
 * first key of a list item — after the “- ”. Also returns how many keys were looked at.
 */
export async function keysWithoutChineseComment(text: string): Promise<{ checked: number; missing: string[] }> {
  const { isCollection, isMap, isScalar, parseDocument, visit } = await import('yaml');
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`not YAML: ${doc.errors[0]!.message}`);
  const han = (s: string | null | undefined) => typeof s === 'string' && /\p{Script=Han}/u.test(s);
  const missing: string[] = [];
  let checked = 0;
  visit(doc, {
    Pair(_, pair, ancestors) {
      checked++;
      const key = pair.key;
      const value = pair.value;
      const parent = ancestors[ancestors.length - 1];
      const where = ancestors
        .filter((n) => isMap(n))
        .map((n) => {
          const k = (n as { items: { key: unknown }[] }).items.find((p) => ancestors.includes(p as never))?.key;
          return isScalar(k) ? String(k.value) : '';
        })
        .filter(Boolean);
      const ok =
        (isScalar(key) && (han(key.commentBefore) || han(key.comment))) ||
        (isScalar(value) && han(value.comment)) ||
        // a block list or map: the end-of-line comment of its key line; a flow one [ … ]: after it
        (isCollection(value) && (han(value.commentBefore) || (value.flow === true && han(value.comment)))) ||
        (isMap(parent) && parent.items[0] === pair && han(parent.commentBefore));
      if (!ok) missing.push([...where, isScalar(key) ? String(key.value) : '?'].join('.'));
    },
  });
  return { checked, missing };
}

/** A worksheet as an independent reader (openpyxl) sees it. */
export interface Sheet {
  title: string;
  rows: (string | number | null)[][];
  freeze: string | null;
  filter: string | null;
  widths: Record<string, number>;
  print: { paper: string; fitToWidth: number; fitToHeight: number; titles: string };
}

/** An independent reader: openpyxl (Debian's python3-openpyxl). */
export function readXlsx(file: string): Sheet[] {
  const py = spawnSync(
    '/usr/bin/python3',
    [
      '-c',
      `import sys, json, openpyxl
from openpyxl.utils import get_column_letter
wb = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets:
    out.append({"title": ws.title, "rows": [list(r) for r in ws.iter_rows(values_only=True)], "freeze": ws.freeze_panes,
                "filter": ws.auto_filter.ref, "widths": {get_column_letter(i): ws.column_dimensions[get_column_letter(i)].width for i in range(1, ws.max_column + 1)},
                "print": {"paper": str(ws.page_setup.paperSize), "fitToWidth": ws.page_setup.fitToWidth, "fitToHeight": ws.page_setup.fitToHeight, "titles": ws.print_title_rows}})
print(json.dumps(out, ensure_ascii=False))`,
      file,
    ],
    { encoding: 'utf8' },
  );
  if (py.status !== 0) throw new Error(`openpyxl could not read ${file}: ${py.stderr}`);
  return JSON.parse(py.stdout) as Sheet[];
}
