// The spawner's helper (util/spawner.ts): a small program of its own, started once per build with
// `node spawn-helper.js`, that starts commands for the build. It reads one request a line on its
// standard input — `{ id, cmd, args, s | b }`: the command, its arguments, and the file its standard
// input is read from (`s`: a path; `b`: a path that is not UTF-8, as base64 bytes) — and answers
// each on its standard output, in the order they end: `{ id, code, stderr, error? }`.
//
// It imports nothing of ours: it is the bare Node whose small memory makes each start cheap.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One request of the build. */
export interface SpawnRequest {
  id: number;
  cmd: string;
  args: string[];
  /** standard input from this path */
  s?: string;
  /** standard input from this path, given as its bytes (base64): a name that is not UTF-8 */
  b?: string;
}

/** The answer to request `id`. */
export interface SpawnAnswer {
  id: number;
  /** the exit code; null when the command did not run (see `error`) or was killed */
  code: number | null;
  /** what it wrote on standard error (the first 64 KB) */
  stderr: string;
  /** why it could not be started: the error's code (ENOENT: not installed) */
  error?: string;
}

const MAX_STDERR = 65536;

function run(m: SpawnRequest, answer: (a: SpawnAnswer) => void): void {
  let stderr = '';
  let done = false;
  const reply = (r: { code: number | null; error?: string }) => {
    if (done) return;
    done = true;
    answer({ id: m.id, stderr, ...r });
  };
  let child: ChildProcess;
  try {
    child = spawn(m.cmd, m.args, { stdio: ['pipe', 'ignore', 'pipe'] });
  } catch (e) {
    return reply({ code: null, error: errorCode(e) });
  }
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < MAX_STDERR) stderr += d.toString();
  });
  child.on('error', (e) => reply({ code: null, error: errorCode(e) }));
  child.on('close', (code) => reply({ code }));
  child.stdin!.on('error', () => {});
  const input = createReadStream(m.b !== undefined ? Buffer.from(m.b, 'base64') : m.s!);
  input.on('error', () => child.stdin!.end());
  input.pipe(child.stdin!);
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException | null)?.code || String(e);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => run(JSON.parse(line) as SpawnRequest, (a) => process.stdout.write(`${JSON.stringify(a)}\n`)));
lines.on('close', () => process.exit(0));
