// Seeds a project for the metrics bench: `labels` labels with distinct generated bodies (rankings
// of 2-4 responses and pairwise choices, tags, rationale texts of 150-900 characters), 10% of tasks
// rated by 3 reviewers, 50 reviewers in 7 pods, skips and escalations, spread over 52 weeks, with
// the label_facts and task_agreement rows the push writes; gold answers on 5% of tasks (seedGold).
// Bulk inserts: one prepared statement in large transactions (SQLite), unnest() batches (PostgreSQL).
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../server/db/schema';
import type { Label } from '../../shared/label';
import { seededRandom } from '../../shared/metrics/bootstrap';
import { decodeFact, labelFact } from '../../server/metrics/label-facts';
import type { MetricLabelRow } from '../../server/metrics/read-labels';
import { encodeTaskSummary } from '../../server/metrics/task-summary';

export const BENCH_PROJECT = 'metrics-bench';
const PODS = 7;
const REVIEWERS = 50;
const TAGS = [
  'hallucination',
  'unsafe',
  'refusal',
  'verbose',
  'off-topic',
  'code-bug',
  'math-error',
  'tone',
  'formatting',
  'incomplete',
  'outdated',
  'bias',
];
const WORDS =
  'the answer response claims cites explains misses step reasoning correct wrong because source ignores question user asked detail example code output format tone concise verbose safe unsafe policy fact date number unit assumption clearer better worse first second both neither partially fully accurate misleading'.split(
    ' ',
  );
const START = Date.parse('2025-01-06T00:00:00.000Z'); // a Monday
const SPAN_MS = 52 * 7 * 86_400_000;

type Row = Record<string, string | number | null>;
type Table = 'tasks' | 'labels' | 'label_facts' | 'task_agreement' | 'task_events';
const TABLES: Table[] = ['tasks', 'labels', 'label_facts', 'task_agreement', 'task_events'];
export interface SeedCounts {
  labels: number;
  tasks: number;
  events: number;
}

function text(random: () => number, chars: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const word = WORDS[Math.floor(random() * WORDS.length)]!;
    parts.push(word);
    length += word.length + 1;
  }
  return parts.join(' ') + '.';
}

/** The rows, generated lazily so memory stays flat while seeding. */
function* generate(labels: number, seed = 7): Generator<{ table: Table; row: Row }> {
  const random = seededRandom(seed);
  const reviewer = (i: number) => `u${String(i).padStart(2, '0')}`;
  // a few reviewers favour the first response shown; some agree less (more noise)
  const firstBias = (r: number) => (r % 9 === 0 ? 0.35 : 0);
  const noise = (r: number) => (r % 7 === 0 ? 1.6 : 0.7);
  let made = 0;
  let events = 0;
  for (let t = 0; made < labels; t++) {
    const taskId = `mt${String(t).padStart(7, '0')}`;
    const pairwise = random() < 0.3;
    const k = pairwise ? 2 : 2 + Math.floor(random() * 3);
    const responses = Array.from({ length: k }, (_, i) => `r${i + 1}`);
    const quality = responses.map(() => random() * 2);
    const raters = Math.min(random() < 0.1 ? 3 : 1, labels - made);
    const body = JSON.stringify({
      id: taskId,
      kind: pairwise ? 'pairwise' : 'ranking',
      prompt: text(random, 120),
      responses: responses.map((id) => ({ id, text: text(random, 80) })),
    });
    yield {
      table: 'tasks',
      row: {
        id: taskId,
        project_id: BENCH_PROJECT,
        seq: t,
        kind: pairwise ? 'pairwise' : 'ranking',
        body,
        ratings_required: raters,
        revoked_at: null,
        lease_counter: raters,
        occupancy: raters,
        created_at: new Date(START).toISOString(),
      },
    };
    const taskTime = START + random() * (SPAN_MS - 3 * 86_400_000);
    const first = Math.floor(random() * REVIEWERS);
    const facts: MetricLabelRow[] = [];
    for (let j = 0; j < raters; j++) {
      const r = (first + j * 17) % REVIEWERS;
      const shown = [...responses].sort(() => random() - 0.5);
      const score = new Map(
        responses.map((id, i) => [
          id,
          quality[i]! + (random() - 0.5) * noise(r) + (id === shown[0] ? firstBias(r) : 0),
        ]),
      );
      const order = [...responses].sort((a, b) => score.get(b)! - score.get(a)!);
      const ranks = pairwise ? null : Object.fromEntries(order.map((id, i) => [id, i + 1]));
      const preferred = pairwise
        ? Math.abs(score.get('r1')! - score.get('r2')!) < 0.08
          ? null
          : order[0]!
        : null;
      const tags = responses.flatMap((id) =>
        random() < 0.25
          ? [
              {
                responseId: id,
                tagId: TAGS[Math.floor(random() * TAGS.length)]!,
                severity: random() < 0.3 ? 'major' : 'minor',
              },
            ]
          : [],
      );
      const at = new Date(taskTime + j * 3_600_000 * (1 + random() * 30)).toISOString();
      const activeMs = Math.round(Math.exp(10.5 + random() * 1.5 + (random() - 0.5)));
      const label = {
        id: `${taskId}-${j}`,
        taskId,
        kind: pairwise ? 'pairwise' : 'ranking',
        reviewerId: reviewer(r),
        deviceId: `dev-${reviewer(r)}`,
        ranks,
        pairwise: pairwise
          ? {
              preferredResponseId: preferred,
              choice: preferred === null ? 'tie' : preferred === shown[0] ? 'A' : 'B',
              strength: 'better',
            }
          : null,
        tags,
        rationale: {
          templateId: 'default',
          fields: {
            summary: text(random, 80 + random() * 220),
            reasoning: text(random, 150 + random() * 600),
          },
        },
        presentedOrder: shown,
        orderSeed: `${taskId}:${reviewer(r)}`,
        activeMs,
        guidelineVersion: 'g-3',
        taxonomyVersion: 't-2',
        acknowledgedWarnings: [],
        revision: 1,
        createdAt: at,
        updatedAt: at,
      };
      yield {
        table: 'labels',
        row: {
          id: label.id,
          task_id: taskId,
          project_id: BENCH_PROJECT,
          user_id: reviewer(r),
          device_id: label.deviceId,
          body: JSON.stringify(label),
          revision: 1,
          lease_token: 1,
          flagged: null,
          client_times: null,
          created_at: at,
          received_at: at,
          updated_at: at,
        },
      };
      // what the push writes beside each label (server/metrics/label-facts.ts)
      const fact = labelFact(label as Label, {
        projectId: BENCH_PROJECT,
        taskId,
        userId: reviewer(r),
        receivedAt: at,
      });
      yield { table: 'label_facts', row: { ...fact } };
      facts.push({
        taskId,
        userId: fact.user_id,
        receivedAt: at,
        label: decodeFact(fact.kind, fact.judgement, fact.presented, fact.tags, fact.active_ms),
      });
      made++;
    }
    // and the task's agreement summary once it has two labels (server/metrics/task-summary.ts)
    if (facts.length >= 2)
      yield {
        table: 'task_agreement',
        row: {
          project_id: BENCH_PROJECT,
          task_id: taskId,
          labels: facts.length,
          summary: encodeTaskSummary(facts),
        },
      };
    if (random() < 0.04) {
      const r = Math.floor(random() * REVIEWERS);
      events++;
      yield {
        table: 'task_events',
        row: {
          task_id: taskId,
          project_id: BENCH_PROJECT,
          user_id: reviewer(r),
          device_id: `dev-${reviewer(r)}`,
          type: random() < 0.25 ? 'escalate' : 'skip',
          reason: 'unclear',
          note: text(random, 40),
          work: null,
          lease_token: 1,
          created_at: new Date(taskTime).toISOString(),
        },
      };
    }
  }
  void events;
}

function people(): { pods: Row[]; users: Row[]; project: Row } {
  const created = new Date(START).toISOString();
  return {
    pods: Array.from({ length: PODS }, (_, i) => ({
      id: `pod${i + 1}`,
      name: `Pod ${i + 1}`,
      lead_user_id: null,
      created_at: created,
    })),
    users: Array.from({ length: REVIEWERS }, (_, i) => ({
      id: `u${String(i).padStart(2, '0')}`,
      username: `reviewer${String(i).padStart(2, '0')}`,
      display_name: `Reviewer ${i}`,
      role: 'reviewer',
      pod_id: `pod${(i % PODS) + 1}`,
      password_hash: 'x',
      created_at: created,
      revoked_at: null,
    })),
    project: {
      id: BENCH_PROJECT,
      name: 'Metrics bench',
      batch_size: 20,
      lease_hours: 24,
      ratings_per_task: 1,
      agreement_share: 0.1,
      agreement_ratings: 3,
      production: 1,
      taxonomy_id: null,
      template_id: null,
      guideline_id: null,
      created_at: created,
    },
  };
}

/** SQLite: the database file must exist and be migrated (openDatabase) and closed. */
export function seedSqlite(file: string, labels: number): SeedCounts {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const statements = new Map<string, SQLite.Statement>();
  const insert = (table: string, row: Row) => {
    const key = `${table}:${Object.keys(row).join(',')}`;
    let statement = statements.get(key);
    if (!statement) {
      const columns = Object.keys(row);
      statement = db.prepare(
        `insert into ${table} (${columns.join(',')}) values (${columns.map((c) => '@' + c).join(',')})`,
      );
      statements.set(key, statement);
    }
    statement.run(row);
  };
  const counts: SeedCounts = { labels: 0, tasks: 0, events: 0 };
  const { pods, users, project } = people();
  db.transaction(() => {
    pods.forEach((p) => insert('pods', p));
    users.forEach((u) => insert('users', u));
    insert('projects', project);
  })();
  const rows = generate(labels);
  const batch = db.transaction(() => {
    for (let i = 0; i < 50_000; i++) {
      const next = rows.next();
      if (next.done) return true;
      insert(next.value.table, next.value.row);
      if (next.value.table === 'labels') counts.labels++;
      else if (next.value.table === 'tasks') counts.tasks++;
      else if (next.value.table === 'task_events') counts.events++;
    }
    return false;
  });
  while (!batch()) {
    /* next batch */
  }
  db.exec('analyze');
  db.close();
  return counts;
}

/** PostgreSQL: the database must be migrated (openDatabase). */
export async function seedPostgres(url: string, labels: number): Promise<SeedCounts> {
  const client = new pg.Client(url);
  await client.connect();
  const counts: SeedCounts = { labels: 0, tasks: 0, events: 0 };
  const flush = async (table: string, rows: Row[]) => {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    const arrays = columns.map((c) => rows.map((r) => r[c]));
    const types = columns.map((c) =>
      typeof rows[0]![c] === 'number' ? (Number.isInteger(rows[0]![c]) ? 'bigint' : 'float8') : 'text',
    );
    await client.query(
      `insert into ${table} (${columns.join(',')}) select * from unnest(${columns.map((_, i) => `$${i + 1}::${types[i]}[]`).join(',')})`,
      arrays,
    );
  };
  const { pods, users, project } = people();
  await flush('pods', pods);
  await flush('users', users);
  await flush('projects', [project]);
  const pending = Object.fromEntries(TABLES.map((t) => [t, [] as Row[]])) as Record<Table, Row[]>;
  await client.query('begin');
  for (const { table, row } of generate(labels)) {
    pending[table]!.push(row);
    if (table === 'labels') counts.labels++;
    else if (table === 'tasks') counts.tasks++;
    else if (table === 'task_events') counts.events++;
    if (pending.labels!.length >= 5000) {
      for (const name of TABLES) {
        await flush(name, pending[name]);
        pending[name] = [];
      }
    }
  }
  for (const name of TABLES) await flush(name, pending[name]);
  await client.query('commit');
  await client.query('analyze');
  await client.end();
  return counts;
}

/**
 * Gold: 5% of the bench project's tasks (seq divisible by 20) are gold, and each label on them has
 * its graded answer, correct for four reviewers in five (by task and reviewer). Derived from the
 * stored tasks and labels in one statement, so a kept database seeded before gold was part of the
 * bench gets it too; does nothing when the project has gold answers already. Returns how many it
 * wrote.
 */
export async function seedGold(db: Kysely<Database>): Promise<number> {
  const found = await db
    .selectFrom('gold_answers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', BENCH_PROJECT)
    .executeTakeFirstOrThrow();
  if (Number(found.n) > 0) return 0;
  const result = await sql`
    insert into gold_answers
      (task_id, user_id, project_id, label_id, revision, score, correct, feedback, received_at, updated_at)
    select l.task_id, l.user_id, l.project_id, l.id, l.revision,
      case when (t.seq / 20 + cast(substr(l.user_id, 2) as integer)) % 5 <> 0 then 1 else 0 end,
      case when (t.seq / 20 + cast(substr(l.user_id, 2) as integer)) % 5 <> 0 then 1 else 0 end,
      '{}', l.received_at, l.received_at
    from labels l join tasks t on t.id = l.task_id
    where l.project_id = ${BENCH_PROJECT} and t.seq % 20 = 0`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
