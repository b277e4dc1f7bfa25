import type { Task } from '../../shared/task';
import { promptPreview } from './preview';
import type { Store } from './store';

/**
 * Adds a task to the local queue as pending; an id already present is left as is.
 * Shared by file import and by assignments arriving through sync. Returns true if added.
 */
export function insertQueueTask(store: Store, task: Task, now: string): boolean {
  const info = store
    .stmt(
      `INSERT INTO tasks (id, kind, body, prompt_preview, state, updated_at, imported_at, sensitive)
       VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .run(
      task.id,
      task.kind,
      JSON.stringify(task),
      promptPreview(task.prompt),
      now,
      now,
      task.sensitive === true ? 1 : 0,
    );
  return info.changes > 0;
}
