// Single-file web pages (convert/mht.ts): fixtures made by python's email package, as Word and
// Internet Explorer write MHT (multipart/related, base64 or quoted-printable parts, Content-Location
// and Content-ID references); and web pages stripped of what would reach beyond the evidence.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { offlineHtml, unpackMht } from '../../src/convert/mht.js';

const MAKE = `import sys
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.mime.image import MIMEImage
from email import charset
m = MIMEMultipart('related', type='text/html')
cs = charset.Charset('gb2312'); cs.body_encoding = charset.QP
h = MIMEText('', 'html'); h.set_payload('<html><body><p>创城简报</p><img src="x.files/image001.png"><img src="cid:logo@x"></body></html>', cs)
h['Content-Location'] = 'file:///C:/docs/x.htm'
m.attach(h)
png = bytes.fromhex('89504e470d0a1a0a0000000d4948445200000001000000010806000000')
a = MIMEImage(png, 'png'); a['Content-Location'] = 'file:///C:/docs/x.files/image001.png'; m.attach(a)
b = MIMEImage(png + b'2', 'png'); b['Content-ID'] = '<logo@x>'; m.attach(b)
sys.stdout.buffer.write(m.as_bytes())`;

describe('MHT unpacked for LibreOffice', () => {
  it('the page in its own charset, its pictures as files, every reference (relative location, cid:) pointing at them', () => {
    const mht = execFileSync('python3', ['-c', MAKE]);
    const page = unpackMht(mht)!;
    expect(page.parts.map((p) => p.name)).toEqual(['mht-part-0001.png', 'mht-part-0002.png']);
    expect(page.parts[0]!.bytes.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    const html = page.html.toString('latin1');
    expect(html).toContain('src="mht-part-0001.png"');
    expect(html).toContain('src="mht-part-0002.png"');
    // quoted-printable decoded back to the page's GB2312 bytes, and the charset said in the page
    expect(html).toMatch(/^<meta http-equiv="Content-Type" content="text\/html; charset=gb2312">/);
    expect(new TextDecoder('gb18030').decode(page.html)).toContain('创城简报');
  });

  it('a file that is not multipart MIME is not taken for one', () => {
    expect(unpackMht(Buffer.from('MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello'))).toBeUndefined();
  });
});

describe('web pages given to LibreOffice offline', () => {
  it('pictures and style sheets from the network or other files of the machine are left out; the page’s own and inline ones stay', () => {
    const html = Buffer.from(
      '<html><head><link rel="stylesheet" href="http://example.invalid/a.css"><style>body{background:url(file:///etc/x.png)}</style></head>' +
        '<body><img src="https://example.invalid/track.gif"><img src=\'file:///etc/passwd\'><img src="/home/u/a.png"><img src="C:\\\\a.png">' +
        '<img src="mht-part-0001.png"><img src="data:image/png;base64,AAAA"><a href="https://example.invalid/">link</a></body></html>',
    );
    const out = offlineHtml(html).toString('latin1');
    expect(out).not.toMatch(/example\.invalid\/(a\.css|track)|file:|\/home\/u|C:\\\\/);
    expect(out).toContain('src="mht-part-0001.png"');
    expect(out).toContain('src="data:image/png;base64,AAAA"');
    // a link is not fetched: it stays, as the text it carries
    expect(out).toContain('<a href="https://example.invalid/">link</a>');
  });
});
