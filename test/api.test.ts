// The programmatic API as a program sees it: the package imported by its name (package.json's
// "exports"), the names it exports, its errors as data (a stable code, params, the Chinese sentence
// of the wording catalogue, the cause kept), its defaults (today, the 立卷时间), and what it takes
// from its caller instead of reading the environment: the temporary folder, the environment of the
// programs it starts, the console libraries talk on.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from 'chuangcheng';
import { ChuangchengError, check, build, importTable, errorText, ERROR_CODES, type LibraryConsole } from 'chuangcheng';
import { EXAMPLE, LO_DOCX, LO_PDF, manualYaml, ONE_B, project, ROOT, run, sofficeStandIn, tempDir } from './helpers.js';

/** What an API call threw (a test fails if it did not). */
async function thrown(p: Promise<unknown>): Promise<ChuangchengError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChuangchengError);
  return err as ChuangchengError;
}

/** Today by this computer's clock, as the API's defaults take it. */
const clock = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

describe('the package entry', () => {
  it('the name resolves, through "exports", to dist/index.js; nothing deeper is exported', () => {
    const resolve = (spec: string) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', `try { console.log(import.meta.resolve(${JSON.stringify(spec)})) } catch (e) { console.log(e.code) }`], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    expect(resolve('chuangcheng')).toBe(pathToFileURL(path.join(ROOT, 'dist/index.js')).href);
    expect(resolve('chuangcheng/dist/build/index.js')).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('exports these names, and no others', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ChuangchengError',
      'ERROR_CODES',
      'RETENTION_CODES',
      'build',
      'buildReport',
      'check',
      'errorText',
      'formatManualError',
      'importTable',
      'init',
      'manualJsonSchema',
      'manualToYaml',
      'merge',
      'parseManual',
      'plan',
      'readManual',
      'renderHtml',
      'reportJsonSchema',
      'resolvePaths',
    ]);
  });

  it('its error codes are these: a code, once published, keeps its meaning', () => {
    expect([...ERROR_CODES].sort()).toEqual(
      [
        'argument-empty', 'cache-empty', 'check-output-is-manual', 'check-unit-failed', 'check-unit-twice', 'check-units-with-paths',
        'check-xlsx-needs-output', 'evidence-not-folder', 'evidence-not-found', 'evidence-unreadable', 'font-invalid', 'font-unreadable',
        'import-no-output', 'import-output-exists', 'import-output-is-table', 'import-output-not-file', 'init-evidence-not-folder',
        'manual-gbk', 'manual-gone', 'manual-invalid', 'manual-not-found', 'manual-not-utf8', 'manual-unreadable',
        'manual-utf16', 'merge-file-changed', 'merge-io', 'merge-no-out', 'merge-no-shards', 'merge-out-in-shard', 'merge-out-not-folder',
        'option-cache', 'option-console', 'option-date', 'option-empty', 'option-empty-text', 'option-env', 'option-formats', 'option-jobs',
        'option-only', 'option-only-unknown', 'option-path', 'option-shard-count', 'option-shard-index', 'option-shard-syntax',
        'option-shard-with-only', 'option-shards', 'option-shards-missing', 'option-soffice', 'option-soffice-memory', 'option-soffice-timeout',
        'output-changed-midway', 'output-file-write-failed', 'output-folder-full', 'output-folder-not-made', 'output-folder-unwritable',
        'output-in-evidence', 'output-lock-failed', 'output-locked', 'output-not-file', 'output-not-folder', 'output-would-replace',
        'output-write-failed', 'report-write-failed', 'shard-file-changed', 'shard-no-record', 'shard-not-folder', 'shard-not-found',
        'shard-record-damaged', 'shard-record-foreign', 'shard-record-format', 'shard-record-inconsistent', 'shard-record-unreadable',
        'shards-counts', 'shards-dates', 'shards-evidence', 'shards-formats', 'shards-manuals', 'shards-missing', 'shards-plan-incomplete',
        'shards-plans', 'shards-same-volume', 'shards-todays', 'shards-twice', 'shards-versions', 'source-date-epoch', 'table-blank',
        'table-empty-file', 'table-format', 'table-needs-libreoffice', 'table-no-a-column', 'table-no-header', 'table-no-rows',
        'table-not-converted', 'table-not-found', 'table-not-workbook', 'table-rows', 'table-unreadable', 'temp-full', 'temp-read-only',
        'temp-soffice-store', 'temp-unwritable',
      ].sort(),
    );
  });
});

describe('errors are data', () => {
  it('a wrong option: its code and params, the catalogue’s sentence as the message, the flag in the command line’s words', async () => {
    const err = await thrown(check({ dir: EXAMPLE, today: '2024-13-01' }));
    expect(err.name).toBe('ChuangchengError');
    expect(err.code).toBe('option-date');
    expect(err.params).toEqual({ option: 'today', received: '2024-13-01' });
    expect(err.message).toBe(errorText('option-date', { option: 'today', received: '2024-13-01' }));
    expect(err.message).toBe('today 应为 YYYY-MM-DD 格式的真实日期，收到 "2024-13-01"');
    expect(err.text('cli')).toBe('--today 应为 YYYY-MM-DD 格式的日期，收到 "2024-13-01"');
    // the same sentence, whichever API takes the option
    expect((await thrown(build({ dir: EXAMPLE, date: '2024-02-30' }))).params).toEqual({ option: 'date', received: '2024-02-30' });
  });

  it('a locked output folder and a bad date are told apart by their codes, not their words', async () => {
    const out = tempDir('cc-api-locked-');
    writeFileSync(path.join(out, '.chuangcheng.lock'), JSON.stringify({ pid: process.pid, host: hostname(), command: 'build' }));
    const locked = await thrown(build({ dir: EXAMPLE, out, date: '2024-05-20', formats: ['pdf'], cache: null }));
    expect(locked.code).toBe('output-locked');
    expect(locked.params).toMatchObject({ dir: out, command: 'build', pid: process.pid });
    expect(locked.params).not.toHaveProperty('host'); // (this machine's)
    expect((await thrown(build({ dir: EXAMPLE, out, date: 'tomorrow' }))).code).toBe('option-date');
  });

  it('the error it comes from is kept as the cause', async () => {
    const p = project(manualYaml(ONE_B));
    const err = await thrown(check({ dir: p.dir, manual: p.dir, today: '2024-05-20' }));
    expect(err.code).toBe('manual-unreadable');
    expect(err.cause).toBeInstanceOf(Error);
    expect((err.cause as Error).message).toBe((err.params as { detail: string }).detail);
  });

  it('a manual with errors: each is in params (for programs) and in details (the lines the CLI prints)', async () => {
    const p = project('title: x\nunit: y\nindicators: []\nnot-a-key: 1\n');
    const err = await thrown(check({ dir: p.dir, today: '2024-05-20' }));
    expect(err.code).toBe('manual-invalid');
    const errors = (err.params as { errors: { line: number; message: string }[] }).errors;
    expect(errors.length).toBeGreaterThan(0);
    expect(err.details).toHaveLength(errors.length);
    expect(err.details[0]).toContain(`:${errors[0]!.line}:`);
  });
});

describe('defaults the CLI would give', () => {
  it('check() without today judges overdue against today; build() without a date binds with today’s', async () => {
    const before = clock();
    const { report } = await check({ dir: EXAMPLE, cache: null });
    expect([before, clock()]).toContain(report.today);
    const p = project(manualYaml(ONE_B));
    p.copy(LO_PDF, 'A1.1/2023-10-01 通知.pdf');
    const built = await build({ dir: p.dir, formats: ['pdf'], cache: null });
    // (the report's today defaults to the 立卷时间)
    expect([before, clock()]).toContain(built.report.today);
  });
});

describe('the caller, not the environment, says where and how', () => {
  it('tempDir: the run’s temporary folder goes there; a wrong one is said in the API’s words (tempDir), the CLI’s are TMPDIR', async () => {
    const p = project(manualYaml(ONE_B));
    p.copy(LO_PDF, 'A1.1/2023-10-01 通知.pdf');
    const file = path.join(tempDir('cc-api-tmp-'), 'a-file');
    writeFileSync(file, 'not a folder');
    const err = await thrown(build({ dir: p.dir, date: '2024-05-20', formats: ['pdf'], cache: null, tempDir: file }));
    expect(err.code).toBe('temp-unwritable');
    expect(err.params).toMatchObject({ dir: file });
    expect(err.message).toContain('tempDir');
    expect(err.message).not.toContain('TMPDIR');
    expect(err.text('cli')).toContain('环境变量 TMPDIR');
  });

  it('env: the programs build starts get the caller’s environment, and their TMPDIR inside the caller’s tempDir', async () => {
    const p = project(manualYaml(ONE_B));
    p.copy(LO_DOCX, 'A1.1/2023-10-01 计划.docx');
    const seen = path.join(tempDir('cc-api-env-'), 'seen');
    // a LibreOffice that writes down what it was given, and converts nothing
    const lo = sofficeStandIn(`echo "$CC_GIVEN|$TMPDIR" > '${seen}'`);
    const temp = tempDir('cc-api-env-tmp-');
    const built = await build({ dir: p.dir, date: '2024-05-20', formats: ['pdf'], cache: null, soffice: lo.bin, tempDir: temp, env: { ...process.env, CC_GIVEN: '来自调用者' } });
    const [given, tmp] = readFileSync(seen, 'utf8').trim().split('|');
    expect(given).toBe('来自调用者');
    expect(tmp!.startsWith(temp + path.sep)).toBe(true);
    expect(built.report.warnings.map((w) => w.code)).toContain('not-converted');
  });

  it('console: what a library prints goes to the console given, else nowhere; the CLI gives its own only with CHUANGCHENG_DEBUG=1', async () => {
    const p = project(manualYaml(ONE_B));
    const bytes = readFileSync(LO_PDF);
    const end = bytes.indexOf('endobj') + 6;
    // a broken object inserted after the first one: pdf-lib prints "Trying to parse invalid object"
    p.write('A1.1/2023-10-01 杂乱.pdf', Buffer.concat([bytes.subarray(0, end), Buffer.from('\n9999 0 obj\n<< /Broken ( >>\nendobj\n)) garbage ]] >> <<\n'), bytes.subarray(end)]));
    const heard: string[] = [];
    const listener: LibraryConsole = { log: (...a) => heard.push(a.join(' ')), info: (...a) => heard.push(a.join(' ')), warn: (...a) => heard.push(a.join(' ')), error: (...a) => heard.push(a.join(' ')), debug: (...a) => heard.push(a.join(' ')) };
    await build({ dir: p.dir, date: '2024-05-20', formats: ['pdf'], cache: null, console: listener });
    expect(heard.join('\n')).toMatch(/Trying to parse invalid object/);
    // the same build without a console: nothing reaches this process's stderr
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    try {
      await build({ dir: p.dir, out: path.join(p.dir, 'out2'), date: '2024-05-20', formats: ['pdf'], cache: null });
    } finally {
      process.stderr.write = write;
    }
    expect(written.join('')).not.toMatch(/Trying to parse|Invalid object/);
    // the command line: silent for users, the chatter for maintainers
    const quiet = await run(['build', p.dir, '--out', path.join(p.dir, 'out3'), '--format', 'pdf', '--date', '2024-05-20', '--no-cache']);
    expect(quiet.stderr).not.toMatch(/Trying to parse/);
    const debug = await run(['build', p.dir, '--out', path.join(p.dir, 'out4'), '--format', 'pdf', '--date', '2024-05-20', '--no-cache'], { env: { CHUANGCHENG_DEBUG: '1' } });
    expect(debug.stderr + debug.stdout).toMatch(/Trying to parse invalid object/);
  });

  it('importTable takes the same: a wrong env or console is refused before anything is read', async () => {
    const dir = tempDir('cc-api-import-');
    mkdirSync(path.join(dir, 'x'));
    expect((await thrown(importTable({ table: path.join(dir, 'none.xlsx'), output: path.join(dir, 'm.yaml'), env: 'PATH=/bin' as never }))).code).toBe('option-env');
    expect((await thrown(importTable({ table: path.join(dir, 'none.xlsx'), output: path.join(dir, 'm.yaml'), console: {} as never }))).code).toBe('option-console');
  });
});
