/**
 * The structure of a HEIF file (HEIC, AVIF), read from its boxes alone: whether it is whole, and
 * where its EXIF lies. A HEIF file is a sequence of boxes (ISO BMFF): `ftyp`, `meta` (what the items
 * are — `iinf` — and where their bytes lie — `iloc`), `mdat` (the bytes). A download cut short ends
 * inside a box or before an item's data; garbage after a valid start makes no sense as boxes. Both
 * are found here with a few small reads, without decoding anything. The EXIF item (where phones
 * keep DateTimeOriginal) may lie anywhere in `mdat`: `iloc` says where, and only it is read.
 */

/** Reads `len` bytes at `pos`; may return fewer at the end of the file. */
export type ReadAt = (pos: number, len: number) => Uint8Array;

export class HeifError extends Error {
  constructor(
    /** what a person is told (Chinese) */
    readonly what: string,
    readonly reason: 'truncated' | 'corrupt',
  ) {
    super(what);
    this.name = 'HeifError';
  }
}

export interface HeifFacts {
  /** the EXIF item's TIFF structure ('II*\0' or 'MM\0*' and what follows), when there is one */
  exif?: Uint8Array;
}

interface Box {
  type: string;
  /** where the box starts, and where its content starts and ends (absolute) */
  start: number;
  content: number;
  end: number;
}

/** A file of more top-level boxes than this is not a picture. */
const MAX_TOP_BOXES = 1000;
/** The `meta` box holds item lists and properties: kilobytes. */
const MAX_META = 4 * 1024 * 1024;
/** An EXIF item is a few kilobytes (with a thumbnail, tens). */
const MAX_EXIF = 1024 * 1024;

const corrupt = (what: string) => new HeifError(what, 'corrupt');
const truncated = () => new HeifError('文件在图像数据结束前就断了', 'truncated');

export function readHeif(readAt: ReadAt, size: number): HeifFacts {
  const top = topBoxes(readAt, size);
  if (top[0]?.type !== 'ftyp') throw corrupt('文件开头不完整');
  const metaBox = top.find((b) => b.type === 'meta');
  if (!metaBox) throw corrupt('缺少图像描述信息');
  if (metaBox.end - metaBox.content > MAX_META) throw corrupt('图像描述信息大得不合常理');
  const meta = exactly(readAt, metaBox.content, metaBox.end - metaBox.content);
  // meta is a full box: version and flags first, then its children
  const children = boxesIn(meta, 4, meta.length);
  const iloc = children.find((b) => b.type === 'iloc');
  const iinf = children.find((b) => b.type === 'iinf');
  if (!iloc || !iinf || !children.some((b) => b.type === 'pitm')) throw corrupt('图像描述信息不完整');
  const locations = parseIloc(meta.subarray(iloc.content, iloc.end));
  // every item stored in the file itself must lie inside it: a file cut short loses the last ones
  for (const loc of locations.values()) {
    if (loc.method !== 0) continue;
    for (const e of loc.extents) if (e.length > 0 && e.offset + e.length > size) throw truncated();
  }
  const facts: HeifFacts = {};
  const exifId = itemsOfType(meta.subarray(iinf.content, iinf.end), 'Exif')[0];
  const exifLoc = exifId !== undefined ? locations.get(exifId) : undefined;
  if (exifLoc && exifLoc.method === 0 && exifLoc.extents.length > 0) {
    const total = exifLoc.extents.reduce((n, e) => n + e.length, 0);
    if (total > 8 && total <= MAX_EXIF && exifLoc.extents.every((e) => e.length > 0)) {
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const e of exifLoc.extents) {
        bytes.set(exactly(readAt, e.offset, e.length), at);
        at += e.length;
      }
      // the item begins with the offset of the TIFF header after these four bytes (ISO 23008-12 A.2.1)
      const skip = 4 + u32(bytes, 0);
      const tiff = skip < bytes.length - 8 ? bytes.subarray(skip) : undefined;
      if (tiff && (ascii(tiff, 0, 4) === 'II*\0' || ascii(tiff, 0, 4) === 'MM\0*')) facts.exif = tiff;
    }
  }
  return facts;
}

/** The top-level boxes, each whole inside the file: one that runs past its end is a file cut short. */
function topBoxes(readAt: ReadAt, size: number): Box[] {
  const out: Box[] = [];
  for (let pos = 0; pos < size; ) {
    if (out.length >= MAX_TOP_BOXES) throw corrupt('文件结构错乱');
    if (pos + 8 > size) throw truncated();
    const head = readAt(pos, Math.min(16, size - pos));
    const box = boxAt(head, 0, size - pos, true);
    if (!box) throw corrupt('文件结构错乱');
    if (pos + box.end > size) throw truncated();
    out.push({ type: box.type, start: pos, content: pos + box.content, end: pos + box.end });
    pos += box.end;
  }
  return out;
}

/** The boxes inside [from, to) of a buffer already read. */
function boxesIn(buf: Uint8Array, from: number, to: number): Box[] {
  const out: Box[] = [];
  for (let pos = from; pos < to; ) {
    if (out.length >= MAX_TOP_BOXES) throw corrupt('图像描述信息错乱');
    const box = boxAt(buf.subarray(pos, to), 0, to - pos, false);
    if (!box || box.end > to - pos) throw corrupt('图像描述信息错乱');
    out.push({ type: box.type, start: pos, content: pos + box.content, end: pos + box.end });
    pos += box.end;
  }
  return out;
}

/**
 * The box whose header starts at `at` of `b`: its type, and its content's start and end relative to
 * `at`; `room` is how many bytes the box may take (size 0 means up to there, allowed at the top only).
 */
function boxAt(b: Uint8Array, at: number, room: number, top: boolean): { type: string; content: number; end: number } | undefined {
  if (b.length < at + 8) return undefined;
  const type = ascii(b, at + 4, 4);
  // box types are four printable characters ('ftyp', 'meta', 'mdat', 'free', 'uuid' …)
  if (!/^[\x20-\x7e]{4}$/.test(type)) return undefined;
  let size = u32(b, at);
  let header = 8;
  if (size === 1) {
    if (b.length < at + 16) return undefined;
    const high = u32(b, at + 8);
    size = high * 2 ** 32 + u32(b, at + 12);
    header = 16;
  } else if (size === 0) {
    if (!top) return undefined;
    size = room;
  }
  if (size < header) return undefined;
  return { type, content: header, end: size };
}

interface Location {
  /** 0: in the file; 1: in the `idat` box; 2: from another item */
  method: number;
  extents: { offset: number; length: number }[];
}

/** The item locations of an `iloc` box's content (ISO 14496-12 8.11.3). */
function parseIloc(b: Uint8Array): Map<number, Location> {
  const r = new Reader(b);
  const version = r.u8();
  r.skip(3);
  if (version > 2) throw corrupt('图像描述信息的版本无法识别');
  const sizes = r.u8();
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 15;
  const more = r.u8();
  const baseSize = more >> 4;
  const indexSize = version >= 1 ? more & 15 : 0;
  const count = version < 2 ? r.u16() : r.u32();
  const out = new Map<number, Location>();
  for (let i = 0; i < count; i++) {
    const id = version < 2 ? r.u16() : r.u32();
    const method = version >= 1 ? r.u16() & 15 : 0;
    r.skip(2); // data_reference_index
    const base = r.uint(baseSize);
    const n = r.u16();
    const extents: Location['extents'] = [];
    for (let k = 0; k < n; k++) {
      r.uint(indexSize);
      const offset = base + r.uint(offsetSize);
      extents.push({ offset, length: r.uint(lengthSize) });
    }
    out.set(id, { method, extents });
  }
  return out;
}

/** The IDs of the items of one type ('Exif', 'hvc1', 'av01' …) in an `iinf` box's content. */
function itemsOfType(b: Uint8Array, wanted: string): number[] {
  const r = new Reader(b);
  const version = r.u8();
  r.skip(3);
  const count = version === 0 ? r.u16() : r.u32();
  const out: number[] = [];
  const entries = boxesIn(b, r.pos, b.length);
  for (const e of entries.slice(0, count)) {
    if (e.type !== 'infe') continue;
    const v = new Reader(b.subarray(e.content, e.end));
    const ver = v.u8();
    v.skip(3);
    if (ver < 2) continue; // versions 0 and 1 name no item type
    const id = ver === 2 ? v.u16() : v.u32();
    v.skip(2); // item_protection_index
    if (v.ascii(4) === wanted) out.push(id);
  }
  return out;
}

/** Big-endian fields read in order; reading past the end is a damaged box. */
class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  private need(n: number): void {
    if (this.pos + n > this.b.length) throw corrupt('图像描述信息错乱');
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
  u8(): number {
    this.need(1);
    return this.b[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = (this.b[this.pos]! << 8) | this.b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = u32(this.b, this.pos);
    this.pos += 4;
    return v;
  }
  /** an unsigned field of 0, 4 or 8 bytes (iloc's sizes) */
  uint(bytes: number): number {
    if (bytes === 0) return 0;
    if (bytes === 4) return this.u32();
    if (bytes === 8) {
      const high = this.u32();
      return high * 2 ** 32 + this.u32();
    }
    throw corrupt('图像描述信息错乱');
  }
  ascii(n: number): string {
    this.need(n);
    const s = ascii(this.b, this.pos, n);
    this.pos += n;
    return s;
  }
}

function exactly(readAt: ReadAt, pos: number, len: number): Uint8Array {
  const b = readAt(pos, len);
  if (b.length < len) throw truncated();
  return b;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function ascii(b: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...b.subarray(at, at + n));
}
