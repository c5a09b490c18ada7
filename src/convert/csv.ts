// CSV text into rows: what `import` reads a table from, and what a .csv evidence file is printed from
// (convert/office.ts).

/** The delimiter of a CSV: comma, tab (Excel's “文本文件”) or semicolon, whichever the first lines use most. */
function delimiterOf(text: string): string {
  const head = text.slice(0, 8192).split('\n').slice(0, 20).join('\n').replace(/"[^"]*"/g, '');
  let best = ',';
  let bestN = 0;
  for (const d of [',', '\t', ';']) {
    const n = head.split(d).length - 1;
    if (n > bestN) [best, bestN] = [d, n];
  }
  return best;
}

/** RFC 4180: quoted fields may hold delimiters, "" and line breaks. One array per record. */
export function parseCsv(text: string): string[][] {
  const delim = delimiterOf(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fresh = true; // at the start of a field
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
      continue;
    }
    if (ch === '"' && fresh) {
      quoted = true;
      fresh = false;
    } else if (ch === delim) {
      row.push(field);
      field = '';
      fresh = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fresh = true;
    } else {
      field += ch;
      fresh = false;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
