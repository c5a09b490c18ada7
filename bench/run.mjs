#!/usr/bin/env node
// Times chuangcheng on the generated archive (bench/generate.mjs) and prints a Markdown table for
// bench/README.md. Wall time and peak memory (max RSS) come from GNU time.
//
//   node bench/run.mjs [--runs 5] [--archive bench/data/archive]          check
//   node bench/run.mjs --build [--archive bench/data/build-archive]       build, beside qpdf, img2pdf, vipsthumbnail
//                      [--before OTHER/dist/cli/main.js]                 and another build of chuangcheng (an
//                                                                         earlier commit), side by side in the same run
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const BUILD = process.argv.includes('--build');
const RUNS = Number(args.runs ?? 5);
const ARCHIVE = path.resolve(args.archive ?? path.join(root, BUILD ? 'bench/data/build-archive' : 'bench/data/archive'));
// run as a user runs it: the executable, whose first line starts Node as installed (see src/cli/main.ts)
const CLI = path.join(root, 'dist/cli/main.js');
chmodSync(CLI, 0o755);

if (!existsSync(path.join(ARCHIVE, 'manual.yaml'))) {
  console.error(`no archive at ${ARCHIVE}: generating one (takes a few minutes)…`);
  const size = BUILD ? ['--photos', '2000', '--pdfs', '300', '--photo-size', '4000x3000'] : [];
  const g = spawnSync(process.execPath, [path.join(root, 'bench/generate.mjs'), '--out', ARCHIVE, ...size], { stdio: 'inherit' });
  if (g.status !== 0) process.exit(1);
}

function timed(cmd, argv) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [sec, kb] = last.split(' ').map(Number);
  if (!Number.isFinite(sec)) throw new Error(`could not time ${cmd}: ${r.stderr}`);
  // a tool that is missing or failed would time as 0 s: say so instead (exit 1 = gaps for chuangcheng)
  if (r.status !== 0 && !(cmd === CLI && r.status === 1)) throw new Error(`${cmd} failed (exit ${r.status}): ${r.stderr.slice(-400)}`);
  return { sec, mb: kb / 1024, status: r.status };
}

/**
 * A build timed as `timed` does, and also its CPU time (user + system, children included), when it
 * began binding (the CLI's "装订 …" line on standard error: what came before is `check` — collect,
 * select, the photo measurements, and in a cold build since issue 19 the photos' preparation), and
 * the CPU its process tree used in each phase (sampled from /proc every second): cores used on
 * average, out of what the machine gave it.
 */
function timedBuild(cmd, argv) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let binding;
    let cpuAtBinding;
    let err = '';
    const child = spawn('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let lastCpu = 0;
    const sampler = setInterval(() => {
      lastCpu = Math.max(lastCpu, treeCpu(child.pid));
    }, 1000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      err += chunk;
      if (binding === undefined && /(^|\n)装订 /.test(err)) {
        binding = (performance.now() - started) / 1000;
        cpuAtBinding = Math.max(lastCpu, treeCpu(child.pid));
      }
    });
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(sampler);
      const [sec, kb, user, sys] = (err.trim().split('\n').pop() ?? '').split(' ').map(Number);
      if (!Number.isFinite(sec) || (status !== 0 && status !== 1)) return reject(new Error(`could not time ${cmd} (exit ${status}): ${err.slice(-400)}`));
      resolve({ sec, mb: kb / 1024, status, cpu: user + sys, check: binding, checkCpu: cpuAtBinding });
    });
  });
}

/** CPU seconds used so far by a process and its descendants (live ones, and those they reaped). */
function treeCpu(root) {
  const HZ = 100;
  const procs = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields after the name: state ppid … utime(12) stime(13) cutime(14) cstime(15), counted from state = 1
      procs.set(Number(pid), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // (gone meanwhile)
    }
  }
  let total = 0;
  const inTree = (pid) => {
    for (let p = pid, n = 0; p > 1 && n < 64; p = procs.get(p)?.ppid ?? 0, n++) if (p === root) return true;
    return false;
  };
  for (const [pid, p] of procs) if (inTree(pid)) total += p.ticks;
  return total / HZ;
}

function series(name, cmd, argv, { runs = RUNS, before } = {}) {
  if (runs > 1) {
    before?.();
    timed(cmd, argv); // warm the page cache
  }
  const all = Array.from({ length: runs }, () => {
    before?.();
    return timed(cmd, argv);
  });
  const secs = all.map((r) => r.sec).sort((a, b) => a - b);
  const mem = Math.max(...all.map((r) => r.mb));
  return { name, median: secs[Math.floor(secs.length / 2)], min: secs[0], mem, status: all[0].status };
}

if (BUILD) {
  await benchBuild();
  process.exit(0);
}

const count = spawnSync('find', [path.join(ARCHIVE, 'evidence'), '-type', 'f'], { encoding: 'utf8' }).stdout.trim().split('\n').length;
const du = spawnSync('du', ['-sh', path.join(ARCHIVE, 'evidence')], { encoding: 'utf8' }).stdout.split('\t')[0];
const out = mkdtempSync(path.join(tmpdir(), 'cc-bench-'));
const cache = path.join(out, 'cache');
// a fresh checkout of the same folder (what CI has on every run): every file's identity is new, the
// cache kept from the runs before; a new copy for each run, made before it is timed
const copy = path.join(out, 'checkout');
const fresh = () => {
  rmSync(copy, { recursive: true, force: true });
  spawnSync('cp', ['-r', ARCHIVE, copy]);
};
const rows = [
  series('check (text), warm cache', CLI, ['check', ARCHIVE, '--cache', cache]),
  series('check --format json, warm cache', CLI, ['check', ARCHIVE, '--format', 'json', '--output', path.join(out, 'r.json'), '--cache', cache]),
  series('check (text), a fresh copy of the folder, warm cache', CLI, ['check', copy, '--cache', cache], { before: fresh }),
  // minutes: one run
  series('check (text), no cache', CLI, ['check', ARCHIVE, '--no-cache'], { runs: 1 }),
];
rmSync(out, { recursive: true, force: true });

console.log(`Archive: ${count} files, ${du}; machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${RUNS} runs each after a warm-up (no cache: one run).\n`);
console.log('| command | median | fastest | peak memory | exit |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.median.toFixed(2)} s | ${r.min.toFixed(2)} s | ${r.mem.toFixed(0)} MB | ${r.status} |`);

/**
 * One timed run each: the build takes minutes, and the native tools are the yardstick. Cold rows
 * start from an empty cache; warm rows reuse it (as a unit rebuilding before the inspection would).
 */
async function benchBuild() {
  const { appendFileSync, copyFileSync, writeFileSync } = await import('node:fs');
  const evidence = path.join(ARCHIVE, 'evidence');
  const list = (ext) =>
    spawnSync('find', [evidence, '-name', `*.${ext}`], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout.trim().split('\n').filter(Boolean).sort();
  const photos = list('jpg');
  const pdfs = list('pdf');
  const docs = list('docx').filter((f) => !path.basename(f).startsWith('~$'));
  const work = mkdtempSync(path.join(tmpdir(), 'cc-bench-build-'));
  const cache = path.join(work, 'cache');
  const rows = [];
  const one = (name, cmd, argv) => {
    const r = timed(cmd, argv);
    rows.push({ name, ...r });
    return r;
  };
  const BEFORE = args.before ? path.resolve(args.before) : undefined;
  if (BEFORE) chmodSync(BEFORE, 0o755);
  const build = (name, out, ...extra) => one(name, CLI, ['build', ARCHIVE, '--out', path.join(work, out), '--date', '2024-05-20', ...extra]);
  // the cold builds: also their CPU time and when binding began; with --before, the other build's
  // beside each (the same options, its own empty cache), its outputs compared byte for byte
  const phases = [];
  const coldBuild = async (name, cli, out, ...extra) => {
    const r = await timedBuild(cli, ['build', ARCHIVE, '--out', path.join(work, out), '--date', '2024-05-20', ...extra]);
    rows.push({ name, ...r });
    phases.push({ name, ...r });
    return r;
  };
  const pdfOnly = await coldBuild('build --format pdf, no cache', CLI, 'pdf', '--format', 'pdf', '--no-cache');
  const pdfBefore = BEFORE && (await coldBuild('before: build --format pdf, no cache', BEFORE, 'before-pdf', '--format', 'pdf', '--no-cache'));
  const cold = await coldBuild('build (PDF + DOCX), cold cache', CLI, 'out', '--cache', cache);
  const coldBefore = BEFORE && (await coldBuild('before: build (PDF + DOCX), cold cache', BEFORE, 'before-out', '--cache', path.join(work, 'before-cache')));
  const same = [];
  if (BEFORE) {
    for (const [a, b] of [['out', 'before-out'], ['pdf', 'before-pdf']]) {
      for (const f of readdirSync(path.join(work, a)).sort()) {
        const x = path.join(work, a, f);
        const y = path.join(work, b, f);
        same.push(`${a}/${f}: ${existsSync(y) && spawnSync('cmp', ['-s', x, y]).status === 0 ? 'identical' : 'DIFFERENT'}`);
      }
    }
  }
  build('build again, nothing changed (warm cache, volumes kept)', 'out', '--cache', cache);
  build('build into a new folder (warm cache, every volume made again)', 'out2', '--cache', cache);
  // one more photo in one B-level: only its A-level is made again
  const added = path.join(path.dirname(photos[0]), '2024-05-01 补拍照片 bench.jpg');
  copyFileSync(photos[1], added);
  appendFileSync(added, Buffer.from('bench: one more photo'));
  build('one photo added, build again (warm cache)', 'out', '--cache', cache);
  spawnSync('rm', ['-f', added]);
  // the native tools doing comparable work
  let q = { sec: 0 };
  if (pdfs.length > 0) {
    const argfile = path.join(work, 'qpdf-args');
    writeFileSync(argfile, ['--empty', '--pages', ...pdfs, '--', path.join(work, 'merged.pdf')].join('\n'));
    q = one(`qpdf --empty --pages (${pdfs.length} PDFs)`, 'qpdf', [`@${argfile}`]);
  }
  one(`img2pdf pass-through (${photos.length} photos, originals)`, 'img2pdf', ['--pagesize', 'A4', '-o', path.join(work, 'orig.pdf'), ...photos]);
  const thumbs = path.join(work, 'thumbs');
  spawnSync('mkdir', ['-p', thumbs]);
  // the same box our photo pages use at 200 dpi; two processes, as build uses both cores
  // (the box as build computes it for this manual: its photos per page at the layout's dpi)
  const { readManual } = await import(path.join(root, 'dist/project/index.js'));
  const { photoBoxFor } = await import(path.join(root, 'dist/convert/photo-measured.js'));
  const box = photoBoxFor(await readManual(path.join(ARCHIVE, 'manual.yaml')));
  const script = `printf '%s\\0' "$@" | xargs -0 -n 200 -P 2 vipsthumbnail --size ${box.width}x${box.height} -o '${thumbs}/%s.jpg[Q=85]'`;
  const v = one(`vipsthumbnail resize (${photos.length} photos, 2 processes)`, 'bash', ['-c', script, '_', ...photos]);
  const resized = readdirSync(thumbs).map((f) => path.join(thumbs, f));
  const i = one('img2pdf pass-through (the resized photos)', 'img2pdf', ['--pagesize', 'A4', '-o', path.join(work, 'resized.pdf'), ...resized]);
  let lo = { sec: 0 };
  if (docs.length > 0) {
    const profile = `file://${path.join(work, 'lo-profile')}`;
    lo = one(`soffice --convert-to pdf (${docs.length} Word files, one run)`, 'soffice', ['--headless', `-env:UserInstallation=${profile}`, '--convert-to', 'pdf', '--outdir', path.join(work, 'lo'), ...docs]);
  }
  rmSync(work, { recursive: true, force: true });
  const native = q.sec + v.sec + i.sec + lo.sec;
  console.log(`Archive: ${photos.length} photos, ${pdfs.length} PDFs, ${docs.length} Word files (${ARCHIVE}); ${cpus().length} cores, Node ${process.version}; one run each.\n`);
  console.log('| command | time | peak memory |');
  console.log('|---|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.sec.toFixed(1)} s | ${r.mb.toFixed(0)} MB |`);
  console.log(`\nNative pipeline (resize + wrap + merge${docs.length ? ' + convert' : ''}): ${native.toFixed(1)} s; PDF build / native = ${(pdfOnly.sec / native).toFixed(2)}; default build (PDF + DOCX, cold) / native = ${(cold.sec / native).toFixed(2)}`);
  if (BEFORE) console.log(`Before (${BEFORE}): PDF build / native = ${(pdfBefore.sec / native).toFixed(2)}; default build / native = ${(coldBefore.sec / native).toFixed(2)}`);
  console.log('\n| cold build | wall | CPU (user + sys) | check: wall, CPU, cores | binding: wall, CPU, cores |');
  console.log('|---|---:|---:|---:|---:|');
  const phase = (sec, cpu) => `${sec.toFixed(1)} s, ${cpu.toFixed(1)} s, ${(cpu / sec).toFixed(2)}`;
  for (const r of phases) {
    const known = r.check !== undefined && r.checkCpu !== undefined;
    console.log(`| ${r.name} | ${r.sec.toFixed(1)} s | ${r.cpu.toFixed(1)} s | ${known ? phase(r.check, r.checkCpu) : '?'} | ${known ? phase(r.sec - r.check, r.cpu - r.checkCpu) : '?'} |`);
  }
  if (same.length) console.log(`\nOutputs compared with the build before: ${same.join('; ')}`);
}
