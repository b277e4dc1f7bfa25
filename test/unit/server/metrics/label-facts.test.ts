import { Migrator, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Label } from '../../../../shared/label';
import { positionCode } from '../../../../shared/metrics/position-bias';
import { weekStart } from '../../../../shared/metrics/weeks';
import { migrationProvider } from '../../../../server/db/migrations';
import type { Database } from '../../../../server/db/schema';
import { decodeFact, labelFact } from '../../../../server/metrics/label-facts';
import { describeEachDb } from '../each-db';
import { leaseAndPull, makeLabel, submit, useServer } from '../helpers';
import { escalate } from '../lead/helpers';

/** What the metrics judge of a label (read-labels.ts MetricLabel), straight from the label. */
const judged = (l: Label) => ({
  kind: l.kind,
  ranks: l.ranks,
  pairwise: l.pairwise,
  tags: l.tags,
  presentedOrder: l.presentedOrder,
  activeMs: l.activeMs,
});

const place = { projectId: 'P', taskId: 'T', userId: 'u', receivedAt: '2026-01-05T00:00:00.000Z' };
const roundTrip = (l: Label) => {
  const f = labelFact(l, place);
  return decodeFact(f.kind, f.judgement, f.presented, f.tags, f.active_ms);
};

async function factOf(db: Kysely<Database>, labelId: string) {
  return db.selectFrom('label_facts').selectAll().where('label_id', '=', labelId).executeTakeFirst();
}

describe('label facts encoding', () => {
  it('gives back exactly what the metrics judge: ranks with ties, empty and missing judgements, tags', () => {
    const ranking = makeLabel('T', {
      kind: 'ranking',
      pairwise: null,
      ranks: { 'r.2': 1, 'r:1': 2, r3: 2 },
      presentedOrder: ['r:1', 'r.2', 'r3'],
      tags: [
        { responseId: 'r3', tagId: 'verbose', severity: 'minor' },
        { responseId: 'r3', tagId: 'verbose', severity: 'critical' },
      ],
      activeMs: 12_345,
    });
    expect(roundTrip(ranking)).toEqual(judged(ranking));
    expect(Object.keys(roundTrip(ranking).ranks!)).toEqual(['r.2', 'r:1', 'r3']); // key order kept
    const unranked = makeLabel('T', { kind: 'ranking', pairwise: null, ranks: {}, tags: [] });
    expect(roundTrip(unranked)).toEqual(judged(unranked));
    const none = makeLabel('T', { kind: 'ranking', pairwise: null, ranks: null, presentedOrder: [] });
    expect(roundTrip(none)).toEqual(judged(none));
    const tie = makeLabel('T', { pairwise: { preferredResponseId: null, choice: 'tie', strength: null } });
    expect(roundTrip(tie)).toEqual(judged(tie));
    const plain = makeLabel('T');
    expect(roundTrip(plain)).toEqual(judged(plain));
    const noPairwise = makeLabel('T', { pairwise: null });
    expect(roundTrip(noPairwise)).toEqual(judged(noPairwise));
  });
});

describeEachDb('label facts written with labels', (dialect) => {
  const env = useServer(dialect);

  it('a pushed label gets its fact row; a newer revision replaces it, an older one does not', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita);
    const label = makeLabel('t1', { reviewerId: e.userIds.reviewer, activeMs: 0 });
    const push = (mutations: unknown[]) =>
      e.call(rita, 'POST', '/v1/sync/push', { deviceId: rita.deviceId, mutations });
    expect((await push([submit(1, label, tokens.get('t1')!)])).status).toBe(200);
    const first = await factOf(e.sdb.db, label.id);
    expect(first).toMatchObject({
      project_id: 'prod',
      task_id: 't1',
      user_id: e.userIds.reviewer,
      revision: 1,
    });
    expect(
      decodeFact(first!.kind, first!.judgement, first!.presented, first!.tags, first!.active_ms),
    ).toEqual(judged(label));
    const stored = await e.sdb.db
      .selectFrom('labels')
      .select('received_at')
      .where('id', '=', label.id)
      .executeTakeFirstOrThrow();
    expect(first!.received_at).toBe(stored.received_at);

    e.clock.advance(60_000);
    const edited: Label = {
      ...label,
      revision: 2,
      pairwise: { preferredResponseId: 'b', choice: 'B', strength: 'slightly' },
      tags: [],
    };
    const res = await push([submit(2, edited, tokens.get('t1')!), submit(3, label, tokens.get('t1')!)]);
    expect(res.json.outcomes.map((o: { status: string }) => o.status)).toEqual(['accepted', 'accepted']);
    const second = await factOf(e.sdb.db, label.id);
    expect(second).toMatchObject({
      revision: 2,
      judgement: 'B,slightly,b',
      tags: '',
      received_at: first!.received_at,
    });
    const count = await e.sdb.db
      .selectFrom('label_facts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("a lead's label ruling gets its fact row", async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { escalationId, taskId } = await escalate(e, rita);
    const lena = await e.login('lead');
    const label = makeLabel(taskId, {
      pairwise: { preferredResponseId: 'b', choice: 'B', strength: 'slightly' },
    });
    const res = await e.call(lena, 'POST', `/v1/escalations/${escalationId}/ruling`, {
      decision: 'label',
      label,
      explanation: 'B answers the question.',
    });
    expect(res.status).toBe(200);
    expect(await factOf(e.sdb.db, label.id)).toMatchObject({
      task_id: taskId,
      user_id: e.userIds.lead,
      kind: 'pairwise',
      judgement: 'B,slightly,b',
      presented: 'a,b',
      tags: 'b hallucination major',
    });
  });

  it('migrations 0013_label_facts and 0015_label_facts_counted fill the facts of labels stored before them', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita);
    const label = makeLabel('t2', { reviewerId: e.userIds.reviewer });
    await e.call(rita, 'POST', '/v1/sync/push', {
      deviceId: rita.deviceId,
      mutations: [submit(1, label, tokens.get('t2')!)],
    });
    // back to the database before 0013: no table, 0013 and 0015 not run (the others are not
    // about label facts: they stay done, and these two run out of order on their own)
    await e.sdb.db.schema.dropTable('label_facts').execute();
    await e.sdb.db.schema.dropIndex('tasks_withdrawn').execute();
    await sql`delete from kysely_migration where name in ('0013_label_facts', '0015_label_facts_counted')`.execute(
      e.sdb.db,
    );
    const migrator = new Migrator({
      db: e.sdb.db,
      provider: migrationProvider(dialect),
      allowUnorderedMigrations: true,
    });
    const { error } = await migrator.migrateToLatest();
    expect(error).toBeUndefined();
    const fact = await factOf(e.sdb.db, label.id);
    expect(fact).toMatchObject({
      task_id: 't2',
      user_id: e.userIds.reviewer,
      revision: 1,
      judgement: 'A,better,a',
      week: weekStart(fact!.received_at),
      position_code: positionCode(judged(label)),
    });
    expect(fact!.position_code).toMatch(/^[FS]$/);
    expect(decodeFact(fact!.kind, fact!.judgement, fact!.presented, fact!.tags, fact!.active_ms)).toEqual(
      judged(label),
    );
  });
});
