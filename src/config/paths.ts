import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder (two levels above this file, in src/ and in dist/ alike). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_FILES = path.join(PROJECT_ROOT, 'data');
/** The trained classifier (npm run train writes it; the server and the CLI read it). */
export const MODEL_FILE = path.join(PROJECT_ROOT, 'models', 'classifier.bin');
/** The latest evaluation report on the held-out split (npm run eval writes it). */
export const EVAL_REPORT = path.join(PROJECT_ROOT, 'reports', 'eval.md');
