import { expect, it } from 'vitest';
import type { PushRequest, PushResponse } from '../../../shared/sync';
import type { AppContext, Caller } from '../../../server/context';
import { PlannerStats } from '../../../server/db/planner-stats';
import { WriteQueue } from '../../../server/db/write-queue';
import { HttpError } from '../../../server/errors';
import { LeaseProofs } from '../../../server/sync/lease-proof';
import { applyPushes } from '../../../server/sync/push';
import { PushGroups } from '../../../server/sync/push-groups';
import { describeEachDb } from './each-db';
import {
  countLabels,
  leaseAndPull,
  makeLabel,
  PushBodies,
  submit,
  useServer,
  type ServerEnv,
  type Session,
} from './helpers';

/** PushGroups over the test server's database, one group written at a time, group sizes recorded */
function groupsOver(e: ServerEnv, failGroupsLargerThan = Infinity) {
  const sizes: number[] = [];
  const ctx: AppContext = {
    sdb: e.sdb,
    clock: e.clock.read,
    sessionTtlMs: 3600_000,
    writes: new WriteQueue(e.sdb.db, e.sdb.dialect),
    stats: new PlannerStats(e.sdb.db, e.sdb.dialect),
    log: { warn: () => undefined, info: () => undefined } as unknown as AppContext['log'],
    leaseProofs: new LeaseProofs(),
  };
  const pushes = new PushGroups(ctx.writes, ctx.sdb.dialect, (trx, group) => applyPushes(trx, ctx, group), {
    maxInFlight: 1,
    onGroup: (size) => {
      sizes.push(size);
      if (size > failGroupsLargerThan) throw new Error('simulated database failure');
    },
  });
  const bodies = new PushBodies();
  return {
    sizes,
    submit: (caller: Caller, req: Pick<PushRequest, 'deviceId' | 'mutations'>) =>
      pushes.submit(caller, bodies.complete(req as PushRequest)),
  };
}

const callerOf = (e: ServerEnv, s: Session, key: 'reviewer' | 'reviewer2' | 'lead'): Caller => ({
  userId: e.userIds[key],
  username: s.user.username,
  displayName: s.user.displayName,
  role: s.user.role,
  podId: s.user.podId,
  deviceId: s.deviceId,
  tokenHash: 'unused',
});

describeEachDb('push groups', (dialect) => {
  const env = useServer(dialect, {}, { batchSize: 4, tasks: 12 });

  it('pushes that arrive together share one transaction, each with the answer it would get alone', async () => {
    const e = env();
    const people = [];
    for (const key of ['reviewer', 'reviewer2', 'lead'] as const) {
      const s = await e.login(key);
      people.push({ key, s, tokens: (await leaseAndPull(e, s)).tokens });
    }
    const g = groupsOver(e);
    const [rita, rob, lena] = people.map((p) => ({ ...p, caller: callerOf(e, p.s, p.key) }));
    const label = (p: typeof rita, task: string, id: number) =>
      submit(id, makeLabel(task), p!.tokens.get(task)!);
    const ritaTasks = [...rita!.tokens.keys()];
    const robTasks = [...rob!.tokens.keys()];
    const lenaTasks = [...lena!.tokens.keys()];
    const ritaFirst = { deviceId: rita!.s.deviceId, mutations: [label(rita, ritaTasks[0]!, 1)] };
    const settled = await Promise.allSettled([
      g.submit(rita!.caller, ritaFirst),
      g.submit(rob!.caller, {
        deviceId: rob!.s.deviceId,
        mutations: [label(rob, robTasks[0]!, 1), label(rob, robTasks[1]!, 2)],
      }),
      // rita again: her second push follows her first in the same group
      g.submit(rita!.caller, { deviceId: rita!.s.deviceId, mutations: [label(rita, ritaTasks[1]!, 2)] }),
      // ids after ones the server never applied (it believes the server lost them): refused alone
      g.submit(lena!.caller, { deviceId: lena!.s.deviceId, mutations: [label(lena, lenaTasks[0]!, 5)] }),
      // rita's first push duplicated after her second: it stops short of what the server holds, so it
      // cannot be told from a copied install's push (docs/sync-protocol.md): refused, nothing applied
      g.submit(rita!.caller, ritaFirst),
      // rob labels rita's task: not assigned, rejected as an outcome
      g.submit(rob!.caller, {
        deviceId: rob!.s.deviceId,
        mutations: [submit(3, makeLabel(ritaTasks[2]!), 1)],
      }),
    ]);
    const answers = settled.map((r) => (r.status === 'fulfilled' ? r.value : r.reason));
    expect((answers[0] as PushResponse).lastMutationId).toBe(1);
    expect((answers[1] as PushResponse).outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(answers[2]).toMatchObject({
      lastMutationId: 2,
      outcomes: [{ mutationId: 2, status: 'accepted' }],
    });
    expect(answers[3]).toBeInstanceOf(HttpError);
    expect((answers[3] as HttpError).code).toBe('server-behind');
    expect(answers[4]).toMatchObject({ status: 409, code: 'device-diverged' });
    expect(answers[5]).toMatchObject({
      lastMutationId: 3,
      outcomes: [{ status: 'rejected', reason: 'not-assigned' }],
    });
    expect(await countLabels(e.sdb)).toBe(4);
    // the first push started alone; the five that arrived meanwhile went in one transaction
    expect(g.sizes).toEqual([1, 5]);
    const devices = await e.sdb.db
      .selectFrom('devices')
      .select(['id', 'last_mutation_id'])
      .orderBy('id')
      .execute();
    expect(Object.fromEntries(devices.map((d) => [d.id, d.last_mutation_id]))).toEqual({
      [rita!.s.deviceId]: 2,
      [rob!.s.deviceId]: 3,
      [lena!.s.deviceId]: 0,
    });
  });

  it('a group that fails as a whole is tried push by push: only a push that fails alone fails', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const rob = await e.login('reviewer2');
    const ritaTokens = (await leaseAndPull(e, rita)).tokens;
    const robTokens = (await leaseAndPull(e, rob)).tokens;
    // every transaction of more than one push fails; alone, each goes through
    const g = groupsOver(e, 1);
    const push = (s: Session, key: 'reviewer' | 'reviewer2', task: string, token: number, id: number) =>
      g.submit(callerOf(e, s, key), {
        deviceId: s.deviceId,
        mutations: [submit(id, makeLabel(task), token)],
      });
    const results = await Promise.all([
      push(rita, 'reviewer', 't1', ritaTokens.get('t1')!, 1),
      push(rob, 'reviewer2', 't5', robTokens.get('t5')!, 1),
      push(rita, 'reviewer', 't2', ritaTokens.get('t2')!, 2),
    ]);
    expect(results.map((r) => r.lastMutationId)).toEqual([1, 1, 2]);
    expect(g.sizes).toEqual([1, 2, 1, 1]);
    expect(await countLabels(e.sdb)).toBe(3);
  });
});
