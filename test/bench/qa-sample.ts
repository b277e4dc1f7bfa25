// QA sampling benchmark (issue 8, `qa.sample100k.ms`): sample a 10% share of 100,000 completed
// labels, stratified per reviewer, with a recorded seed (server/quality/sample.ts sampleForQa, in
// one transaction as `qa sample` runs it). 100,000 tasks and labels by 50 reviewers with unequal
// workloads, every task and label body its own (distinct prompts, answers, rationales), 1,000 of
// the tasks gold (left out of the draw, as they are in production). Setup is not timed. Three runs
// per database (the samples of the previous run deleted, untimed); the median is reported.
// Prints nothing; the caller formats the numbers.
// Standalone: `npx tsx test/bench/qa-sample.ts [--no-postgres]` prints one JSON object.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addUser, createPod, createProject } from '../../server/db/admin';
import { chunks } from '../../server/db/batch';
import { openDatabase, type ServerDb } from '../../server/db/connect';
import { sampleForQa } from '../../server/quality/sample';
import { makeLabel } from '../fixtures/labels';
import { freshTarget } from './fresh-db';
import { median } from './stats';

const LABELS = 100_000;
const REVIEWERS = 50;
const GOLD = 1_000;
const SHARE = 0.1;
const RUNS = 3;

async function seed(sdb: ServerDb): Promise<void> {
  await createPod(sdb.db, { id: 'pod' });
  await createProject(sdb.db, { id: 'bench' });
  const users: string[] = [];
  for (let r = 0; r < REVIEWERS; r++)
    users.push(
      await addUser(sdb.db, {
        username: `rev${r}`,
        password: 'bench-password',
        role: 'reviewer',
        podId: 'pod',
      }),
    );
  // reviewer r takes a share proportional to r + 1 (1 to 50 parts): strata of very different sizes
  const parts = (REVIEWERS * (REVIEWERS + 1)) / 2;
  const owner = (i: number) => {
    let acc = 0;
    const slot = (i * parts) / LABELS;
    for (let r = 0; r < REVIEWERS; r++) if (slot < (acc += r + 1)) return users[r]!;
    return users[REVIEWERS - 1]!;
  };
  const at = '2026-01-05T09:00:00.000Z';
  const rows = Array.from({ length: LABELS }, (_, i) => i);
  await sdb.db.transaction().execute(async (trx) => {
    for (const batch of chunks(rows, 400)) {
      await trx
        .insertInto('tasks')
        .values(
          batch.map((i) => ({
            id: `task-${i}`,
            project_id: 'bench',
            seq: i + 1,
            kind: 'pairwise' as const,
            body: JSON.stringify({
              id: `task-${i}`,
              kind: 'pairwise',
              prompt: `Question ${i}: how does ${(i * 7919) % 100_003} relate to the cited source?`,
              responses: [
                { id: 'a', text: `Answer ${i} A: a careful reply that cites its source (${i % 97}).` },
                { id: 'b', text: `Answer ${i} B: a reply that invents a figure (${i % 89}).` },
              ],
            }),
            ratings_required: i < GOLD ? 0 : 1,
            revoked_at: null,
            lease_counter: 1,
            occupancy: 1,
            created_at: at,
          })),
        )
        .execute();
      const gold = batch.filter((i) => i < GOLD);
      if (gold.length)
        await trx
          .insertInto('gold_keys')
          .values(gold.map((i) => ({ task_id: `task-${i}`, project_id: 'bench', key: '{}', created_at: at })))
          .execute();
      await trx
        .insertInto('labels')
        .values(
          batch.map((i) => {
            const label = makeLabel(`task-${i}`, {
              id: randomUUID(),
              reviewerId: owner(i),
              pairwise:
                i % 3
                  ? { preferredResponseId: 'a', choice: 'A', strength: 'better' }
                  : { preferredResponseId: 'b', choice: 'B', strength: 'slightly' },
              rationale: {
                templateId: 'default',
                fields: {
                  decisive: `Label ${i}: answer ${i % 3 ? 'A' : 'B'} checks figure ${(i * 31) % 1000}.`,
                },
              },
            });
            return {
              id: label.id,
              task_id: label.taskId,
              project_id: 'bench',
              user_id: owner(i),
              device_id: 'bench-device',
              body: JSON.stringify(label),
              revision: 1,
              lease_token: 1,
              flagged: null,
              client_times: null,
              created_at: at,
              received_at: at,
              updated_at: at,
            };
          }),
        )
        .execute();
    }
  });
}

async function benchDialect(dialect: 'sqlite' | 'postgres'): Promise<number> {
  const target = await freshTarget(dialect, 'qasample');
  const sdb = await openDatabase(target.url);
  try {
    await seed(sdb);
    // fresh planner statistics, as the task import leaves them (PostgreSQL; SQLite plans without)
    if (dialect === 'postgres') await sql`analyze`.execute(sdb.db);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await sdb.db.deleteFrom('qa_samples').execute();
      await sdb.db.deleteFrom('qa_runs').execute();
      const start = performance.now();
      const result = await sdb.db
        .transaction()
        .execute((trx) => sampleForQa(trx, 'bench', { share: SHARE, seed: `bench-${run}`, now: new Date() }));
      times.push(performance.now() - start);
      const expected = LABELS - GOLD;
      if (
        result.considered !== expected ||
        result.sampled < SHARE * expected ||
        result.sampled >= SHARE * expected + REVIEWERS
      )
        throw new Error(`qa-sample: considered ${result.considered}, sampled ${result.sampled}`);
    }
    return median(times);
  } finally {
    await sdb.close();
    await target.drop();
  }
}

export async function benchQaSample(opts: { postgres: boolean }): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const dialect of opts.postgres ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const))
    out[`qa.sample100k.${dialect}.ms`] = await benchDialect(dialect);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchQaSample({ postgres: !process.argv.includes('--no-postgres') })));
}
