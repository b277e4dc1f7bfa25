import type { ImportResult } from '../../shared/queue';
import { jsonlLines, TaskLineValidator } from '../../shared/import/parse';
import type { Config } from './config';
import { sha256Hex } from './preference';
import { insertQueueTask } from './queue-insert';
import type { Store } from './store';

export { MAX_IMPORT_ERRORS } from '../../shared/import/parse';

export interface ImportDeps {
  store: Store;
  config: Config;
  clock: () => Date;
}

const ROLLBACK = Symbol('rollback');

/**
 * Imports JSON Lines atomically: every line is validated (task format v1 or a
 * preference row, see shared/import), and the file lands in one durable transaction or
 * not at all. Ids already present (in the database or earlier in the file) count as duplicates.
 */
export function importTasks({ store, config, clock }: ImportDeps, text: string): ImportResult {
  const validator = new TaskLineValidator(config, sha256Hex);
  let imported = 0;
  let duplicates = 0;
  const now = clock().toISOString();

  try {
    store.durable(() => {
      for (const { number, line } of jsonlLines(text)) {
        const task = validator.accept(number, line);
        if (validator.truncated) break;
        if (!task || validator.errors.length > 0) continue; // keep validating; nothing will be written
        if (insertQueueTask(store, task, now)) imported++;
        else duplicates++;
      }
      if (validator.errors.length > 0) throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return validator.errors.length > 0
    ? { ok: false, errors: validator.errors, truncated: validator.truncated }
    : { ok: true, imported, duplicates };
}
