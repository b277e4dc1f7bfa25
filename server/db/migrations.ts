import {
  sql,
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import { backfillLabelFacts, backfillMetricColumns } from '../metrics/label-facts';
import { backfillTaskSummaries } from '../metrics/task-summary';
import type { Dialect } from './dialect';
import type { Database } from './schema';

/**
 * Migrations written in code, one list for both dialects. The only dialect difference in DDL
 * is the autoincrement key, handled by `autoKey`.
 */
type Db = Kysely<unknown>;

const autoKey = (dialect: Dialect) =>
  dialect === 'postgres'
    ? (['bigint', (c: ColumnDefinitionBuilder) => c.primaryKey().generatedAlwaysAsIdentity()] as const)
    : (['integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement()] as const);

const initial = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    const [keyType, keyDef] = autoKey(dialect);
    await db.schema
      .createTable('server_meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('pods')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('lead_user_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('pod_id', 'text', (c) => c.references('pods.id'))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createTable('projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('batch_size', 'integer', (c) => c.notNull().defaultTo(200))
      .addColumn('lease_hours', 'double precision', (c) => c.notNull().defaultTo(72))
      .addColumn('ratings_per_task', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('agreement_share', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('agreement_ratings', 'integer', (c) => c.notNull().defaultTo(2))
      .addColumn('production', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('taxonomy_id', 'text')
      .addColumn('template_id', 'text')
      .addColumn('guideline_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('ratings_required', 'integer', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('lease_counter', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('tasks_project_seq').on('tasks').columns(['project_id', 'seq']).execute();
    await db.schema
      .createTable('leases')
      .addColumn('id', keyType, keyDef)
      .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('token', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('leases_task_token', ['task_id', 'token'])
      .execute();
    await db.schema
      .createIndex('leases_state_expiry')
      .on('leases')
      .columns(['state', 'expires_at'])
      .execute();
    await db.schema
      .createIndex('leases_user_project')
      .on('leases')
      .columns(['user_id', 'project_id', 'state'])
      .execute();
    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('last_mutation_id', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createTable('labels')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('lease_token', 'integer', (c) => c.notNull())
      .addColumn('flagged', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('labels_project_id').on('labels').columns(['project_id', 'id']).execute();
    await db.schema.createIndex('labels_task').on('labels').columns(['task_id']).execute();
    await db.schema.createIndex('labels_user').on('labels').columns(['user_id', 'id']).execute();
    await db.schema
      .createTable('task_events')
      .addColumn('id', keyType, keyDef)
      .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('work', 'text')
      .addColumn('lease_token', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createTable('changes')
      .addColumn('seq', keyType, keyDef)
      .addColumn('user_id', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('changes_user_seq').on('changes').columns(['user_id', 'seq']).execute();
    await db.schema
      .createTable('config_docs')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('config_docs_pk', ['kind', 'id'])
      .execute();
  },
});

/**
 * tasks.occupancy: occupying leases (active, escalated) + labels, kept up to date by every write
 * that changes either, so a lease call finds open tasks through a partial index instead of counting
 * a project's leases and labels on every call.
 */
const taskOccupancy: Migration = {
  async up(db: Db) {
    await db.schema
      .alterTable('tasks')
      .addColumn('occupancy', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`update tasks set occupancy =
        (select count(*) from leases l where l.task_id = tasks.id and l.state in ('active', 'escalated'))
      + (select count(*) from labels b where b.task_id = tasks.id)`.execute(db);
    await db.schema
      .createIndex('tasks_open')
      .on('tasks')
      .columns(['project_id', 'seq'])
      .where(sql<boolean>`occupancy < ratings_required and revoked_at is null`)
      .execute();
  },
};

/** the JSON bodies: read whole, never filtered on */
const JSON_COLUMNS = [
  ['labels', 'body'],
  ['tasks', 'body'],
  ['changes', 'payload'],
  ['task_events', 'work'],
] as const;

/**
 * PostgreSQL only (SQLite keeps no such statistics): ANALYZE leaves out the JSON bodies, which no
 * query filters on and which are the widest values to summarise.
 */
const postgresJsonStatistics = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    if (dialect !== 'postgres') return;
    for (const [table, column] of JSON_COLUMNS)
      await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set statistics 0`.execute(db);
  },
});

/**
 * Migrations must be idempotent: a test replays the later ones on a database that has them, and an
 * operator may restore a dump whose migration table lags its schema.
 */
async function hasColumn(db: Db, dialect: Dialect, table: string, column: string): Promise<boolean> {
  const query =
    dialect === 'postgres'
      ? sql`select 1 from information_schema.columns where table_schema = current_schema()
          and table_name = ${table} and column_name = ${column}`
      : sql`select 1 from pragma_table_xinfo(${table}) where name = ${column}`;
  return (await query.execute(db)).rows.length > 0;
}

/**
 * Device identity and history (docs/sync-protocol.md, "Device identity" and "Device history"):
 * - devices.secret_hash: SHA-256 of the install's secret; a known device id is kept only for the
 *   install that proves it (null: registered before secrets existed, bound at its owner's next sign-in);
 * - devices.history_digest: the hash-chain digest after last_mutation_id (null: not known yet);
 * - devices.recovery_through: after a restore, the mutation id the device had acknowledged before
 *   it (shown by `device list` until the device has re-sent that far);
 * - changes.tag: a random tag per change; a pull cursor names seq and tag, so a cursor from a
 *   history the server no longer holds (a restore) is recognised even once new rows reuse its seq.
 */
const deviceHistory = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    if (!(await hasColumn(db, dialect, 'devices', 'secret_hash'))) {
      await db.schema.alterTable('devices').addColumn('secret_hash', 'text').execute();
      await db.schema.alterTable('devices').addColumn('history_digest', 'text').execute();
      await db.schema
        .alterTable('devices')
        .addColumn('recovery_through', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    }
    if (await hasColumn(db, dialect, 'changes', 'tag')) return;
    if (dialect === 'postgres') {
      // a volatile default: every existing row gets its own value, and so does every insert
      await sql`alter table changes add column tag text not null default substr(md5(random()::text), 1, 12)`.execute(
        db,
      );
      return;
    }
    // SQLite cannot add a column with an expression default: rebuild the table with it
    const [keyType, keyDef] = autoKey(dialect);
    await db.schema
      .createTable('changes_v4')
      .addColumn('seq', keyType, keyDef)
      .addColumn('user_id', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('tag', 'text', (c) => c.notNull().defaultTo(sql`(lower(hex(randomblob(6))))`))
      .execute();
    await sql`insert into changes_v4 (seq, user_id, type, payload, created_at)
      select seq, user_id, type, payload, created_at from changes`.execute(db);
    await db.schema.dropTable('changes').execute();
    await sql`alter table changes_v4 rename to changes`.execute(db);
    await db.schema.createIndex('changes_user_seq').on('changes').columns(['user_id', 'seq']).execute();
  },
});

/**
 * changes.assignment_task_id: the task id of an `assignment` change (null for every other type),
 * generated from the payload by the database, with a partial index, so withdrawing a task finds the
 * assignment rows carrying its text without reading the log. SQLite: a virtual column (computed on
 * read; the index stores it). PostgreSQL: a stored column (adding it rewrites the table once).
 */
const changesAssignmentTask = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    const taskId =
      dialect === 'postgres'
        ? sql`case when type = 'assignment' then (payload::json -> 'task' ->> 'id') end`
        : sql`case when type = 'assignment' then json_extract(payload, '$.task.id') end`;
    // idempotent (a test replays later migrations): the column may be there already
    const existing =
      dialect === 'postgres'
        ? sql`select 1 from information_schema.columns where table_schema = current_schema()
            and table_name = 'changes' and column_name = 'assignment_task_id'`
        : sql`select 1 from pragma_table_xinfo('changes') where name = 'assignment_task_id'`;
    if ((await existing.execute(db)).rows.length === 0)
      await db.schema
        .alterTable('changes')
        .addColumn('assignment_task_id', 'text', (c) => {
          const generated = c.generatedAlwaysAs(taskId);
          return dialect === 'postgres' ? generated.stored() : generated;
        })
        .execute();
    await db.schema
      .createIndex('changes_assignment_task')
      .ifNotExists()
      .on('changes')
      .column('assignment_task_id')
      .where(sql.ref('assignment_task_id'), 'is not', null)
      .execute();
    // tasks withdrawn before withdrawals scrubbed the log: their text leaves it now
    const revoke =
      dialect === 'postgres'
        ? sql`json_build_object('type', 'revoke', 'taskId', assignment_task_id, 'reason', 'revoked')::text`
        : sql`json_object('type', 'revoke', 'taskId', assignment_task_id, 'reason', 'revoked')`;
    await sql`update changes set type = 'revoke', payload = ${revoke}
      where assignment_task_id in (select id from tasks where revoked_at is not null)`.execute(db);
  },
});

/**
 * labels.client_times: the client's raw createdAt, updatedAt and activeMs (JSON) when the server
 * clamped them in the stored body (docs/sync-protocol.md, "Server-side validation"); null otherwise.
 * Same DDL on both dialects.
 */
const labelClientTimes = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    if (!(await hasColumn(db, dialect, 'labels', 'client_times')))
      await db.schema.alterTable('labels').addColumn('client_times', 'text').execute();
  },
});

/**
 * Training (docs/training.md): sandbox courses, certification exams with their banks, attempts and
 * their answers, certificates, sandbox answers, and the skills a project requires. Keys live only
 * in courses (training material) and exam_items (never sent before grading). Idempotent like the
 * others: tables and indexes only if missing, the project column only if missing.
 */
const training = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    const [keyType, keyDef] = autoKey(dialect);
    await db.schema
      .createTable('courses')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('exams')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('skill', 'text', (c) => c.notNull())
      .addColumn('guideline_id', 'text', (c) => c.notNull())
      .addColumn('draw', 'integer', (c) => c.notNull())
      .addColumn('pass_mark', 'double precision', (c) => c.notNull())
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('cooldown_hours', 'double precision', (c) => c.notNull())
      .addColumn('time_limit_min', 'integer')
      .addColumn('valid_days', 'integer', (c) => c.notNull())
      .addColumn('grace_days', 'integer', (c) => c.notNull())
      .addColumn('stratify', 'text')
      .addColumn('promote', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('exams_skill').ifNotExists().on('exams').columns(['skill']).execute();
    await db.schema
      .createTable('exam_items')
      .ifNotExists()
      .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id'))
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('stratum', 'text')
      .addPrimaryKeyConstraint('exam_items_pk', ['exam_id', 'item_id'])
      .execute();
    await db.schema
      .createTable('exam_attempts')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('exam_id', 'text', (c) => c.notNull().references('exams.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('deadline', 'text')
      .addColumn('served', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('score', 'double precision')
      .addColumn('passed', 'integer')
      .addColumn('graded_at', 'text')
      .addColumn('result', 'text')
      .execute();
    await db.schema
      .createIndex('exam_attempts_user_exam')
      .ifNotExists()
      .on('exam_attempts')
      .columns(['user_id', 'exam_id'])
      .execute();
    await db.schema
      .createTable('exam_answers')
      .ifNotExists()
      .addColumn('attempt_id', 'text', (c) => c.notNull().references('exam_attempts.id'))
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('late', 'integer', (c) => c.notNull())
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addColumn('feedback', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('exam_answers_pk', ['attempt_id', 'task_id'])
      .execute();
    await db.schema
      .createTable('certificates')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('skill', 'text', (c) => c.notNull())
      .addColumn('exam_id', 'text', (c) => c.notNull())
      .addColumn('attempt_id', 'text', (c) => c.notNull())
      .addColumn('guideline_id', 'text', (c) => c.notNull())
      .addColumn('guideline_version', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createIndex('certificates_user_skill')
      .ifNotExists()
      .on('certificates')
      .columns(['user_id', 'skill'])
      .execute();
    await db.schema
      .createTable('sandbox_answers')
      .ifNotExists()
      .addColumn('id', keyType, keyDef)
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('course_id', 'text', (c) => c.notNull())
      .addColumn('course_version', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addColumn('correct', 'integer', (c) => c.notNull())
      .addColumn('active_ms', 'integer', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sandbox_answers_user')
      .ifNotExists()
      .on('sandbox_answers')
      .columns(['user_id', 'course_id'])
      .execute();
    if (!(await hasColumn(db, dialect, 'projects', 'requires_certs')))
      await db.schema
        .alterTable('projects')
        .addColumn('requires_certs', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    if (dialect === 'postgres')
      for (const [table, column] of [
        ['courses', 'body'],
        ['exam_items', 'body'],
        ['exam_attempts', 'served'],
        ['exam_attempts', 'result'],
        ['exam_answers', 'label'],
        ['exam_answers', 'feedback'],
        ['sandbox_answers', 'label'],
      ] as const)
        await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set statistics 0`.execute(
          db,
        );
  },
});

/**
 * Calibration rounds (docs/training.md): a round published to a pod, its members fixed at
 * publication, its items served with neutral ids (keys, when given, in those ids), and one answer
 * per member and item. Idempotent like the others.
 */
const calibration: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('calibration_rounds')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('revealed_at', 'text')
      .addColumn('members', 'text', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('calibration_rounds_open')
      .ifNotExists()
      .on('calibration_rounds')
      .columns(['revealed_at', 'due_at'])
      .execute();
    await db.schema
      .createTable('calibration_answers')
      .ifNotExists()
      .addColumn('round_id', 'text', (c) => c.notNull().references('calibration_rounds.id'))
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('calibration_answers_pk', ['round_id', 'task_id', 'user_id'])
      .execute();
  },
};

/**
 * Shadowing (docs/training.md): projects opened to trainees, the sets drawn for each trainee (task
 * and reference label ids), and one answer per trainee and task of a set, scored against the
 * reference. Never read by an export. Idempotent like the others.
 */
/**
 * Metric thresholds (docs/metrics.md, "Thresholds and flags"): per project, and optionally per pod
 * (pod_id '' = the whole project), the bars the flags use. Also an index that lets the metrics read
 * a project's labels in task order (server/metrics/read-labels.ts) a page at a time.
 */
const metricThresholds: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('metric_thresholds')
      .ifNotExists()
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('pod_id', 'text', (c) => c.notNull())
      .addColumn('min_agreement', 'double precision', (c) => c.notNull())
      .addColumn('max_gold_error', 'double precision', (c) => c.notNull())
      .addColumn('max_position_bias', 'double precision', (c) => c.notNull())
      .addColumn('window_days', 'integer', (c) => c.notNull())
      .addColumn('min_n', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('metric_thresholds_pk', ['project_id', 'pod_id'])
      .execute();
    await db.schema
      .createIndex('labels_project_task')
      .ifNotExists()
      .on('labels')
      .columns(['project_id', 'task_id', 'id'])
      .execute();
  },
};

const shadowing: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('shadow_projects')
      .ifNotExists()
      .addColumn('project_id', 'text', (c) => c.primaryKey().references('projects.id'))
      .addColumn('set_size', 'integer', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .execute();
    await db.schema
      .createTable('shadow_sets')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('shadow_sets_user')
      .ifNotExists()
      .on('shadow_sets')
      .columns(['user_id', 'project_id'])
      .execute();
    await db.schema
      .createTable('shadow_answers')
      .ifNotExists()
      .addColumn('set_id', 'text', (c) => c.notNull().references('shadow_sets.id'))
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addColumn('correct', 'integer', (c) => c.notNull())
      .addColumn('active_ms', 'integer', (c) => c.notNull())
      .addColumn('feedback', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('shadow_answers_pk', ['set_id', 'task_id'])
      .execute();
  },
};

/**
 * The lead workspace (docs/lead-workspace.md): a response target per project for escalations, one
 * ruling per escalation (task_events row; its label, when the ruling is one, is a row of labels),
 * the actions leads take on reviewers, and the append-only audit log. Idempotent like the others.
 */
const leadWorkspace = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    const [keyType, keyDef] = autoKey(dialect);
    // task_events.id is bigint on PostgreSQL
    const eventId = dialect === 'postgres' ? 'bigint' : 'integer';
    if (!(await hasColumn(db, dialect, 'projects', 'escalation_target_hours')))
      await db.schema
        .alterTable('projects')
        .addColumn('escalation_target_hours', 'double precision', (c) => c.notNull().defaultTo(24))
        .execute();
    await db.schema
      .createIndex('task_events_type')
      .ifNotExists()
      .on('task_events')
      .columns(['type', 'id'])
      .execute();
    await db.schema
      .createTable('escalation_rulings')
      .ifNotExists()
      .addColumn('escalation_id', eventId, (c) => c.primaryKey().references('task_events.id'))
      .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('reviewer_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('lead_user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('label_id', 'text', (c) => c.unique())
      .addColumn('explanation', 'text', (c) => c.notNull())
      .addColumn('guidance', 'text')
      .addColumn('lease_token', 'integer')
      .addColumn('ruled_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('reviewer_actions')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('pod_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', 'text')
      .addColumn('lifted_at', 'text')
      .addColumn('lifted_by', 'text')
      .execute();
    await db.schema
      .createIndex('reviewer_actions_user')
      .ifNotExists()
      .on('reviewer_actions')
      .columns(['user_id', 'kind', 'lifted_at'])
      .execute();
    await db.schema
      .createTable('audit_log')
      .ifNotExists()
      .addColumn('id', keyType, keyDef)
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_user_id', 'text')
      .addColumn('actor_role', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .execute();
    await db.schema.createIndex('audit_log_at').ifNotExists().on('audit_log').columns(['at', 'id']).execute();
  },
});

/**
 * Silent gold and blind QA re-rating (docs/lead-workspace.md): a project's quality settings (gold
 * rate, QA share, whether a re-rating replaces the original in exports, the sampling seed), gold
 * answer keys (apart from the task body: never sent), graded gold answers, QA sampling runs and
 * their samples, the leases that are QA re-ratings, the re-ratings, and user permissions (`qa`).
 * Idempotent like the others.
 */
const goldQa: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('project_quality')
      .ifNotExists()
      .addColumn('project_id', 'text', (c) => c.primaryKey().references('projects.id'))
      .addColumn('gold_rate', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('qa_share', 'double precision', (c) => c.notNull().defaultTo(0.1))
      .addColumn('qa_replaces', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('qa_seed', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('gold_keys')
      .ifNotExists()
      .addColumn('task_id', 'text', (c) => c.primaryKey().references('tasks.id'))
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('gold_keys_project')
      .ifNotExists()
      .on('gold_keys')
      .column('project_id')
      .execute();
    await db.schema
      .createTable('gold_answers')
      .ifNotExists()
      .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('label_id', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addColumn('correct', 'integer', (c) => c.notNull())
      .addColumn('feedback', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('gold_answers_pk', ['task_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('gold_answers_project_user')
      .ifNotExists()
      .on('gold_answers')
      .columns(['project_id', 'user_id'])
      .execute();
    await db.schema
      .createTable('qa_runs')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('seed', 'text', (c) => c.notNull())
      .addColumn('share', 'double precision', (c) => c.notNull())
      .addColumn('considered', 'integer', (c) => c.notNull())
      .addColumn('sampled', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('qa_samples')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull().references('qa_runs.id'))
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('label_id', 'text', (c) => c.notNull().unique())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('reviewer_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('rated_at', 'text')
      .execute();
    await db.schema
      .createIndex('qa_samples_open')
      .ifNotExists()
      .on('qa_samples')
      .columns(['project_id', 'rated_at', 'created_at'])
      .execute();
    await db.schema.createIndex('qa_samples_task').ifNotExists().on('qa_samples').column('task_id').execute();
    await db.schema
      .createTable('qa_leases')
      .ifNotExists()
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('token', 'integer', (c) => c.notNull())
      .addColumn('sample_id', 'text', (c) => c.notNull().references('qa_samples.id'))
      .addColumn('rater_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('qa_leases_pk', ['task_id', 'token'])
      .execute();
    await db.schema
      .createTable('qa_ratings')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('sample_id', 'text', (c) => c.notNull().references('qa_samples.id'))
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('rater_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('revealed_at', 'text')
      .addColumn('classification', 'text')
      .addColumn('classified_at', 'text')
      .addUniqueConstraint('qa_ratings_sample_rater', ['sample_id', 'rater_id'])
      .execute();
    await db.schema
      .createTable('user_permissions')
      .ifNotExists()
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('permission', 'text', (c) => c.notNull())
      .addColumn('granted_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_permissions_pk', ['user_id', 'permission'])
      .execute();
  },
};

/**
 * label_facts (server/metrics/label-facts.ts): what the metrics judge of each label in narrow
 * columns, so they never parse bodies; written with every label from now on, and filled here for
 * the labels already stored (a page of 1,000 bodies at a time).
 */
const labelFacts: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('label_facts')
      .ifNotExists()
      .addColumn('label_id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('judgement', 'text')
      .addColumn('presented', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('active_ms', 'double precision', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('label_facts_project_task')
      .ifNotExists()
      .on('label_facts')
      // revision too: the dashboards' cache stamp (metrics/cache.ts) sums it from the index alone
      .columns(['project_id', 'task_id', 'label_id', 'revision'])
      .execute();
    await backfillLabelFacts(db as unknown as Kysely<Database>, true);
  },
};

/**
 * The project metrics count labels in the database instead of reading each one (docs/metrics.md,
 * "Reading"): each fact row's week (the Monday of received_at) and position code, and an index in
 * the order they are counted (reviewer, week, code) holding every column counted, so the counting
 * reads the index alone and needs no sort; a partial index of the withdrawn tasks they leave out.
 * Rows written before are filled from their own columns.
 */
const labelFactsCounted = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    // idempotent like every migration: a database rolled back to before it runs it again
    if (!(await hasColumn(db, dialect, 'label_facts', 'week')))
      await db.schema
        .alterTable('label_facts')
        .addColumn('week', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    if (!(await hasColumn(db, dialect, 'label_facts', 'position_code')))
      await db.schema
        .alterTable('label_facts')
        .addColumn('position_code', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    await backfillMetricColumns(db as unknown as Kysely<Database>);
    await db.schema
      .createIndex('label_facts_counted')
      .ifNotExists()
      .on('label_facts')
      .columns(['project_id', 'user_id', 'week', 'position_code', 'received_at', 'task_id', 'active_ms'])
      .execute();
    // the withdrawn tasks the metrics leave out, without scanning every task
    await db.schema
      .createIndex('tasks_withdrawn')
      .ifNotExists()
      .on('tasks')
      .columns(['project_id', 'id'])
      .where(sql<boolean>`revoked_at is not null`)
      .execute();
  },
});

/**
 * The guideline loop (docs/lead-workspace.md, "Guideline loop"): a lead's draft of a guideline
 * change (the guideline's whole new text, the summary, its source and linked examples as JSON),
 * open until an admin publishes it (the version it became) or rejects it (the reason). Idempotent.
 */
const guidelineDrafts = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    const [keyType, keyDef] = autoKey(dialect);
    await db.schema
      .createTable('guideline_drafts')
      .ifNotExists()
      .addColumn('id', keyType, keyDef)
      .addColumn('pod_id', 'text', (c) => c.notNull())
      .addColumn('guideline_id', 'text', (c) => c.notNull())
      .addColumn('base_version', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('markdown', 'text', (c) => c.notNull())
      .addColumn('changes', 'text', (c) => c.notNull())
      .addColumn('links', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('published_version', 'text')
      .addColumn('reject_reason', 'text')
      .execute();
    await db.schema
      .createIndex('guideline_drafts_pod')
      .ifNotExists()
      .on('guideline_drafts')
      .columns(['pod_id', 'id'])
      .execute();
    await db.schema
      .createIndex('guideline_drafts_state')
      .ifNotExists()
      .on('guideline_drafts')
      .columns(['state', 'id'])
      .execute();
  },
});

/**
 * Projects scoped to pods (docs/server.md, "Projects and pods"): a project marked pod_scoped is
 * open only to the pods in project_pods and the users in project_users. Projects that exist when
 * this runs stay open to every pod (pod_scoped 0), so an upgrade stops no running work.
 */
const projectPods = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    if (!(await hasColumn(db, dialect, 'projects', 'pod_scoped')))
      await db.schema
        .alterTable('projects')
        .addColumn('pod_scoped', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    await db.schema
      .createTable('project_pods')
      .ifNotExists()
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('pod_id', 'text', (c) => c.notNull().references('pods.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('project_pods_pk', ['project_id', 'pod_id'])
      .execute();
    // the projects of a pod (a lease without a project id, the metrics list)
    await db.schema
      .createIndex('project_pods_pod')
      .ifNotExists()
      .on('project_pods')
      .columns(['pod_id', 'project_id'])
      .execute();
    await db.schema
      .createTable('project_users')
      .ifNotExists()
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('project_users_pk', ['project_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('project_users_user')
      .ifNotExists()
      .on('project_users')
      .columns(['user_id', 'project_id'])
      .execute();
  },
});

/**
 * Remote wipe (docs/security.md, "Lost laptop"): an order per device, given at the CLI (`device
 * wipe`, `user revoke --wipe`), answered on the device's next request, closed when the workstation
 * reports the wipe (wiped_at, and how many unsent items went with it). Idempotent.
 */
const deviceWipes: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('device_wipes')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
      .addColumn('ordered_at', 'text', (c) => c.notNull())
      .addColumn('wiped_at', 'text')
      .addColumn('unsent', 'integer')
      .execute();
    await db.schema
      .createIndex('device_wipes_device')
      .ifNotExists()
      .on('device_wipes')
      .columns(['device_id', 'ordered_at'])
      .execute();
  },
};

/**
 * Reviewer wellbeing (docs/wellbeing.md): per project, caps on the sensitive tasks a reviewer labels
 * per day and per session and the minutes of continuous sensitive work before a break reminder
 * (null: none); tasks.sensitive, the task's own flag kept as a column so a lease can leave such
 * tasks out and the day's count can join on it (backfilled from the bodies); an index to count a
 * reviewer's labels in a project since a time. Idempotent.
 */
const wellbeing = (dialect: Dialect): Migration => ({
  async up(db: Db) {
    const columns = [
      ['sensitive_cap_per_day', 'integer'],
      ['sensitive_cap_per_session', 'integer'],
      ['sensitive_break_minutes', 'double precision'],
    ] as const;
    for (const [column, type] of columns)
      if (!(await hasColumn(db, dialect, 'projects', column)))
        await db.schema.alterTable('projects').addColumn(column, type).execute();
    if (!(await hasColumn(db, dialect, 'tasks', 'sensitive'))) {
      await db.schema
        .alterTable('tasks')
        .addColumn('sensitive', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // the LIKE narrows the rows whose JSON is read; the JSON test is the one that decides
      const flagged =
        dialect === 'postgres'
          ? sql`(body::jsonb ->> 'sensitive') = 'true'`
          : sql`json_extract(body, '$.sensitive') = 1`;
      await sql`update tasks set sensitive = 1 where body like '%"sensitive":true%' and ${flagged}`.execute(
        db,
      );
    }
    await db.schema
      .createIndex('labels_user_project_created')
      .ifNotExists()
      .on('labels')
      .columns(['user_id', 'project_id', 'created_at'])
      .execute();
  },
});

/**
 * What each task with two or more labels adds to agreement, kept when a label lands
 * (server/metrics/task-summary.ts; docs/metrics.md, "Reading"): a report over all dates reads one
 * row per overlap task instead of every label of it. Filled for the labels stored before.
 * Idempotent: the table only when missing, the backfill an upsert.
 */
const taskAgreementSummaries: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('task_agreement')
      .ifNotExists()
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('labels', 'integer', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('task_agreement_pk', ['project_id', 'task_id'])
      .execute();
    await backfillTaskSummaries(db as unknown as Kysely<Database>);
  },
};

export const migrationProvider = (dialect: Dialect): MigrationProvider => ({
  async getMigrations() {
    return {
      '0001_initial': initial(dialect),
      '0002_task_occupancy': taskOccupancy,
      '0003_postgres_json_statistics': postgresJsonStatistics(dialect),
      '0004_device_history': deviceHistory(dialect),
      '0005_changes_assignment_task': changesAssignmentTask(dialect),
      '0006_label_client_times': labelClientTimes(dialect),
      '0007_training': training(dialect),
      '0008_calibration': calibration,
      '0009_shadowing': shadowing,
      '0010_metric_thresholds': metricThresholds,
      '0012_gold_qa': goldQa,
      '0011_lead_workspace': leadWorkspace(dialect),
      '0013_label_facts': labelFacts,
      '0015_label_facts_counted': labelFactsCounted(dialect),
      '0014_guideline_drafts': guidelineDrafts(dialect),
      '0016_project_pods': projectPods(dialect),
      '0017_device_wipes': deviceWipes,
      '0018_wellbeing': wellbeing(dialect),
      '0019_task_agreement': taskAgreementSummaries,
    };
  },
});
