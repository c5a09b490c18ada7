// Where the package's own files are, wherever it is installed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (holds templates/ and schemas/). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
