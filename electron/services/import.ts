import type { ImportResult } from '../../shared/queue';
import type { Task } from '../../shared/task';
import { type KnownRefs, jsonlLines, stripBom, TaskLineValidator } from '../../shared/import/parse';
import type { Config } from './config';
import { ServiceError } from './errors';
import { sha256Hex } from './preference';
import { insertQueueTask } from './queue-insert';
import type { Store } from './store';

export { MAX_IMPORT_ERRORS } from '../../shared/import/parse';

export interface ImportDeps {
  store: Store;
  config: Config;
  clock: () => Date;
}

export interface ImportOptions {
  /** how long one slice of work may keep the services thread (default 4 ms) */
  sliceMs?: number;
  /** the rest after each slice, when queued calls run (default 4 ms) */
  restMs?: number;
  /** after each chunk of tasks is committed (tests, progress) */
  onChunk?: (written: number, total: number) => void;
}

/**
 * The import being written, kept in `settings` (written durably before the first chunk, removed in
 * the transaction of the last): found at start-up, it names an import that a crash or a kill cut
 * short, whose tasks are then removed (`undoInterruptedImport`).
 */
export const IMPORT_JOURNAL_KEY = 'import.inProgress';
interface Journal {
  /** the `imported_at` of every task this import adds */
  at: string;
  /** every task this import adds has a seq >= this */
  fromSeq: number;
  fileName: string;
}

/**
 * Slices of work on the thread that answers calls: at most `sliceMs` of work, then a rest of
 * `restMs` during which queued calls (a submit, a draft save) run. Resting (a timer, not only
 * setImmediate) matters on a busy machine: a thread that sleeps between slices is woken at once
 * when a call comes; one that is always runnable waits for its turn on the CPU like any other.
 */
export class Slicer {
  private start = performance.now();
  constructor(
    private readonly sliceMs = 4,
    private readonly restMs = 4,
  ) {}
  get over(): boolean {
    return performance.now() - this.start >= this.sliceMs;
  }
  async rest(): Promise<void> {
    await new Promise<void>((resolve) => setTimeout(resolve, this.restMs));
    this.start = performance.now();
  }
}

/** The ids a task may refer to (KnownRefs); only the keys matter, so they cross threads cheaply. */
export const refKeys = (config: KnownRefs): KnownRefs => ({
  taxonomies: new Map([...config.taxonomies.keys()].map((id) => [id, true])),
  templates: new Map([...config.templates.keys()].map((id) => [id, true])),
  guidelines: new Map([...config.guidelines.keys()].map((id) => [id, true])),
});

/**
 * Validates every line (task format v1 or a preference row, see shared/import). The valid tasks
 * wait as JSON text: 100,000 strings cost the garbage collector next to nothing, 100,000 object
 * trees cost it pauses of a tenth of a second.
 */
export async function validateLines(
  lines: Iterable<{ number: number; line: string }>,
  refs: KnownRefs,
  slicer?: Slicer,
): Promise<{ ok: true; tasks: string[] } | (ImportResult & { ok: false })> {
  const validator = new TaskLineValidator(refs, sha256Hex);
  const tasks: string[] = [];
  for (const { number, line } of lines) {
    const task = validator.accept(number, line);
    if (validator.truncated) break;
    if (task && validator.errors.length === 0) tasks.push(JSON.stringify(task));
    if (slicer?.over) await slicer.rest();
  }
  if (validator.errors.length > 0)
    return { ok: false, errors: validator.errors, truncated: validator.truncated };
  return { ok: true, tasks };
}

/** Valid tasks (JSON text) handed to the writer a batch at a time; null when there are no more. */
export interface TaskBatches {
  readonly count: number;
  next(): Promise<string[] | null>;
}

export const batchesOf = (tasks: string[]): TaskBatches => {
  let given = false;
  return {
    count: tasks.length,
    next: async () => {
      if (given) return null;
      given = true;
      return tasks;
    },
  };
};

/**
 * Imports JSON Lines all or nothing, in slices that never keep the services thread for more than
 * about `sliceMs` (issue 12 §3: a 100,000-task import never delays a submit): every line is
 * validated before anything is written (a file with errors writes nothing), then `writeTasks`.
 * The services worker validates on a thread of its own instead (worker/import-reader.ts) and
 * calls `writeTasks` itself. Imports run one at a time (`ImportRunner`).
 */
export async function importTasks(
  deps: ImportDeps,
  text: string | Uint8Array,
  fileName = 'tasks.jsonl',
  options: ImportOptions = {},
): Promise<ImportResult> {
  const slicer = new Slicer(options.sliceMs, options.restMs);
  const lines = typeof text === 'string' ? jsonlLines(text) : utf8Lines(text);
  const valid = await validateLines(lines, deps.config, slicer);
  if (!valid.ok) return valid;
  return writeTasks(deps, fileName, batchesOf(valid.tasks), options);
}

/**
 * Writes validated tasks in short transactions (a submit commits in between) under a journal: an
 * import cut short (a crash, a kill, a write that fails) has its tasks removed, at once on a
 * failure, at the next start after a crash. Ids already present (in the database or earlier in
 * the file) count as duplicates.
 */
export async function writeTasks(
  { store, clock }: ImportDeps,
  fileName: string,
  batches: TaskBatches,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const slicer = new Slicer(options.sliceMs, options.restMs);
  const journal: Journal = { at: uniqueImportTime(store, clock), fromSeq: nextSeq(store), fileName };
  const setJournal = store.stmt(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const clearJournal = store.stmt('DELETE FROM settings WHERE key = ?');
  let imported = 0;
  let written = 0;
  try {
    store.durable(() => setJournal.run(IMPORT_JOURNAL_KEY, JSON.stringify(journal)));
    let batch: string[] | null = await batches.next();
    let at = 0;
    while (batch) {
      let next: Promise<string[] | null> | null = null;
      while (batch && at < batch.length) {
        await slicer.rest();
        if (!store.db.open) throw new Error('the database was closed');
        const tasks: string[] = batch;
        // chunks commit without an fsync of their own (a submit in between fsyncs what came before it)
        store.light(() => {
          do {
            if (insertQueueTask(store, JSON.parse(tasks[at]!) as Task, journal.at)) imported++;
            at++;
            written++;
          } while (at < tasks.length && !slicer.over);
        });
        options.onChunk?.(written, batches.count);
        next ??= batches.next(); // the next batch comes while this one is written
      }
      batch = await (next ?? batches.next());
      at = 0;
    }
    // the import's commit: the journal's removal, fsynced, and with it every chunk before it in the
    // WAL; a crash or power cut before it leaves the journal, and the next start removes the chunks
    store.durable(() => clearJournal.run(IMPORT_JOURNAL_KEY));
  } catch (error) {
    const undone = store.db.open ? tryUndo(store, journal) : false;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceError(
      'unavailable',
      `The import of ${fileName} stopped after ${written} of ${batches.count} tasks (${reason}); ` +
        (undone
          ? 'the tasks it had written were removed: nothing was imported.'
          : 'the tasks it wrote are removed at the next start.'),
    );
  }
  return { ok: true, imported, duplicates: written - imported };
}

const DECODE_STEP = 1 << 20;

/**
 * jsonlLines over UTF-8 bytes, decoded a megabyte at a time: a 150 MB file never becomes one
 * string, and no step holds the thread for long.
 */
export function* utf8Lines(bytes: Uint8Array): Generator<{ number: number; line: string }> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let number = 0;
  let rest = '';
  for (let at = 0; ; at += DECODE_STEP) {
    const last = at + DECODE_STEP >= bytes.length;
    const lines = (rest + decoder.decode(bytes.subarray(at, at + DECODE_STEP), { stream: !last })).split(
      '\n',
    );
    rest = last ? '' : lines.pop()!;
    for (const raw of lines) {
      number++;
      const line = number === 1 ? stripBom(raw) : raw;
      if (line.trim() !== '') yield { number, line };
    }
    if (last) return;
  }
}

/**
 * Removes what an import cut short had written (its journal names it): tasks it added that nobody
 * has worked on since (a task already labeled or drafted stays: nothing a reviewer did is lost).
 * Called at start-up; returns what was undone, or null when no import was cut short.
 */
export function undoInterruptedImport(store: Store): { fileName: string; removed: number } | null {
  const row = store.stmt('SELECT value FROM settings WHERE key = ?').get(IMPORT_JOURNAL_KEY) as
    { value: string } | undefined;
  if (!row) return null;
  const journal = JSON.parse(row.value) as Journal;
  return { fileName: journal.fileName, removed: undo(store, journal) };
}

function undo(store: Store, journal: Journal): number {
  return store.durable(() => {
    const { changes } = store
      .stmt(
        `DELETE FROM tasks WHERE imported_at = ? AND seq >= ? AND state = 'pending'
           AND id NOT IN (SELECT task_id FROM labels) AND id NOT IN (SELECT task_id FROM drafts)`,
      )
      .run(journal.at, journal.fromSeq);
    store.stmt('DELETE FROM settings WHERE key = ?').run(IMPORT_JOURNAL_KEY);
    return changes;
  });
}

function tryUndo(store: Store, journal: Journal): boolean {
  try {
    undo(store, journal);
    return true;
  } catch (error) {
    // the journal stays: the next start removes them
    console.error('[services] could not remove the tasks of a failed import:', error);
    return false;
  }
}

function nextSeq(store: Store): number {
  const row = store.stmt('SELECT coalesce(max(seq), 0) + 1 AS n FROM tasks').get() as { n: number };
  return row.n;
}

/** `imported_at` marks this import's tasks: one millisecond later than any task already there */
function uniqueImportTime(store: Store, clock: () => Date): string {
  const now = clock().getTime();
  const row = store.stmt('SELECT max(imported_at) AS at FROM tasks').get() as { at: string | null };
  const latest = row.at ? Date.parse(row.at) : Number.NaN;
  return new Date(Number.isFinite(latest) && latest >= now ? latest + 1 : now).toISOString();
}

/** Imports run one after another: two at once would interleave their journals. */
export class ImportRunner {
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ImportDeps) {}

  run(text: string | Uint8Array, fileName?: string, options?: ImportOptions): Promise<ImportResult> {
    return this.queue(() => importTasks(this.deps, text, fileName, options));
  }

  /** any import job (the services worker's, validated on a reader thread) in the same line */
  queue(job: () => Promise<ImportResult>): Promise<ImportResult> {
    const next = this.last.then(job);
    this.last = next.catch(() => undefined);
    return next;
  }
}
