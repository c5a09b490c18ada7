// File and folder names that are valid on Windows, macOS and Linux alike, and that say what they hold.

const FULL_WIDTH: Record<string, string> = {
  '\\': '＼', '/': '／', ':': '：', '*': '＊', '?': '？', '"': '＂', '<': '＜', '>': '＞', '|': '｜',
};
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * `text` as a file name: characters Windows forbids become their full-width twins (a code such as
 * `A/1` stays readable and distinct from `A_1`), control characters are dropped, trailing dots and
 * spaces removed, and the name cut to `maxBytes` of UTF-8 (Linux allows 255 per name; the rest is
 * left for suffixes such as ` 第12卷.docx`).
 */
export function safeFileName(text: string, maxBytes = 200): string {
  // eslint-disable-next-line no-control-regex
  let name = text.normalize('NFC').replace(/[\\/:*?"<>|]/g, (c) => FULL_WIDTH[c]!).replace(/[\u0000-\u001f\u007f]/g, '');
  name = name.replace(/[. ]+$/u, '').trim();
  if (Buffer.byteLength(name) > maxBytes) {
    const chars = [...name];
    while (chars.length > 0 && Buffer.byteLength(chars.join('')) > maxBytes) chars.pop();
    name = chars.join('').replace(/[. ]+$/u, '').trimEnd();
  }
  if (name === '' || RESERVED.test(name)) name = `_${name}`;
  return name;
}

/**
 * Names for a list of things, each unique even where the file system ignores case or
 * normalisation: a later clash gets `（2）`, `（3）` … in list order, so the names are stable.
 */
export function uniqueNames(texts: string[], maxBytes = 200): string[] {
  const taken = new Set<string>();
  return texts.map((t) => {
    const base = safeFileName(t, maxBytes);
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}（${n}）`;
    taken.add(name.toLowerCase());
    return name;
  });
}
