#!/usr/bin/env node
// Do `check` and `build` agree on the photo measures? `check` makes the canonical thumbnail from its
// own small decode, `build` from the decode that prepares the photo for its page (issue 19). This
// measures every photo of an archive both ways, with the compiled code (`npx tsc -b` first), and
// prints how far the values lie apart and whether any verdict differs: blurry, and near-duplicate
// for every pair of photos within a B-level (both measured by check, both by build, and one each:
// a cache may hold a mix). With --bytes it also compares the prepared photo with what preparePhoto
// makes (the page images must not change).
//
//   node bench/measure-agree.mjs [--archive bench/data/build-archive] [--limit N] [--bytes] [--box WxH (default: the manual's)]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1] === undefined || all[i + 1].startsWith('--') ? true : all[i + 1]]] : acc), []),
);
const ARCHIVE = path.resolve(args.archive ?? path.join(root, 'bench/data/build-archive'));
const { measurePhoto, nearDuplicate, hashDistance, thumbDistance, BLURRY_BELOW, MEASURE_TOLERANCE } = await import(path.join(root, 'dist/evidence/quality.js'));
const { prepareAndMeasure, photoBoxFor } = await import(path.join(root, 'dist/convert/photo-measured.js'));
const { preparePhoto } = await import(path.join(root, 'dist/convert/photo.js'));
const { default: sharp } = await import('sharp');
sharp.cache(false);

const evidence = path.join(ARCHIVE, 'evidence');
const list = execFileSync('find', [evidence, '-type', 'f', '(', '-iname', '*.jpg', '-o', '-iname', '*.jpeg', '-o', '-iname', '*.png', ')'], { encoding: 'utf8', maxBuffer: 1 << 26 })
  .trim()
  .split('\n')
  .filter(Boolean)
  .sort()
  .slice(0, Number(args.limit ?? Infinity));
// the box binding prepares this archive's photos for (its manual's photos per page)
const { readManual } = await import(path.join(root, 'dist/project/index.js'));
const box = args.box ? Object.fromEntries(String(args.box).split('x').map((v, i) => [i ? 'height' : 'width', Number(v)])) : photoBoxFor(await readManual(path.join(ARCHIVE, 'manual.yaml')));

const rows = [];
let bytesSame = 0;
let bytesDiffer = 0;
const started = performance.now();
for (const abs of list) {
  const rel = path.relative(evidence, abs);
  const type = /\.png$/i.test(abs) ? 'png' : 'jpg';
  const file = { path: rel, abs, type, kind: 'photo', bCode: rel.split('/')[1] ?? '', aCode: rel.split('/')[0] ?? '', meta: {} };
  const bytes = readFileSync(abs);
  const check = await measurePhoto(file, bytes).catch(() => undefined);
  const built = await prepareAndMeasure(file, box.width, box.height, bytes).catch(() => undefined);
  if (!check || !built) {
    rows.push({ rel, b: file.bCode, check, build: built?.facts, failed: !check !== !built });
    continue;
  }
  if (args.bytes) {
    const p = await preparePhoto(file, box.width, box.height, undefined, bytes);
    if (Buffer.compare(Buffer.from(p.bytes), Buffer.from(built.photo.bytes)) === 0 && p.width === built.photo.width && p.height === built.photo.height) bytesSame++;
    else bytesDiffer++;
  }
  rows.push({ rel, b: file.bCode, check, build: built.facts });
}

const ok = rows.filter((r) => r.check && r.build);
const failedOneWay = rows.filter((r) => r.failed).length;
const blurry = (f) => f.sharpness !== undefined && f.sharpness < BLURRY_BELOW;
let maxSharp = 0;
let maxBits = 0;
let maxThumb = 0;
let judgedOneWay = 0;
let blurryDiffer = 0;
let blurryCount = 0;
let minMargin = Infinity;
for (const r of ok) {
  if ((r.check.sharpness === undefined) !== (r.build.sharpness === undefined)) judgedOneWay++;
  else if (r.check.sharpness !== undefined) {
    maxSharp = Math.max(maxSharp, Math.abs(r.check.sharpness - r.build.sharpness));
    minMargin = Math.min(minMargin, Math.abs(r.check.sharpness - BLURRY_BELOW));
  }
  if (blurry(r.check) !== blurry(r.build)) blurryDiffer++;
  if (blurry(r.check)) blurryCount++;
  maxBits = Math.max(maxBits, hashDistance(r.check.hash, r.build.hash));
  maxThumb = Math.max(maxThumb, thumbDistance(r.check.thumb, r.build.thumb));
  if ((r.check.damage ?? '') !== (r.build.damage ?? '') || (r.check.frames ?? 0) !== (r.build.frames ?? 0)) judgedOneWay++;
}
// near-duplicate verdicts for every pair within a B-level
const byB = new Map();
for (const r of ok) (byB.get(r.b) ?? byB.set(r.b, []).get(r.b)).push(r);
let pairs = 0;
let near = 0;
let pairDiffer = 0;
for (const list of byB.values()) {
  for (let i = 0; i < list.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = list[i];
      const b = list[j];
      const c = !!nearDuplicate(a.check, b.check);
      pairs++;
      if (c) near++;
      for (const other of [nearDuplicate(a.build, b.build), nearDuplicate(a.check, b.build), nearDuplicate(a.build, b.check)]) if (!!other !== c) pairDiffer++;
    }
  }
}
const s = (performance.now() - started) / 1000;
console.log(`${list.length} photos of ${ARCHIVE} (box ${box.width}×${box.height}), ${s.toFixed(0)} s`);
console.log(`measured both ways: ${ok.length}; undecodable one way only: ${failedOneWay}; judged (sharpness, damage, frames) one way only: ${judgedOneWay}`);
console.log(`largest difference: sharpness ${maxSharp.toFixed(3)} (tolerance ${MEASURE_TOLERANCE.sharpness}), hash ${maxBits} bits (${MEASURE_TOLERANCE.hashBits}), 12×12 colour copy ${maxThumb.toFixed(2)} (${MEASURE_TOLERANCE.thumb})`);
console.log(`blurry: ${blurryCount} by check, verdicts that differ: ${blurryDiffer}; closest sharpness to the threshold ${BLURRY_BELOW}: ${minMargin.toFixed(3)} away`);
console.log(`pairs within a B-level: ${pairs}, near-duplicates by check: ${near}; verdicts that differ (build/build, check/build, build/check): ${pairDiffer}`);
if (args.bytes) console.log(`prepared photos identical to preparePhoto's: ${bytesSame}, different: ${bytesDiffer}`);
const fails = failedOneWay + judgedOneWay + blurryDiffer + pairDiffer + bytesDiffer + (maxSharp > MEASURE_TOLERANCE.sharpness || maxBits > MEASURE_TOLERANCE.hashBits || maxThumb > MEASURE_TOLERANCE.thumb ? 1 : 0);
process.exit(fails ? 1 : 0);
