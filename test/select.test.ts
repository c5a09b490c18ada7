import { spawnSync } from 'node:child_process';
// contract §4: select (甄选) — every drop reason and warning, with fixtures made by real tools
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cfbFile } from './cfb-writer.js';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { probePdf } from '../src/evidence/pdf-probe.js';
import { CLI, jpeg, LO_DOCX, LO_PDF, LO_XLSX, manualYaml, project, run, snapshot, tempDir, tool, reportOf } from './helpers.js';

const M = manualYaml(
  `  - code: A1
    title: 组织领导
    indicators:
      - code: A1.1
        title: 领导机构健全
      - code: A1.2
        title: 工作制度完善
`,
  'period: { from: 2023-06-01, to: 2024-05-31 }\nexclude: ["**/草稿/**", "*.bak"]\n',
);


const reasonOf = (rep: Report) => Object.fromEntries(rep.dropped.map((d) => [d.path, d.reason]));

describe('§4 drop reasons', () => {
  it('junk, empty, excluded, unsupported — each reported with a reason and a detail', async () => {
    const p = project(M);
    p.write('A1.1/Thumbs.db', 'x');
    p.write('A1.1/.DS_Store', 'x');
    p.write('A1.1/desktop.ini', 'x');
    p.write('A1.1/~$作计划.docx', 'x');
    p.write('A1.1/.隐藏文件.pdf', 'x');
    p.write('A1.1/__MACOSX/._照片.jpg', 'x');
    p.write('A1.1/2023-10-01 空文件.pdf', '');
    p.write('A1.1/草稿/2023-10-01 草稿.txt', '草稿');
    p.write('A1.1/2023-10-01 备份.bak', 'x');
    p.write('A1.1/2023-10-01 视频.mp4', Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'));
    p.write('A1.1/2023-10-01 压缩包.zip', Buffer.from('504b0506000000000000000000000000000000000000', 'hex'));
    p.write('A1.1/2023-10-01 未知.xyz', '随便什么');
    const rep = await reportOf(p.dir);
    expect(reasonOf(rep)).toEqual({
      'A1.1/Thumbs.db': 'junk',
      'A1.1/.DS_Store': 'junk',
      'A1.1/desktop.ini': 'junk',
      'A1.1/~$作计划.docx': 'junk',
      'A1.1/.隐藏文件.pdf': 'junk',
      'A1.1/__MACOSX/._照片.jpg': 'junk',
      'A1.1/2023-10-01 空文件.pdf': 'empty',
      'A1.1/草稿/2023-10-01 草稿.txt': 'excluded',
      'A1.1/2023-10-01 备份.bak': 'excluded',
      'A1.1/2023-10-01 视频.mp4': 'unsupported',
      'A1.1/2023-10-01 压缩包.zip': 'unsupported',
      'A1.1/2023-10-01 未知.xyz': 'unsupported',
    });
    for (const d of rep.dropped) expect(d.detail.length).toBeGreaterThan(4);
    expect(rep.dropped.find((d) => d.reason === 'unsupported' && d.path.endsWith('.mp4'))!.detail).toContain('视频');
    expect(rep.summary).toMatchObject({ files: 12, kept: 0, dropped: 12 });
  });

  it('.git, .gitkeep, .gitignore, .gitattributes and sidecars are never evidence and never reported', async () => {
    const p = project(M);
    p.write('.git/HEAD', 'ref: refs/heads/main');
    p.write('.git/objects/ab/cdef', 'x');
    p.write('.gitignore', 'out/');
    p.write('.gitattributes', '* text=auto');
    p.write('A1.1/.gitkeep', '');
    p.write('A1.2/.gitkeep', '');
    p.write('A1.1/2023-10-01 照片.jpg', await jpeg());
    p.write('A1.1/2023-10-01 照片.jpg.yaml', 'title: x');
    const rep = await reportOf(p.dir);
    expect(rep.summary).toMatchObject({ files: 1, kept: 1, dropped: 0, unassigned: 0 });
    expect(rep.warnings).toEqual([]);
  });

  describe('PDFs: unreadable, encrypted, owner-restricted', () => {
    const dir = tempDir('pdfs-');
    const f = (n: string) => path.join(dir, n);
    const pdfs = () => {
      writeFileSync(f('plain.pdf'), readFileSync(LO_PDF));
      tool('qpdf', ['--encrypt', 'user', 'owner', '256', '--', f('plain.pdf'), f('user-aes256.pdf')]);
      tool('qpdf', ['--encrypt', 'user', 'owner', '128', '--use-aes=y', '--', f('plain.pdf'), f('user-aes128.pdf')]);
      tool('qpdf', ['--allow-weak-crypto', '--encrypt', 'user', 'owner', '40', '--', f('plain.pdf'), f('user-rc4-40.pdf')]);
      tool('qpdf', ['--encrypt', '', 'owner', '256', '--print=none', '--modify=none', '--extract=n', '--', f('plain.pdf'), f('owner-aes256.pdf')]);
      tool('qpdf', ['--encrypt', '', 'owner', '128', '--use-aes=y', '--', f('plain.pdf'), f('owner-aes128.pdf')]);
      tool('qpdf', ['--allow-weak-crypto', '--encrypt', '', 'owner', '128', '--use-aes=n', '--', f('plain.pdf'), f('owner-rc4-128.pdf')]);
      tool('qpdf', ['--allow-weak-crypto', '--encrypt', '', 'owner', '40', '--', f('plain.pdf'), f('owner-rc4-40.pdf')]);
      tool('qpdf', ['--object-streams=generate', f('plain.pdf'), f('objstm.pdf')]);
      tool('qpdf', ['--object-streams=generate', '--encrypt', '', 'o', '256', '--', f('plain.pdf'), f('objstm-owner.pdf')]);
      tool('qpdf', ['--linearize', f('plain.pdf'), f('linearized.pdf')]);
      const bytes = readFileSync(f('plain.pdf'));
      writeFileSync(f('cut-half.pdf'), bytes.subarray(0, bytes.length >> 1));
      const endobj = bytes.lastIndexOf('endobj', bytes.length - 200);
      writeFileSync(f('cut-after-endobj.pdf'), bytes.subarray(0, endobj + 6));
      writeFileSync(f('not-a-pdf.pdf'), '这不是PDF，只是改了扩展名的文本');
      const sx = bytes.lastIndexOf('startxref');
      writeFileSync(f('bad-startxref.pdf'), Buffer.concat([bytes.subarray(0, sx), Buffer.from('startxref\n99999999\n%%EOF\n')]));
      // damaged but repairable, as every reader repairs them: a line added after the header (every
      // offset is off by its length), and cross-reference offsets overwritten with wrong ones
      const nl = bytes.indexOf(0x0a) + 1;
      writeFileSync(f('line-added.pdf'), Buffer.concat([bytes.subarray(0, nl), Buffer.from('% 由扫描软件添加的一行\n'), bytes.subarray(nl)]));
      const xref = bytes.lastIndexOf('xref\n0 ');
      const table = bytes.subarray(xref).toString('latin1').replace(/^(\d{10}) 00000 n/gm, () => '0000000017 00000 n');
      writeFileSync(f('wrong-offsets.pdf'), Buffer.concat([bytes.subarray(0, xref), Buffer.from(table, 'latin1')]));
      // no object survives: nothing for any reader to rebuild
      writeFileSync(f('garbage-body.pdf'), Buffer.from('%PDF-1.7\n' + '损坏的内容 '.repeat(200) + '\nstartxref\n9\n%%EOF\n'));
    };

    it('the probe agrees with qpdf and pdfinfo on every variant', async () => {
      pdfs();
      const expected: Record<string, string> = {
        'plain.pdf': 'ok', 'objstm.pdf': 'ok', 'linearized.pdf': 'ok',
        'owner-aes256.pdf': 'ok', 'owner-aes128.pdf': 'ok', 'owner-rc4-128.pdf': 'ok', 'owner-rc4-40.pdf': 'ok', 'objstm-owner.pdf': 'ok',
        'user-aes256.pdf': 'encrypted', 'user-aes128.pdf': 'encrypted', 'user-rc4-40.pdf': 'encrypted',
        'cut-half.pdf': 'truncated', 'cut-after-endobj.pdf': 'truncated',
        'bad-startxref.pdf': 'ok', 'line-added.pdf': 'ok', 'wrong-offsets.pdf': 'ok', 'garbage-body.pdf': 'broken',
      };
      // poppler opens exactly the ones we keep (a file cut short is dropped even where it would show what is left)
      for (const [name, status] of Object.entries(expected)) {
        if (status === 'truncated' || status === 'encrypted') continue;
        const r = spawnSync('pdfinfo', [f(name)], { encoding: 'utf8' });
        expect([name, r.status === 0]).toEqual([name, status === 'ok']);
      }
      const pages = Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [f('plain.pdf')]))![1]);
      const created = /CreationDate:\s+(\d{4}-\d{2}-\d{2})/.exec(tool('pdfinfo', ['-isodates', f('plain.pdf')]))![1];
      for (const [name, status] of Object.entries(expected)) {
        const probe = await probePdf(f(name));
        expect([name, probe.status]).toEqual([name, status]);
        if (probe.status === 'ok') {
          expect([name, probe.pages]).toEqual([name, pages]);
          expect([name, probe.creationDate]).toEqual([name, created]);
          expect(probe.restricted).toBe(name.includes('owner'));
        }
      }
      // the independent reader agrees: owner-restricted files open without a password
      expect(tool('qpdf', ['--requires-password', f('owner-aes256.pdf')]).trim()).toBe('');
    });

    it('through check: restricted PDFs are kept, password ones `encrypted`, cut ones `unreadable`', async () => {
      const p = project(M);
      for (const n of ['owner-aes256.pdf', 'owner-rc4-40.pdf', 'user-aes256.pdf', 'user-rc4-40.pdf', 'cut-half.pdf', 'cut-after-endobj.pdf', 'not-a-pdf.pdf', 'bad-startxref.pdf', 'garbage-body.pdf']) {
        p.copy(f(n), `A1.1/2023-10-01 ${n}`);
      }
      const rep = await reportOf(p.dir);
      expect(reasonOf(rep)).toEqual({
        'A1.1/2023-10-01 user-aes256.pdf': 'encrypted',
        'A1.1/2023-10-01 user-rc4-40.pdf': 'encrypted',
        'A1.1/2023-10-01 cut-half.pdf': 'unreadable',
        'A1.1/2023-10-01 cut-after-endobj.pdf': 'unreadable',
        'A1.1/2023-10-01 not-a-pdf.pdf': 'unreadable',
        'A1.1/2023-10-01 garbage-body.pdf': 'unreadable',
      });
      expect(rep.indicators[0]!.indicators[0]!.requirements[0]!.files).toEqual([
        'A1.1/2023-10-01 bad-startxref.pdf',
        'A1.1/2023-10-01 owner-aes256.pdf',
        'A1.1/2023-10-01 owner-rc4-40.pdf',
      ]);
      const cut = rep.dropped.find((d) => d.path.endsWith('cut-half.pdf'))!;
      expect(cut.params).toEqual({ cause: 'truncated', type: 'pdf' });
      const enc = rep.dropped.find((d) => d.reason === 'encrypted')!;
      expect(enc.detail).toContain('密码');
      expect(enc.params).toEqual({ cause: 'pdf-password' });
    });
  });

  it('office files: a password-protected .docx is `encrypted`, a cut one `unreadable`, real ones kept', async () => {
    const p = project(M);
    p.copy(LO_DOCX, 'A1.1/2023-10-01 计划.docx');
    p.copy(LO_XLSX, 'A1.1/2023-10-02 记录表.xlsx');
    const docx = readFileSync(LO_DOCX);
    p.write('A1.1/2023-10-03 被截断.docx', docx.subarray(0, docx.length - 200));
    // Office wraps a password-protected .docx in an OLE compound file holding EncryptionInfo and
    // EncryptedPackage; a legacy Word file is a compound file holding WordDocument (its FIB's
    // fEncrypted bit clear); a bare compound-file header with no directory is no document at all
    const encrypted = cfbFile([{ name: 'EncryptionInfo', data: Buffer.alloc(64, 1) }, { name: 'EncryptedPackage', data: Buffer.alloc(64, 2) }]);
    const fib = Buffer.alloc(64);
    fib.writeUInt16LE(0xa5ec, 0);
    p.write('A1.1/2023-10-04 有密码.docx', encrypted);
    p.write('A1.1/2023-10-05 旧版文档.doc', cfbFile([{ name: 'WordDocument', data: fib }]));
    const header = Buffer.alloc(4096);
    Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(header);
    header.writeUInt16LE(0x003e, 0x18);
    header.writeUInt16LE(0x0003, 0x1a);
    header.writeUInt16LE(0xfffe, 0x1c);
    header.writeUInt16LE(0x0009, 0x1e);
    p.write('A1.1/2023-10-06 只有文件头.docx', header);
    const rep = await reportOf(p.dir);
    expect(reasonOf(rep)).toEqual({
      'A1.1/2023-10-03 被截断.docx': 'unreadable',
      'A1.1/2023-10-04 有密码.docx': 'encrypted',
      'A1.1/2023-10-06 只有文件头.docx': 'unreadable',
    });
    expect(rep.summary.kept).toBe(3);
  });

  it('images: a cut JPEG or PNG is `unreadable`', async () => {
    const p = project(M);
    const j = await jpeg();
    p.write('A1.1/2023-10-01 完整.jpg', j);
    p.write('A1.1/2023-10-01 截断.jpg', j.subarray(0, j.length >> 1));
    const pngFile = path.join(tempDir(), 'x.png');
    tool('convert', ['-size', '1200x1000', 'plasma:', pngFile]);
    const pb = readFileSync(pngFile);
    p.write('A1.1/2023-10-01 截断.png', pb.subarray(0, pb.length - 100));
    p.write('A1.1/2023-10-01 乱码.jpg', Buffer.from('ffd8ffe000104a464946', 'hex'));
    const rep = await reportOf(p.dir);
    expect(reasonOf(rep)).toEqual({
      'A1.1/2023-10-01 截断.jpg': 'unreadable',
      'A1.1/2023-10-01 截断.png': 'unreadable',
      'A1.1/2023-10-01 乱码.jpg': 'unreadable',
    });
  });

  it('out-of-period: dated outside `period` (inclusive bounds)', async () => {
    const p = project(M);
    p.write('A1.1/2023-05-31 前一天.txt', 'a');
    p.write('A1.1/2023-06-01 第一天.txt', 'b');
    p.write('A1.1/2024-05-31 最后一天.txt', 'c');
    p.write('A1.1/2024-06-01 后一天.txt', 'd');
    p.write('A1.1/没有日期.txt', 'e');
    const rep = await reportOf(p.dir);
    expect(reasonOf(rep)).toEqual({ 'A1.1/2023-05-31 前一天.txt': 'out-of-period', 'A1.1/2024-06-01 后一天.txt': 'out-of-period' });
    expect(rep.dropped[0]!.detail).toContain('2023-06-01 至 2024-05-31');
    expect(rep.warnings.map((w) => w.code)).toEqual(['undated']);
  });

  it('duplicate: same content within one B-level; the copy without 副本/copy/(1) is kept, whatever the order', async () => {
    const p = project(M);
    const a = await jpeg({ seed: 5 });
    p.write('A1.1/2023-10-01 班会 - 副本.jpg', a);
    p.write('A1.1/2023-10-01 班会 (1).jpg', a);
    p.write('A1.1/2023-10-01 班会.jpg', a);
    p.write('A1.1/2023-10-01 班会 copy.jpg', a);
    p.write('A1.1/2023-10-01 另一张.jpg', await jpeg({ seed: 6 }));
    const rep = await reportOf(p.dir);
    expect([...rep.indicators[0]!.indicators[0]!.requirements[0]!.files].sort()).toEqual(['A1.1/2023-10-01 另一张.jpg', 'A1.1/2023-10-01 班会.jpg']);
    expect(rep.dropped.map((d) => [d.path, d.reason, d.detail])).toEqual([
      ['A1.1/2023-10-01 班会 - 副本.jpg', 'duplicate', '与已保留的 A1.1/2023-10-01 班会.jpg 内容完全相同'],
      ['A1.1/2023-10-01 班会 (1).jpg', 'duplicate', '与已保留的 A1.1/2023-10-01 班会.jpg 内容完全相同'],
      ['A1.1/2023-10-01 班会 copy.jpg', 'duplicate', '与已保留的 A1.1/2023-10-01 班会.jpg 内容完全相同'],
    ]);
  });

  it('same size but different content is not a duplicate', async () => {
    const p = project(M);
    p.write('A1.1/2023-10-01 甲.txt', '甲甲甲');
    p.write('A1.1/2023-10-01 乙.txt', '乙乙乙');
    const rep = await reportOf(p.dir);
    expect(rep.dropped).toEqual([]);
    expect(rep.summary.kept).toBe(2);
  });

  it('reused: the same content kept under two B-levels warns on both, and both are kept', async () => {
    const p = project(M);
    const a = await jpeg({ seed: 9 });
    p.write('A1.1/2023-10-01 会议.jpg', a);
    p.write('A1.2/2023-10-01 会议.jpg', a);
    const rep = await reportOf(p.dir);
    expect(rep.summary.kept).toBe(2);
    expect(rep.warnings.map((w) => [w.path, w.code])).toEqual([
      ['A1.1/2023-10-01 会议.jpg', 'reused'],
      ['A1.2/2023-10-01 会议.jpg', 'reused'],
    ]);
    expect(rep.warnings[0]!.detail).toContain('A1.2/2023-10-01 会议.jpg');
  });

  it('low-resolution: a photo whose shorter side is under 1000 px', async () => {
    const p = project(M);
    p.write('A1.1/2023-10-01 小图.jpg', await jpeg({ width: 1600, height: 999 }));
    p.write('A1.1/2023-10-01 大图.jpg', await jpeg({ width: 1000, height: 1000, seed: 3 }));
    const rep = await reportOf(p.dir);
    expect(rep.warnings.map((w) => [w.path, w.code])).toEqual([['A1.1/2023-10-01 小图.jpg', 'low-resolution']]);
    expect(rep.warnings[0]!.detail).toContain('1600×999');
  });

  it('unassigned files are reported, never bound', async () => {
    const p = project(M);
    p.write('其他/说明.txt', '说明');
    p.write('A1 组织领导/总说明.txt', '说明');
    const rep = await reportOf(p.dir);
    expect(rep.unassigned).toEqual(['A1 组织领导/总说明.txt', '其他/说明.txt']);
    expect(rep.summary.unassigned).toBe(2);
  });

  it('symbolic links that leave the evidence folder are not followed', async () => {
    const p = project(M);
    const outside = tempDir('outside-');
    writeFileSync(path.join(outside, '2023-10-01 秘密.txt'), '机密');
    mkdirSync(path.join(outside, 'dir'));
    writeFileSync(path.join(outside, 'dir', '2023-10-01 也是秘密.txt'), '机密');
    p.write('A1.1/2023-10-01 真文件.txt', '正文');
    symlinkSync(path.join(outside, '2023-10-01 秘密.txt'), path.join(p.evidence, 'A1.1', '2023-10-01 外链.txt'));
    symlinkSync(path.join(outside, 'dir'), path.join(p.evidence, 'A1.1', '外部文件夹'));
    mkdirSync(path.join(p.evidence, 'A1.2'));
    symlinkSync(path.join(p.evidence, 'A1.1', '2023-10-01 真文件.txt'), path.join(p.evidence, 'A1.2', '2023-10-01 内链.txt'));
    const rep = await reportOf(p.dir);
    const all = JSON.stringify(rep);
    expect(all).not.toContain('秘密.txt"');
    expect(rep.warnings.filter((w) => w.code === 'outside-link').map((w) => w.path).sort()).toEqual(['A1.1/2023-10-01 外链.txt', 'A1.1/外部文件夹']);
    // a link that stays inside is followed
    expect(rep.indicators[0]!.indicators[1]!.requirements[0]!.files).toEqual(['A1.2/2023-10-01 内链.txt']);
  });

  it('check writes nothing: the evidence folder is byte-for-byte and time-for-time unchanged', async () => {
    const p = project(M);
    p.copy(LO_PDF, 'A1.1/2023-10-01 通知.pdf');
    p.write('A1.1/2023-10-01 照片.jpg', await jpeg());
    p.write('A1.1/坏.pdf', '%PDF-1.4 broken');
    const before = snapshot(p.dir);
    for (const format of ['text', 'json', 'junit', 'markdown']) await run(['check', p.dir, '--format', format]);
    expect(snapshot(p.dir)).toEqual(before);
  });

  it('a file or folder that cannot be read is a dropped entry, not a crash (run as an unprivileged user)', async () => {
    const p = project(M);
    p.write('A1.1/2023-10-01 好.txt', '好');
    const secret = p.write('A1.1/2023-10-02 没有权限.txt', '读不到');
    p.write('A1.2/锁住的文件夹/2023-10-03 里面.txt', '也读不到');
    // everyone may read the project, but not these two
    spawnSync('chmod', ['-R', 'a+rX', p.dir]);
    spawnSync('chmod', ['000', secret, path.join(p.evidence, 'A1.2', '锁住的文件夹')]);
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const r = spawnSync(asUser[0] ?? process.execPath, [...asUser.slice(1), ...(asUser.length ? [process.execPath] : []), CLI, 'check', p.dir, '--format', 'json', '--today', '2024-01-01'], { encoding: 'utf8' });
    expect(r.stderr).not.toContain('内部');
    expect(r.status).toBe(1); // A1.2 lacks material: an ordinary check, not a crash
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.dropped).toEqual([
      expect.objectContaining({ path: 'A1.1/2023-10-02 没有权限.txt', reason: 'unreadable', params: { cause: 'io-error', errno: 'EACCES' } }),
      expect.objectContaining({ path: 'A1.2/锁住的文件夹', reason: 'unreadable', params: { cause: 'folder', errno: 'EACCES' } }),
    ]);
    expect(rep.dropped[1]!.detail).toContain('其中的文件都没有检查');
    expect(rep.indicators[0]!.indicators[0]!.requirements[0]!.files).toEqual(['A1.1/2023-10-01 好.txt']);
  });
});
