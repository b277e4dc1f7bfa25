import { expect, it } from 'vitest';
import { PullResponse } from '../../../shared/sync';
import { publishConfig } from '../../../server/db/admin';
import { rotateEpoch } from '../../../server/db/connect';
import { describeEachDb } from './each-db';
import { makeLabel, submit, useServer, type Session } from './helpers';

describeEachDb('pull: cursor, pages, epoch', (dialect) => {
  const env = useServer(dialect, {}, { batchSize: 12 });

  const pull = async (s: Session, cursor: string | null, epoch: string | null, limit = 500) => {
    const res = await env().call(s, 'POST', '/v1/sync/pull', { deviceId: s.deviceId, cursor, epoch, limit });
    expect(res.status).toBe(200);
    return PullResponse.parse(res.json);
  };

  it('pages through changes with cursor and hasMore, then stays put', async () => {
    const s = await env().login('reviewer');
    await env().call(s, 'POST', '/v1/sync/lease', { projectId: 'prod' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let epoch: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await pull(s, cursor, epoch, 5);
      pages += 1;
      expect(page.reset).toBe(false);
      for (const c of page.changes) if (c.type === 'assignment') seen.push(c.task.id);
      cursor = page.cursor;
      epoch = page.epoch;
      if (!page.hasMore) break;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `t${i + 1}`));
    const empty = await pull(s, cursor, epoch);
    expect(empty).toMatchObject({ changes: [], hasMore: false, cursor });
  });

  it('sends each user only their own changes plus broadcasts', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'prod' });
    await publishConfig(e.sdb.db, {
      kind: 'guideline',
      doc: { id: 'g', title: 'Guide', version: '3', markdown: '# Be fair', examples: [] },
    });
    const rob = await e.login('reviewer2');
    const robPull = await pull(rob, null, null);
    expect(robPull.changes.map((c) => c.type)).toEqual(['guideline']);
    const ritaPull = await pull(rita, null, null);
    expect(ritaPull.changes.filter((c) => c.type === 'assignment')).toHaveLength(12);
    expect(ritaPull.changes.at(-1)).toMatchObject({ type: 'guideline', guideline: { version: '3' } });
  });

  it('reports the device lastMutationId', async () => {
    const s = await env().login('reviewer');
    await env().call(s, 'POST', '/v1/sync/lease', { projectId: 'prod' });
    const first = await pull(s, null, null);
    const token = first.changes.find((c) => c.type === 'assignment' && c.task.id === 't1');
    await env().call(s, 'POST', '/v1/sync/push', {
      deviceId: s.deviceId,
      mutations: [submit(1, makeLabel('t1'), token && 'leaseToken' in token ? token.leaseToken : 0)],
    });
    expect((await pull(s, first.cursor, first.epoch)).lastMutationId).toBe(1);
  });

  it('forces a reset from the start when the server epoch changed', async () => {
    const s = await env().login('reviewer');
    await env().call(s, 'POST', '/v1/sync/lease', { projectId: 'prod' });
    const first = await pull(s, null, null);
    const newEpoch = await rotateEpoch(env().sdb.db);
    const after = await pull(s, first.cursor, first.epoch);
    expect(after.reset).toBe(true);
    expect(after.epoch).toBe(newEpoch);
    expect(after.changes.filter((c) => c.type === 'assignment')).toHaveLength(12);
    const health = await env().call(null, 'GET', '/v1/health');
    expect(health.json.epoch).toBe(newEpoch);
  });

  it('refuses a cursor it never issued with the field path', async () => {
    const s = await env().login('reviewer');
    const res = await env().call(s, 'POST', '/v1/sync/pull', {
      deviceId: s.deviceId,
      cursor: 'abc',
      epoch: null,
    });
    // with epoch null and a cursor, the client is treated as stale: reset, cursor ignored
    expect(res.json.reset).toBe(true);
    const epoch = (await env().call(null, 'GET', '/v1/health')).json.epoch;
    const bad = await env().call(s, 'POST', '/v1/sync/pull', { deviceId: s.deviceId, cursor: 'abc', epoch });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toBe('cursor');
  });
});
