// Photos prepared ahead of the volumes that need them (assets.ts): a build that stops — finished or
// failed — starts nothing more, waits for what is under way, and nothing is written into the run's
// temporary folder after it is gone. (The command line exits at once; a program calling build()
// keeps running, and late writes would make the folder again and leave it behind.)
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BuildAssets } from '../../src/build/assets/index.js';
import type { EvidenceFile } from '../../src/model.js';
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
