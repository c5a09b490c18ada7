#!/usr/bin/env node
// Times chuangcheng on the generated archive (bench/generate.mjs) and prints a Markdown table for
// bench/README.md. Wall time and peak memory (max RSS) come from GNU time.
//
//   node bench/run.mjs [--runs 5] [--archive bench/data/archive]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const RUNS = Number(args.runs ?? 5);
const ARCHIVE = path.resolve(args.archive ?? path.join(root, 'bench/data/archive'));
const CLI = path.join(root, 'dist/cli/main.js');

if (!existsSync(path.join(ARCHIVE, 'manual.yaml'))) {
  console.error(`no archive at ${ARCHIVE}: generating one (takes a few minutes)…`);
  const g = spawnSync(process.execPath, [path.join(root, 'bench/generate.mjs'), '--out', ARCHIVE], { stdio: 'inherit' });
  if (g.status !== 0) process.exit(1);
}

function timed(cmd, argv) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [sec, kb] = last.split(' ').map(Number);
  if (!Number.isFinite(sec)) throw new Error(`could not time ${cmd}: ${r.stderr}`);
  return { sec, mb: kb / 1024, status: r.status };
}

function series(name, cmd, argv) {
  timed(cmd, argv); // warm the page cache
  const runs = Array.from({ length: RUNS }, () => timed(cmd, argv));
  const secs = runs.map((r) => r.sec).sort((a, b) => a - b);
  const mem = Math.max(...runs.map((r) => r.mb));
  return { name, median: secs[Math.floor(secs.length / 2)], min: secs[0], mem, status: runs[0].status };
}

const count = spawnSync('find', [path.join(ARCHIVE, 'evidence'), '-type', 'f'], { encoding: 'utf8' }).stdout.trim().split('\n').length;
const du = spawnSync('du', ['-sh', path.join(ARCHIVE, 'evidence')], { encoding: 'utf8' }).stdout.split('\t')[0];
const out = mkdtempSync(path.join(tmpdir(), 'cc-bench-'));
const rows = [
  series('check (text)', process.execPath, [CLI, 'check', ARCHIVE]),
  series('check --format json', process.execPath, [CLI, 'check', ARCHIVE, '--format', 'json', '--output', path.join(out, 'r.json')]),
];
rmSync(out, { recursive: true, force: true });

console.log(`Archive: ${count} files, ${du}; machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${RUNS} warm runs each.\n`);
console.log('| command | median | fastest | peak memory | exit |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.median.toFixed(2)} s | ${r.min.toFixed(2)} s | ${r.mem.toFixed(0)} MB | ${r.status} |`);
