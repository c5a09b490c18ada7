// The PDF standard security handler, only as far as we need it: does the file open with an empty
// user password (then it is merely owner-restricted and we bind it), and if so, the key to read the
// few strings we look at (CreationDate). ISO 32000-1 §7.6.3 and ISO 32000-2 §7.6.4.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { PdfDict, PdfName, PdfString, type PdfValue } from './pdf-syntax.js';

const PAD = Buffer.from(
  '28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A',
  'hex',
);

export type SecurityResult =
  | { opens: true; decryptString: (bytes: Buffer, num: number, gen: number) => Buffer }
  | { opens: false; why: 'password' | 'unsupported' };

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

export function checkEmptyUserPassword(encrypt: PdfDict, fileId: Buffer | undefined): SecurityResult {
  const filter = encrypt.get('Filter');
  if (!(filter instanceof PdfName) || filter.name !== 'Standard') return { opens: false, why: 'unsupported' };
  const v = Number(encrypt.get('V') ?? 0);
  const r = Number(encrypt.get('R') ?? 0);
  const o = bytesOf(encrypt.get('O'));
  const u = bytesOf(encrypt.get('U'));
  const p = Number(encrypt.get('P') ?? 0);
  if (!o || !u) return { opens: false, why: 'unsupported' };
  const empty = Buffer.alloc(0);

  if (r >= 5) {
    let fileKey: Buffer;
    if (r === 5) {
      if (!createHash('sha256').update(Buffer.concat([empty, u.subarray(32, 40)])).digest().equals(u.subarray(0, 32)))
        return { opens: false, why: 'password' };
      fileKey = createHash('sha256').update(Buffer.concat([empty, u.subarray(40, 48)])).digest();
    } else {
      if (!hash2B(empty, u.subarray(32, 40), empty).equals(u.subarray(0, 32))) return { opens: false, why: 'password' };
      fileKey = hash2B(empty, u.subarray(40, 48), empty);
    }
    const ue = bytesOf(encrypt.get('UE'));
    if (!ue) return { opens: false, why: 'unsupported' };
    const d = createDecipheriv('aes-256-cbc', fileKey, Buffer.alloc(16));
    d.setAutoPadding(false);
    const key = Buffer.concat([d.update(ue.subarray(0, 32)), d.final()]);
    return { opens: true, decryptString: (bytes) => aesDecrypt('aes-256-cbc', key, bytes) };
  }

  if (r < 2 || r > 4) return { opens: false, why: 'unsupported' };
  const length = r === 2 ? 5 : Math.floor(Number(encrypt.get('Length') ?? 40) / 8);
  const id0 = fileId ?? empty;
  const pBuf = Buffer.alloc(4);
  pBuf.writeInt32LE(p | 0);
  const encryptMetadata = encrypt.get('EncryptMetadata') !== false;
  const parts = [PAD, o.subarray(0, 32), pBuf, id0];
  if (r >= 4 && !encryptMetadata) parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  let key = md5(...parts).subarray(0, length);
  if (r >= 3) for (let i = 0; i < 50; i++) key = md5(key).subarray(0, length);

  let ok: boolean;
  if (r === 2) ok = rc4(key, PAD).equals(u.subarray(0, 32));
  else {
    let x = rc4(key, md5(PAD, id0));
    for (let i = 1; i <= 19; i++) x = rc4(Buffer.from(key.map((b) => b ^ i)), x);
    ok = x.equals(u.subarray(0, 16));
  }
  if (!ok) return { opens: false, why: 'password' };

  // V4 names its string filter; AESV2 means AES-128, anything else RC4.
  let aes = false;
  if (v === 4) {
    const cf = encrypt.get('CF');
    const strf = encrypt.get('StrF');
    if (cf instanceof PdfDict && strf instanceof PdfName) {
      const f = cf.get(strf.name);
      const cfm = f instanceof PdfDict ? f.get('CFM') : undefined;
      aes = cfm instanceof PdfName && cfm.name === 'AESV2';
      if (strf.name === 'Identity') return { opens: true, decryptString: (b) => b };
    }
  }
  const fileKey = key;
  return {
    opens: true,
    decryptString: (bytes, num, gen) => {
      const objKey = md5(
        fileKey,
        Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]),
        aes ? Buffer.from('sAlT', 'latin1') : empty,
      ).subarray(0, Math.min(fileKey.length + 5, 16));
      return aes ? aesDecrypt('aes-128-cbc', objKey, bytes) : rc4(objKey, bytes);
    },
  };
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
