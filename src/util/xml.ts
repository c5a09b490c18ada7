// Text bound for an XML file (the DOCX volume, the Excel sheets). XML 1.0 cannot hold C0 controls
// other than tab, newline and return, nor U+FFFE/U+FFFF, nor a lone surrogate; exceljs and docx
// write what they are given, and one such character in a file name or a sidecar title made Word,
// Excel and LibreOffice refuse the whole file. They are left out of the text shown.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

export function xmlText(s: string): string {
  return s.replace(NOT_XML, '');
}
