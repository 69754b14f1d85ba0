import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder (two levels above this file, in src/ and in dist/ alike). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_FILES = path.join(PROJECT_ROOT, 'data');
