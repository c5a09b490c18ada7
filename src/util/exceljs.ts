// exceljs from the bundle it ships (dist/exceljs.bare.min.js: one file, no polyfills), not from its
// CommonJS tree of a few hundred files: the same code and the same XML, loaded in about a quarter of
// the time (0.07 s against 0.3 s), which every build that writes 目录.xlsx pays.
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';

const require = createRequire(import.meta.url);

export function loadExcelJS(): typeof ExcelJS {
  return require('exceljs/dist/exceljs.bare.min.js') as typeof ExcelJS;
}
