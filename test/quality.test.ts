// issue 9: photo quality in `check` — near-duplicates and blurred photos, calibrated on photos made
// by ImageMagick the way cameras and WeChat make them; the measurements kept in the cache.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { BLURRY_BELOW } from '../src/evidence/quality.js';
import type { Report } from '../src/report/report.js';
import type { EvidenceFile } from '../src/model.js';
import { M_CONVERT, project, tempDir } from './helpers.js';

const FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
let dir: string;
const img = (name: string) => path.join(dir, name);
const im = (...args: string[]) => execFileSync(M_CONVERT, args);

/** A camera-like scene: a textured background, a bright disc at x=cx, a dark panel, a caption. */
function scene(file: string, seed: number, cx: number, colours = 'steelblue-tan') {
  im('-size', '1600x1200', '-seed', String(seed), `plasma:${colours}`, '-blur', '0x1',
    '-fill', 'rgba(255,255,255,0.6)', '-draw', `circle ${cx},560 ${cx + 200},560`,
    '-fill', 'rgba(40,40,40,0.8)', '-draw', 'rectangle 960,320 1360,960',
    '-font', FONT, '-pointsize', '72', '-fill', 'white', '-stroke', 'black', '-strokewidth', '3', '-annotate', '+240+240', '主题班会',
    '-attenuate', '0.3', '+noise', 'Gaussian', '-quality', '88', file);
}

beforeAll(() => {
  dir = tempDir('quality-');
  scene(img('a.jpg'), 11, 480);
  scene(img('moved.jpg'), 11, 760); // the same room, the disc elsewhere: another moment
  scene(img('recoloured.jpg'), 11, 480, 'darkred-khaki'); // the same layout in other colours
  scene(img('other.jpg'), 23, 480); // another picture
  im(img('a.jpg'), '-resize', '1280x', '-quality', '70', img('a_wechat.jpg')); // as WeChat re-sends it
  im(img('a.jpg'), '-quality', '45', img('a_q45.jpg')); // recompressed
  im(img('a.jpg'), '-resize', '640x', '-quality', '80', img('a_small.jpg')); // a thumbnail-size copy
  im(img('a.jpg'), '-blur', '0x1', '-quality', '88', img('a_soft.jpg')); // slightly soft: fine (-blur: the same Gaussian, separable, 8× faster than -gaussian-blur)
  im(img('a.jpg'), '-blur', '0x4', '-quality', '88', img('a_blur.jpg')); // out of focus
  im(img('a.jpg'), '-motion-blur', '0x12+30', '-quality', '88', img('a_shake.jpg')); // a shaking hand
  im('-size', '1600x1200', 'gradient:white-lightblue', '-attenuate', '0.2', '+noise', 'Gaussian', '-quality', '88', img('sky.jpg')); // nothing to judge by
});

const MANUAL = `title: t
unit: u
indicators:
  - code: A1
    title: 活动
    indicators:
      - code: A1.1
        title: 班会
        evidence:
          - { title: 活动照片, kind: photo, min: 1 }
      - code: A1.2
        title: 讲座
        evidence:
          - { title: 讲座照片, kind: photo, min: 1 }
`;

async function reportWith(files: Record<string, string>, cache: string | null = null): Promise<{ report: Report; evidence: string }> {
  const p = project(MANUAL);
  for (const [rel, src] of Object.entries(files)) p.copy(img(src), rel);
  const { report } = await check({ dir: p.dir, today: '2024-01-01', cache });
  return { report, evidence: p.evidence };
}

const quality = (r: Report) => r.warnings.filter((w) => w.code === 'near-duplicate' || w.code === 'blurry').map((w) => [w.code, w.path, w.params]);

describe('near-duplicate photos (within one B-level)', () => {
  it('a resized, recompressed or WeChat-sent copy names the photo it repeats', async () => {
    const { report } = await reportWith({
      'A1.1/2023-10-01 班会 1.jpg': 'a.jpg',
      'A1.1/2023-10-01 班会 2.jpg': 'a_wechat.jpg',
      'A1.1/2023-10-01 班会 3.jpg': 'a_q45.jpg',
      'A1.1/2023-10-01 班会 4.jpg': 'a_small.jpg',
    });
    const near = report.warnings.filter((w) => w.code === 'near-duplicate');
    expect(near.map((w) => [w.path, (w.params as { of: string }).of])).toEqual([
      ['A1.1/2023-10-01 班会 2.jpg', 'A1.1/2023-10-01 班会 1.jpg'],
      ['A1.1/2023-10-01 班会 3.jpg', 'A1.1/2023-10-01 班会 1.jpg'],
      ['A1.1/2023-10-01 班会 4.jpg', 'A1.1/2023-10-01 班会 1.jpg'],
    ]);
    for (const w of near) expect((w.params as { distance: number }).distance).toBeLessThanOrEqual(6);
    expect(near[0]!.detail).toBe('与本指标的 A1.1/2023-10-01 班会 1.jpg 几乎是同一张照片（缩放、压缩或微信转发过的副本）；检查组会视为重复凑数，请只留一张，换一张不同的现场照片');
  });

  it('distinct photos of a similar scene are not flagged: the same room at another moment, the same layout in other colours, another picture', async () => {
    const { report } = await reportWith({
      'A1.1/2023-10-01 班会 1.jpg': 'a.jpg',
      'A1.1/2023-10-01 班会 2.jpg': 'moved.jpg',
      'A1.1/2023-10-01 班会 3.jpg': 'recoloured.jpg',
      'A1.1/2023-10-01 班会 4.jpg': 'other.jpg',
    });
    expect(quality(report)).toEqual([]);
  });

  it('copies in two B-levels are not near-duplicates of each other (a photo may serve two indicators)', async () => {
    const { report } = await reportWith({ 'A1.1/2023-10-01 班会.jpg': 'a.jpg', 'A1.2/2023-10-01 讲座.jpg': 'a_wechat.jpg' });
    expect(report.warnings.filter((w) => w.code === 'near-duplicate')).toEqual([]);
  });
});

describe('blurry photos', () => {
  it('out of focus and shaken photos are flagged with their sharpness; a sharp, a slightly soft and a featureless photo are not', async () => {
    const { report } = await reportWith({
      'A1.1/2023-10-01 清晰.jpg': 'a.jpg',
      'A1.2/2023-10-02 稍软.jpg': 'a_soft.jpg',
      'A1.2/2023-10-03 失焦.jpg': 'a_blur.jpg',
      'A1.2/2023-10-04 手抖.jpg': 'a_shake.jpg',
      'A1.2/2023-10-05 天空.jpg': 'sky.jpg',
    });
    const blurry = report.warnings.filter((w) => w.code === 'blurry');
    expect(blurry.map((w) => w.path)).toEqual(['A1.2/2023-10-03 失焦.jpg', 'A1.2/2023-10-04 手抖.jpg']);
    for (const w of blurry) expect(w.params).toEqual({ sharpness: expect.any(Number), threshold: BLURRY_BELOW });
    for (const w of blurry) expect((w.params as { sharpness: number }).sharpness).toBeLessThan(BLURRY_BELOW);
    expect(blurry[0]!.detail).toMatch(/^照片模糊（清晰度 0\.\d\d，低于 0\.27），打印出来看不清；请换一张清晰的，或找原图$/);
    // blurred copies of one picture are also near-duplicates of it only within one B-level
    expect(report.warnings.filter((w) => w.code === 'near-duplicate').map((w) => w.path)).toEqual(['A1.2/2023-10-03 失焦.jpg', 'A1.2/2023-10-04 手抖.jpg']);
  });
});

describe('the measurements are cached by file identity', () => {
  it('a second check reads them back; a changed photo is measured again; a damaged cache entry is made again', async () => {
    const cache = tempDir('qcache-');
    const p = project(MANUAL);
    p.copy(img('a.jpg'), 'A1.1/2023-10-01 班会 1.jpg');
    p.copy(img('a_blur.jpg'), 'A1.1/2023-10-01 班会 2.jpg');
    const first = await check({ dir: p.dir, today: '2024-01-01', cache });
    const entries = () => readdirSync(path.join(cache, 'v1', 'photo-facts-v4'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(entries()).toHaveLength(1);
    const file = path.join(entries()[0]!.parentPath, entries()[0]!.name);
    const stamp = statSync(file).mtimeMs;
    const second = await check({ dir: p.dir, today: '2024-01-01', cache });
    expect(quality(second.report)).toEqual(quality(first.report));
    expect(statSync(file).mtimeMs).toBeGreaterThanOrEqual(stamp); // read (touched), not rewritten with new content
    expect(quality(first.report).map((q) => q[0])).toEqual(['blurry', 'near-duplicate']);
    // the blurred photo replaced by a sharp, different one under the same name: measured again
    copyFileSync(img('other.jpg'), path.join(p.evidence, 'A1.1/2023-10-01 班会 2.jpg'));
    utimesSync(path.join(p.evidence, 'A1.1/2023-10-01 班会 2.jpg'), new Date(), new Date(Date.now() + 5000));
    const third = await check({ dir: p.dir, today: '2024-01-01', cache });
    expect(quality(third.report)).toEqual([]);
    // a cache entry cut short is noticed, removed and made again
    writeFileSync(file, readFileSync(file).subarray(0, 40));
    const fourth = await check({ dir: p.dir, today: '2024-01-01', cache });
    expect(quality(fourth.report)).toEqual([]);
    expect(readFileSync(file).length).toBeGreaterThan(40);
  });
});

describe('the measurements are also cached by content', () => {
  it('a copy of the folder (every file a new identity, as in a fresh CI checkout) takes them from the cache: no photo is decoded again', async () => {
    const cache = tempDir('qcache-');
    const p = project(MANUAL);
    p.copy(img('a.jpg'), 'A1.1/2023-10-01 班会.jpg');
    expect(quality((await check({ dir: p.dir, today: '2024-01-01', cache })).report)).toEqual([]);
    // the entry kept under the photo's content hash is made to say the photo is blurred: a check
    // that decoded the photo again would find it sharp
    const { Cache, cacheKey } = await import('../src/cache/store.js');
    const store = new Cache(cache);
    const key = cacheKey('photo-facts-sha-v4', createHash('sha256').update(readFileSync(img('a.jpg'))).digest('hex'));
    const facts = store.getJson<Record<string, unknown>>('photo-facts-sha-v4', key);
    expect(facts).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{16}$/), sharpness: expect.any(Number) });
    store.putJson('photo-facts-sha-v4', key, { ...facts, sharpness: 0.01 });
    const copy = project(MANUAL);
    cpSync(p.evidence, copy.evidence, { recursive: true });
    expect(quality((await check({ dir: copy.dir, today: '2024-01-01', cache })).report)).toEqual([['blurry', 'A1.1/2023-10-01 班会.jpg', { sharpness: 0.01, threshold: BLURRY_BELOW }]]);
    // the original folder is still known by identity: its own entry, not the content one
    expect(quality((await check({ dir: p.dir, today: '2024-01-01', cache })).report)).toEqual([]);
  });
});

describe('what check finds inside each file is cached by file identity', () => {
  it('a warm check reads no unchanged file; a file whose identity changed is read again', async () => {
    const cache = tempDir('pcache-');
    const p = project(MANUAL);
    const { jpeg } = await import('./helpers.js');
    // two photos of the same size whose EXIF dates differ
    const oct = await jpeg({ date: '2023:10:05 09:00:00', seed: 4 });
    const nov = await jpeg({ date: '2023:11:05 09:00:00', seed: 4 });
    expect(nov.length).toBe(oct.length);
    const file = p.write('A1.1/班会.jpg', oct);
    const dateOf = (r: Awaited<ReturnType<typeof check>>) => r.assessment.kept.find((f) => f.path === 'A1.1/班会.jpg')!.meta.date;
    expect(dateOf(await check({ dir: p.dir, today: '2024-01-01', cache }))).toBe('2023-10-05');
    // the content changes but size, modification time and inode stay: the cached finding is used
    // (this is what a warm check relies on; editors and copies always change the time)
    // (touch -r keeps the nanoseconds, which utimes in Node would round)
    const ref = path.join(p.dir, 'ref');
    writeFileSync(ref, '');
    execFileSync('touch', ['-r', file, ref]);
    writeFileSync(file, nov);
    execFileSync('touch', ['-r', ref, file]);
    const { mtime, atime } = statSync(file);
    expect(dateOf(await check({ dir: p.dir, today: '2024-01-01', cache }))).toBe('2023-10-05');
    expect(dateOf(await check({ dir: p.dir, today: '2024-01-01', cache: null }))).toBe('2023-11-05');
    // a new modification time: read again
    utimesSync(file, atime, new Date(mtime.getTime() + 2000));
    expect(dateOf(await check({ dir: p.dir, today: '2024-01-01', cache }))).toBe('2023-11-05');
  });
});

describe('check and build measure a photo alike (issue 19: one canonical thumbnail, made two ways)', () => {
  it("on every fixture above and odd photos: the same verdicts, values within MEASURE_TOLERANCE, and build's prepared photo byte for byte preparePhoto's", async () => {
    const { measurePhoto, nearDuplicate, hashDistance, thumbDistance, MEASURE_TOLERANCE, UndecodableError } = await import('../src/evidence/quality.js');
    const { prepareAndMeasure, photoBoxFor } = await import('../src/convert/photo-measured.js');
    const { preparePhoto } = await import('../src/convert/photo.js');
    type Facts = Awaited<ReturnType<typeof measurePhoto>>;
    // odd photos beside the fixtures: EXIF-rotated, grey, CMYK, transparent PNG, an animation, a
    // small JPEG that binding passes through as it is, a cut one (damaged) and one that no decoder reads
    im(img('a.jpg'), '-rotate', '-90', '-orient', 'RightTop', img('rotated.jpg'));
    im(img('a.jpg'), '-colorspace', 'Gray', img('grey.jpg'));
    im(img('sky.jpg'), '-quality', '45', img('sky_q45.jpg'));
    im(img('a.jpg'), '-colorspace', 'CMYK', img('cmyk.jpg'));
    im(img('a.jpg'), '-resize', '900x', '-alpha', 'set', '-channel', 'A', '-evaluate', 'set', '60%', '+channel', img('alpha.png'));
    im('-size', '700x500', 'xc:red', 'xc:green', 'xc:blue', '-loop', '0', img('anim.gif'));
    const whole = readFileSync(img('a.jpg'));
    // (broken off in its scan data with FF D9 after it, as test/images.test.ts makes one: libjpeg calls it corrupt)
    writeFileSync(img('cut.jpg'), Buffer.concat([whole.subarray(0, Math.floor(whole.length * 0.6)), Buffer.from([0xff, 0xd9])]));
    // (the 16 code-length counts of its first Huffman table set to FF, as test/images.test.ts makes one)
    const bad = Buffer.from(whole);
    const dht = bad.indexOf(Buffer.from([0xff, 0xc4]));
    bad.fill(0xff, dht + 5, dht + 21);
    writeFileSync(img('garbage.jpg'), bad);
    const names = ['a', 'moved', 'recoloured', 'other', 'a_wechat', 'a_q45', 'a_small', 'a_soft', 'a_blur', 'a_shake', 'sky', 'sky_q45', 'rotated', 'grey', 'cmyk', 'alpha', 'anim', 'cut', 'garbage'];
    const ext = (n: string) => (n === 'alpha' ? 'png' : n === 'anim' ? 'gif' : 'jpg');
    const measured = async (fn: () => Promise<Facts>) => fn().catch((err: unknown) => (err instanceof UndecodableError ? ('undecodable' as const) : Promise.reject(err)));
    for (const perPage of [1, 2, 4] as const) {
      const box = photoBoxFor({ volume: { photosPerPage: perPage } } as Parameters<typeof photoBoxFor>[0]);
      const both: { name: string; check: Facts; build: Facts }[] = [];
      const kinds: Record<string, string> = {};
      const undecodable: string[] = [];
      for (const name of names) {
        const file = { path: `A1.1/${name}.${ext(name)}`, abs: img(`${name}.${ext(name)}`), size: 0, type: ext(name), kind: 'photo', bCode: 'A1.1', aCode: 'A1', inner: name, meta: {} } as EvidenceFile;
        const bytes = readFileSync(file.abs);
        const check = await measured(() => measurePhoto(file, bytes));
        let prepared: Awaited<ReturnType<typeof prepareAndMeasure>> | undefined;
        const build = await measured(async () => (prepared = await prepareAndMeasure(file, box.width, box.height, bytes)).facts);
        const what = `${name}, ${perPage} a page`;
        expect(build === 'undecodable', what).toBe(check === 'undecodable');
        if (check === 'undecodable' || build === 'undecodable') {
          undecodable.push(name);
          continue;
        }
        // what binding draws does not change: the photo prepared as preparePhoto prepares it (a
        // damaged one: as binding prepares it once check has marked it)
        const direct = await preparePhoto({ ...file, damaged: check.damage !== undefined }, box.width, box.height, undefined, bytes);
        expect(Buffer.from(prepared!.photo.bytes).equals(Buffer.from(direct.bytes)), `${what}: prepared bytes`).toBe(true);
        expect([prepared!.photo.width, prepared!.photo.height, prepared!.photo.format], what).toEqual([direct.width, direct.height, direct.format]);
        kinds[name] = prepared!.decoded;
        expect({ damage: build.damage, frames: build.frames, judged: build.sharpness !== undefined }, what).toEqual({ damage: check.damage, frames: check.frames, judged: check.sharpness !== undefined });
        if (check.sharpness !== undefined) {
          expect(Math.abs(build.sharpness! - check.sharpness), `${what}: sharpness ${check.sharpness} / ${build.sharpness}`).toBeLessThanOrEqual(MEASURE_TOLERANCE.sharpness);
          expect(build.sharpness! < BLURRY_BELOW, `${what}: blurry`).toBe(check.sharpness < BLURRY_BELOW);
        }
        // the hash of a photo with strong edges (one judged for sharpness); a featureless one (the
        // sky) hashes to noise along any path: see its recompressed copy below
        if (check.sharpness !== undefined) expect(hashDistance(build.hash, check.hash), `${what}: hash`).toBeLessThanOrEqual(MEASURE_TOLERANCE.hashBits);
        expect(thumbDistance(build.thumb, check.thumb), `${what}: colour copy`).toBeLessThanOrEqual(MEASURE_TOLERANCE.thumb);
        both.push({ name, check, build });
      }
      // how each was decoded: once (prepared and measured from one decode), but the portrait photo two
      // or four to a page, prepared smaller than the thumbnail (measured apart), and the JPEGs that fit
      // their box at one a page (passed through as they are, so only measured)
      const passed = perPage === 1 ? ['a_small', 'a_wechat'] : [];
      const expected = Object.fromEntries(names.filter((n) => n !== 'garbage').map((n) => [n, passed.includes(n) ? 'measured' : n === 'rotated' && perPage > 1 ? 'twice' : 'once']));
      expect(kinds, `${perPage} a page`).toEqual(expected);
      expect(undecodable).toEqual(['garbage']);
      expect(both.find((x) => x.name === 'cut')!.check.damage).toBeDefined();
      expect(both.find((x) => x.name === 'anim')!.build.frames).toBe(3);
      expect(both.filter((x) => x.build.sharpness !== undefined && x.build.sharpness < BLURRY_BELOW).map((x) => x.name)).toEqual(['a_blur', 'a_shake']);
      // near-duplicate verdicts for every pair, both measured by check, both by build, and one each (a cache may hold a mix)
      let near = 0;
      for (const x of both) {
        for (const y of both) {
          if (x === y) continue;
          const c = nearDuplicate(x.check, y.check) !== undefined;
          if (c) near++;
          const pairs = [nearDuplicate(x.build, y.build), nearDuplicate(x.check, y.build), nearDuplicate(x.build, y.check)].map((v) => v !== undefined);
          expect(pairs, `${x.name} ~ ${y.name}, ${perPage} a page`).toEqual([c, c, c]);
        }
      }
      expect(near).toBeGreaterThanOrEqual(2 * 6);
      // why a featureless photo's hash has no tolerance: check alone, on the sky and its recompressed
      // copy, moves more bits than the tolerance (and neither path calls them near-duplicates, above)
      const [sky, skyCopy] = ['sky', 'sky_q45'].map((n) => both.find((x) => x.name === n)!);
      expect(hashDistance(sky!.check.hash, skyCopy!.check.hash)).toBeGreaterThan(MEASURE_TOLERANCE.hashBits);
    }
  });
});
