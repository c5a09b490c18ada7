// Photos prepared ahead of the volumes that need them (assets.ts): a build that stops — finished or
// failed — starts nothing more, waits for what is under way, and nothing is written into the run's
// temporary folder after it is gone. (The command line exits at once; a program calling build()
// keeps running, and late writes would make the folder again and leave it behind.)
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BuildAssets } from '../../src/build/assets/index.js';
import { FileHashes } from '../../src/cache/hashes.js';
import { Cache } from '../../src/cache/store.js';
import { photoBoxFor } from '../../src/convert/photo-measured.js';
import { PhotosMeasuredOnce } from '../../src/convert/photo-once.js';
import { preparePhoto } from '../../src/convert/photo.js';
import type { EvidenceFile, Manual } from '../../src/model.js';
import { photoQuality } from '../../src/pipeline/quality.js';
import { Workspace } from '../../src/util/workspace.js';
import { tempDir } from '../helpers.js';

async function photos(n: number): Promise<EvidenceFile[]> {
  const dir = tempDir('cc-ahead-');
  const files: EvidenceFile[] = [];
  // one picture under n names (each is prepared: nothing here knows they are alike)
  const jpeg = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
  for (let i = 1; i <= n; i++) {
    const abs = path.join(dir, `${i}.jpg`);
    writeFileSync(abs, jpeg);
    files.push({ path: `A1.1/${i}.jpg`, abs, size: 0, type: 'jpg', kind: 'photo', bCode: 'A1.1', aCode: 'A1', inner: `${i}.jpg`, meta: {} } as EvidenceFile);
  }
  return files;
}

describe('photos prepared ahead', () => {
  it('are what photoSize gives, in the box, each prepared once', async () => {
    const files = await photos(3);
    const ws = Workspace.create(tempDir('cc-ahead-tmp-'), process.env);
    try {
      const assets = new BuildAssets(ws, { photoBox: { width: 300, height: 300 }, pageImages: false });
      assets.prepareAhead(files, 2);
      const sizes = await Promise.all(files.map((f) => assets.photoSize(f)));
      expect(sizes).toEqual(files.map(() => ({ width: 300, height: 225 })));
      // asked again: the same preparation, not a second one (one prepared file per photo)
      await assets.photoSize(files[0]!);
      expect(readdirSync(path.join(ws.dir, 'photos'))).toHaveLength(3);
      await assets.settle();
    } finally {
      ws.disposeSync();
    }
  });

  it('once stopped: what is queued is not started, what runs is waited for, nothing is written after the folder went', async () => {
    const files = await photos(10);
    const root = tempDir('cc-ahead-tmp-');
    const ws = Workspace.create(root, process.env);
    const assets = new BuildAssets(ws, { photoBox: { width: 600, height: 600 }, pageImages: false });
    assets.prepareAhead(files, 2);
    await new Promise((r) => setImmediate(r)); // the first two under way in libvips, the others queued
    await assets.settle();
    ws.disposeSync();
    const outcomes = await Promise.allSettled(files.map((f) => assets.photoSize(f)));
    // the last ones were never started: they say the build stopped
    expect(outcomes.at(-1)).toMatchObject({ status: 'rejected', reason: { message: '装订已停止' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('one decode per photo in a build (issue 19)', () => {
  const manual = { volume: { photosPerPage: 1 } } as Manual;
  const box = photoBoxFor(manual);

  it("photos check measured while preparing them are taken by binding, not prepared again: preparePhoto's bytes", async () => {
    const files = await photos(3);
    const ws = Workspace.create(tempDir('cc-once-tmp-'), process.env);
    try {
      const once = new PhotosMeasuredOnce(() => ws.sub('measured'));
      const quality = await photoQuality(files, 'once', undefined, { measure: once.measurer(manual) });
      expect(quality.undecodable).toEqual([]);
      expect(once.counts).toEqual({ prepared: 3, taken: 0 });
      expect(readdirSync(path.join(ws.dir, 'measured'))).toHaveLength(3);
      const assets = new BuildAssets(ws, { photoBox: box, pageImages: false, once });
      assets.prepareAhead(files, 2);
      await Promise.all(files.map((f) => assets.photoSize(f)));
      expect(once.counts).toEqual({ prepared: 3, taken: 3 });
      for (const f of files) {
        const direct = await preparePhoto(f, box.width, box.height);
        expect(Buffer.from((await assets.photo(f.path)).bytes).equals(Buffer.from(direct.bytes))).toBe(true);
      }
      // taken once: the copies made for check are gone
      expect(readdirSync(path.join(ws.dir, 'measured'))).toEqual([]);
      await assets.settle();
    } finally {
      ws.disposeSync();
    }
  });

  it("a photo taken from check is kept in the build's cache as binding keeps the ones it prepares: the next build takes it from there", async () => {
    const files = await photos(2);
    // two pictures (two contents, two cached photos)
    writeFileSync(files[1]!.abs as string, await sharp({ create: { width: 1800, height: 2400, channels: 3, background: '#3060a0' } }).jpeg().toBuffer());
    const dir = tempDir('cc-once-cache-');
    const cache = new Cache(dir);
    const hashes = new FileHashes(cache, 'once');
    const ws = Workspace.create(tempDir('cc-once-tmp-'), process.env);
    try {
      const once = new PhotosMeasuredOnce(() => ws.sub('measured'));
      await photoQuality(files, 'once', cache, { known: hashes, measure: once.measurer(manual) });
      const assets = new BuildAssets(ws, { photoBox: box, pageImages: false, once, cache, hashes });
      await Promise.all(files.map((f) => assets.photoSize(f)));
      expect(once.counts).toEqual({ prepared: 2, taken: 2 });
      const cached = () => readdirSync(path.join(dir, 'v1', 'photo'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(cached()).toHaveLength(2);
      const direct = await preparePhoto(files[1]!, box.width, box.height);
      // the file's bytes made garbage, its identity (size, mtime to the nanosecond, inode) kept: only
      // the cache can still give its prepared photo (a preparation would fail)
      const abs = files[1]!.abs as string;
      execFileSync('cp', ['-p', abs, `${abs}.ref`]);
      writeFileSync(abs, Buffer.alloc(statSync(abs).size, 0x5a));
      execFileSync('touch', ['-r', `${abs}.ref`, abs]);
      const again = new BuildAssets(ws, { photoBox: box, pageImages: false, cache, hashes });
      expect(await again.photoSize(files[1]!)).toEqual({ width: direct.width, height: direct.height });
      expect(Buffer.from((await again.photo(files[1]!.path)).bytes).equals(Buffer.from(direct.bytes))).toBe(true);
      await Promise.all([assets.settle(), again.settle()]);
    } finally {
      ws.disposeSync();
    }
  });

  it('a photo changed since check, or prepared for another box, is prepared again from what the file holds now', async () => {
    const [changed, other] = await photos(2);
    const ws = Workspace.create(tempDir('cc-once-tmp-'), process.env);
    try {
      const once = new PhotosMeasuredOnce(() => ws.sub('measured'));
      await photoQuality([changed!, other!], 'once', undefined, { measure: once.measurer(manual) });
      expect(once.counts.prepared).toBe(2);
      // another picture under the first name (a new identity): binding must not take the old one
      const now = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#3060a0' } }).jpeg().toBuffer();
      writeFileSync(changed!.abs as string, now);
      const assets = new BuildAssets(ws, { photoBox: box, pageImages: false, once });
      const fresh = await preparePhoto(changed!, box.width, box.height);
      expect(fresh.height).toBe(box.height); // (the new picture is portrait: not the old one's size)
      expect(await assets.photoSize(changed!)).toEqual({ width: fresh.width, height: fresh.height });
      expect(Buffer.from((await assets.photo(changed!.path)).bytes).equals(Buffer.from(fresh.bytes))).toBe(true);
      const small = new BuildAssets(ws, { photoBox: { width: 300, height: 300 }, pageImages: false, once });
      expect(await small.photoSize(other!)).toEqual({ width: 300, height: 225 });
      expect(once.counts.taken).toBe(0);
      await Promise.all([assets.settle(), small.settle()]);
    } finally {
      ws.disposeSync();
    }
  });

  it('check decodes no photo whose measurement the cache holds, and prepares none of an A-level not built', async () => {
    const files = await photos(2);
    const cache = new Cache(tempDir('cc-once-cache-'));
    const ws = Workspace.create(tempDir('cc-once-tmp-'), process.env);
    try {
      const first = new PhotosMeasuredOnce(() => ws.sub('measured'));
      await photoQuality(files, 'once', cache, { measure: first.measurer(manual) });
      expect(first.counts.prepared).toBe(2);
      // a second build: measurements from the cache, nothing prepared (binding prepares, or takes the prepared photo from the cache)
      const second = new PhotosMeasuredOnce(() => ws.sub('measured-2'));
      const measure = second.measurer(manual);
      let asked = 0;
      await photoQuality(files, 'once', cache, { measure: (f, b) => (asked++, measure(f, b)) });
      expect([asked, second.counts.prepared]).toEqual([0, 0]);
      // photos of A-levels this build does not make (--only, --shard) are measured as check measures them
      const third = new PhotosMeasuredOnce(() => ws.sub('measured-3'));
      const q = await photoQuality(files, 'once', undefined, { measure: third.measurer(manual, (f) => f.aCode !== 'A1') });
      expect(third.counts.prepared).toBe(0);
      expect(q.undecodable).toEqual([]);
    } finally {
      ws.disposeSync();
    }
  });
});
