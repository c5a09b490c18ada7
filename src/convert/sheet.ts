// A spreadsheet as an archivist prints it: A4, each sheet fitted to the page width (landscape when
// the table is wide), no header or footer (LibreOffice's defaults print the sheet name and
// "Page 1"), and the cell grid printed: a clerk's sheet often has no borders, and numbers floating
// on a page are hard to read across. The print settings of a copy of the .xlsx are rewritten before LibreOffice converts it.
import JSZip from 'jszip';

/** A4 printable width in points with 15 mm margins, portrait. */
const PORTRAIT = 595.28 - 2 * 42.52;
/** One unit of Excel column width (a character of the default font) in points. */
const CHAR = 5.6;

const TAIL = ['rowBreaks', 'colBreaks', 'customProperties', 'cellWatches', 'ignoredErrors', 'smartTags', 'drawing', 'legacyDrawing', 'legacyDrawingHF', 'drawingHF', 'picture', 'oleObjects', 'controls', 'webPublishItems', 'tableParts', 'extLst'];

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** The printed width of the used columns, in points. */
function usedWidth(xml: string): number {
  const dim = /<dimension ref="[A-Z]+\d+:([A-Z]+)\d+"/.exec(xml);
  const last = dim ? columnIndex(dim[1]!) : 1;
  const dflt = Number(/<sheetFormatPr[^>]*defaultColWidth="([\d.]+)"/.exec(xml)?.[1] ?? 8.43);
  const widths = new Array<number>(last + 1).fill(dflt);
  for (const m of xml.matchAll(/<col\b([^>]*)\/?>/g)) {
    const a = m[1]!;
    const min = Number(/\bmin="(\d+)"/.exec(a)?.[1]);
    const max = Number(/\bmax="(\d+)"/.exec(a)?.[1]);
    const w = Number(/\bwidth="([\d.]+)"/.exec(a)?.[1] ?? dflt);
    const hidden = /\bhidden="(true|1)"/.test(a);
    for (let i = min; i <= Math.min(max, last); i++) widths[i] = hidden ? 0 : w;
  }
  return widths.slice(1).reduce((s, w) => s + w, 0) * CHAR;
}

export function printSettings(xml: string): string {
  const landscape = usedWidth(xml) > PORTRAIT * 1.05;
  let out = xml
    .replace(/<printOptions\b[^>]*\/>/, '')
    .replace(/<pageMargins\b[^>]*\/>/, '')
    .replace(/<pageSetup\b[^>]*\/>/, '')
    .replace(/<headerFooter\b[^>]*\/>|<headerFooter\b[\s\S]*?<\/headerFooter>/, '');
  // fit to one page wide
  if (/<pageSetUpPr\b/.test(out)) out = out.replace(/<pageSetUpPr\b[^>]*\/>/, '<pageSetUpPr fitToPage="1"/>');
  else if (/<sheetPr\b[^>]*\/>/.test(out)) out = out.replace(/<sheetPr\b([^>]*)\/>/, '<sheetPr$1><pageSetUpPr fitToPage="1"/></sheetPr>');
  else if (/<sheetPr\b/.test(out)) out = out.replace(/<sheetPr\b([^>]*)>/, '<sheetPr$1><pageSetUpPr fitToPage="1"/>');
  else out = out.replace(/(<worksheet\b[^>]*>)/, '$1<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
  const setup =
    '<printOptions horizontalCentered="1" gridLines="1"/>' +
    '<pageMargins left="0.59" right="0.59" top="0.59" bottom="0.59" header="0" footer="0"/>' +
    `<pageSetup paperSize="9" orientation="${landscape ? 'landscape' : 'portrait'}" fitToWidth="1" fitToHeight="0"/>` +
    '<headerFooter differentFirst="0" differentOddEven="0"><oddHeader></oddHeader><oddFooter></oddFooter></headerFooter>';
  const at = TAIL.map((t) => out.search(new RegExp(`<${t}\\b`))).filter((i) => i >= 0);
  const where = at.length > 0 ? Math.min(...at) : out.lastIndexOf('</worksheet>');
  return out.slice(0, where) + setup + out.slice(where);
}

/** The same workbook with every sheet set up to print as above. */
export async function printableXlsx(bytes: Uint8Array): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  for (const name of Object.keys(zip.files)) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    zip.file(name, printSettings(await zip.files[name]!.async('string')));
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
