// OLE2 compound files (CFB, [MS-CFB]): legacy Word, Excel and PowerPoint, WPS, Visio, Publisher,
// Outlook .msg, and Office's wrapper of a password-protected .docx/.xlsx/.pptx all share this
// container. What a file is, and whether it is encrypted, is read from the names in its root storage
// and the first bytes of one stream — the header, the directory sectors and a few sectors more,
// each read checked against the file's size and every chain bounded, never the whole file.
import type { FileType } from '../model.js';

export type ReadAt = (pos: number, len: number) => Uint8Array;

export const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const FREE = 0xffffffff;
const END_OF_CHAIN = 0xfffffffe;
/** Sector numbers at or above this are markers (free, end of chain, FAT, DIFAT), not sectors. */
const MAX_REG = 0xfffffffa;
/** Directory entries read at most (a .msg with many attachments has a few thousand). */
const MAX_ENTRIES = 65_536;

export interface CfbEntry {
  name: string;
  /** 1 storage, 2 stream, 5 root */
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

export class CfbError extends Error {
  constructor(
    message: string,
    /** a sector lies past the end of the file: it was cut short */
    readonly beyondEnd = false,
  ) {
    super(message);
  }
}

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/** A compound file opened by its header; streams are read on demand, by the first bytes only. */
export class Cfb {
  readonly sectorSize: number;
  private readonly miniSectorSize: number;
  private readonly miniCutoff: number;
  private readonly difat: number[] = [];
  private readonly fatCache = new Map<number, Uint8Array>();
  readonly entries: CfbEntry[] = [];
  private miniFat: number[] | undefined;

  constructor(
    private readonly read: ReadAt,
    private readonly size: number,
  ) {
    const h = read(0, 512);
    if (h.length < 512 || !CFB_SIGNATURE.every((b, i) => h[i] === b)) throw new CfbError('不是 OLE 复合文档');
    const shift = u16(h, 0x1e);
    if (shift !== 9 && shift !== 12) throw new CfbError('扇区大小无效');
    this.sectorSize = 1 << shift;
    this.miniSectorSize = 1 << u16(h, 0x20);
    this.miniCutoff = u32(h, 0x38) || 4096;
    const fatSectors = u32(h, 0x2c);
    for (let i = 0; i < 109 && this.difat.length < fatSectors; i++) {
      const s = u32(h, 0x4c + i * 4);
      if (s >= MAX_REG) break;
      this.difat.push(s);
    }
    // FAT sectors beyond the 109 in the header are listed in the DIFAT chain
    let next = u32(h, 0x44);
    const perDifat = this.sectorSize / 4 - 1;
    for (let guard = 0; next < MAX_REG && this.difat.length < fatSectors && guard < u32(h, 0x48) + 1; guard++) {
      const sec = this.sector(next);
      for (let i = 0; i < perDifat && this.difat.length < fatSectors; i++) {
        const s = u32(sec, i * 4);
        if (s < MAX_REG) this.difat.push(s);
      }
      next = u32(sec, perDifat * 4);
    }
    this.readDirectory(u32(h, 0x30));
  }

  private sector(n: number): Uint8Array {
    const pos = (n + 1) * this.sectorSize;
    if (n >= MAX_REG) throw new CfbError(`扇区号 ${n} 无效`);
    if (pos >= this.size) throw new CfbError(`扇区 ${n} 超出文件`, true);
    const buf = this.read(pos, this.sectorSize);
    if (buf.length === 0) throw new CfbError(`扇区 ${n} 超出文件`, true);
    return buf;
  }

  /** The sector after `n` in its chain (the FAT). */
  private nextSector(n: number): number {
    const per = this.sectorSize / 4;
    const fatIndex = Math.floor(n / per);
    const fatSector = this.difat[fatIndex];
    if (fatSector === undefined) throw new CfbError('分配表不完整');
    let fat = this.fatCache.get(fatSector);
    if (!fat) {
      fat = this.sector(fatSector);
      this.fatCache.set(fatSector, fat);
    }
    const off = (n % per) * 4;
    if (off + 4 > fat.length) throw new CfbError('分配表不完整');
    return u32(fat, off);
  }

  /** The sectors of a chain starting at `start`, at most `max` of them, loops refused. */
  private chain(start: number, max: number): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    for (let s = start; s !== END_OF_CHAIN && s !== FREE && out.length < max; s = this.nextSector(s)) {
      if (s >= MAX_REG || seen.has(s)) throw new CfbError('扇区链损坏');
      seen.add(s);
      out.push(s);
    }
    return out;
  }

  private readDirectory(first: number): void {
    const perSector = this.sectorSize / 128;
    const maxSectors = Math.min(Math.ceil(MAX_ENTRIES / perSector), Math.ceil(this.size / this.sectorSize));
    for (const s of this.chain(first, maxSectors)) {
      const sec = this.sector(s);
      for (let i = 0; i < perSector && (i + 1) * 128 <= sec.length; i++) {
        const e = sec.subarray(i * 128, (i + 1) * 128);
        const nameLen = Math.min(64, u16(e, 0x40));
        let name = '';
        for (let k = 0; k + 1 < nameLen - 1; k += 2) name += String.fromCharCode(u16(e, k));
        this.entries.push({
          name,
          type: e[0x42]!,
          left: u32(e, 0x44),
          right: u32(e, 0x48),
          child: u32(e, 0x4c),
          start: u32(e, 0x74),
          // (version 3 files keep garbage in the high half; no stream we read is near 4 GiB)
          size: u32(e, 0x78),
        });
      }
    }
    if (this.entries[0]?.type !== 5) throw new CfbError('没有根目录项');
  }

  /** The entries directly inside a storage (the root by default): its red-black tree walked, bounded. */
  children(of = 0): CfbEntry[] {
    const out: CfbEntry[] = [];
    const seen = new Set<number>();
    const stack = [this.entries[of]?.child ?? FREE];
    while (stack.length > 0 && out.length < MAX_ENTRIES) {
      const i = stack.pop()!;
      if (i >= this.entries.length || seen.has(i)) continue;
      seen.add(i);
      const e = this.entries[i]!;
      if (e.type === 0) continue;
      out.push(e);
      stack.push(e.left, e.right);
    }
    return out;
  }

  /** The first `max` bytes of a stream (fewer when it is shorter). */
  stream(e: CfbEntry, max: number): Uint8Array {
    const want = Math.min(max, e.size);
    if (want <= 0) return new Uint8Array();
    const parts: Uint8Array[] = [];
    let have = 0;
    if (e.size < this.miniCutoff && e.type === 2) {
      // small streams live in the mini stream (the root's stream), in 64-byte sectors
      const root = this.entries[0]!;
      const perBig = this.sectorSize / this.miniSectorSize;
      const rootSectors = this.chain(root.start, Math.ceil(root.size / this.sectorSize) + 1);
      const miniFat = this.loadMiniFat();
      const seen = new Set<number>();
      for (let m = e.start; m !== END_OF_CHAIN && have < want; m = miniFat[m] ?? END_OF_CHAIN) {
        if (m >= MAX_REG || seen.has(m)) throw new CfbError('小扇区链损坏');
        seen.add(m);
        const big = rootSectors[Math.floor(m / perBig)];
        if (big === undefined) throw new CfbError('小扇区超出根存储');
        const sec = this.sector(big);
        const off = (m % perBig) * this.miniSectorSize;
        const part = sec.subarray(off, off + this.miniSectorSize);
        parts.push(part);
        have += part.length;
      }
    } else {
      for (const s of this.chain(e.start, Math.ceil(want / this.sectorSize))) {
        const sec = this.sector(s);
        parts.push(sec);
        have += sec.length;
      }
    }
    const out = new Uint8Array(Math.min(have, want));
    let at = 0;
    for (const p of parts) {
      const n = Math.min(p.length, out.length - at);
      out.set(p.subarray(0, n), at);
      at += n;
      if (at >= out.length) break;
    }
    return out;
  }

  private loadMiniFat(): number[] {
    if (this.miniFat) return this.miniFat;
    const h = this.read(0, 512);
    const sectors = this.chain(u32(h, 0x3c), Math.min(u32(h, 0x40), Math.ceil(this.size / this.sectorSize)));
    const out: number[] = [];
    for (const s of sectors) {
      const sec = this.sector(s);
      for (let i = 0; i + 4 <= sec.length; i += 4) out.push(u32(sec, i));
    }
    return (this.miniFat = out);
  }
}

/** What the root storage of a compound file says it is. */
export type OleKind =
  | { kind: 'word' | 'excel' | 'powerpoint'; encrypted: boolean; template?: boolean }
  | { kind: 'visio' | 'publisher' | 'outlook' | 'ooxml-encrypted' | 'unknown' };

/**
 * Tell a compound file by its root entries: `WordDocument` (Word, WPS 文字), `Workbook`/`Book`
 * (Excel, WPS 表格), `PowerPoint Document` (PowerPoint, WPS 演示), `VisioDocument`, `Quill` (Publisher),
 * `__substg1.0_…` (an Outlook message), `EncryptionInfo` + `EncryptedPackage` (a password-protected
 * OOXML file). Whether Word, Excel or PowerPoint content is encrypted is read from the stream itself:
 * the FIB's fEncrypted bit, a FILEPASS record after the workbook's BOF, PowerPoint's CurrentUser
 * header token or an `EncryptedSummary` stream.
 */
export function classifyOle(read: ReadAt, size: number): OleKind {
  const cfb = new Cfb(read, size);
  const root = cfb.children();
  const byName = new Map(root.map((e) => [e.name.toLowerCase(), e]));
  const has = (n: string) => byName.has(n.toLowerCase());
  if (has('EncryptionInfo') && has('EncryptedPackage')) return { kind: 'ooxml-encrypted' };
  const word = byName.get('worddocument');
  if (word && word.type === 2) {
    const fib = cfb.stream(word, 32);
    if (fib.length < 12) return { kind: 'word', encrypted: false };
    const flags = u16(fib, 0x0a);
    return { kind: 'word', encrypted: (flags & 0x0100) !== 0, template: (flags & 0x0001) !== 0 };
  }
  const book = byName.get('workbook') ?? byName.get('book');
  if (book && book.type === 2) return { kind: 'excel', encrypted: workbookEncrypted(cfb.stream(book, 8192)) };
  const ppt = byName.get('powerpoint document');
  if (ppt && ppt.type === 2) {
    if (has('EncryptedSummary')) return { kind: 'powerpoint', encrypted: true };
    const cu = byName.get('current user');
    const atom = cu ? cfb.stream(cu, 16) : new Uint8Array();
    // CurrentUserAtom: record header (8), size (4), headerToken (4): 0xF3D1C4DF when encrypted
    return { kind: 'powerpoint', encrypted: atom.length >= 16 && u32(atom, 12) === 0xf3d1c4df };
  }
  if (has('VisioDocument')) return { kind: 'visio' };
  if (has('Quill')) return { kind: 'publisher' };
  if (root.some((e) => e.name.startsWith('__substg1.0_')) || has('__properties_version1.0')) return { kind: 'outlook' };
  return { kind: 'unknown' };
}

/**
 * Whether a BIFF workbook stream is encrypted: a FILEPASS record (0x002F) follows the globals' BOF
 * ([MS-XLS] 2.4.117). Only the first records are looked at: FILEPASS comes right after BOF.
 */
export function workbookEncrypted(s: Uint8Array): boolean {
  let pos = 0;
  for (let n = 0; n < 32 && pos + 4 <= s.length; n++) {
    const type = u16(s, pos);
    const len = u16(s, pos + 2);
    if (type === 0x002f) return true;
    // BOUNDSHEET, or the first sheet's records: past where FILEPASS may stand
    if (type === 0x0085 || type === 0x000a) return false;
    pos += 4 + len;
  }
  return false;
}

/** The legacy (OLE) type of each family, by the extension that may name a sibling (WPS, templates). */
export const OLE_FAMILY: Record<'word' | 'excel' | 'powerpoint', readonly FileType[]> = {
  word: ['doc', 'wps', 'dot'],
  excel: ['xls', 'et', 'xlt'],
  powerpoint: ['ppt', 'dps', 'pot', 'pps'],
};
