// Issue 10: the build's content cache (office conversions, prepared photos, DOCX page images) and
// volumes kept when nothing they are made from changed. LibreOffice is stood in for by a script
// that answers as LibreOffice and "converts" by copying a PDF made by LibreOffice, logging each
// call: the tests count conversions without paying for LibreOffice.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindHere, jpeg, LO_DOCX, LO_PDF, manualYaml, project, run, sofficeStandIn, tempDir, type Project } from './helpers.js';

const TWO = manualYaml(`  - code: A1
    title: 组织领导
    indicators:
      - code: A1.1
        title: 领导机构健全
  - code: A2
    title: 理想信念教育
    indicators:
      - code: A2.1
        title: 主题教育活动
`);

/** A stand-in for soffice that copies LO_PDF for each input; `runs()` counts its runs. */
function fakeSoffice(): { bin: string; runs: () => number } {
  const lo = sofficeStandIn(`  cp '${LO_PDF}' "$out/\${b%.*}.$fmt"`);
  return { bin: lo.bin, runs: () => lo.runs().length };
}

async function twoLevels(): Promise<Project> {
  const p = project(TWO);
  p.copy(LO_DOCX, 'A1.1 领导机构/2023-09-10 工作计划.docx');
  p.write('A1.1 领导机构/2023-09-12 会议照片.jpg', await jpeg({ width: 2400, height: 1800, date: '2023:09:12 10:00:00', seed: 3 }));
  p.copy(LO_PDF, 'A2.1 主题教育/2023-10-01 活动方案.pdf');
  p.write('A2.1 主题教育/2023-10-02 活动照片.jpg', await jpeg({ width: 2400, height: 1800, date: '2023:10:02 10:00:00', seed: 5 }));
  return p;
}

const outputs = (dir: string) => readdirSync(dir).filter((n) => /\.(pdf|docx|xlsx|json)$/.test(n)).sort();
/** What identifies a file on disk as the same file, not rewritten: inode and modification time. */
const stamp = (file: string) => {
  const st = statSync(file, { bigint: true });
  return `${st.ino}:${st.mtimeNs}`;
};
const entries = (cache: string, ns: string) => {
  const root = path.join(cache, 'v1', ns);
  return existsSync(root) ? readdirSync(root).flatMap((d) => readdirSync(path.join(root, d)).map((f) => path.join(root, d, f))) : [];
};

describe('issue 10: the build cache', () => {
  it('a build into a new folder takes conversions, photos and page images from the cache, and writes the same bytes as without it', async () => {
    const p = await twoLevels();
    const lo = fakeSoffice();
    const cache = tempDir('cc-bc-');
    const both = { formats: ['pdf', 'docx'] as ('pdf' | 'docx')[], soffice: lo.bin };
    const cold = await bindHere(p.dir, { ...both, out: path.join(p.dir, 'out1'), cache });
    expect(lo.runs()).toBe(1);
    expect(cold.reused).toBe(0);
    expect(entries(cache, 'office-pdf')).toHaveLength(1);
    expect(entries(cache, 'photo')).toHaveLength(2);
    // the LibreOffice PDF (twice: the evidence PDF and the converted document, same bytes) drawn once
    expect(entries(cache, 'page-images')).toHaveLength(1);
    expect(entries(cache, 'volume')).toHaveLength(2);
    // LibreOffice's profile is kept for the next build
    const profiles = readdirSync(path.join(cache, 'soffice-profile'));
    expect(profiles).toHaveLength(1);
    expect(existsSync(path.join(cache, 'soffice-profile', profiles[0]!, 'user', 'registrymodifications.xcu'))).toBe(true);

    const warm = await bindHere(p.dir, { ...both, out: path.join(p.dir, 'out2'), cache });
    expect(lo.runs()).toBe(1); // the document came from the cache
    expect(warm.reused).toBe(0); // nothing to keep in a new folder: made again, from the cache
    const none = await bindHere(p.dir, { ...both, out: path.join(p.dir, 'out3'), cache: null });
    expect(lo.runs()).toBe(2);
    const names = outputs(path.join(p.dir, 'out1'));
    expect(names).toEqual(['A1 组织领导.docx', 'A1 组织领导.pdf', 'A2 理想信念教育.docx', 'A2 理想信念教育.pdf', 'report.json', '目录.xlsx']);
    expect(outputs(path.join(p.dir, 'out2'))).toEqual(names);
    for (const n of names) {
      const a = readFileSync(path.join(p.dir, 'out1', n));
      expect(readFileSync(path.join(p.dir, 'out2', n)).equals(a), `${n} with a warm cache`).toBe(true);
      expect(readFileSync(path.join(p.dir, 'out3', n)).equals(a), `${n} without a cache`).toBe(true);
    }
    expect(none.report.volumes).toEqual(cold.report.volumes);
  });

  it('an unchanged volume is kept, not rewritten; one new photo makes only its A-level again', async () => {
    const p = await twoLevels();
    const lo = fakeSoffice();
    const cache = tempDir('cc-bc-');
    const out = path.join(p.dir, 'out');
    const opts = { formats: ['pdf', 'docx'] as ('pdf' | 'docx')[], soffice: lo.bin, out, cache };
    const first = await bindHere(p.dir, opts);
    const volumes = ['A1 组织领导.pdf', 'A1 组织领导.docx', 'A2 理想信念教育.pdf', 'A2 理想信念教育.docx'];
    const before = new Map(volumes.map((n) => [n, stamp(path.join(out, n))]));
    const firstXlsx = readFileSync(path.join(out, '目录.xlsx'));

    const again = await bindHere(p.dir, opts);
    expect(again.reused).toBe(2);
    for (const n of volumes) expect(stamp(path.join(out, n)), n).toBe(before.get(n));
    // what the build reports of kept volumes is what it reported when it made them
    expect(again.report.volumes).toEqual(first.report.volumes);
    expect(again.report.warnings).toEqual(first.report.warnings);
    expect(readFileSync(path.join(out, '目录.xlsx')).equals(firstXlsx)).toBe(true);
    expect(again.files.sort()).toEqual(first.files.sort());
    // the manifest still lists every volume with the hash of its bytes
    const manifest = readFileSync(path.join(out, 'manifest-sha256.txt'), 'utf8');
    for (const n of volumes) expect(manifest).toContain(`  ${n}\n`);

    p.write('A2.1 主题教育/2023-10-03 又一张照片.jpg', await jpeg({ width: 2400, height: 1800, date: '2023:10:03 10:00:00', seed: 9 }));
    const third = await bindHere(p.dir, opts);
    expect(third.reused).toBe(1);
    expect(stamp(path.join(out, 'A1 组织领导.pdf'))).toBe(before.get('A1 组织领导.pdf'));
    expect(stamp(path.join(out, 'A1 组织领导.docx'))).toBe(before.get('A1 组织领导.docx'));
    expect(stamp(path.join(out, 'A2 理想信念教育.pdf'))).not.toBe(before.get('A2 理想信念教育.pdf'));
    expect(third.report.volumes!.find((v) => v.code === 'A2')!.items).toBeGreaterThanOrEqual(first.report.volumes!.find((v) => v.code === 'A2')!.items);
    expect(third.report.volumes!.find((v) => v.code === 'A2')!.pages).toBe(first.report.volumes!.find((v) => v.code === 'A2')!.pages + 1);
    expect(lo.runs()).toBe(1);

    // another 立卷时间 is printed on every 备考表: every volume is made again
    const redated = await bindHere(p.dir, { ...opts, date: '2024-05-21' });
    expect(redated.reused).toBe(0);
    // a volume changed by hand since is not "ours" any more: the build refuses to overwrite it
    writeFileSync(path.join(out, 'A1 组织领导.pdf'), 'edited');
    await expect(bindHere(p.dir, { ...opts, date: '2024-05-21' })).rejects.toThrow(/上次装订后被修改过/);
  });

  it('damaged cache entries are found, made again, and the output is the same', async () => {
    const p = await twoLevels();
    const lo = fakeSoffice();
    const cache = tempDir('cc-bc-');
    const both = { formats: ['pdf', 'docx'] as ('pdf' | 'docx')[], soffice: lo.bin };
    await bindHere(p.dir, { ...both, out: path.join(p.dir, 'out1'), cache });
    const all = ['office-pdf', 'photo', 'page-images', 'volume', 'file-sha256'].flatMap((ns) => entries(cache, ns));
    expect(all.length).toBeGreaterThanOrEqual(7);
    // half of them cut short, the other half with bytes flipped in the middle
    all.forEach((f, i) => {
      const b = readFileSync(f);
      if (i % 2 === 0) writeFileSync(f, b.subarray(0, Math.floor(b.length / 2)));
      else {
        const at = Math.floor(b.length * 0.7);
        b[at] = b[at]! ^ 0xff;
        writeFileSync(f, b);
      }
    });
    const again = await bindHere(p.dir, { ...both, out: path.join(p.dir, 'out2'), cache });
    expect(again.reused).toBe(0);
    expect(lo.runs()).toBe(2); // the damaged conversion was not used: made again
    for (const n of outputs(path.join(p.dir, 'out1'))) {
      expect(readFileSync(path.join(p.dir, 'out2', n)).equals(readFileSync(path.join(p.dir, 'out1', n))), n).toBe(true);
    }
    // and the entries are whole again
    const { Cache } = await import('../src/cache/store.js');
    const c = new Cache(cache);
    for (const ns of ['office-pdf', 'photo', 'page-images', 'volume']) {
      for (const f of entries(cache, ns)) expect(c.get(ns, path.basename(f)), `${ns}/${path.basename(f)}`).toBeDefined();
    }
    expect(c.stats.corrupt).toBe(0);
  });

  it('two builds sharing one cache at the same time both finish, with the same bytes', async () => {
    const p = await twoLevels();
    const lo = fakeSoffice();
    const cache = tempDir('cc-bc-');
    const args = (out: string) => ['build', p.dir, '--format', 'pdf', '--date', '2024-05-20', '--out', path.join(p.dir, out), '--cache', cache];
    const env = { CHUANGCHENG_SOFFICE: lo.bin };
    const [a, b] = await Promise.all([run(args('a'), { env }), run(args('b'), { env })]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    for (const n of outputs(path.join(p.dir, 'a'))) {
      expect(readFileSync(path.join(p.dir, 'b', n)).equals(readFileSync(path.join(p.dir, 'a', n))), n).toBe(true);
    }
    // no temporary file of either is left in the cache
    const leftovers = ['office-pdf', 'photo', 'volume', 'file-sha256'].flatMap((ns) => entries(cache, ns)).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
    // a third build in a's folder keeps both volumes, and says so
    const c = await run(args('a'), { env });
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toContain('材料未变，沿用上次装订的文件');
    expect(c.stdout).toMatch(/其中 2 卷材料未变/);
  });

  it('a volume made without LibreOffice is made again once LibreOffice is there', async () => {
    const p = await twoLevels();
    const lo = fakeSoffice();
    const cache = tempDir('cc-bc-');
    const out = path.join(p.dir, 'out');
    const without = await bindHere(p.dir, { out, cache, soffice: null });
    expect(without.report.warnings.some((w) => w.code === 'not-converted')).toBe(true);
    const withLo = await bindHere(p.dir, { out, cache, soffice: lo.bin });
    expect(withLo.reused).toBe(1); // A2 has no office file: kept
    expect(lo.runs()).toBe(1);
    expect(withLo.report.warnings.some((w) => w.code === 'not-converted')).toBe(false);
  });

  it('--no-cache leaves no cache behind', async () => {
    const p = await twoLevels();
    const home = tempDir('cc-xdg-');
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20', '--no-cache'], { env: { XDG_CACHE_HOME: home, CHUANGCHENG_SOFFICE: 'none' } });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(home)).toEqual([]);
  });
});
