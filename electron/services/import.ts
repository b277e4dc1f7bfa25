import type { z } from 'zod';
import type { ImportIssue, ImportResult } from '../../shared/queue';
import { Task } from '../../shared/task';
import type { Config } from './config';
import { isPreferenceRow, preferenceRowToTask } from './preference';
import type { Issue } from './preference';
import { promptPreview } from './preview';
import type { Store } from './store';

export const MAX_IMPORT_ERRORS = 100;

export interface ImportDeps {
  store: Store;
  config: Config;
  clock: () => Date;
}

const ROLLBACK = Symbol('rollback');

/**
 * Imports JSON Lines atomically: every line is validated (task format v1 or a
 * preference row), and the file lands in one durable transaction or not at all.
 * Ids already present (in the database or earlier in the file) count as duplicates.
 */
export function importTasks({ store, config, clock }: ImportDeps, text: string): ImportResult {
  const errors: ImportIssue[] = [];
  let truncated = false;
  let imported = 0;
  let duplicates = 0;
  const now = clock().toISOString();
  const insert = store.stmt(
    `INSERT INTO tasks (id, kind, body, prompt_preview, state, updated_at, imported_at)
     VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING`,
  );

  try {
    store.durable(() => {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        let line = lines[i]!;
        if (i === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
        if (line.trim() === '') continue;
        const result = parseTaskLine(line, config);
        if ('issues' in result) {
          for (const issue of result.issues) {
            if (errors.length === MAX_IMPORT_ERRORS) {
              truncated = true;
              break;
            }
            errors.push({ line: i + 1, ...issue });
          }
          if (truncated) break;
          continue;
        }
        if (errors.length > 0) continue; // keep validating; nothing will be written
        const task = result.task;
        const info = insert.run(
          task.id,
          task.kind,
          JSON.stringify(task),
          promptPreview(task.prompt),
          now,
          now,
        );
        if (info.changes > 0) imported++;
        else duplicates++;
      }
      if (errors.length > 0) throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return errors.length > 0 ? { ok: false, errors, truncated } : { ok: true, imported, duplicates };
}

/** One JSONL line -> a valid task whose taxonomy, template and guideline exist, or field-level issues. */
export function parseTaskLine(line: string, config: Config): { task: Task } | { issues: Issue[] } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { issues: [{ path: '(json)', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  if (isPreferenceRow(value)) {
    const converted = preferenceRowToTask(value);
    if ('issues' in converted) return converted;
    value = converted.task;
  }
  const parsed = Task.safeParse(value);
  if (!parsed.success) return { issues: describeIssues(parsed.error, value) };
  const task = parsed.data;

  const issues: Issue[] = [];
  const reference = (
    field: string,
    id: string | undefined,
    known: ReadonlyMap<string, unknown>,
    what: string,
  ) => {
    if (id !== undefined && !known.has(id)) {
      issues.push({
        path: field,
        message: `unknown ${what} "${id}" (known: ${[...known.keys()].join(', ') || 'none'})`,
      });
    }
  };
  reference('tags', task.tags, config.taxonomies, 'taxonomy');
  reference('rationale', task.rationale, config.templates, 'rationale template');
  reference('guideline', task.guideline, config.guidelines, 'guideline');
  return issues.length ? { issues } : { task };
}

/**
 * zod issues in the words a lead needs: a missing field says "is required" and
 * each unknown field is reported at its own path instead of at its parent.
 * Paths are formatted like shared `formatIssues` (`responses.2.id`).
 */
function describeIssues(error: z.ZodError, value: unknown): Issue[] {
  const pathOf = (path: readonly PropertyKey[]) => (path.length ? path.map(String).join('.') : '(root)');
  return error.issues.flatMap((issue): Issue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }));
    }
    const missing = issue.path.length > 0 && valueAt(value, issue.path) === undefined;
    return [{ path: pathOf(issue.path), message: missing ? 'is required' : issue.message }];
  });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
