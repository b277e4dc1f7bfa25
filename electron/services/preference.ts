import { createHash } from 'node:crypto';

/** The pure conversion lives in shared/import (the server imports the same way); the hash is Node's. */
export { isPreferenceRow, preferenceRowToTask } from '../../shared/import/preference';
export type { Issue } from '../../shared/import/preference';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
