import type { Kysely } from 'kysely';
import type { Label } from '../../../../shared/label';
import type { Database } from '../../../../server/db/schema';
import { backfillLabelFacts } from '../../../../server/metrics/label-facts';
import { makeLabel, makeTask } from '../helpers';

/**
 * A small project whose figures are worked out by hand in compute.test.ts:
 *   pods pa (ann, bob) and pb (cat, dan; dan has no labels)
 *   T1 ranking a,b,c rated by ann, bob, cat (an overlap task); T2 pairwise a,b by ann and cat;
 *   T3 pairwise by ann only; T4 pairwise by bob only (a tie); T5 withdrawn (its label ignored).
 *   events: ann skips one task, cat skips one, bob escalates one.
 *   a revealed calibration round of pod pa answered by ann and bob.
 * Every label is received on 2026-01-05 (a Monday) or 2026-01-12.
 */
export const NOW = new Date('2026-01-20T00:00:00.000Z');

type Spec = { task: string; user: string; at: string } & Partial<Label>;

const LABELS: Spec[] = [
  {
    task: 'T1',
    user: 'ann',
    at: '2026-01-05T10:00:00.000Z',
    kind: 'ranking',
    ranks: { a: 1, b: 2, c: 3 },
    pairwise: null,
    presentedOrder: ['a', 'b', 'c'],
    activeMs: 60_000,
    tags: [{ responseId: 'a', tagId: 'halluc', severity: 'major' }],
  },
  {
    task: 'T1',
    user: 'bob',
    at: '2026-01-05T11:00:00.000Z',
    kind: 'ranking',
    ranks: { a: 1, b: 2, c: 3 },
    pairwise: null,
    presentedOrder: ['b', 'a', 'c'],
    activeMs: 120_000,
    tags: [{ responseId: 'a', tagId: 'halluc', severity: 'minor' }],
  },
  {
    task: 'T1',
    user: 'cat',
    at: '2026-01-12T09:00:00.000Z',
    kind: 'ranking',
    ranks: { a: 2, b: 1, c: 3 },
    pairwise: null,
    presentedOrder: ['c', 'b', 'a'],
    activeMs: 50_000,
    tags: [{ responseId: 'b', tagId: 'verbose', severity: 'minor' }],
  },
  {
    task: 'T2',
    user: 'ann',
    at: '2026-01-05T12:00:00.000Z',
    presentedOrder: ['a', 'b'],
    pairwise: { preferredResponseId: 'a', choice: 'A', strength: 'better' },
    activeMs: 30_000,
    tags: [],
  },
  {
    task: 'T2',
    user: 'cat',
    at: '2026-01-12T10:00:00.000Z',
    presentedOrder: ['b', 'a'],
    pairwise: { preferredResponseId: 'b', choice: 'A', strength: 'better' },
    activeMs: 70_000,
    tags: [],
  },
  {
    task: 'T3',
    user: 'ann',
    at: '2026-01-12T11:00:00.000Z',
    presentedOrder: ['a', 'b'],
    pairwise: { preferredResponseId: 'a', choice: 'A', strength: 'slightly' },
    activeMs: 90_000,
    tags: [],
  },
  {
    task: 'T4',
    user: 'bob',
    at: '2026-01-12T12:00:00.000Z',
    presentedOrder: ['b', 'a'],
    pairwise: { preferredResponseId: null, choice: 'tie', strength: null },
    activeMs: 40_000,
    tags: [],
  },
  {
    task: 'T5',
    user: 'cat',
    at: '2026-01-12T13:00:00.000Z',
    presentedOrder: ['a', 'b'],
    activeMs: 1,
    tags: [],
  },
];

export async function seedMetricsProject(db: Kysely<Database>): Promise<void> {
  const at = '2026-01-01T00:00:00.000Z';
  await db
    .insertInto('pods')
    .values([
      { id: 'pa', name: 'Pod A', lead_user_id: null, created_at: at },
      { id: 'pb', name: 'Pod B', lead_user_id: null, created_at: at },
    ])
    .execute();
  await db
    .insertInto('users')
    .values(
      [
        ['ann', 'pa'],
        ['bob', 'pa'],
        ['cat', 'pb'],
        ['dan', 'pb'],
      ].map(([name, pod]) => ({
        id: `id-${name}`,
        username: name!,
        display_name: name!,
        role: 'reviewer' as const,
        pod_id: pod!,
        password_hash: 'x',
        created_at: at,
        revoked_at: null,
      })),
    )
    .execute();
  await db
    .insertInto('projects')
    .values({
      id: 'P',
      name: 'Project P',
      batch_size: 5,
      lease_hours: 24,
      ratings_per_task: 1,
      agreement_share: 0.1,
      agreement_ratings: 3,
      production: 1,
      taxonomy_id: null,
      template_id: null,
      guideline_id: null,
      created_at: at,
    })
    .execute();
  const kinds: Record<string, 'ranking' | 'pairwise'> = {
    T1: 'ranking',
    T2: 'pairwise',
    T3: 'pairwise',
    T4: 'pairwise',
    T5: 'pairwise',
  };
  await db
    .insertInto('tasks')
    .values(
      Object.entries(kinds).map(([id, kind], seq) => ({
        id,
        project_id: 'P',
        seq,
        kind,
        body: JSON.stringify(makeTask(id, kind)),
        ratings_required: 3,
        revoked_at: id === 'T5' ? at : null,
        lease_counter: 1,
        created_at: at,
      })),
    )
    .execute();
  for (const { task, user, at: when, ...label } of LABELS) {
    const body = makeLabel(task, { ...label, reviewerId: `id-${user}`, createdAt: when, updatedAt: when });
    await db
      .insertInto('labels')
      .values({
        id: body.id,
        task_id: task,
        project_id: 'P',
        user_id: `id-${user}`,
        device_id: 'dev',
        body: JSON.stringify(body),
        revision: 1,
        lease_token: 1,
        flagged: null,
        client_times: null,
        created_at: when,
        received_at: when,
        updated_at: when,
      })
      .execute();
  }
  await backfillLabelFacts(db); // rows inserted directly: their facts as the push would write them
  const events: [string, string, 'skip' | 'escalate'][] = [
    ['ann', 'T4', 'skip'],
    ['cat', 'T3', 'skip'],
    ['bob', 'T3', 'escalate'],
  ];
  for (const [user, task, type] of events) {
    await db
      .insertInto('task_events')
      .values({
        task_id: task,
        project_id: 'P',
        user_id: `id-${user}`,
        device_id: 'dev',
        type,
        reason: 'r',
        note: '',
        work: null,
        lease_token: 1,
        created_at: '2026-01-06T08:00:00.000Z',
      })
      .execute();
  }
  const item = { task: makeTask('c1', 'ranking'), key: null };
  await db
    .insertInto('calibration_rounds')
    .values({
      id: 'round1',
      pod_id: 'pa',
      title: 'Week 2 calibration',
      created_by: null,
      created_at: at,
      due_at: '2026-01-08T00:00:00.000Z',
      revealed_at: '2026-01-08T00:00:00.000Z',
      members: JSON.stringify(['id-ann', 'id-bob']),
      items: JSON.stringify([item]),
    })
    .execute();
  const answers: [string, Record<string, number>][] = [
    ['ann', { a: 1, b: 2, c: 3 }],
    ['bob', { a: 1, c: 2, b: 3 }],
  ];
  for (const [user, ranks] of answers) {
    const label = makeLabel('c1', {
      kind: 'ranking',
      ranks,
      pairwise: null,
      presentedOrder: ['a', 'b', 'c'],
      reviewerId: `id-${user}`,
    });
    await db
      .insertInto('calibration_answers')
      .values({
        round_id: 'round1',
        task_id: 'c1',
        user_id: `id-${user}`,
        label: JSON.stringify(label),
        received_at: '2026-01-07T00:00:00.000Z',
      })
      .execute();
  }
}

/**
 * Blind QA re-ratings by dan (docs/lead-workspace.md, "Blind QA re-rating") of four labels of the
 * seeded project, worked out in compute.test.ts:
 *   ann T1 re-rated a<b<c: the same ranking (3 of 3 pairs, tau-b 1)
 *   ann T3 re-rated with b preferred: a different choice (0 of 1 pair)
 *   bob T4 re-rated as a tie: the same (1 of 1 pair)
 *   cat T5 (withdrawn): left out
 */
export async function seedQaRatings(db: Kysely<Database>): Promise<void> {
  const at = '2026-01-14T00:00:00.000Z';
  await db
    .insertInto('qa_runs')
    .values({
      id: 'run1',
      project_id: 'P',
      seed: 's',
      share: 0.5,
      considered: 7,
      sampled: 4,
      created_by: null,
      created_at: at,
    })
    .execute();
  const rerates: [string, string, Partial<Label>][] = [
    [
      'ann',
      'T1',
      { kind: 'ranking', ranks: { a: 1, b: 2, c: 3 }, pairwise: null, presentedOrder: ['c', 'a', 'b'] },
    ],
    [
      'ann',
      'T3',
      { presentedOrder: ['b', 'a'], pairwise: { preferredResponseId: 'b', choice: 'A', strength: 'better' } },
    ],
    [
      'bob',
      'T4',
      { presentedOrder: ['a', 'b'], pairwise: { preferredResponseId: null, choice: 'tie', strength: null } },
    ],
    [
      'cat',
      'T5',
      { presentedOrder: ['a', 'b'], pairwise: { preferredResponseId: 'b', choice: 'B', strength: 'better' } },
    ],
  ];
  for (const [position, [user, task, judged]] of rerates.entries()) {
    const original = await db
      .selectFrom('labels')
      .select('id')
      .where('task_id', '=', task)
      .where('user_id', '=', `id-${user}`)
      .executeTakeFirstOrThrow();
    const sample = `sample-${task}`;
    await db
      .insertInto('qa_samples')
      .values({
        id: sample,
        run_id: 'run1',
        project_id: 'P',
        label_id: original.id,
        task_id: task,
        reviewer_id: `id-${user}`,
        position,
        created_at: at,
        rated_at: at,
      })
      .execute();
    const label = makeLabel(task, { ...judged, reviewerId: 'id-dan', createdAt: at, updatedAt: at });
    await db
      .insertInto('qa_ratings')
      .values({
        id: `qa-${task}`,
        sample_id: sample,
        task_id: task,
        rater_id: 'id-dan',
        device_id: 'dev-dan',
        label: JSON.stringify(label),
        revision: 1,
        received_at: at,
        updated_at: at,
        revealed_at: null,
        classification: null,
        classified_at: null,
      })
      .execute();
  }
}
