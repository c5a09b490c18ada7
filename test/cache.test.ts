// The content-addressed cache: hits and misses, damaged entries, eviction of the least recently used,
// and two processes writing one entry at once.
import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache, cacheKey } from '../src/cache/store.js';
import { ROOT, tempDir } from './helpers.js';

const entryFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));

describe('cache store', () => {
  it('a key depends on every part and on the version; a miss, then a hit of the same bytes', () => {
    expect(cacheKey('n', 'a', 1)).toBe(cacheKey('n', 'a', 1));
    expect(cacheKey('n', 'a', 1)).not.toBe(cacheKey('n', 'a', 2));
    expect(cacheKey('n', 'a', undefined)).not.toBe(cacheKey('n', 'a', ''));
    expect(cacheKey('n', 'ab', 'c')).not.toBe(cacheKey('n', 'a', 'bc'));
    const c = new Cache(tempDir('store-'));
    const k = cacheKey('t', 'x');
    expect(c.get('t', k)).toBeUndefined();
    c.put('t', k, Buffer.from('内容'));
    expect(c.get('t', k)!.toString()).toBe('内容');
    expect(c.stats).toMatchObject({ hits: 1, misses: 1, writes: 1, corrupt: 0 });
    c.putJson('t', cacheKey('t', 'j'), { a: [1, 2] });
    expect(c.getJson('t', cacheKey('t', 'j'))).toEqual({ a: [1, 2] });
  });

  it('a damaged entry (cut short, a flipped byte, another file) is removed and counts as a miss', () => {
    const dir = tempDir('store-');
    const c = new Cache(dir);
    for (const damage of [(b: Buffer) => b.subarray(0, 30), (b: Buffer) => Buffer.from(b.toString('latin1').replace('payload', 'pAyload'), 'latin1'), () => Buffer.from('%PDF-1.7 not ours')]) {
      const k = cacheKey('t', String(damage));
      c.put('t', k, Buffer.from('payload bytes'));
      const [file] = entryFiles(dir).filter((f) => f.endsWith(k));
      writeFileSync(file!, damage(readFileSync(file!)));
      expect(c.get('t', k)).toBeUndefined();
      expect(entryFiles(dir).some((f) => f.endsWith(k))).toBe(false);
    }
    expect(c.stats.corrupt).toBe(3);
  });

  it('eviction removes the least recently used entries down to 90 % of the limit; a read counts as a use', () => {
    const dir = tempDir('store-');
    const c = new Cache(dir, 10_000);
    const keys = Array.from({ length: 10 }, (_, i) => cacheKey('t', i));
    keys.forEach((k, i) => {
      c.put('t', k, Buffer.alloc(1_000, i));
      // oldest first: entry i last used i minutes after the first
      const f = entryFiles(dir).find((x) => x.endsWith(k))!;
      const t = new Date(Date.UTC(2026, 0, 1, 0, i));
      utimesSync(f, t, t);
    });
    c.get('t', keys[0]!); // the oldest is used again: now the newest
    const { removed, bytes } = c.evict();
    expect(bytes).toBeLessThanOrEqual(9_000);
    expect(removed).toBeGreaterThan(0);
    const left = new Set(entryFiles(dir).map((f) => path.basename(f)));
    expect(left.has(keys[0]!)).toBe(true);
    expect(left.has(keys[1]!)).toBe(false);
    expect(left.has(keys[9]!)).toBe(true);
  });

  it('a leftover temporary file of a run that died is removed when old; a fresh one is left to its writer', () => {
    const dir = tempDir('store-');
    const c = new Cache(dir);
    const k = cacheKey('t', 'k');
    c.put('t', k, Buffer.from('x'));
    const folder = path.dirname(entryFiles(dir)[0]!);
    writeFileSync(path.join(folder, `${k}.999.deadbeef.tmp`), 'half');
    writeFileSync(path.join(folder, `${k}.998.cafebabe.tmp`), 'half');
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(path.join(folder, `${k}.999.deadbeef.tmp`), old, old);
    c.evict();
    expect(readdirSync(folder).sort()).toEqual([k, `${k}.998.cafebabe.tmp`]);
  });

  it('two processes writing the same entries at once: every entry ends whole and readable', async () => {
    const dir = tempDir('store-');
    const script = `
      import { Cache, cacheKey } from ${JSON.stringify(path.join(ROOT, 'dist/cache/store.js'))};
      const c = new Cache(${JSON.stringify(dir)});
      for (let i = 0; i < 200; i++) c.put('t', cacheKey('t', i % 20), Buffer.alloc(50_000 + (i % 20), i % 20));
    `;
    const runOne = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
        child.on('close', resolve);
      });
    expect(await Promise.all([runOne(), runOne()])).toEqual([0, 0]);
    const c = new Cache(dir);
    for (let i = 0; i < 20; i++) {
      const b = c.get('t', cacheKey('t', i));
      expect(b?.length).toBe(50_000 + i);
      expect(b!.every((x) => x === i)).toBe(true);
    }
    expect(entryFiles(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(c.stats.corrupt).toBe(0);
  });

  it('a cache that cannot be written (a file where the folder should be) only loses the saving: check and build still work', async () => {
    const root = tempDir('cc-cache-file-');
    const notAFolder = path.join(root, 'cache');
    writeFileSync(notAFolder, 'a file, not a folder');
    const c = new Cache(notAFolder);
    expect(() => c.put('ns', cacheKey('ns', 'x'), new Uint8Array([1, 2, 3]))).not.toThrow();
    expect(c.get('ns', cacheKey('ns', 'x'))).toBeUndefined();
    expect(() => c.evict()).not.toThrow();
    const { check } = await import('../src/check/index.js');
    const { EXAMPLE } = await import('./helpers.js');
    const { report } = await check({ dir: EXAMPLE, today: '2024-05-20', cache: notAFolder });
    expect(report.summary.kept).toBeGreaterThan(0);
    // build too: every volume written, as without a cache (PDF only: the binding, not LibreOffice, is tested here)
    const { bindHere } = await import('./helpers.js');
    const project = path.join(root, 'school');
    cpSync(EXAMPLE, project, { recursive: true, filter: (src) => path.basename(src) !== 'out' });
    const built = await bindHere(project, { cache: notAFolder });
    expect(built.report.volumes?.map((v) => v.file)).toEqual(report.indicators.map((a) => `${a.code} ${a.title}.pdf`));
    expect(built.files.filter((f) => f.endsWith('.pdf'))).toHaveLength(report.indicators.length);
    expect(built.reused).toBe(0);
    expect(readFileSync(notAFolder, 'utf8')).toBe('a file, not a folder');
  });
});
