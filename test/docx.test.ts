// issue 4 (DOCX): the editable twin of each PDF volume, checked by LibreOffice (the same page count and
// 卷内目录 as our PDF), by unzip + an XML parser (valid OOXML), and byte for byte on a rebuild.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { EXAMPLE, manualYaml, pageCount, project, run, stampedNumber, tempDir, tool } from './helpers.js';

/** Every XML part of the package, parsed by Python's expat; returns the part names. */
function parseParts(docx: string): string[] {
  const py = spawnSync(
    'python3',
    [
      '-c',
      `import sys, zipfile, json, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
for n in names:
    if n.endswith('.xml') or n.endswith('.rels'):
        xml.dom.minidom.parseString(z.read(n))
print(json.dumps(names))`,
      docx,
    ],
    { encoding: 'utf8' },
  );
  if (py.status !== 0) throw new Error(py.stderr);
  return JSON.parse(py.stdout) as string[];
}

const documentXml = (docx: string) => tool('unzip', ['-p', docx, 'word/document.xml']);

describe('DOCX volumes', () => {
  const dir = inject('exampleDir');
  const out = path.join(dir, 'out');
  /** LibreOffice's print of each DOCX, made once for the run */
  const converted = (file: string) => path.join(inject('exampleDocxPdf'), file);
  let report: Report;

  beforeAll(() => {
    report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
  });

  it('are made beside every PDF volume by default, and listed in the manifest', () => {
    for (const v of report.volumes!) expect(existsSync(path.join(out, v.file.replace(/\.pdf$/, '.docx')))).toBe(true);
    const manifest = readFileSync(path.join(out, 'manifest-sha256.txt'), 'utf8');
    expect(manifest).toContain('  A1 组织领导.docx');
  });

  it('open in LibreOffice with the same page count as the PDF, and the same 卷内目录', () => {
    for (const v of report.volumes!) {
      const lo = converted(v.file);
      const ours = path.join(out, v.file);
      expect([v.file, pageCount(lo)]).toEqual([v.file, pageCount(ours)]);
      // every row of our 卷内目录 (目录.xlsx holds them as printed) stands in LibreOffice's print of
      // the DOCX: its title, its date and its 页号, read cell by cell (-raw)
      const theirs = tool('pdftotext', ['-raw', '-f', '2', '-l', '2', lo, '-']).replace(/\s+/g, '');
      const ourToc = tool('pdftotext', ['-raw', '-f', '2', '-l', '2', ours, '-']).replace(/\s+/g, '');
      expect(theirs).toBe(ourToc);
    }
  });

  it('carry page numbers in the header of the numbered pages only: odd right, even left', () => {
    const lo = converted('A2 理想信念教育.pdf');
    const total = pageCount(lo);
    const numbered = report.volumes![1]!.pages;
    expect(stampedNumber(lo, 1)).toBeUndefined();
    expect(stampedNumber(lo, 2)).toBeUndefined();
    expect(stampedNumber(lo, total)).toBeUndefined();
    for (let n = 1; n <= numbered; n++) {
      expect([n, stampedNumber(lo, 2 + n)]).toEqual([n, { side: n % 2 === 1 ? 'right' : 'left', value: String(n) }]);
    }
  });

  it('captions stand directly under the photo, as in the PDF (LibreOffice word boxes)', () => {
    // the photo page of A1 (page 6): the caption's first label sits just below the picture
    const lo = converted('A1 组织领导.pdf');
    const words = (file: string) => {
      const html = tool('pdftotext', ['-f', '6', '-l', '6', '-bbox', file, '-']);
      return Object.fromEntries([...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<\/word>/g)].map((m) => [m[3]!, Number(m[2])]));
    };
    const ours = words(path.join(out, 'A1 组织领导.pdf'));
    const theirs = words(lo);
    expect(theirs['题名：']).toBeDefined();
    expect(Math.abs(theirs['题名：']! - ours['题名：']!)).toBeLessThan(12);
  });

  it('are valid OOXML with editable text: cover fields, a real 卷内目录 table, captions; evidence pages as images', () => {
    const docx = path.join(out, 'A1 组织领导.docx');
    const parts = parseParts(docx);
    expect(parts).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/settings.xml']));
    expect(parts.filter((p) => p.startsWith('word/media/')).length).toBeGreaterThanOrEqual(3); // 2 photos + the 通知 page
    const xml = documentXml(docx);
    const text = xml.replace(/<[^>]+>/g, '');
    for (const s of ['全宗名称', '某某市第一小学', 'Z109-2024-D30-A1', '卷内目录', '关于成立创城工作领导小组的通知', '20230901', '测评材料提交表', '缺项说明', '卷内备考表', '地点：学校三楼会议室']) {
      expect([s, text.includes(s)]).toEqual([s, true]);
    }
    expect(xml.match(/<w:tbl>/g)!.length).toBeGreaterThanOrEqual(4);
    expect(tool('unzip', ['-p', docx, 'word/settings.xml'])).toContain('w:evenAndOddHeaders');
    // fonts a Chinese office has, named for Word, WPS and LibreOffice
    expect(xml).toContain('w:eastAsia="宋体"');
    expect(xml).toContain('w:eastAsia="黑体"');
  });

  it('--format docx alone writes no PDF; without poppler, evidence pages become notice pages and a warning', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: t\n    indicators:\n      - code: A1.1\n        title: 材料\n`));
    cpSync(path.join(EXAMPLE, 'evidence', 'A1 组织领导', 'A1.1 领导机构健全', '2023-09-01 关于成立创城工作领导小组的通知 一小〔2023〕12号.pdf'), path.join(p.evidence, 'A1.1', '2023-09-01 通知.pdf'), { recursive: true });
    const emptyPath = tempDir('nopath-');
    // (no cache: page images of this PDF drawn by an earlier build would leave poppler nothing to do)
    const r = await run(['build', p.dir, '--format', 'docx', '--date', '2024-05-20', '--no-cache'], { env: { PATH: emptyPath } });
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(p.dir, 'out')).sort()).toEqual(['A1 t.docx', 'manifest-sha256.txt', 'report.json', '目录.xlsx']);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(rep.warnings).toContainEqual(expect.objectContaining({ path: 'A1 t.docx', code: 'not-converted', params: { cause: 'no-page-renderer', pages: 1 } }));
    // the page in its place says only what an inspector needs
    const xml = documentXml(path.join(p.dir, 'out', 'A1 t.docx'));
    expect(xml).toContain('请以原件为准');
    expect(xml).not.toContain('pdftoppm');
  });
});
