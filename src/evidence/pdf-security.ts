// The PDF standard security handler, only as far as we need it: does the file open without a
// password, as readers open it, and if so, the keys to read its strings and streams. ISO 32000-1
// §7.6.3 and ISO 32000-2 §7.6.4. A reader tries the empty password as the user password, then as
// the owner password (poppler, qpdf); and a file whose strings and streams are not encrypted at
// all (Acrobat's "encrypt only file attachments": /StmF and /StrF /Identity, /EFF naming the
// attachments' filter) shows its pages without any password.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { PdfDict, PdfName, PdfString, type PdfValue } from './pdf-syntax.js';

const PAD = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');

/** How a file opens without a password, and how to read what it holds. */
export interface Security {
  opens: true;
  /** `user`/`owner`: the empty password is one of them; `attachments-only`: only embedded files are encrypted */
  how: 'user' | 'owner' | 'attachments-only';
  /** false: the XMP metadata stream is left in clear (/EncryptMetadata false) */
  encryptMetadata: boolean;
  string(bytes: Buffer, num: number, gen: number): Buffer;
  stream(bytes: Buffer, num: number, gen: number): Buffer;
}

export type SecurityResult = Security | { opens: false; why: 'password' | 'unsupported' };

type Method = 'none' | 'rc4' | 'aes128' | 'aes256';

function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function rc4(key: Buffer, data: Buffer): Buffer {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

function bytesOf(v: PdfValue | undefined): Buffer | undefined {
  return v instanceof PdfString ? v.bytes : undefined;
}

/** ISO 32000-2 algorithm 2.B (revision 6 hash). */
function hash2B(password: Buffer, salt: Buffer, udata: Buffer): Buffer {
  let k = createHash('sha256').update(Buffer.concat([password, salt, udata])).digest();
  for (let round = 0; ; round++) {
    const k1 = Buffer.concat(Array.from({ length: 64 }, () => Buffer.concat([password, k, udata])));
    const c = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    c.setAutoPadding(false);
    const e = Buffer.concat([c.update(k1), c.final()]);
    let mod = 0;
    for (let i = 0; i < 16; i++) mod += e[i]!;
    const algo = ['sha256', 'sha384', 'sha512'][mod % 3]!;
    k = createHash(algo).update(e).digest();
    if (round >= 63 && e[e.length - 1]! <= round + 1 - 32) break;
  }
  return k.subarray(0, 32);
}

/** The revision 5/6 hash of the empty password. */
function hashR56(r: number, salt: Buffer, udata: Buffer): Buffer {
  const empty = Buffer.alloc(0);
  return r === 5 ? createHash('sha256').update(Buffer.concat([salt, udata])).digest() : hash2B(empty, salt, udata);
}

function aes256NoIv(key: Buffer, data: Buffer): Buffer | undefined {
  if (data.length < 32) return undefined;
  const d = createDecipheriv('aes-256-cbc', key, Buffer.alloc(16));
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data.subarray(0, 32)), d.final()]);
}

/** Revisions 5 and 6 (AES-256): the file key when the empty password is the user's or the owner's. */
function fileKeyR56(r: number, o: Buffer, u: Buffer, oe: Buffer | undefined, ue: Buffer | undefined): { key: Buffer; how: 'user' | 'owner' } | undefined {
  if (u.length >= 48 && ue && hashR56(r, u.subarray(32, 40), Buffer.alloc(0)).equals(u.subarray(0, 32))) {
    const key = aes256NoIv(hashR56(r, u.subarray(40, 48), Buffer.alloc(0)), ue);
    if (key) return { key, how: 'user' };
  }
  if (o.length >= 48 && u.length >= 48 && oe && hashR56(r, o.subarray(32, 40), u.subarray(0, 48)).equals(o.subarray(0, 32))) {
    const key = aes256NoIv(hashR56(r, o.subarray(40, 48), u.subarray(0, 48)), oe);
    if (key) return { key, how: 'owner' };
  }
  return undefined;
}

interface R4Params {
  r: number;
  o: Buffer;
  u: Buffer;
  p: number;
  id0: Buffer;
  encryptMetadata: boolean;
}

/** Algorithm 2: the file key from a padded password, `n` bytes long. */
function keyFromPassword(padded: Buffer, n: number, s: R4Params): Buffer {
  const pBuf = Buffer.alloc(4);
  pBuf.writeInt32LE(s.p | 0);
  const parts = [padded, s.o.subarray(0, 32), pBuf, s.id0];
  if (s.r >= 4 && !s.encryptMetadata) parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  let key = md5(...parts).subarray(0, n);
  if (s.r >= 3) for (let i = 0; i < 50; i++) key = md5(key).subarray(0, n);
  return key;
}

/** Algorithms 4 and 5: is this the key the user password gives? */
function userKeyMatches(key: Buffer, s: R4Params): boolean {
  if (s.r === 2) return rc4(key, PAD).equals(s.u.subarray(0, 32));
  let x = rc4(key, md5(PAD, s.id0));
  for (let i = 1; i <= 19; i++) x = rc4(Buffer.from(key.map((b) => b ^ i)), x);
  return x.equals(s.u.subarray(0, 16));
}

/** Algorithm 7: the (padded) user password kept in /O, decrypted with the empty owner password. */
function userPasswordFromOwner(n: number, s: R4Params): Buffer {
  let hash = md5(PAD);
  if (s.r >= 3) for (let i = 0; i < 50; i++) hash = md5(hash);
  const key = hash.subarray(0, n);
  if (s.r === 2) return rc4(key, s.o.subarray(0, 32));
  let x = s.o.subarray(0, 32);
  for (let i = 19; i >= 0; i--) x = rc4(Buffer.from(key.map((b) => b ^ i)), x);
  return x;
}

/**
 * Key lengths to try, in bytes: revision 2 is always 40 bits; otherwise /Length as written when it
 * is a valid one, then 128 bits (what qpdf assumes when /Length is missing or wrong) and 40 bits
 * (the standard's default, what poppler and pdf.js assume).
 */
function keyLengths(encrypt: PdfDict, v: number, r: number): number[] {
  if (r === 2 || v === 1) return [5];
  const declared = encrypt.get('Length');
  const out: number[] = [];
  if (typeof declared === 'number' && Number.isInteger(declared)) {
    const bits = declared < 40 ? declared * 8 : declared; // some writers give bytes
    if (bits % 8 === 0 && bits >= 40 && bits <= 128) out.push(bits / 8);
  }
  out.push(16, 5);
  return [...new Set(out)];
}

/** The method of a V4/V5 crypt filter (`/StmF`, `/StrF`): Identity (and a missing name) is none. */
function methodOf(encrypt: PdfDict, key: 'StmF' | 'StrF', v: number): Method {
  if (v < 4) return 'rc4';
  const name = encrypt.get(key);
  if (!(name instanceof PdfName) || name.name === 'Identity') return 'none';
  const cf = encrypt.get('CF');
  const f = cf instanceof PdfDict ? cf.get(name.name) : undefined;
  const cfm = f instanceof PdfDict ? f.get('CFM') : undefined;
  if (!(cfm instanceof PdfName)) return 'none';
  if (cfm.name === 'AESV2') return 'aes128';
  if (cfm.name === 'AESV3') return 'aes256';
  if (cfm.name === 'V2') return 'rc4';
  return 'none';
}

/** Does the file open without a password, and with which keys? */
export function openSecurity(encrypt: PdfDict, fileId: Buffer | undefined): SecurityResult {
  const filter = encrypt.get('Filter');
  if (!(filter instanceof PdfName) || filter.name !== 'Standard') return { opens: false, why: 'unsupported' };
  const v = Number(encrypt.get('V') ?? 0);
  const r = Number(encrypt.get('R') ?? 0);
  const o = bytesOf(encrypt.get('O'));
  const u = bytesOf(encrypt.get('U'));
  if (!o || !u || ![1, 2, 4, 5].includes(v) || r < 2 || r > 6) return { opens: false, why: 'unsupported' };
  const stm = methodOf(encrypt, 'StmF', v);
  const str = methodOf(encrypt, 'StrF', v);
  const encryptMetadata = encrypt.get('EncryptMetadata') !== false;

  let fileKey: Buffer | undefined;
  let how: 'user' | 'owner' | undefined;
  if (r >= 5) {
    const found = fileKeyR56(r, o, u, bytesOf(encrypt.get('OE')), bytesOf(encrypt.get('UE')));
    if (found) ({ key: fileKey, how } = found);
  } else {
    const s: R4Params = { r, o, u, p: Number(encrypt.get('P') ?? 0), id0: fileId ?? Buffer.alloc(0), encryptMetadata };
    for (const n of keyLengths(encrypt, v, r)) {
      const asUser = keyFromPassword(PAD, n, s);
      if (userKeyMatches(asUser, s)) {
        [fileKey, how] = [asUser, 'user'];
        break;
      }
      const asOwner = keyFromPassword(userPasswordFromOwner(n, s), n, s);
      if (userKeyMatches(asOwner, s)) {
        [fileKey, how] = [asOwner, 'owner'];
        break;
      }
    }
    // V4 keys shorter than 16 bytes are used padded with zeros (what Acrobat does; pdf.js too)
    if (fileKey && v === 4 && fileKey.length < 16) fileKey = Buffer.concat([fileKey, Buffer.alloc(16 - fileKey.length)]);
  }
  if (!fileKey) {
    // nothing but the attachments is encrypted: the pages show without the password
    if (v >= 4 && stm === 'none' && str === 'none') return { opens: true, how: 'attachments-only', encryptMetadata, string: (b) => b, stream: (b) => b };
    return { opens: false, why: 'password' };
  }
  const key = fileKey;
  const decrypt = (method: Method) => (bytes: Buffer, num: number, gen: number): Buffer => {
    if (method === 'none') return bytes;
    if (method === 'aes256') return aesDecrypt('aes-256-cbc', key, bytes);
    const objKey = md5(
      key,
      Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]),
      method === 'aes128' ? Buffer.from('sAlT', 'latin1') : Buffer.alloc(0),
    ).subarray(0, Math.min(key.length + 5, 16));
    return method === 'aes128' ? aesDecrypt('aes-128-cbc', objKey, bytes) : rc4(objKey, bytes);
  };
  return { opens: true, how: how!, encryptMetadata, string: decrypt(str), stream: decrypt(stm) };
}

function aesDecrypt(algo: 'aes-128-cbc' | 'aes-256-cbc', key: Buffer, bytes: Buffer): Buffer {
  if (bytes.length < 32 || bytes.length % 16) return Buffer.alloc(0);
  const d = createDecipheriv(algo, key, bytes.subarray(0, 16));
  try {
    return Buffer.concat([d.update(bytes.subarray(16)), d.final()]);
  } catch {
    return Buffer.alloc(0);
  }
}
