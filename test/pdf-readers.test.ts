// PDFs that poppler, qpdf and pdf.js open are kept and bound, as they show them (issue 18): bytes
// before the header and after the end, page trees of any size, abbreviated filter names, files
// that open without a password however their encryption is set, pages whose only content is their
// annotations, forms; a dynamic XFA form is said to be one and never counted. Fixtures are made here
// by qpdf, by byte surgery on a LibreOffice PDF, or written object by object by `writePdf` (each
// says what it makes); two files come from qpdf's test suite (test/fixtures/third-party/qpdf).
// Bound pages are checked with poppler (pdftotext, pdfinfo, pdftoppm pixels) against poppler's own
// rendering of the source.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { probePdf } from '../src/evidence/pdf-probe.js';
import { openSecurity, rc4, type Security } from '../src/evidence/pdf-security.js';
import { PdfDict, PdfName, PdfString, type PdfValue } from '../src/evidence/pdf-syntax.js';
import { failureMessage } from '../src/errors.js';
import { pdfFailure } from '../src/render/pdf/load.js';
import type { Report } from '../src/report/report.js';
import { bindHere, LO_PDF, manualYaml, ONE_OWNED, project, reportOf, ROOT, run, tool } from './helpers.js';

const ONE = manualYaml(ONE_OWNED);
const QPDF_FIXTURES = path.join(ROOT, 'test/fixtures/third-party/qpdf');
const LO_TEXT = '为深入推进全国文明城市创建工作';
const kept = (rep: Report) => rep.indicators.flatMap((a) => a.indicators.flatMap((b) => [...b.requirements.flatMap((r) => r.files), ...b.other]));
const volumes = (dir: string) =>
  readdirSync(path.join(dir, 'out'))
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((f) => path.join(dir, 'out', f));
/** Every volume's text, as poppler extracts it. */
const boundText = (dir: string) => volumes(dir).map((v) => tool('pdftotext', [v, '-'])).join('\n');
const opensInPoppler = (file: string) => spawnSync('pdfinfo', [file]).status === 0;

type Obj = string | { dict: string; data: Buffer | string };

/**
 * A PDF of these objects (numbered 1, 2, … in order; 1 is the catalog), written with a correct
 * cross-reference table: streams get their /Length.
 */
function writePdf(objs: Obj[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0]!.length;
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    let body: Buffer;
    if (typeof o === 'string') body = Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1');
    else {
      const data = typeof o.data === 'string' ? Buffer.from(o.data, 'latin1') : o.data;
      body = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n<< ${o.dict} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    }
    offsets.push(at);
    parts.push(body);
    at += body.length;
  });
  const rows = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(Buffer.from(`xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** The 1-based page of `pdf` whose text holds `text` (pdftotext separates pages with form feeds). */
function pageWith(pdf: string, text: string): number {
  const i = tool('pdftotext', [pdf, '-']).split('\f').findIndex((p) => p.includes(text));
  if (i < 0) throw new Error(`no page of ${pdf} shows ${text}`);
  return i + 1;
}

/** Page `n` drawn by poppler as a PNG file. */
function render(pdf: string, n: number, out: string, dpi = 72): string {
  tool('pdftoppm', ['-f', String(n), '-l', String(n), '-r', String(dpi), '-png', '-singlefile', pdf, out]);
  return `${out}.png`;
}

/**
 * What a rendered page shows, comparable across scales: the part below `top` (a fraction of the
 * height: our page numbers and 归档章 sit in the top band), trimmed to its ink, scaled to 48×48.
 */
async function ink(png: string, top = 0): Promise<Buffer> {
  const { width, height } = await sharp(png).metadata();
  const cut = Math.round(height! * top);
  const below = await sharp(png).extract({ left: 0, top: cut, width: width!, height: height! - cut }).toBuffer();
  const trimmed = await sharp(below).trim({ background: '#ffffff', threshold: 40 }).toBuffer();
  return sharp(trimmed).resize(48, 48, { fit: 'fill' }).removeAlpha().raw().toBuffer();
}

const meanDiff = (a: Buffer, b: Buffer) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

/** Pixels of a rendered page near a colour (r, g, b), as a share of all pixels. */
async function share(png: string, rgb: [number, number, number]): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < data.length; i += 3) if (Math.abs(data[i]! - rgb[0]) + Math.abs(data[i + 1]! - rgb[1]) + Math.abs(data[i + 2]! - rgb[2]) < 60) n++;
  return n / (info.width * info.height);
}

describe('§4 PDFs with bytes around them, large trees and abbreviated filters', () => {
  it('bytes before %PDF- and data after %%EOF: kept and bound; an update cut short after an earlier %%EOF is still incomplete', async () => {
    const p = project(ONE);
    const bytes = readFileSync(LO_PDF);
    // a blank line before the header (what some web systems send)
    p.write('A1.1/2023-10-01 空行.pdf', Buffer.concat([Buffer.from('\r\n'), bytes]));
    // a mail gateway's header lines and 255 bytes of binary before it
    const junk = Buffer.concat([Buffer.from('From: gateway@example.org\r\nContent-Type: application/pdf\r\n\r\n'), Buffer.from(Array.from({ length: 255 }, (_, i) => i + 1))]);
    p.write('A1.1/2023-10-02 网关头.pdf', Buffer.concat([junk, bytes]));
    // 5 KB appended after %%EOF (an upload form's bytes), more than the 1 KB readers look back by default
    p.write('A1.1/2023-10-03 尾部数据.pdf', Buffer.concat([bytes, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37 + 11) % 256))]));
    // an incremental update cut short: its object begun after the first %%EOF, its own end missing
    p.write('A1.1/2023-10-04 更新截断.pdf', Buffer.concat([bytes, Buffer.from('\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /PageLabels << /Nums [0 << /S /D >>] >> >>\nendobj\n2 0 obj\n<< /Type /Pa', 'latin1')]));
    for (const f of ['2023-10-01 空行.pdf', '2023-10-02 网关头.pdf', '2023-10-03 尾部数据.pdf']) expect([f, opensInPoppler(path.join(p.evidence, 'A1.1', f))]).toEqual([f, true]);
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 空行.pdf', 'A1.1/2023-10-02 网关头.pdf', 'A1.1/2023-10-03 尾部数据.pdf']);
    expect(rep.dropped.map((d) => [d.path, d.reason, d.params])).toEqual([['A1.1/2023-10-04 更新截断.pdf', 'unreadable', { cause: 'truncated', type: 'pdf' }]]);
    // no type-mismatch: the content is a PDF, as the name says
    expect(rep.warnings.filter((w) => w.code === 'type-mismatch')).toEqual([]);
    await bindHere(p.dir);
    expect(boundText(p.dir).split(LO_TEXT).length - 1).toBe(3);
    expect(JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')).warnings.filter((w: { code: string }) => w.code === 'bind-failed')).toEqual([]);
  });

  it('a flat page tree of 2,000 pages: check reads kilobytes, not every page object; every page is bound', async () => {
    const p = project(ONE);
    const file = path.join(p.evidence, 'A1.1', '2023-10-01 台账.pdf');
    mkdirSync(path.join(p.evidence, 'A1.1'), { recursive: true });
    // qpdf writes one /Pages node whose /Kids names all 2,000 pages (about 20 KB: more than one read)
    tool('qpdf', ['--empty', '--pages', LO_PDF, Array.from({ length: 2000 }, () => '1').join(','), '--', file]);
    const root = /\/Pages (\d+) 0 R/.exec(tool('qpdf', ['--show-object=1', file]))![1]!;
    expect(tool('qpdf', [`--show-object=${root}`, file]).match(/\d+ 0 R/g)!.length).toBe(2000);
    const rchar = () => Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
    const before = rchar();
    expect(probePdf(file)).toMatchObject({ status: 'ok', pages: 2000 });
    expect(rchar() - before).toBeLessThan(256 * 1024);
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 台账.pdf']);
    await bindHere(p.dir);
    expect(boundText(p.dir).split(LO_TEXT).length - 1).toBe(2000);
  });

  it("qpdf's filter-abbreviation.pdf is kept and bound; inline images with abbreviated filters draw as poppler draws them", async () => {
    const p = project(ONE);
    p.copy(path.join(QPDF_FIXTURES, 'filter-abbreviation.pdf'), 'A1.1/2023-10-01 缩写滤镜.pdf');
    // a page drawn only by inline images whose filters are abbreviated (/AHx, /A85 with /Fl, /RL),
    // its content stream itself compressed as /Fl: red, blue and green squares
    const blue = Buffer.from(Array.from({ length: 4 }, () => [0, 0, 255]).flat());
    const a85 = (data: Buffer) => {
      let out = '';
      for (let i = 0; i < data.length; i += 4) {
        const chunk = Buffer.concat([data.subarray(i, i + 4), Buffer.alloc(4)]).subarray(0, 4);
        let v = chunk.readUInt32BE(0);
        const digits: string[] = [];
        for (let k = 0; k < 5; k++) {
          digits.unshift(String.fromCharCode(33 + (v % 85)));
          v = Math.floor(v / 85);
        }
        out += digits.join('').slice(0, Math.min(5, data.length - i + 1));
      }
      return `${out}~>`;
    };
    // RunLength: one literal run of 12 bytes (length byte 11), then the end-of-data byte 128: green pixels
    const rlGreen = Buffer.concat([Buffer.from([11]), Buffer.from('00ff0000ff0000ff0000ff00', 'hex'), Buffer.from([0x80])]);
    const content = Buffer.concat([
      Buffer.from(`q 150 0 0 150 50 600 cm BI /W 2 /H 2 /CS /RGB /BPC 8 /F /AHx ID ${'ff0000'.repeat(4)}> EI Q\n`, 'latin1'),
      Buffer.from(`q 150 0 0 150 250 600 cm BI /W 2 /H 2 /CS /RGB /BPC 8 /F [/A85 /Fl] ID ${a85(deflateSync(blue))} EI Q\n`, 'latin1'),
      Buffer.from('q 150 0 0 150 450 600 cm BI /W 2 /H 2 /CS /RGB /BPC 8 /F /RL ID ', 'latin1'),
      rlGreen,
      Buffer.from(' EI Q\n', 'latin1'),
    ]);
    const inline = writePdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 650 842] /Contents 4 0 R >>',
      { dict: '/Filter /Fl', data: deflateSync(content) },
    ]);
    const src = p.write('A1.1/2023-10-02 内嵌图像.pdf', inline);
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toHaveLength(2);
    expect(rep.dropped).toEqual([]);
    await bindHere(p.dir);
    const vol = volumes(p.dir)[0]!;
    expect(tool('pdftotext', [vol, '-'])).toContain('Potato');
    // the inline images as poppler draws the source page and our bound copy of it: the same three colours, in the same proportions
    const before = render(src, 1, path.join(p.dir, 'src'));
    const bound = render(vol, pageWith(vol, 'Potato') + 1, path.join(p.dir, 'bound'));
    const colours: [number, number, number][] = [[255, 0, 0], [0, 0, 255], [0, 255, 0]];
    const a = await Promise.all(colours.map((c) => share(before, c)));
    const b = await Promise.all(colours.map((c) => share(bound, c)));
    for (const x of [...a, ...b]) expect(x).toBeGreaterThan(0.005);
    for (let i = 1; i < 3; i++) expect(b[i]! / b[0]!).toBeCloseTo(a[i]! / a[0]!, 1);
  });
});

describe('§4 encrypted PDFs that open without a password are not "encrypted"', () => {
  it('an empty owner password (qpdf --allow-insecure): kept and bound; one whose owner password is the user password is encrypted', async () => {
    const p = project(ONE);
    const dir = path.join(p.evidence, 'A1.1');
    mkdirSync(path.join(p.evidence, 'A1.1'), { recursive: true });
    tool('qpdf', ['--encrypt', 'secret', '', '256', '--allow-insecure', '--', LO_PDF, path.join(dir, '2023-10-01 空所有者密码.pdf')]);
    // qpdf takes the user password as the owner password when none is given below AES-256: a password is needed
    tool('qpdf', ['--encrypt', 'secret', '', '128', '--use-aes=y', '--', LO_PDF, path.join(dir, '2023-10-02 需要密码.pdf')]);
    expect(opensInPoppler(path.join(dir, '2023-10-01 空所有者密码.pdf'))).toBe(true);
    expect(opensInPoppler(path.join(dir, '2023-10-02 需要密码.pdf'))).toBe(false);
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 空所有者密码.pdf']);
    expect(rep.dropped.map((d) => [d.path, d.reason, d.params])).toEqual([['A1.1/2023-10-02 需要密码.pdf', 'encrypted', { cause: 'pdf-password' }]]);
    await bindHere(p.dir);
    expect(boundText(p.dir)).toContain(LO_TEXT);
  });

  it('an RC4 file whose owner password is empty (algorithm 7) opens; one whose owner password is the user password does not', () => {
    // the standard handler's own algorithms (ISO 32000-1 §7.6.3.3–4), written out here to make the
    // /O and /U an encrypting writer makes for a user password "secret" and a given owner password
    const PAD = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');
    const pad = (pw: string) => Buffer.concat([Buffer.from(pw, 'latin1'), PAD]).subarray(0, 32);
    const md5 = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('md5')).digest();
    const xor = (key: Buffer, i: number) => Buffer.from(key.map((b) => b ^ i));
    const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    const p = -3904;
    const pBytes = Buffer.alloc(4);
    pBytes.writeInt32LE(p);
    const ownerEntry = (owner: string, user: string) => {
      let h = md5(pad(owner));
      for (let i = 0; i < 50; i++) h = md5(h);
      let x = rc4(h, pad(user));
      for (let i = 1; i <= 19; i++) x = rc4(xor(h, i), x);
      return x;
    };
    const fileKey = (user: string, o: Buffer) => {
      let k = md5(pad(user), o, pBytes, id);
      for (let i = 0; i < 50; i++) k = md5(k);
      return k;
    };
    const userEntry = (key: Buffer) => {
      let x = rc4(key, md5(PAD, id));
      for (let i = 1; i <= 19; i++) x = rc4(xor(key, i), x);
      return Buffer.concat([x, Buffer.alloc(16)]);
    };
    const encryptDict = (owner: string) => {
      const o = ownerEntry(owner, 'secret');
      const key = fileKey('secret', o);
      const dict = new PdfDict(
        new Map<string, PdfValue>([
          ['Filter', new PdfName('Standard')],
          ['V', 2],
          ['R', 3],
          ['Length', 128],
          ['P', p],
          ['O', new PdfString(o)],
          ['U', new PdfString(userEntry(key))],
        ]),
      );
      return { dict, key };
    };
    const empty = encryptDict('');
    const sec = openSecurity(empty.dict, id);
    expect(sec).toMatchObject({ opens: true, how: 'owner' });
    // a string of object 7 encrypted with its object key (algorithm 1) reads back
    const objectKey = md5(empty.key, Buffer.from([7, 0, 0, 0, 0])).subarray(0, 16);
    const secret = Buffer.from('D:20231012093000+08\'00\'', 'latin1');
    expect((sec as Security).string(rc4(objectKey, secret), 7, 0)).toEqual(secret);
    // qpdf's own choice below AES-256: the owner password is the user password — a password is needed
    expect(openSecurity(encryptDict('secret').dict, id)).toEqual({ opens: false, why: 'password' });
  });

  it('encrypted attachments only (Acrobat XI, qpdf refuses it without the password): kept, all 30 pages bound', async () => {
    const p = project(ONE);
    const file = p.copy(path.join(QPDF_FIXTURES, 'enc-XI-R6,V5,U=attachment,encrypted-attachments.pdf'), 'A1.1/2023-10-01 附件加密.pdf');
    expect(spawnSync('qpdf', ['--decrypt', file, path.join(p.dir, 'x.pdf')]).status).toBe(2);
    expect(/Pages:\s+30/.test(tool('pdfinfo', [file]))).toBe(true);
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 附件加密.pdf']);
    await bindHere(p.dir);
    const text = boundText(p.dir);
    for (let i = 0; i < 30; i++) expect(text).toContain(`Potato ${i}`);
    const built = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(built.warnings.filter((w) => w.code === 'bind-failed')).toEqual([]);
  });

  it('a bad encryption /Length that qpdf --decrypt opens (poppler does not): kept and bound', async () => {
    const p = project(ONE);
    const enc = path.join(p.dir, 'rc4.pdf');
    tool('qpdf', ['--allow-weak-crypto', '--encrypt', '', '', '128', '--use-aes=n', '--', LO_PDF, enc]);
    // byte surgery: the encryption dictionary's /Length (128) renamed /Wength, same size, so no offset
    // moves (what qpdf's bad-encryption-length.pdf has); the key is 128 bits, the default 40
    const bytes = readFileSync(enc).toString('latin1');
    const filter = bytes.indexOf('/Filter /Standard');
    const dictStart = bytes.lastIndexOf('<<', filter);
    const dictEnd = bytes.indexOf('>>', filter);
    const dict = bytes.slice(dictStart, dictEnd);
    expect(dict).toContain('/Length 128');
    const file = p.write('A1.1/2023-10-01 长度错.pdf', Buffer.from(bytes.slice(0, dictStart) + dict.replace('/Length 128', '/Wength 128') + bytes.slice(dictEnd), 'latin1'));
    expect(spawnSync('qpdf', ['--decrypt', file, path.join(p.dir, 'y.pdf')]).status).not.toBe(2);
    expect(spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stderr).toContain('Incorrect password');
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 长度错.pdf']);
    await bindHere(p.dir);
    expect(boundText(p.dir)).toContain(LO_TEXT);
  });
});

/** A seal stamp on page 1 (no /Contents), a filled-in form on page 2, a field value without appearance on page 3 when `needs`. */
function annotated(needs: boolean): Buffer {
  const helv = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  // the seal: a red ring, a red star and APPROVED, in a 100×100 box placed on a 200×200 rectangle
  const seal =
    '1 0 0 RG 1 0 0 rg 6 w 50 95 m 74.9 95 95 74.9 95 50 c 95 25.1 74.9 5 50 5 c 25.1 5 5 25.1 5 50 c 5 74.9 25.1 95 50 95 c S\n' +
    '50 78 m 56.5 59 l 76.6 59 l 60.3 47 l 66.5 28 l 50 40 l 33.5 28 l 39.7 47 l 23.4 59 l 43.5 59 l f\n' +
    'BT /Helv 9 Tf 22 14 Td (APPROVED) Tj ET\n';
  return writePdf([
    /* 1 */ `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R 11 0 R${needs ? ' 16 0 R] /NeedAppearances true' : ']'} /DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv 7 0 R >> >> >> >>`,
    /* 2 */ '<< /Type /Pages /Kids [3 0 R 8 0 R 14 0 R] /Count 3 >>',
    /* 3 */ '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R 5 0 R 6 0 R] >>',
    /* 4 */ '<< /Type /Annot /Subtype /Stamp /Rect [250 150 450 350] /F 4 /Name /Approved /AP << /N 12 0 R >> /Popup 5 0 R >>',
    /* 5 */ '<< /Type /Annot /Subtype /Popup /Rect [300 400 500 500] /Parent 4 0 R /Open true >>',
    // a Hidden (F 2) black square: viewers do not draw it
    /* 6 */ '<< /Type /Annot /Subtype /Square /Rect [50 50 550 120] /F 2 /AP << /N 13 0 R >> >>',
    /* 7 */ helv,
    /* 8 */ '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [9 0 R 11 0 R] >>',
    // a text field with its value drawn: white text on blue
    /* 9 */ '<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Zhang San 2023) /Rect [100 300 400 340] /F 4 /AP << /N 10 0 R >> /P 8 0 R >>',
    /* 10 */ { dict: '/Type /XObject /Subtype /Form /BBox [0 0 300 40] /Resources << /Font << /Helv 7 0 R >> >>', data: '0 0 1 rg 0 0 300 40 re f 1 1 1 rg BT /Helv 24 Tf 10 12 Td (Zhang San 2023) Tj ET\n' },
    // a check box: /AS picks /Yes (green, turned by its /Matrix) out of /N << /Yes /Off >>
    /* 11 */ '<< /Type /Annot /Subtype /Widget /FT /Btn /T (agree) /V /Yes /AS /Yes /Rect [100 150 200 250] /F 4 /AP << /N << /Yes 15 0 R /Off 17 0 R >> >> /P 8 0 R >>',
    /* 12 */ { dict: '/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /Font << /Helv 7 0 R >> >>', data: seal },
    /* 13 */ { dict: '/Type /XObject /Subtype /Form /BBox [0 0 10 10]', data: '0 g 0 0 10 10 re f\n' },
    /* 14 */ `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 18 0 R /Resources << /Font << /Helv 7 0 R >> >>${needs ? ' /Annots [16 0 R]' : ''} >>`,
    /* 15 */ { dict: '/Type /XObject /Subtype /Form /BBox [0 0 50 100] /Matrix [0 1 -1 0 100 0]', data: '0 0.6 0 rg 0 0 50 100 re f\n' },
    // a field whose value has no appearance: the file asks readers to draw it
    /* 16 */ '<< /Type /Annot /Subtype /Widget /FT /Tx /T (remark) /V (filled in, never drawn) /Rect [100 300 400 340] /F 4 /P 14 0 R /DA (/Helv 12 Tf 0 g) >>',
    /* 17 */ { dict: '/Type /XObject /Subtype /Form /BBox [0 0 100 100]', data: '0 G 2 w 1 1 98 98 re S\n' },
    /* 18 */ { dict: '', data: 'BT /Helv 20 Tf 100 700 Td (Remarks page) Tj ET\n' },
  ]);
}

describe('§7 pages whose content is in their annotations', () => {
  it('a seal on a page without /Contents and a filled-in form are bound as poppler draws them; hidden annotations and popups are not', async () => {
    const p = project(ONE);
    const src = p.write('A1.1/2023-10-01 盖章页.pdf', annotated(false));
    expect(tool('qpdf', ['--check', src])).toContain('No syntax or stream encoding errors');
    const rep = await reportOf(p.dir);
    expect(kept(rep)).toEqual(['A1.1/2023-10-01 盖章页.pdf']);
    await bindHere(p.dir);
    const vol = volumes(p.dir)[0]!;
    const built = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(built.warnings.filter((w) => w.code === 'bind-failed' || w.code === 'form-appearance')).toEqual([]);
    for (const [n, text] of [[1, 'APPROVED'], [2, 'Zhang San 2023']] as const) {
      const page = pageWith(vol, text);
      const theirs = await ink(render(src, n, path.join(p.dir, `src-${n}`), 50));
      const ours = await ink(render(vol, page, path.join(p.dir, `bound-${n}`), 100), 0.12);
      // (about 2 of 255 when drawn alike; a seal left out or the hidden square drawn is far more)
      expect(meanDiff(theirs, ours), `page ${n}`).toBeLessThan(12);
    }
    // the seal is red on the bound page, the check box green, and no black square was drawn
    const seal = render(vol, pageWith(vol, 'APPROVED'), path.join(p.dir, 'seal'), 50);
    expect(await share(seal, [255, 0, 0])).toBeGreaterThan(0.01);
    expect(await share(seal, [0, 0, 0])).toBeLessThan(0.005);
    expect(await share(render(vol, pageWith(vol, 'Zhang San'), path.join(p.dir, 'form'), 50), [0, 153, 0])).toBeGreaterThan(0.01);
    // the bound volume carries no annotations of the evidence (flattened, as drawn)
    expect(tool('qpdf', ['--json', '--json-key=pages', vol])).not.toMatch(/"annotations": \[\s*\{/);
  });

  it('a form value without an appearance stream (/NeedAppearances) is said to be bound blank, not silently dropped', async () => {
    const p = project(ONE);
    p.write('A1.1/2023-10-01 表单.pdf', annotated(true));
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    const w = rep.warnings.find((x) => x.code === 'form-appearance')!;
    expect(w).toMatchObject({ path: 'A1.1/2023-10-01 表单.pdf', params: { fields: 1 }, indicator: 'A1.1' });
    expect(w.detail).toContain('1 个已填写的栏目');
    expect(r.stdout).toContain('1 个 PDF 表单有已填写的栏目装订后是空白');
    expect(boundText(p.dir)).toContain('Remarks page');
  });
});

/** An XFA form: `dynamic` as Designer saves one (/NeedsRendering, no fields, the "Please wait" page), `unmarked` the same without the mark, `static` with real page content and a field. */
function xfaForm(variant: 'dynamic' | 'unmarked' | 'static'): Buffer {
  const xdp =
    '<?xml version="1.0" encoding="UTF-8"?><xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template xmlns="http://www.xfa.org/schema/xfa-template/3.3/">' +
    '<subform name="form1"><field name="TextField1"><ui><textEdit/></ui></field></subform></template></xdp:xdp>';
  const placeholder =
    'BT /T1 24 Tf 72 703 Td (Please wait... ) Tj ET\n' +
    'BT /T1 12 Tf 72 685 Td (If this message is not eventually replaced by the proper contents of the document, your PDF ) Tj ET\n' +
    'BT /T1 12 Tf 72 671 Td (viewer may not be able to display this type of document. ) Tj ET\n';
  const real = 'BT /T1 18 Tf 72 700 Td (Application form, static XFA) Tj ET 0 0 1 RG 72 600 300 30 re S\n';
  const isStatic = variant === 'static';
  return writePdf([
    `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [${isStatic ? '7 0 R' : ''}] /XFA 6 0 R >>${variant === 'dynamic' ? ' /NeedsRendering true' : ''} >>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /T1 5 0 R >> >>${isStatic ? ' /Annots [7 0 R]' : ''} >>`,
    { dict: '', data: isStatic ? real : placeholder },
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    { dict: '', data: xdp },
    '<< /Type /Annot /Subtype /Widget /FT /Tx /T (TextField1) /V (Li Si) /Rect [72 600 372 630] /F 4 /AP << /N 8 0 R >> /P 3 0 R >>',
    { dict: '/Type /XObject /Subtype /Form /BBox [0 0 300 30] /Resources << /Font << /T1 5 0 R >> >>', data: 'BT /T1 14 Tf 4 9 Td (Li Si) Tj ET\n' },
  ]);
}

describe('§4 dynamic XFA forms', () => {
  it('are warned xfa-form by check, never counted for their requirement, and bound as a notice page saying what to do; a static XFA form is bound', async () => {
    const p = project(
      manualYaml(`  - code: A1
    title: 组织领导
    indicators:
      - code: A1.1
        title: 领导机构健全
        evidence:
          - title: 申请表
            kind: document
            match: ["*申请表*"]
          - title: 登记表
            kind: document
            match: ["*登记表*"]
`),
    );
    p.write('A1.1/2023-10-01 申请表.pdf', xfaForm('dynamic'));
    p.write('A1.1/2023-10-02 申请表 补充.pdf', xfaForm('unmarked'));
    p.write('A1.1/2023-10-03 登记表.pdf', xfaForm('static'));
    for (const f of readdirSync(path.join(p.evidence, 'A1.1'))) expect(tool('pdfinfo', [path.join(p.evidence, 'A1.1', f)])).toMatch(/Form:\s+XFA/);
    const rep = await reportOf(p.dir);
    const b = rep.indicators[0]!.indicators[0]!;
    // the two dynamic ones stand in 其他材料, with the reason the requirement did not take them
    expect(b.requirements.map((r) => [r.title, r.status, r.found, r.files])).toEqual([
      ['申请表', 'unsatisfied', 0, []],
      ['登记表', 'satisfied', 1, ['A1.1/2023-10-03 登记表.pdf']],
    ]);
    expect(b.other).toEqual(['A1.1/2023-10-01 申请表.pdf', 'A1.1/2023-10-02 申请表 补充.pdf']);
    expect(b.requirements[0]!.unmatched!.files.map((f) => f.cause)).toEqual(['xfa-form', 'xfa-form']);
    const xfa = rep.warnings.filter((w) => w.code === 'xfa-form');
    expect(xfa.map((w) => w.path)).toEqual(['A1.1/2023-10-01 申请表.pdf', 'A1.1/2023-10-02 申请表 补充.pdf']);
    expect(xfa[0]!.detail).toContain('Adobe Reader');
    expect(xfa[0]!.detail).toContain('打印');
    expect(rep.warnings.filter((w) => w.code === 'possibly-misplaced')).toEqual([]);
    // build agrees: the same gap, a notice page for each, never the placeholder
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('缺 1 项材料');
    expect(r.stdout).toContain('2 个动态 XFA 表单没有可装订的内容');
    const text = boundText(p.dir);
    expect(text).not.toContain('Please wait');
    expect(text.split('本件为动态 XFA 表单').length - 1).toBe(2);
    expect(text).toContain('Application form, static XFA');
    expect(text).toContain('Li Si');
  });
});

describe('§7 a page that cannot be copied', () => {
  it('gets a notice printed in its place (as the DOCX does); the warning names the page; the summary counts pages, not files', async () => {
    const p = project(ONE);
    // page 2's content is compressed with JBIG2 (an image filter no reader applies to content): poppler draws it blank, pdf-lib cannot copy it
    const pdf = writePdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /Font << /F1 9 0 R >> >> >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 7 0 R >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 8 0 R /Resources << /Font << /F1 9 0 R >> >> >>',
      { dict: '', data: 'BT /F1 24 Tf 72 700 Td (First page) Tj ET\n' },
      { dict: '/Filter /JBIG2Decode', data: Buffer.from('97 4a 42 32 0d 0a 1a 0a 01 00 00 00 01'.replaceAll(' ', ''), 'hex') },
      { dict: '', data: 'BT /F1 24 Tf 72 700 Td (Third page) Tj ET\n' },
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]);
    p.write('A1.1/2023-10-01 三页.pdf', pdf);
    p.write('A1.1/2023-10-02 记录.txt', '记录');
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    const w = rep.warnings.filter((x) => x.code === 'bind-failed');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ path: 'A1.1/2023-10-01 三页.pdf', params: { pages: [2] } });
    expect(w[0]!.detail).toContain('第 2 页');
    expect(w[0]!.detail).not.toMatch(/[A-Za-z]{6,}/); // no English from pdf-lib
    const vol = volumes(p.dir)[0]!;
    const first = pageWith(vol, 'First page');
    expect(pageWith(vol, '此页原件未能复制到卷中，请以原件为准。')).toBe(first + 1);
    expect(pageWith(vol, 'Third page')).toBe(first + 2);
    expect(r.stdout).toContain('1 个文件中有 1 页未能复制（这些页的位置印有说明）');
    expect(r.stdout).not.toContain('个文件未能转换');
  });
});

describe('§8 libraries never talk to the user', () => {
  it('pdf-lib and qpdf print nothing on stderr; a page tree pdf-lib cannot walk is repaired, not a JavaScript error', async () => {
    const p = project(ONE);
    const bytes = readFileSync(LO_PDF);
    const end = bytes.indexOf('endobj') + 6;
    // a broken object inserted after the first one: pdf-lib prints "Trying to parse invalid object" and "Invalid object ref"
    p.write('A1.1/2023-10-01 杂乱.pdf', Buffer.concat([bytes.subarray(0, end), Buffer.from('\n9999 0 obj\n<< /Broken ( >>\nendobj\n)) garbage ]] >> <<\n'), bytes.subarray(end)]));
    // a /Pages node without /Type: pdf-lib fails with "_this.catalog.Pages(...).traverse is not a function"; qpdf rebuilds it
    p.write(
      'A1.1/2023-10-02 无类型.pdf',
      writePdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        { dict: '', data: 'BT /F1 24 Tf 20 150 Td (Untyped tree) Tj ET\n' },
        '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      ]),
    );
    // a password-protected file qpdf is asked to decrypt at no point (check drops it), and an attachments-only one it refuses
    p.copy(path.join(QPDF_FIXTURES, 'enc-XI-R6,V5,U=attachment,encrypted-attachments.pdf'), 'A1.1/2023-10-03 附件加密.pdf');
    const r = await run(['build', p.dir, '--format', 'pdf', '--date', '2024-05-20']);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter(Boolean);
    for (const l of lines) expect(l).toMatch(/^(装订|✔)/);
    expect(r.stderr).not.toMatch(/Trying to parse|Invalid object|qpdf|WARNING|traverse/);
    expect(r.stdout).not.toMatch(/Trying to parse|Invalid object|traverse/);
    const rep = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(rep.warnings.filter((w) => w.code === 'bind-failed')).toEqual([]);
    const text = boundText(p.dir);
    expect(text).toContain(LO_TEXT);
    expect(text).toContain('Untyped tree');
  });

  it('JavaScript and pdf-lib errors become one Chinese reason', () => {
    const raw = new TypeError('_this.catalog.Pages(...).traverse is not a function');
    for (const said of [failureMessage(raw), pdfFailure(raw)]) {
      expect(said).toMatch(/[\u4e00-\u9fff]/);
      expect(said).not.toMatch(/traverse|function|_this/);
    }
    expect(pdfFailure(new Error('Expected instance of PDFDict, but got instance of undefined'))).toBe('文件内部结构损坏，读不出页面');
    expect(pdfFailure(new Error('Input document to `PDFDocument.load` is encrypted.'))).toBe('文件已加密，需要密码才能打开');
    expect(pdfFailure(new Error('/Fl stream encoding not supported'))).toContain('压缩方式');
  });
});
