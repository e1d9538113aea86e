import { join } from 'node:path';
import type { ImportFormat } from '@ce/db';

/** Where an import's uploaded file is kept until it has been imported: `<import dir>/<id>.<format>`. */
export function importFilePath(importDir: string, importId: string, format: ImportFormat): string {
  return join(importDir, `${importId}.${format}`);
}
