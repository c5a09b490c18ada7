// A minimal OLE2 compound-file writer for fixtures that no tool here can make: Office's wrapper of
// a password-protected .docx (streams EncryptionInfo + EncryptedPackage), and the containers of
// Visio, Publisher and Outlook, whose programs LibreOffice cannot write. It writes version 3 files
// (512-byte sectors) as [MS-CFB] lays them out: the FAT in sector 0, the directory after it, then
// each stream padded to whole sectors; every stream is given at least 4,096 bytes so that none lives
// in the mini stream. The directory is a valid binary tree (a chain of right siblings in CFB order).
// Independent readers (libmagic's `file`, olefile through msoffcrypto-tool) read what it writes.

export interface CfbItem {
  name: string;
  /** a storage (folder) when no data is given */
  data?: Uint8Array;
}

const SECTOR = 512;
const END = 0xfffffffe;
const FATSECT = 0xfffffffd;
const NOSTREAM = 0xffffffff;

/** CFB's order of names: shorter first, then by upper-cased UTF-16 code units. */
function cfbCompare(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  const ua = a.toUpperCase();
  const ub = b.toUpperCase();
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

export function cfbFile(items: CfbItem[]): Buffer {
  const sorted = [...items].sort((a, b) => cfbCompare(a.name, b.name));
  const entries = 1 + sorted.length;
  const dirSectors = Math.ceil(entries / 4);
  const streams = sorted.map((it) => (it.data ? Buffer.concat([Buffer.from(it.data), Buffer.alloc(Math.max(0, 4096 - it.data.length))]) : undefined));
  const streamSectors = streams.map((s) => (s ? Math.ceil(s.length / SECTOR) : 0));
  const total = 1 + dirSectors + streamSectors.reduce((a, b) => a + b, 0);
  if (total > SECTOR / 4) throw new Error('cfbFile: fixture too large for one FAT sector');

  const fat = Buffer.alloc(SECTOR, 0xff);
  fat.writeUInt32LE(FATSECT, 0);
  let next = 1;
  const chain = (count: number): number => {
    const first = next;
    for (let i = 0; i < count; i++, next++) fat.writeUInt32LE(i === count - 1 ? END : next + 1, next * 4);
    return first;
  };
  const dirStart = chain(dirSectors);
  const starts = streamSectors.map((n) => (n > 0 ? chain(n) : END));

  const dir = Buffer.alloc(dirSectors * SECTOR);
  const entry = (i: number, name: string, type: number, child: number, right: number, start: number, size: number) => {
    const e = dir.subarray(i * 128, (i + 1) * 128);
    e.write(name, 0, 'utf16le');
    e.writeUInt16LE((name.length + 1) * 2, 0x40);
    e[0x42] = type;
    e[0x43] = 1; // black
    e.writeUInt32LE(NOSTREAM, 0x44);
    e.writeUInt32LE(right, 0x48);
    e.writeUInt32LE(child, 0x4c);
    e.writeUInt32LE(start, 0x74);
    e.writeUInt32LE(size, 0x78);
  };
  entry(0, 'Root Entry', 5, sorted.length > 0 ? 1 : NOSTREAM, NOSTREAM, END, 0);
  sorted.forEach((it, k) => {
    const right = k + 1 < sorted.length ? k + 2 : NOSTREAM;
    entry(k + 1, it.name, it.data ? 2 : 1, NOSTREAM, right, it.data ? starts[k]! : 0, streams[k]?.length ?? 0);
  });
  // unused entries: empty, siblings and child "no stream"
  for (let i = entries; i < dirSectors * 4; i++) {
    const e = dir.subarray(i * 128, (i + 1) * 128);
    e.writeUInt32LE(NOSTREAM, 0x44);
    e.writeUInt32LE(NOSTREAM, 0x48);
    e.writeUInt32LE(NOSTREAM, 0x4c);
  }

  const header = Buffer.alloc(SECTOR);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18); // minor version
  header.writeUInt16LE(3, 0x1a); // major version 3
  header.writeUInt16LE(0xfffe, 0x1c); // little-endian
  header.writeUInt16LE(9, 0x1e); // 512-byte sectors
  header.writeUInt16LE(6, 0x20); // 64-byte mini sectors
  header.writeUInt32LE(1, 0x2c); // FAT sectors
  header.writeUInt32LE(dirStart, 0x30);
  header.writeUInt32LE(4096, 0x38); // mini stream cutoff
  header.writeUInt32LE(END, 0x3c); // no mini FAT
  header.writeUInt32LE(END, 0x44); // no DIFAT sectors
  header.fill(0xff, 0x4c);
  header.writeUInt32LE(0, 0x4c); // the FAT is sector 0

  const body: Buffer[] = [];
  for (const s of streams) if (s) body.push(s, Buffer.alloc(Math.ceil(s.length / SECTOR) * SECTOR - s.length));
  return Buffer.concat([header, fat, dir, ...body]);
}
