// contract §3: the evidence tree — placement, claiming, types and metadata
import { utimesSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { parseFileName } from '../src/evidence/names.js';
import { placeFile } from '../src/evidence/placement.js';
import { jpeg, LO_DOCX, LO_PDF, manualYaml, png, project, tool, reportOf } from './helpers.js';

const codes = new Map([
  ['A1.1', 'A1'],
  ['A1.10', 'A1'],
  ['W1', 'W'],
  ['W1-2', 'W'],
  ['Ⅱ—3', 'Ⅱ'],
]);


const filesOf = (rep: Report, code: string) => {
  for (const a of rep.indicators) for (const b of a.indicators) if (b.code === code) return b;
  throw new Error(`no ${code}`);
};

describe('§3 placement by code', () => {
  it.each([
    ['A1 组织领导/A1.1 领导机构/x.pdf', 'A1.1'],
    ['A1 组织领导/A1.1_领导机构/x.pdf', 'A1.1'],
    ['A1.1-领导机构/x.pdf', 'A1.1'],
    ['A1.1.领导/x.pdf', 'A1.1'],
    ['A1.1、领导/x.pdf', 'A1.1'],
    ['A1.1·领导/x.pdf', 'A1.1'],
    ['A1.1－领导/x.pdf', 'A1.1'],
    ['A1.1\u3000领导/x.pdf', 'A1.1'],
    ['A1.1/x.pdf', 'A1.1'],
    ['A1.10 其他/x.pdf', 'A1.10'],
    ['W1-2 xx/a.jpg', 'W1-2'], // longest code wins
    ['W1 xx/a.jpg', 'W1'],
    ['Ⅱ—3 宣传/a.jpg', 'Ⅱ—3'],
    ['A1.1 领导/会议/第一次/照片.jpg', 'A1.1'], // deeper folders without a code stay inside
    ['A1.1 领导/A1.10 其他/x.pdf', 'A1.10'], // the deepest coded folder wins
    ['杂项/A1.1 会议纪要.pdf', 'A1.1'], // the file name itself can carry the code
  ])('%s → %s', (p, code) => {
    expect(placeFile(p, codes)?.bCode).toBe(code);
  });

  it.each([['A1.1x/a.pdf'], ['A1.100 x/a.pdf'], ['A1 组织领导/a.pdf'], ['其他/说明.txt'], ['XA1.1 x/a.pdf']])('%s is unassigned', (p) => {
    expect(placeFile(p, codes)).toBeUndefined();
  });

  it('gives the path inside the B folder for `match`', () => {
    expect(placeFile('A1 x/A1.1 y/会议/a.jpg', codes)?.inner).toBe('会议/a.jpg');
  });

  it('compares names after NFC normalization (macOS writes NFD)', async () => {
    const m = manualYaml(`  - code: A1
    title: t
    indicators:
      - code: "Ⅴ.é"
        title: b
`);
    const p = project(m);
    p.write('Ⅴ.e\u0301 文件夹/2023-10-01 记录.txt', '内容');
    const rep = await reportOf(p.dir);
    expect(filesOf(rep, 'Ⅴ.é').requirements[0]!.files).toHaveLength(1);
  });
});

describe('§3 claiming requirements', () => {
  const m = manualYaml(`  - code: A1
    title: 组织领导
    indicators:
      - code: A1.1
        title: 领导机构健全
        evidence:
          - title: 领导小组成立文件
            kind: document
            match: ["*领导小组*"]
          - title: 工作会议照片
            kind: photo
            min: 3
          - title: 会议纪要
            kind: document
            min: 0
`);

  it('offers each file to requirements in manual order; kind and match decide; the rest is “other”', async () => {
    const p = project(m);
    p.copy(LO_PDF, 'A1.1 领导机构/2023-09-01 领导小组成立文件.pdf');
    p.copy(LO_PDF, 'A1.1 领导机构/2023-09-02 会议纪要.pdf'); // same bytes: duplicate of the first
    p.write('A1.1 领导机构/2023-09-05 会议 1.jpg', await jpeg({ seed: 1 }));
    p.write('A1.1 领导机构/会议/2023-09-05 会议 2.jpg', await jpeg({ seed: 2 }));
    p.write('A1.1 领导机构/2023-09-06 其他照片 领导小组.png', await png()); // photo: not claimed by the document requirement
    const rep = await reportOf(p.dir);
    const b = filesOf(rep, 'A1.1');
    expect(b.requirements.map((r) => [r.title, r.found, r.status])).toEqual([
      ['领导小组成立文件', 1, 'satisfied'],
      ['工作会议照片', 3, 'satisfied'],
      ['会议纪要', 0, 'satisfied'], // min 0: wanted, not required
    ]);
    expect(b.requirements[1]!.files).toEqual([
      'A1.1 领导机构/2023-09-05 会议 1.jpg',
      'A1.1 领导机构/2023-09-06 其他照片 领导小组.png',
      'A1.1 领导机构/会议/2023-09-05 会议 2.jpg',
    ]);
    expect(rep.dropped).toEqual([
      expect.objectContaining({ path: 'A1.1 领导机构/2023-09-02 会议纪要.pdf', reason: 'duplicate' }),
    ]);
  });

  it('a requirement without `match` claims any file of its kind before it can become “other”', async () => {
    const p = project(m);
    p.copy(LO_DOCX, 'A1.1 领导机构/2023-09-01 工作安排.docx');
    const rep = await reportOf(p.dir);
    const b = filesOf(rep, 'A1.1');
    // 会议纪要 (kind document, no match) claims it
    expect(b.requirements[2]!.files).toEqual(['A1.1 领导机构/2023-09-01 工作安排.docx']);
    expect(b.other).toEqual([]);
    expect(b.status).toBe('unsatisfied');
  });

  it('a file no requirement accepts becomes “other”, and is still counted as kept', async () => {
    const p = project(
      manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n        evidence:\n          - { title: 通知, kind: document, match: "*通知*" }\n`),
    );
    p.copy(LO_PDF, 'A1.1/2023-09-01 通知.pdf');
    p.copy(LO_DOCX, 'A1.1/2023-09-10 工作计划.docx');
    const rep = await reportOf(p.dir);
    const b = filesOf(rep, 'A1.1');
    expect(b.requirements[0]!.files).toEqual(['A1.1/2023-09-01 通知.pdf']);
    expect(b.other).toEqual(['A1.1/2023-09-10 工作计划.docx']);
    expect(rep.summary.kept).toBe(2);
  });

  it('files nobody claims are listed as other', async () => {
    const p = project(
      manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n        evidence:\n          - title: 照片\n            kind: photo\n            min: 0\n`),
    );
    p.copy(LO_PDF, 'A1.1/2023-09-01 通知.pdf');
    const rep = await reportOf(p.dir);
    expect(filesOf(rep, 'A1.1').other).toEqual(['A1.1/2023-09-01 通知.pdf']);
  });

  it('match globs test the path inside the B folder, anywhere for a bare name', async () => {
    const p = project(
      manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n        evidence:\n          - title: 签到表\n            match: ["签到/**", "*签到表*"]\n          - title: 其他\n            min: 0\n`),
    );
    p.write('A1.1/签到/2023-10-01 一班.txt', '一班签到');
    p.write('A1.1/深/层/2023-10-01 二班签到表.txt', '二班签到');
    p.write('A1.1/2023-10-01 照片说明.txt', '说明');
    const rep = await reportOf(p.dir);
    const b = filesOf(rep, 'A1.1');
    expect(b.requirements[0]!.files.sort()).toEqual(['A1.1/深/层/2023-10-01 二班签到表.txt', 'A1.1/签到/2023-10-01 一班.txt'].sort());
    expect(b.requirements[1]!.files).toEqual(['A1.1/2023-10-01 照片说明.txt']);
  });
});

describe('§3 file types from content', () => {
  it('kind follows content; a wrong extension is a type-mismatch warning', async () => {
    const p = project(
      manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n        evidence:\n          - title: 照片\n            kind: photo\n          - title: 文档\n            kind: document\n`),
    );
    p.write('A1.1/2023-10-01 照片.pdf', await jpeg()); // a JPEG named .pdf
    p.copy(LO_PDF, 'A1.1/2023-10-02 通知.doc'); // a PDF named .doc
    const rep = await reportOf(p.dir);
    const b = filesOf(rep, 'A1.1');
    expect(b.requirements[0]!.files).toEqual(['A1.1/2023-10-01 照片.pdf']);
    expect(b.requirements[1]!.files).toEqual(['A1.1/2023-10-02 通知.doc']);
    expect(rep.warnings.filter((w) => w.code === 'type-mismatch').map((w) => w.path).sort()).toEqual(
      ['A1.1/2023-10-01 照片.pdf', 'A1.1/2023-10-02 通知.doc'].sort(),
    );
  });

  it('recognises every photo type of the contract by content', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n        evidence:\n          - title: 照片\n            kind: photo\n            min: 6\n`));
    const dir = p.write('A1.1/src.png', await png(1200, 1000));
    const base = dir.replace(/src\.png$/, '');
    tool('convert', [dir, `${base}2023-10-01 a.tif`]);
    tool('convert', [dir, `${base}2023-10-01 b.bmp`]);
    tool('convert', [dir, `${base}2023-10-01 c.gif`]);
    tool('convert', [dir, `${base}2023-10-01 d.webp`]);
    tool('convert', [dir, `${base}2023-10-01 e.jpeg`]);
    const rep = await reportOf(p.dir);
    expect(filesOf(rep, 'A1.1').requirements[0]!.found).toBe(6);
    expect(rep.warnings.filter((w) => w.code === 'type-mismatch')).toEqual([]);
  });
});

describe('§3 metadata: sidecar → file name → embedded', () => {
  it.each([
    ['2023-10-12 创城主题班会', { date: '2023-10-12', title: '创城主题班会' }],
    ['20231012_创城主题班会', { date: '2023-10-12', title: '创城主题班会' }],
    ['2023.10.12 创城主题班会', { date: '2023-10-12', title: '创城主题班会' }],
    ['2023年10月12日创城主题班会', { date: '2023-10-12', title: '创城主题班会' }],
    ['创城主题班会（2023年10月12日）', { date: '2023-10-12', title: '创城主题班会' }],
    ['x教〔2023〕12号 关于成立领导小组的通知', { docNo: 'x教〔2023〕12号', title: '关于成立领导小组的通知' }],
    ['2023-09-01 关于成立领导小组的通知 一小[2023]12号', { date: '2023-09-01', docNo: '一小[2023]12号', title: '关于成立领导小组的通知' }],
    ['A1.1 2023-09-01 会议纪要', { date: '2023-09-01', title: '会议纪要' }],
    ['会议纪要', { title: '会议纪要' }],
    ['2023-02-30 不存在的日期', { title: '2023-02-30 不存在的日期' }],
  ])('%s', (name, expected) => {
    const got = parseFileName(name, 'A1.1');
    expect(got).toEqual(expected);
  });

  it('dates: sidecar beats name beats EXIF; file modification times are never used', async () => {
    const p = project(
      manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n`, 'period: { from: 2023-06-01, to: 2024-05-31 }\n'),
    );
    p.write('A1.1/2023-10-01 名字里的日期.jpg', await jpeg({ date: '2019:01:01 10:00:00', seed: 1 }));
    p.write('A1.1/只有EXIF.jpg', await jpeg({ date: '2023:11:02 10:00:00', seed: 2 }));
    p.write('A1.1/说明文件.jpg', await jpeg({ date: '2019:01:01 10:00:00', seed: 3 }));
    p.write('A1.1/说明文件.jpg.yaml', 'date: 2023-12-03\ntitle: 说明里的题名\nplace: 操场\n');
    const undated = p.write('A1.1/没有日期.jpg', await jpeg({ seed: 4 }));
    utimesSync(undated, new Date('2023-10-10'), new Date('2023-10-10'));
    const rep = await reportOf(p.dir);
    // EXIF 2019 would be out of period: the name wins, so it is kept; likewise the sidecar
    expect(rep.dropped).toEqual([]);
    expect(rep.summary.kept).toBe(4);
    expect(rep.warnings).toEqual([
      expect.objectContaining({ path: 'A1.1/没有日期.jpg', code: 'undated', indicator: 'A1.1' }),
    ]);
  });

  it('EXIF DateTimeOriginal dates a photo; a PDF CreationDate dates a document', async () => {
    const p = project(
      manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n`, 'period: { from: 2023-06-01, to: 2023-12-31 }\n'),
    );
    p.write('A1.1/相机照片.jpg', await jpeg({ date: '2024:02:01 10:00:00' }));
    // a PDF whose only date is its CreationDate, set here (poppler reads it back the same)
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]);
    doc.setCreationDate(new Date('2024-03-05T09:00:00Z'));
    const pdf = p.write('A1.1/通知.pdf', await doc.save());
    expect(tool('pdfinfo', ['-isodates', pdf])).toMatch(/CreationDate:\s+2024-03-05/);
    const rep = await reportOf(p.dir);
    const reasons = Object.fromEntries(rep.dropped.map((d) => [d.path, d.detail]));
    expect(reasons['A1.1/相机照片.jpg']).toContain('2024-02-01（来自照片 EXIF）');
    expect(reasons['A1.1/通知.pdf']).toContain('2024-03-05（来自 PDF 创建日期）');
    expect(rep.dropped.find((d) => d.path === 'A1.1/通知.pdf')!.params).toEqual({ date: '2024-03-05', source: 'pdf', from: '2023-06-01', to: '2023-12-31' });
  });

  it('sidecars are not evidence; a sidecar with a bad key warns but still counts its good keys', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: b\n`));
    p.write('A1.1/照片.jpg', await jpeg());
    p.write('A1.1/照片.jpg.yaml', 'date: 2023-10-01\nlocation: 操场\n');
    p.write('A1.1/不存在.jpg.yaml', 'title: 孤儿\n');
    const rep = await reportOf(p.dir);
    expect(rep.summary.files).toBe(1);
    expect(rep.warnings.map((w) => [w.path, w.code])).toEqual([
      ['A1.1/不存在.jpg.yaml', 'orphan-sidecar'],
      ['A1.1/照片.jpg.yaml', 'bad-sidecar'],
    ]);
    expect(rep.warnings[1]!.detail).toContain('location');
  });
});
