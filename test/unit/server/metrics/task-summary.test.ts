import { Migrator, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Label } from '../../../../shared/label';
import { migrationProvider } from '../../../../server/db/migrations';
import type { Database } from '../../../../server/db/schema';
import { computeMetrics } from '../../../../server/metrics/compute';
import { decodeFact } from '../../../../server/metrics/label-facts';
import type { MetricLabelRow } from '../../../../server/metrics/read-labels';
import { taskAgreement } from '../../../../server/metrics/task';
import { decodeTaskSummary, encodeTaskSummary } from '../../../../server/metrics/task-summary';
import { describeEachDb, useFreshDb } from '../each-db';
import { leaseAndPull, makeLabel, submit, useServer } from '../helpers';
import { escalate } from '../lead/helpers';
import { NOW, seedMetricsProject } from './seed';

// task_agreement (migration 0019, server/metrics/task-summary.ts): a task's agreement kept when
// its labels land gives what comparing its labels at report time gives.

const row = (userId: string, receivedAt: string, label: Partial<Label>): MetricLabelRow => {
  const l = makeLabel('T', label);
  return {
    taskId: 'T',
    userId,
    receivedAt,
    label: {
      kind: l.kind,
      ranks: l.ranks,
      pairwise: l.pairwise,
      tags: l.tags,
      presentedOrder: l.presentedOrder,
      activeMs: l.activeMs,
    },
  };
};

const ranking = (ranks: Record<string, number>, tags: Label['tags'] = []) => ({
  kind: 'ranking' as const,
  pairwise: null,
  ranks,
  presentedOrder: ['a', 'b', 'c'],
  tags,
});

describe('task summary encoding', () => {
  it("reads back as taskAgreement's answer: ties, a reviewer's second label, tags, a missing judgement", () => {
    const rows = [
      row(
        'u1',
        '2026-01-05T10:00:00.000Z',
        ranking({ a: 1, b: 2, c: 3 }, [{ responseId: 'a', tagId: 'halluc', severity: 'minor' }]),
      ),
      row('u2', '2026-01-06T10:00:00.000Z', ranking({ a: 2, b: 1, c: 2 })),
      row('u1', '2026-01-07T10:00:00.000Z', ranking({ a: 3, b: 2, c: 1 })), // the reviewer's second label
      row('u3', '2026-01-04T10:00:00.000Z', { ...ranking({}), ranks: null }),
      row(
        'u4',
        '2026-01-08T10:00:00.000Z',
        ranking({ a: 1, b: 3, c: 2 }, [
          { responseId: 'a', tagId: 'halluc', severity: 'major' },
          { responseId: 'c', tagId: 'verbose', severity: 'minor' },
        ]),
      ),
    ];
    const { rows: all, task } = decodeTaskSummary('T', encodeTaskSummary(rows));
    expect(task).toEqual(taskAgreement(rows));
    expect(all.map((r) => r.userId)).toEqual(['u1', 'u2', 'u1', 'u3', 'u4']);
    const pairwise = [
      row('u1', '2026-01-05T10:00:00.000Z', {
        pairwise: { preferredResponseId: null, choice: 'tie', strength: null },
      }),
      row('u2', '2026-01-05T11:00:00.000Z', {}),
    ];
    expect(decodeTaskSummary('T', encodeTaskSummary(pairwise)).task).toEqual(taskAgreement(pairwise));
  });
});

async function summaryOf(db: Kysely<Database>, taskId: string) {
  const kept = await db
    .selectFrom('task_agreement')
    .select(['labels', 'summary'])
    .where('task_id', '=', taskId)
    .executeTakeFirst();
  return kept && { labels: kept.labels, ...decodeTaskSummary(taskId, kept.summary) };
}

/** What comparing the task's fact rows gives now. */
async function fromFacts(db: Kysely<Database>, taskId: string) {
  const facts = await db
    .selectFrom('label_facts')
    .selectAll()
    .where('task_id', '=', taskId)
    .orderBy('label_id')
    .execute();
  return taskAgreement(
    facts.map((f) => ({
      taskId: f.task_id,
      userId: f.user_id,
      receivedAt: f.received_at,
      label: decodeFact(f.kind, f.judgement, f.presented, f.tags, f.active_ms),
    })),
  );
}

describeEachDb('task summaries written with labels', (dialect) => {
  const env = useServer(dialect);

  it('appear with a second label and follow a newer revision (not an older one); the backfill writes the same', async () => {
    const e = env();
    await twoRatingsPerTask(e.sdb.db);
    const rita = await e.login('reviewer');
    const ravi = await e.login('reviewer2');
    const first = await leaseAndPull(e, rita);
    const taskId = 't1';
    const mine = makeLabel(taskId, { reviewerId: e.userIds.reviewer });
    const push = (who: typeof rita, mutations: unknown[]) =>
      e.call(who, 'POST', '/v1/sync/push', { deviceId: who.deviceId, mutations });
    expect((await push(rita, [submit(1, mine, first.tokens.get(taskId)!)])).status).toBe(200);
    expect(await summaryOf(e.sdb.db, taskId)).toBeUndefined(); // one label: nothing to agree on

    const second = await leaseAndPull(e, ravi);
    const token = second.tokens.get(taskId);
    expect(token).toBeDefined();
    const theirs = makeLabel(taskId, {
      reviewerId: e.userIds.reviewer2,
      pairwise: { preferredResponseId: 'b', choice: 'B', strength: 'better' },
      tags: [{ responseId: 'a', tagId: 'hallucination', severity: 'minor' }],
    });
    expect((await push(ravi, [submit(1, theirs, token!)])).status).toBe(200);
    let kept = await summaryOf(e.sdb.db, taskId);
    expect(kept?.labels).toBe(2);
    expect(kept?.task).toEqual(await fromFacts(e.sdb.db, taskId));
    expect(kept?.task.agreement).toBe(0); // a against b

    e.clock.advance(60_000);
    const agreed: Label = {
      ...mine,
      revision: 2,
      pairwise: { preferredResponseId: 'b', choice: 'B', strength: 'slightly' },
    };
    const res = await push(rita, [
      submit(2, agreed, first.tokens.get(taskId)!),
      submit(3, mine, first.tokens.get(taskId)!),
    ]);
    expect(res.status).toBe(200);
    kept = await summaryOf(e.sdb.db, taskId);
    expect(kept?.task.agreement).toBe(1); // revision 2 kept, the older revision after it ignored
    expect(kept?.task).toEqual(await fromFacts(e.sdb.db, taskId));

    // the same summaries from migration 0019 run again on the stored facts
    const before = await e.sdb.db.selectFrom('task_agreement').selectAll().orderBy('task_id').execute();
    await e.sdb.db.schema.dropTable('task_agreement').execute();
    await sql`delete from kysely_migration where name = '0019_task_agreement'`.execute(e.sdb.db);
    const migrator = new Migrator({ db: e.sdb.db, provider: migrationProvider(dialect) });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await e.sdb.db.selectFrom('task_agreement').selectAll().orderBy('task_id').execute()).toEqual(
      before,
    );
  });

  it("a lead's label ruling on an escalated task joins the task's summary", async () => {
    const e = env();
    await twoRatingsPerTask(e.sdb.db);
    const ravi = await e.login('reviewer2');
    const { tokens } = await leaseAndPull(e, ravi);
    const theirs = makeLabel('t1', { reviewerId: e.userIds.reviewer2 });
    const pushed = await e.call(ravi, 'POST', '/v1/sync/push', {
      deviceId: ravi.deviceId,
      mutations: [submit(1, theirs, tokens.get('t1')!)],
    });
    expect(pushed.status).toBe(200);
    const rita = await e.login('reviewer');
    const { escalationId } = await escalate(e, rita, { taskId: 't1' });
    const lena = await e.login('lead');
    const ruling = makeLabel('t1', {
      pairwise: { preferredResponseId: 'b', choice: 'B', strength: 'slightly' },
    });
    const res = await e.call(lena, 'POST', `/v1/escalations/${escalationId}/ruling`, {
      decision: 'label',
      label: ruling,
      explanation: 'B answers the question.',
    });
    expect(res.status).toBe(200);
    const kept = await summaryOf(e.sdb.db, 't1');
    expect(kept?.labels).toBe(2);
    expect(kept?.task.labels.map((l) => l.userId).sort()).toEqual(
      [e.userIds.reviewer2, e.userIds.lead].sort(),
    );
    expect(kept?.task).toEqual(await fromFacts(e.sdb.db, 't1'));
  });
});

/** Every task of the fixture's project asks two ratings, so two reviewers label the same task. */
async function twoRatingsPerTask(db: Kysely<Database>) {
  await db.updateTable('tasks').set({ ratings_required: 2 }).where('project_id', '=', 'prod').execute();
}

describeEachDb('metrics from task summaries', (dialect) => {
  const getDb = useFreshDb(dialect);

  it('give the agreement that reading the labels gives (a date range that holds every label reads them)', async () => {
    await seedMetricsProject(getDb().db);
    const kept = await computeMetrics(getDb().db, { projectId: 'P', now: NOW });
    const read = await computeMetrics(getDb().db, {
      projectId: 'P',
      now: NOW,
      since: '2000-01-03T00:00:00.000Z',
      until: NOW.toISOString(),
    });
    expect(read.overall).toEqual(kept.overall);
    expect(read.pods).toEqual(kept.pods);
    expect(read.reviewers).toEqual(kept.reviewers);
    expect(read.disagreedItems).toEqual(kept.disagreedItems);
    expect(kept.overall.overlapTasks).toBeGreaterThan(0);
  });
});
