import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, wherever the process was started from. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Local state of embedded mode (database files, generated secrets). Git-ignored. */
export const dataDir = process.env.MODELDECK_DATA_DIR
  ? path.resolve(process.env.MODELDECK_DATA_DIR)
  : path.join(projectRoot, '.data');
