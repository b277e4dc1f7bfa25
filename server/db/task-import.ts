import { createHash } from 'node:crypto';
import { sql, type ControlledTransaction, type Kysely } from 'kysely';
import type { Task } from '../../shared/task';
import type { Database } from './schema';

type Db = Kysely<Database>;
type Settings = { ratings_per_task: number; agreement_share: number; agreement_ratings: number };

/** Rows per multi-row insert (and per id look-up): well under both databases' bound-parameter limits. */
const CHUNK = 500;

/** Deterministic share of tasks for agreement: hash of the task id mapped to [0, 1). */
export function agreementSample(taskId: string): number {
  return createHash('sha256').update(taskId).digest().readUInt32BE(0) / 2 ** 32;
}

export function ratingsRequired(taskId: string, project: Settings): number {
  return project.agreement_share > 0 && agreementSample(taskId) < project.agreement_share
    ? Math.max(project.agreement_ratings, project.ratings_per_task)
    : project.ratings_per_task;
}

export type ImportResult = { inserted: number; existing: number };

/** A task whose id already belongs to another project (task ids are global), and where it came from. */
export type ForeignTask = { id: string; owner: string; line: number };

/**
 * The ids of a chunk that are already in the project, and those that belong to another project
 * (task ids are global), in line order. Inside the import transaction this also sees the rows it
 * inserted; outside one it is a plain read that takes no write lock.
 */
async function lookUp(
  db: Db,
  projectId: string,
  ids: string[],
  lineOf: (id: string) => number,
): Promise<{ known: Set<string>; foreign: ForeignTask[] }> {
  const found = await db.selectFrom('tasks').select(['id', 'project_id']).where('id', 'in', ids).execute();
  const known = new Set<string>();
  const foreign: ForeignTask[] = [];
  for (const row of found) {
    if (row.project_id === projectId) known.add(row.id);
    else foreign.push({ id: row.id, owner: row.project_id, line: lineOf(row.id) });
  }
  return { known, foreign: foreign.sort((a, b) => a.line - b.line) };
}

/**
 * Checks, read-only and outside any transaction, that no task id belongs to another project, in
 * chunks so memory stays flat. A file import runs it over the whole file before it takes the write
 * lock, so a file with errors never holds the lock, and the one that imports holds it only to insert.
 */
export class ForeignTaskCheck {
  private pending = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly projectId: string,
    private readonly onForeign: (task: ForeignTask) => void,
  ) {}

  /** Queues an id (`line`: where it came from); a full chunk is looked up at once. */
  async add(id: string, line: number): Promise<void> {
    if (!this.pending.has(id)) this.pending.set(id, line);
    if (this.pending.size >= CHUNK) await this.flush();
  }

  /** Looks up the queued ids; reports each one of another project. */
  async flush(): Promise<void> {
    const chunk = this.pending;
    if (chunk.size === 0) return;
    this.pending = new Map();
    const { foreign } = await lookUp(this.db, this.projectId, [...chunk.keys()], (id) => chunk.get(id)!);
    for (const task of foreign) this.onForeign(task);
  }
}

/**
 * Adds tasks to one project inside one transaction, in chunks, so memory stays flat however many
 * come. Deduplication is left to the database: each chunk looks its ids up (rows this transaction
 * inserted included), so no set of ids grows with the import. After an id of another project it
 * inserts nothing more (`onForeign` says which); `rollback` then leaves the database as it was.
 */
export class TaskImport {
  private pending = new Map<string, { task: Task; line: number }>();
  private abandoned = false;
  private inserted = 0;
  private existing = 0;
  private readonly at = new Date().toISOString();

  constructor(
    private readonly db: Db,
    private readonly trx: ControlledTransaction<Database>,
    private readonly projectId: string,
    private readonly project: Settings,
    private seq: number,
    private readonly onForeign: (task: ForeignTask) => void,
  ) {}

  /** Queues a task (`line`: where it came from, for `onForeign`); a full chunk is written at once. */
  async add(task: Task, line = 0): Promise<void> {
    if (this.pending.has(task.id)) this.existing++;
    else this.pending.set(task.id, { task, line });
    if (this.pending.size >= CHUNK) await this.flush();
  }

  /** Checks (and, unless abandoned, inserts) the queued tasks. */
  async flush(): Promise<void> {
    const chunk = this.pending;
    if (chunk.size === 0) return;
    this.pending = new Map();
    const { known, foreign } = await lookUp(
      this.trx,
      this.projectId,
      [...chunk.keys()],
      (id) => chunk.get(id)!.line,
    );
    this.existing += known.size;
    if (foreign.length > 0) this.abandoned = true;
    for (const task of foreign) this.onForeign(task);
    if (this.abandoned) return;
    const fresh = [...chunk.values()].filter(({ task }) => !known.has(task.id));
    if (fresh.length === 0) return;
    await this.trx
      .insertInto('tasks')
      .values(
        fresh.map(({ task }) => ({
          id: task.id,
          project_id: this.projectId,
          seq: ++this.seq,
          kind: task.kind,
          body: JSON.stringify(task),
          ratings_required: ratingsRequired(task.id, this.project),
          revoked_at: null,
          lease_counter: 0,
          created_at: this.at,
          sensitive: task.sensitive === true ? 1 : 0,
        })),
      )
      .execute();
    this.inserted += fresh.length;
  }

  /** Writes the rest and commits; then fresh planner statistics (PostgreSQL; SQLite plans without). */
  async commit(): Promise<ImportResult> {
    await this.flush();
    if (this.abandoned) throw new Error('an abandoned import cannot be committed');
    await this.trx.commit().execute();
    if (this.inserted > 0) await sql`analyze tasks`.execute(this.db).catch(() => undefined);
    return { inserted: this.inserted, existing: this.existing };
  }

  /** Undoes everything this import wrote; does nothing once committed or rolled back. */
  async rollback(): Promise<void> {
    if (this.trx.isCommitted || this.trx.isRolledBack) return;
    // a rollback that fails (connection lost, commit failed) leaves nothing behind either
    await this.trx
      .rollback()
      .execute()
      .catch(() => undefined);
  }
}

/**
 * Opens the import transaction. Nothing else may use `db` until it is committed or rolled back
 * (SQLite has a single connection).
 */
export async function beginTaskImport(
  db: Db,
  projectId: string,
  onForeign: (task: ForeignTask) => void,
): Promise<TaskImport> {
  const trx = await db.startTransaction().execute();
  try {
    // Take the write lock before reading: on SQLite a transaction that has read cannot start writing
    // once another connection (the running server) has committed (SQLITE_BUSY_SNAPSHOT). No rows,
    // and on PostgreSQL only the lock every insert takes anyway: sync traffic goes on.
    await sql`delete from tasks where 1 = 0`.execute(trx);
    const project = await trx
      .selectFrom('projects')
      .select(['ratings_per_task', 'agreement_share', 'agreement_ratings'])
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!project) throw new Error(`project "${projectId}" does not exist`);
    const max = await trx
      .selectFrom('tasks')
      .select((eb) => eb.fn.max<number | null>('seq').as('m'))
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return new TaskImport(db, trx, projectId, project, Number(max?.m ?? 0), onForeign);
  } catch (error) {
    await trx.rollback().execute();
    throw error;
  }
}

/**
 * Imports validated tasks into a project in one transaction, idempotent by task id (a task
 * already in the project, or repeated, is left as is and counted as existing). Throws, and
 * writes nothing, if a task id already belongs to another project.
 */
export async function importTasks(
  db: Db,
  projectId: string,
  tasks: Iterable<Task> | AsyncIterable<Task>,
): Promise<ImportResult> {
  const run = await beginTaskImport(db, projectId, (task) => {
    throw new Error(`task "${task.id}" already belongs to project "${task.owner}"`);
  });
  try {
    for await (const task of tasks) await run.add(task);
    return await run.commit();
  } finally {
    await run.rollback();
  }
}
