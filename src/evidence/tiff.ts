/**
 * The few TIFF facts `check` needs (size, orientation, dates), read from the file's structures
 * alone. libtiff writes the first IFD after the image data, so a TIFF cannot be judged from its
 * first 16 KiB; instead this follows the offsets with a handful of small reads and never touches
 * the pixels, however large the file.
 */

export interface TiffFacts {
  width: number;
  height: number;
  orientation?: number;
  /** 'YYYY:MM:DD HH:MM:SS' as stored */
  dateTimeOriginal?: string;
  dateTime?: string;
}

/** One directory (IFD) of the main chain: a page, or a reduced-resolution copy of one. */
export interface TiffDirectory {
  /** its place in the chain, from 0: what libtiff and libvips (`page`) call it */
  index: number;
  /** NewSubfileType bit 0 (or the old SubfileType 2): a thumbnail or other reduced-resolution copy */
  reduced: boolean;
}

/** Reads `len` bytes at `pos`; may return fewer at the end of the file. */
export type ReadAt = (pos: number, len: number) => Uint8Array;

export class TiffError extends Error {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'unsupported',
  ) {
    super(message);
    this.name = 'TiffError';
  }
}

const HEADER_SIZE = 8;
const ENTRY_SIZE = 12;
const MAX_ENTRIES = 4096;
/** One read covers an IFD of up to 340 entries; real ones have a few dozen. */
const CHUNK = 4096;
const MAX_READS = 8;
/** A date is 20 bytes; anything longer is read only this far. */
const MAX_ASCII = 64;

const TAG_NEW_SUBFILE_TYPE = 254;
const TAG_SUBFILE_TYPE = 255;
const TAG_IMAGE_WIDTH = 256;
const TAG_IMAGE_LENGTH = 257;
const TAG_ORIENTATION = 274;
const TAG_DATE_TIME = 306;
const TAG_EXIF_IFD = 34665;
const TAG_DATE_TIME_ORIGINAL = 36867;

const TYPE_ASCII = 2;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const TYPE_IFD = 13;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** the 4-byte value-or-offset field, as it sits in the file */
  field: Uint8Array;
}

type Reader = (pos: number, len: number, readAhead?: number) => Uint8Array;

interface Source {
  /** Exactly `len` bytes at `pos`, or a TiffError; a real read fetches `readAhead` bytes if more. */
  bytes: Reader;
  little: boolean;
  size: number;
}

const malformed = (message: string) => new TiffError(message, 'malformed');

export function readTiffFacts(readAt: ReadAt, size: number): TiffFacts {
  const reader = boundedReader(readAt, size);
  const header = reader(0, HEADER_SIZE);
  const little = byteOrder(header);
  const src: Source = { bytes: reader, little, size };
  const wanted = [TAG_IMAGE_WIDTH, TAG_IMAGE_LENGTH, TAG_ORIENTATION, TAG_DATE_TIME, TAG_EXIF_IFD];
  const ifd = readIfd(src, u32(header, 4, little), wanted, [TAG_IMAGE_WIDTH, TAG_IMAGE_LENGTH]);

  const width = dimension(ifd.get(TAG_IMAGE_WIDTH), little, 'ImageWidth');
  const height = dimension(ifd.get(TAG_IMAGE_LENGTH), little, 'ImageLength');
  const facts: TiffFacts = { width, height };
  const orientation = shortValue(ifd.get(TAG_ORIENTATION), little);
  if (orientation !== undefined && orientation >= 1 && orientation <= 8) facts.orientation = orientation;
  const dateTime = optional(() => asciiValue(src, ifd.get(TAG_DATE_TIME)));
  if (dateTime) facts.dateTime = dateTime;
  const dateTimeOriginal = optional(() => exifDateTimeOriginal(src, ifd.get(TAG_EXIF_IFD)));
  if (dateTimeOriginal) facts.dateTimeOriginal = dateTimeOriginal;
  return facts;
}

/** At most this many directories are followed (a scan of thousands of pages is not one document). */
export const MAX_DIRECTORIES = 10_000;

/** How many full-size pages the TIFF has (its directories less thumbnails); at least 1. */
export function tiffPageCount(readAt: ReadAt, size: number): number {
  return Math.max(1, tiffDirectories(readAt, size).filter((d) => !d.reduced).length);
}

/**
 * The directories of the main chain, in order, each read once (one read per directory, wherever it
 * lies: libtiff writes each after its page's data). The first must be sound (readTiffFacts says why
 * when not); a later link that is broken — an offset outside the file, a loop, an empty directory —
 * ends the chain there, as libtiff and viewers do: the pages before it are the file's pages.
 */
export function tiffDirectories(readAt: ReadAt, size: number): TiffDirectory[] {
  const header = readAt(0, HEADER_SIZE);
  if (header.length < HEADER_SIZE) return [];
  const little = byteOrder(header);
  const out: TiffDirectory[] = [];
  const seen = new Set<number>();
  for (let offset = u32(header, 4, little); offset !== 0 && out.length < MAX_DIRECTORIES; ) {
    if (seen.has(offset) || offset < HEADER_SIZE || offset + 2 > size) break;
    seen.add(offset);
    let chunk = readAt(offset, Math.min(CHUNK, size - offset));
    if (chunk.length < 2) break;
    const count = u16(chunk, 0, little);
    const length = 2 + count * ENTRY_SIZE + 4;
    if (count === 0 || count > MAX_ENTRIES || offset + length > size) break;
    if (chunk.length < length) chunk = readAt(offset, length);
    if (chunk.length < length) break;
    let reduced = false;
    for (let i = 0; i < count; i++) {
      const entry = parseEntry(chunk.subarray(2 + i * ENTRY_SIZE, 2 + (i + 1) * ENTRY_SIZE), little);
      if (entry.tag === TAG_NEW_SUBFILE_TYPE) reduced ||= ((shortValue(entry, little) ?? 0) & 1) === 1;
      else if (entry.tag === TAG_SUBFILE_TYPE) reduced ||= shortValue(entry, little) === 2;
    }
    out.push({ index: out.length, reduced });
    offset = u32(chunk, length - 4, little);
  }
  return out;
}

/**
 * Metadata past the image size is a nicety: a broken date pointer, or one the read budget cannot
 * reach, leaves the date out rather than condemning a picture that opens fine.
 */
function optional(read: () => string | undefined): string | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof TiffError) return undefined;
    throw e;
  }
}

function byteOrder(header: Uint8Array): boolean {
  const order = String.fromCharCode(header[0]!, header[1]!);
  if (order !== 'II' && order !== 'MM') throw malformed('not a TIFF: no II or MM byte order mark');
  const little = order === 'II';
  const magic = u16(header, 2, little);
  if (magic === 43) throw new TiffError('BigTIFF', 'unsupported');
  if (magic !== 42) throw malformed(`not a TIFF: magic number ${magic}`);
  return little;
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * All reads go through here: each is checked against the file size, kept to CHUNK bytes, counted
 * against MAX_READS, and served from an earlier read when that already covers it.
 */
function boundedReader(readAt: ReadAt, size: number): Reader {
  const cache: Array<{ pos: number; data: Uint8Array }> = [];
  let reads = 0;
  return (pos, len, readAhead = 0) => {
    if (!Number.isSafeInteger(pos) || pos < 0 || len < 0 || pos + len > size) {
      throw malformed(`offset ${pos}+${len} lies outside the ${size}-byte file`);
    }
    if (len > CHUNK) throw malformed(`a ${len}-byte read is more than a TIFF header needs`);
    const hit = cache.find((c) => pos >= c.pos && pos + len <= c.pos + c.data.length);
    if (hit) return hit.data.subarray(pos - hit.pos, pos - hit.pos + len);
    if (reads >= MAX_READS) throw new TiffError(`the TIFF structures need more than ${MAX_READS} reads`, 'unsupported');
    reads++;
    const data = readAt(pos, Math.min(Math.max(len, readAhead, 0), CHUNK, size - pos));
    if (data.length < len) throw malformed(`the file ends inside the TIFF structures (at ${pos + data.length})`);
    cache.push({ pos, data });
    return data.subarray(0, len);
  };
}

/**
 * The wanted entries of the IFD at `offset`. A read here brings up to CHUNK bytes, so that the
 * entries, the values stored after them and often the ExifIFD (where exiftool puts it) arrive
 * together. Larger IFDs are read a chunk at a time; since the TIFF spec sorts entries by tag, the
 * scan stops once it is past the last wanted tag — unless a required one is still missing, as
 * some writers do not sort.
 */
function readIfd(src: Source, offset: number, wanted: readonly number[], required: readonly number[] = []): Map<number, Entry> {
  if (offset < HEADER_SIZE || offset + 2 > src.size) throw malformed(`IFD offset ${offset} lies outside the file`);
  const count = u16(src.bytes(offset, 2, CHUNK), 0, src.little);
  if (count === 0) throw malformed('an empty IFD');
  if (count > MAX_ENTRIES) throw malformed(`an IFD of ${count} entries`);
  const entriesAt = offset + 2;
  if (entriesAt + count * ENTRY_SIZE > src.size) throw malformed('the IFD runs past the end of the file');

  const found = new Map<number, Entry>();
  const lastWanted = Math.max(...wanted);
  const perChunk = Math.floor(CHUNK / ENTRY_SIZE);
  let previousTag = -1;
  let sorted = true;
  for (let first = 0; first < count; first += perChunk) {
    const n = Math.min(perChunk, count - first);
    const chunk = src.bytes(entriesAt + first * ENTRY_SIZE, n * ENTRY_SIZE, CHUNK);
    for (let i = 0; i < n; i++) {
      const entry = parseEntry(chunk.subarray(i * ENTRY_SIZE, (i + 1) * ENTRY_SIZE), src.little);
      if (wanted.includes(entry.tag) && !found.has(entry.tag)) found.set(entry.tag, entry);
      sorted &&= entry.tag > previousTag;
      previousTag = entry.tag;
      if (found.size === wanted.length) return found;
      if (sorted && entry.tag > lastWanted && required.every((t) => found.has(t))) return found;
    }
  }
  return found;
}

function parseEntry(b: Uint8Array, little: boolean): Entry {
  return { tag: u16(b, 0, little), type: u16(b, 2, little), count: u32(b, 4, little), field: b.subarray(8, 12) };
}

// ---------------------------------------------------------------------------------------------
// Values

function dimension(entry: Entry | undefined, little: boolean, name: string): number {
  if (entry === undefined) throw malformed(`no ${name}`);
  if (entry.count < 1) throw malformed(`${name} has no value`);
  let value: number;
  if (entry.type === TYPE_SHORT) value = u16(entry.field, 0, little);
  else if (entry.type === TYPE_LONG) value = u32(entry.field, 0, little);
  else throw malformed(`${name} of type ${entry.type}`);
  if (value === 0) throw malformed(`${name} is 0`);
  return value;
}

function shortValue(entry: Entry | undefined, little: boolean): number | undefined {
  if (entry === undefined || entry.count < 1) return undefined;
  if (entry.type === TYPE_SHORT) return u16(entry.field, 0, little);
  if (entry.type === TYPE_LONG) return u32(entry.field, 0, little);
  return undefined;
}

/** An ASCII value up to its first NUL; values of 4 bytes or fewer sit in the entry itself. */
function asciiValue(src: Source, entry: Entry | undefined): string | undefined {
  if (entry === undefined || entry.type !== TYPE_ASCII || entry.count === 0) return undefined;
  const len = Math.min(entry.count, MAX_ASCII);
  const bytes = entry.count <= 4 ? entry.field.subarray(0, len) : src.bytes(u32(entry.field, 0, src.little), len);
  const nul = bytes.indexOf(0);
  const text = String.fromCharCode(...bytes.subarray(0, nul < 0 ? bytes.length : nul)).trim();
  return text === '' ? undefined : text;
}

function exifDateTimeOriginal(src: Source, pointer: Entry | undefined): string | undefined {
  if (pointer === undefined || pointer.count < 1) return undefined;
  if (pointer.type !== TYPE_LONG && pointer.type !== TYPE_IFD) return undefined;
  const exif = readIfd(src, u32(pointer.field, 0, src.little), [TAG_DATE_TIME_ORIGINAL]);
  return asciiValue(src, exif.get(TAG_DATE_TIME_ORIGINAL));
}

// ---------------------------------------------------------------------------------------------

function u16(b: Uint8Array, at: number, little: boolean): number {
  return little ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
}

function u32(b: Uint8Array, at: number, little: boolean): number {
  const [b0, b1, b2, b3] = little ? [b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!] : [b[at + 3]!, b[at + 2]!, b[at + 1]!, b[at]!];
  return (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0;
}
