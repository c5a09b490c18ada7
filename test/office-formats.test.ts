// Office files judged by their content (issue 18): what real offices and web systems produce —
// legacy files under OOXML names, macro-enabled files, templates and shows, RTF, Word-HTML, HTML
// tables, MHT, Word/Excel 2003 XML and CSV saved as .doc/.xls — is bound; what is encrypted is
// dropped as encrypted (and only that); what cannot be bound is named truly; a LibreOffice without
// Impress says so. Fixtures: LibreOffice itself writes the office files (one process, through UNO:
// test/office-fixtures.py), iconv the encodings, python's email package the MHT, python's zipfile the
// content-type edit, and test/cfb-writer.ts the compound files no tool here writes (an encrypted
// OOXML package, Visio, Publisher, Outlook containers). The volumes are read back with pdftotext.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report.js';
import { convertOffice, sofficeModules } from '../src/convert/office.js';
import { Workspace } from '../src/util/workspace.js';
import { cfbFile } from './cfb-writer.js';
import { bindHere, manualYaml, project, reportOf, ROOT, tempDir, tool, uniqueZip, type Project } from './helpers.js';

const FIX = tempDir('cc-office-fx-');
const fx = (name: string) => path.join(FIX, name);

interface Job {
  kind: 'writer' | 'calc' | 'impress';
  text: string;
  name: string;
  filter: string;
  password?: string;
}

// Every fixture LibreOffice makes, in one LibreOffice process.
const JOBS: Job[] = [
  { kind: 'writer', text: '旧版Word文档正文甲', name: 'legacy.doc', filter: 'MS Word 97' },
  { kind: 'calc', text: '旧版Excel表格乙', name: 'legacy.xls', filter: 'MS Excel 97' },
  { kind: 'impress', text: '旧版PPT演示丙', name: 'legacy.ppt', filter: 'MS PowerPoint 97' },
  { kind: 'writer', text: '启用宏的文档丁', name: 'macro.docm', filter: 'MS Word 2007 XML VBA' },
  { kind: 'writer', text: 'Word模板正文戊', name: 'template.dotx', filter: 'MS Word 2007 XML Template' },
  { kind: 'calc', text: '启用宏的表格己', name: 'macro.xlsm', filter: 'Calc MS Excel 2007 VBA XML' },
  { kind: 'calc', text: 'Excel模板庚', name: 'template.xltx', filter: 'Calc MS Excel 2007 XML Template' },
  { kind: 'impress', text: '启用宏的演示辛', name: 'macro.pptm', filter: 'Impress MS PowerPoint 2007 XML VBA' },
  { kind: 'impress', text: '放映文件壬', name: 'show.pptx', filter: 'Impress MS PowerPoint 2007 XML' },
  { kind: 'writer', text: 'RTF富文本癸', name: 'rich.rtf', filter: 'Rich Text Format' },
  { kind: 'writer', text: 'Word网页子', name: 'page.htm', filter: 'HTML (StarWriter)' },
  { kind: 'calc', text: '网页表格丑', name: 'table.html', filter: 'HTML (StarCalc)' },
  { kind: 'calc', text: 'XML表格寅', name: 'sheet2003.xml', filter: 'MS Excel 2003 XML' },
  { kind: 'writer', text: '加密文档', name: 'locked.doc', filter: 'MS Word 97', password: 'mima123' },
  { kind: 'calc', text: '加密表格', name: 'locked.xls', filter: 'MS Excel 97', password: 'mima123' },
  { kind: 'writer', text: '加密ODF', name: 'locked.odt', filter: 'writer8', password: 'mima123' },
];

/** Word 2003 XML as web systems write it from a template (LibreOffice's own export of it does not load back in 7.4). */
const WORDML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<?mso-application progid="Word.Document"?>
<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml">
<w:body><w:p><w:r><w:t>Word2003XML卯</w:t></w:r></w:p>
<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800"/></w:sectPr></w:body></w:wordDocument>
`;

/** An agile-encryption EncryptionInfo as Office writes it (version 4.4, flags 0x40, the XML descriptor). */
function agileEncryptionInfo(): Buffer {
  const b64 = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256)).toString('base64');
  const algo = 'saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"';
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" ' +
    'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">' +
    `<keyData ${algo} saltValue="${b64(16, 1)}"/><dataIntegrity encryptedHmacKey="${b64(64, 2)}" encryptedHmacValue="${b64(64, 3)}"/>` +
    `<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><p:encryptedKey spinCount="100000" ${algo} ` +
    `saltValue="${b64(16, 4)}" encryptedVerifierHashInput="${b64(16, 5)}" encryptedVerifierHashValue="${b64(64, 6)}" encryptedKeyValue="${b64(32, 7)}"/>` +
    '</keyEncryptor></keyEncryptors></encryption>';
  const head = Buffer.alloc(8);
  head.writeUInt16LE(4, 0);
  head.writeUInt16LE(4, 2);
  head.writeUInt32LE(0x40, 4);
  // (white space after the root element, so that the stream is 4 KiB: the writer keeps no mini stream)
  const body = Buffer.from(xml, 'utf8');
  return Buffer.concat([head, body, Buffer.alloc(Math.max(0, 4096 - head.length - body.length), 0x20)]);
}

beforeAll(() => {
  const jobs = JOBS.map((j) => ({ kind: j.kind, text: j.text, dst: fx(j.name), filter: j.filter, ...(j.password ? { password: j.password } : {}) }));
  const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'test/office-fixtures.py'), fx('profile')], { input: JSON.stringify(jobs), encoding: 'utf8', timeout: 240_000 });
  const failed = r.stdout.split('\n').filter((l) => l && !l.startsWith('ok '));
  if (r.status !== 0 || failed.length > 0) throw new Error(`LibreOffice could not make the fixtures (python3-uno installed?): ${r.stderr}${failed.join('\n')}`);

  writeFileSync(fx('word2003.xml'), WORDML);
  // a single-file web page, as Word and IE save one: multipart/related, the page base64, a picture beside it
  tool('/usr/bin/python3', [
    '-c',
    `import sys
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.mime.image import MIMEImage
m = MIMEMultipart('related', type='text/html')
h = MIMEText('<html><body><h1>单个文件网页辰</h1><p>创城工作简报正文。</p><img src="page.files/image001.png"></body></html>', 'html', 'utf-8')
h['Content-Location'] = 'file:///C:/Users/x/page.htm'
m.attach(h)
i = MIMEImage(open(sys.argv[2], 'rb').read(), 'png')
i['Content-Location'] = 'file:///C:/Users/x/page.files/image001.png'
m.attach(i)
open(sys.argv[1], 'wb').write(m.as_bytes())`,
    fx('page.mht'),
    path.join(ROOT, 'docs/images/dashboard.png'),
  ]);
  // a CSV as Excel writes it on Chinese Windows (GBK), which web systems also save as .xls
  writeFileSync(fx('export.csv'), execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: '项目,数量,身份证号\n志愿服务巳,12,110101200001010011\n' }));
  // a show as PowerPoint writes it: LibreOffice 7.4 writes a presentation's content type even for .ppsx
  tool('/usr/bin/python3', [
    '-c',
    `import sys, zipfile
src = zipfile.ZipFile(sys.argv[1]); dst = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)
for info in src.infolist():
    data = src.read(info.filename)
    if info.filename == '[Content_Types].xml':
        data = data.replace(b'presentationml.presentation.main+xml', b'presentationml.slideshow.main+xml')
    dst.writestr(info, data)
dst.close()`,
    fx('show.pptx'),
    fx('show.ppsx'),
  ]);
  // an Excel binary workbook's package as Excel writes it (LibreOffice cannot write .xlsb): the main
  // part's content type is what tells it; the parts themselves are LibreOffice's (for detection only)
  tool('/usr/bin/python3', [
    '-c',
    `import sys, zipfile
src = zipfile.ZipFile(sys.argv[1]); dst = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)
for info in src.infolist():
    data = src.read(info.filename)
    if info.filename == '[Content_Types].xml':
        data = data.replace(b'application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml', b'application/vnd.ms-excel.sheet.binary.macroEnabled.main')
    dst.writestr(info, data)
dst.close()`,
    fx('template.xltx'),
    fx('binary.xlsb'),
  ]);
  // PowerPoint's encryption, which LibreOffice cannot write: LibreOffice's .ppt with the CurrentUser
  // atom's header token set as PowerPoint sets it for a password-protected deck (0xF3D1C4DF)
  const ppt = readFileSync(fx('legacy.ppt'));
  const token = ppt.indexOf(Buffer.from([0x5f, 0xc0, 0x91, 0xe3]));
  if (token < 0) throw new Error('no CurrentUser header token in the .ppt');
  Buffer.from([0xdf, 0xc4, 0xd1, 0xf3]).copy(ppt, token);
  writeFileSync(fx('locked.ppt'), ppt);
  // compound files of programs LibreOffice does not write, with the entries that name them
  writeFileSync(fx('locked.docx'), cfbFile([{ name: '\u0006DataSpaces' }, { name: 'EncryptionInfo', data: agileEncryptionInfo() }, { name: 'EncryptedPackage', data: Buffer.alloc(8192, 7) }]));
  writeFileSync(fx('mail.msg'), cfbFile([{ name: '__nameid_version1.0' }, { name: '__properties_version1.0', data: Buffer.alloc(64) }, { name: '__substg1.0_0037001F', data: Buffer.from('会议通知', 'utf16le') }]));
  writeFileSync(fx('drawing.vsd'), cfbFile([{ name: 'VisioDocument', data: Buffer.alloc(64) }, { name: '\u0005SummaryInformation', data: Buffer.alloc(64) }]));
  writeFileSync(fx('flyer.pub'), cfbFile([{ name: 'Quill' }, { name: 'Contents', data: Buffer.alloc(64) }, { name: 'Envelope', data: Buffer.alloc(64) }]));
}, 300_000);

const B = 'A1.1 制度';
const MANUAL = manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 制度\n`);

/** The evidence: each fixture under the name a real office gives it. */
const LAYOUT: [string, string][] = [
  ['legacy.doc', '2023-09-01 旧版文档.docx'],
  ['legacy.xls', '2023-09-02 旧版表格.xlsx'],
  ['legacy.ppt', '2023-09-03 旧版演示.pptx'],
  ['macro.docm', '2023-09-04 宏文档.docm'],
  ['template.dotx', '2023-09-05 模板.dotx'],
  ['macro.xlsm', '2023-09-06 宏表格.xlsm'],
  ['template.xltx', '2023-09-07 表格模板.xltx'],
  ['macro.pptm', '2023-09-08 宏演示.pptm'],
  ['show.ppsx', '2023-09-09 放映.ppsx'],
  ['rich.rtf', '2023-09-10 富文本.doc'],
  ['page.htm', '2023-09-11 网页.doc'],
  ['table.html', '2023-09-12 网页表格.xls'],
  ['sheet2003.xml', '2023-09-13 XML表格.xls'],
  ['word2003.xml', '2023-09-14 XML文档.doc'],
  ['page.mht', '2023-09-15 单个网页.doc'],
  ['export.csv', '2023-09-16 导出.xls'],
  ['locked.doc', '2023-09-20 加密文档.doc'],
  ['locked.xls', '2023-09-21 加密表格.xls'],
  ['locked.ppt', '2023-09-22 加密演示.ppt'],
  ['locked.odt', '2023-09-23 加密.odt'],
  ['locked.docx', '2023-09-24 加密新版.docx'],
  ['mail.msg', '2023-09-25 邮件.msg'],
  ['drawing.vsd', '2023-09-26 流程图.vsd'],
  ['flyer.pub', '2023-09-27 宣传单.pub'],
];

function officeProject(): Project {
  const p = project(MANUAL);
  for (const [from, to] of LAYOUT) p.copy(fx(from), `${B}/${to}`);
  return p;
}

/** The warnings of one code, by file name; `params` as the report gives them. */
const byName = (rep: Report, code: string) =>
  new Map(rep.warnings.filter((w) => w.code === code).map((w) => [w.path.slice(w.path.lastIndexOf('/') + 1), w as { detail: string; params: Record<string, unknown> }]));

describe('office files judged by content (check)', () => {
  let rep: Report;
  beforeAll(async () => {
    rep = await reportOf(officeProject().dir);
  });

  it('legacy files under OOXML names are kept as what they are, with a type-mismatch warning (not “设置了打开密码”)', () => {
    const m = byName(rep, 'type-mismatch');
    expect(m.get('2023-09-01 旧版文档.docx')?.params).toEqual({ detected: 'doc', ext: 'docx' });
    expect(m.get('2023-09-02 旧版表格.xlsx')?.params).toEqual({ detected: 'xls', ext: 'xlsx' });
    expect(m.get('2023-09-03 旧版演示.pptx')?.params).toEqual({ detected: 'ppt', ext: 'pptx' });
    expect(m.get('2023-09-01 旧版文档.docx')?.detail).toBe('扩展名是 .docx，内容却是Word 文档(.doc)；将按Word 文档(.doc)处理，建议改正扩展名');
  });

  it('macro-enabled files, templates and shows are told by [Content_Types].xml, under their own names without a warning', () => {
    const m = byName(rep, 'type-mismatch');
    for (const n of ['2023-09-04 宏文档.docm', '2023-09-05 模板.dotx', '2023-09-06 宏表格.xlsm', '2023-09-07 表格模板.xltx', '2023-09-08 宏演示.pptm', '2023-09-09 放映.ppsx']) {
      expect(m.has(n), n).toBe(false);
    }
    expect(rep.dropped.map((d) => d.path)).not.toContain(`${B}/2023-09-04 宏文档.docm`);
  });

  it('web-system exports saved as .doc/.xls are kept as RTF, HTML, MHT, Word/Excel 2003 XML and CSV', () => {
    const m = byName(rep, 'type-mismatch');
    expect(m.get('2023-09-10 富文本.doc')?.params.detected).toBe('rtf');
    expect(m.get('2023-09-11 网页.doc')?.params.detected).toBe('html');
    expect(m.get('2023-09-12 网页表格.xls')?.params.detected).toBe('html');
    expect(m.get('2023-09-13 XML表格.xls')?.params.detected).toBe('sheetxml');
    expect(m.get('2023-09-14 XML文档.doc')?.params.detected).toBe('wordxml');
    expect(m.get('2023-09-15 单个网页.doc')?.params.detected).toBe('mht');
    expect(m.get('2023-09-16 导出.xls')?.params.detected).toBe('csv');
    expect(m.get('2023-09-15 单个网页.doc')?.detail).toContain('单个文件网页(MHT)');
  });

  it('encrypted means encrypted: Word’s fEncrypted bit, Excel’s FILEPASS, PowerPoint’s CurrentUser token, an ODF manifest, an OOXML EncryptedPackage', () => {
    const dropped = new Map(rep.dropped.map((d) => [d.path.slice(d.path.lastIndexOf('/') + 1), d]));
    expect(dropped.get('2023-09-20 加密文档.doc')).toMatchObject({ reason: 'encrypted', params: { cause: 'office-password', type: 'doc' } });
    expect(dropped.get('2023-09-21 加密表格.xls')).toMatchObject({ reason: 'encrypted', params: { cause: 'office-password', type: 'xls' } });
    expect(dropped.get('2023-09-22 加密演示.ppt')).toMatchObject({ reason: 'encrypted', params: { cause: 'office-password', type: 'ppt' } });
    expect(dropped.get('2023-09-23 加密.odt')).toMatchObject({ reason: 'encrypted', params: { cause: 'office-password', type: 'odt' } });
    expect(dropped.get('2023-09-24 加密新版.docx')).toMatchObject({ reason: 'encrypted', params: { cause: 'office-password' } });
    expect(dropped.get('2023-09-21 加密表格.xls')!.detail).toBe('这个Excel 表格(.xls)设置了打开密码。请去掉密码后另存一份再放入');
    // independent readers agree: msoffcrypto-tool (olefile; exit 0 when encrypted, 1 when not) and libmagic
    const encrypted = (f: string) => spawnSync('msoffcrypto-tool', ['--test', fx(f)]).status === 0;
    expect(['locked.doc', 'locked.xls', 'locked.docx', 'legacy.doc', 'legacy.xls'].map(encrypted)).toEqual([true, true, true, false, false]);
    expect(tool('file', ['-b', fx('locked.docx')])).toMatch(/Encrypted/i);
    // and nothing else is called encrypted
    expect([...dropped.values()].filter((d) => d.reason === 'encrypted').length).toBe(5);
  });

  it('the report, with every new type and reason, is valid against the report schema', async () => {
    const { reportSchema } = await import('../src/report/schema.js');
    const parsed = reportSchema.safeParse(rep);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('Visio and Publisher are kept (LibreOffice Draw binds them); an Outlook message is dropped under its true name', () => {
    const b = rep.indicators[0]!.indicators[0]!;
    const kept = [...b.requirements.flatMap((r) => r.files), ...b.other];
    expect(kept).toContain(`${B}/2023-09-26 流程图.vsd`);
    expect(kept).toContain(`${B}/2023-09-27 宣传单.pub`);
    const msg = rep.dropped.find((d) => d.path.endsWith('邮件.msg'))!;
    expect(msg).toMatchObject({ reason: 'unsupported', params: { cause: 'type', detected: 'msg', ext: 'msg' } });
    expect(msg.detail).toBe('这是Outlook 邮件(.msg)，LibreOffice 无法把它转换成页面，不能装订成卷；请在 Outlook 中打开这封邮件，打印为 PDF（或把其中的附件另存出来）后放入');
    // no message says a type cannot be bound while listing it among what can
    for (const d of rep.dropped) expect(d.detail).not.toMatch(/不能装订成卷（支持/);
  });
});

describe('office packages told by their main part wherever it lies', () => {
  it('an Excel binary workbook (.xlsb) is a workbook, not “an archive to unzip”; under .xlsx it is a type-mismatch', async () => {
    const p = project(MANUAL);
    p.copy(fx('binary.xlsb'), `${B}/2023-10-01 台账.xlsb`);
    // (another zip comment: not the same file, which would be a duplicate)
    uniqueZip(p.copy(fx('binary.xlsb'), `${B}/2023-10-02 台账二.xlsx`));
    const rep = await reportOf(p.dir);
    expect(rep.dropped).toEqual([]);
    expect(byName(rep, 'type-mismatch').get('2023-10-02 台账二.xlsx')?.params).toEqual({ detected: 'xlsb', ext: 'xlsx' });
    expect(byName(rep, 'type-mismatch').has('2023-10-01 台账.xlsb')).toBe(false);
  });
});

describe('text files: decoded as written, and said so where that is not sure (check and build agree)', () => {
  it('UTF-8 with a bad byte, GBK, Big5, UTF-16 without a BOM, and a 缺项说明 cut short', async () => {
    const p = project(manualYaml(`  - code: A1\n    title: 组织\n    indicators:\n      - code: A1.1\n        title: 制度\n        evidence:\n          - title: 总结\n            min: 9\n`));
    const enc = (s: string, to: string) => execFileSync('iconv', ['-f', 'UTF-8', '-t', to], { input: s });
    const bad = enc('2023年度创建全国文明城市工作总结，全体师生参加。', 'UTF-8');
    bad[7] = 0xff;
    p.write(`${B}/2023-10-01 坏字节.txt`, bad);
    p.write(`${B}/2023-10-02 记事本.txt`, enc('关于成立创城工作领导小组的通知（ANSI）', 'GB18030'));
    p.write(`${B}/2023-10-03 繁体.txt`, enc('學校創建文明城市工作總結報告，全體師生參加。', 'BIG5'));
    p.write(`${B}/2023-10-04 统一码.txt`, enc('志愿服务记录：2023年共12次。\n', 'UTF-16LE'));
    const reason = enc('因疫情原因，9月份的志愿服务活动取消。', 'UTF-8');
    p.write(`${B}/缺项说明.txt`, reason.subarray(0, reason.length - 1));
    const checked = await reportOf(p.dir);
    const warned = (rep: Report) =>
      rep.warnings.filter((w) => w.code === 'text-encoding').map((w) => ({ name: w.path.slice(w.path.lastIndexOf('/') + 1), params: w.params }));
    expect(warned(checked)).toEqual([
      { name: '2023-10-01 坏字节.txt', params: { encoding: 'utf-8', replaced: 3 } },
      { name: '缺项说明.txt', params: { encoding: 'utf-8', replaced: 1 } },
    ]);
    expect(checked.warnings.find((w) => w.code === 'text-encoding')!.detail).toBe(
      '按 UTF-8 编码读出，其中 3 处字节无效（文件可能损坏或被截断），已显示为“�”。请打开装订结果核对这份文字是否乱码；如有乱码，请用记事本打开原文件，“另存为”时选择 UTF-8 编码后放回原处',
    );
    const out = path.join(p.dir, 'out');
    const built = await bindHere(p.dir, { out });
    expect(warned(built.report)).toEqual(warned(checked));
    const text = tool('pdftotext', [path.join(out, 'A1 组织.pdf'), '-']).replace(/\s+/g, '');
    for (const s of ['全国文明城市工作总结，全体师生参加。', '关于成立创城工作领导小组的通知（ANSI）', '學校創建文明城市工作總結報告，全體師生參加。', '志愿服务记录：2023年共12次。', '因疫情原因，9月份的志愿服务活动']) {
      expect(text, s).toContain(s);
    }
    // no GBK mojibake of the UTF-8 file (“2023骞村害…”)
    expect(text).not.toContain('骞');
  });
});

describe('office files bound (build)', () => {
  let text: string;
  let warnings: Report['warnings'];
  beforeAll(async () => {
    const p = officeProject();
    // (the fake Visio and Publisher containers hold no drawing: left out of the build)
    for (const n of ['2023-09-26 流程图.vsd', '2023-09-27 宣传单.pub']) execFileSync('rm', [path.join(p.evidence, B, n)]);
    const out = path.join(p.dir, 'out');
    const r = await bindHere(p.dir, { out, cache: undefined });
    warnings = r.report.warnings;
    text = tool('pdftotext', [path.join(out, 'A1 组织.pdf'), '-']).replace(/\s+/g, '');
  }, 300_000);

  it('every convertible file is converted: its own words on its pages', () => {
    const notConverted = warnings.filter((w) => w.code === 'not-converted' || w.code === 'bind-failed');
    expect(notConverted).toEqual([]);
    for (const words of [
      '旧版Word文档正文甲', '旧版Excel表格乙', '旧版PPT演示丙', '启用宏的文档丁', 'Word模板正文戊', '启用宏的表格己', 'Excel模板庚',
      '启用宏的演示辛', '放映文件壬', 'RTF富文本癸', 'Word网页子', '网页表格丑', 'XML表格寅', 'Word2003XML卯', '单个文件网页辰', '创城工作简报正文。', '志愿服务巳',
    ]) {
      expect(text, words).toContain(words);
    }
  });

  it('a CSV is read in its own encoding (GBK) and keeps long numbers as written; no MIME source is printed', () => {
    expect(text).toContain('110101200001010011');
    expect(text).not.toContain('1.10101200001E+17');
    expect(text).not.toContain('Content-Type');
    expect(text).not.toContain('multipart');
  });
});

describe('a LibreOffice without Impress or Draw', () => {
  /** An installation whose registry holds only these modules; its soffice runs the real one. */
  function install(modules: string[]): string {
    const root = tempDir('cc-lo-install-');
    mkdirSync(path.join(root, 'program'));
    mkdirSync(path.join(root, 'share', 'registry'), { recursive: true });
    for (const m of ['main', ...modules]) copyFileSync(`/usr/lib/libreoffice/share/registry/${m}.xcd`, path.join(root, 'share', 'registry', `${m}.xcd`));
    const real = path.join(root, 'program', 'soffice');
    writeFileSync(real, '#!/bin/sh\nexec /usr/bin/soffice "$@"\n', { mode: 0o755 });
    // found through a symbolic link, as /usr/bin/soffice is on Debian
    mkdirSync(path.join(root, 'bin'));
    symlinkSync('../program/soffice', path.join(root, 'bin', 'soffice'));
    return path.join(root, 'bin', 'soffice');
  }

  it('modules are read from the installation (symbolic links resolved): this machine’s has all four', () => {
    expect(sofficeModules('soffice', process.env)).toEqual({ writer: true, calc: true, impress: true, draw: true });
    expect(sofficeModules(install(['writer', 'calc']), process.env)).toEqual({ writer: true, calc: true, impress: false, draw: false });
  });

  it('a slide deck and a Visio drawing get missing-module (with the package to install), not “可能已损坏”; a Word file beside them is converted', async () => {
    const soffice = install(['writer', 'calc']);
    const ws = Workspace.create(tempDir('cc-lo-ws-'), process.env);
    try {
      const results = await convertOffice(
        [
          { abs: fx('legacy.ppt'), ext: 'ppt', label: 'A1.1/a.ppt' },
          { abs: fx('drawing.vsd'), ext: 'vsd', label: 'A1.1/b.vsd' },
          { abs: fx('legacy.doc'), ext: 'doc', label: 'A1.1/c.doc' },
        ],
        ws,
        { soffice },
      );
      expect(results[0]).toEqual({ ok: false, params: { cause: 'missing-module', module: 'impress', package: 'libreoffice-impress-nogui' } });
      expect(results[1]).toEqual({ ok: false, params: { cause: 'missing-module', module: 'draw', package: 'libreoffice-draw-nogui' } });
      expect(results[2]!.ok).toBe(true);
    } finally {
      ws.disposeSync();
    }
  });

  it('the build names the module in report.json and the placeholder page names the document’s true format', async () => {
    const p = project(MANUAL);
    p.copy(fx('legacy.ppt'), `${B}/2023-09-03 宣讲.ppt`);
    const out = path.join(p.dir, 'out');
    const r = await bindHere(p.dir, { out, cache: undefined, soffice: install(['writer', 'calc']) });
    const w = r.report.warnings.find((x) => x.code === 'not-converted')!;
    expect(w.params).toEqual({ cause: 'missing-module', module: 'impress', package: 'libreoffice-impress-nogui' });
    expect(w.detail).toContain('没有安装 Impress（演示文稿）组件');
    expect(w.detail).toContain('apt-get install libreoffice-impress-nogui');
    expect(w.detail).not.toMatch(/损坏|密码/);
    const { reportSchema } = await import('../src/report/schema.js');
    expect(reportSchema.safeParse(r.report).success).toBe(true);
    const page = tool('pdftotext', [path.join(out, 'A1 组织.pdf'), '-']).replace(/\s+/g, '');
    expect(page).toContain('本件未能转换为页面');
    expect(page).toContain('原件为PowerPoint(.ppt)');
  });
});
