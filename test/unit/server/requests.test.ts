import { expect, it } from 'vitest';
import { ServerError } from '../../../shared/sync';
import { publishConfig } from '../../../server/db/admin';
import { describeEachDb } from './each-db';
import { countLabels, leaseAndPull, makeLabel, submit, useServer } from './helpers';

describeEachDb('bad requests store nothing', (dialect) => {
  const env = useServer(dialect, { bodyLimit: 64 * 1024 });

  const stored = async () => ({
    labels: await countLabels(env().sdb),
    events: Number(
      (
        await env()
          .sdb.db.selectFrom('task_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });

  it('answers a malformed push with 400 and every field path', async () => {
    const s = await env().login('reviewer');
    const { tokens } = await leaseAndPull(env(), s);
    const label = makeLabel('t1');
    const bad = {
      deviceId: s.deviceId,
      mutations: [
        { ...submit(1, { ...label, revision: 0, pairwise: { choice: 'C' } } as never, tokens.get('t1')!) },
        { id: 'two', type: 'task.skip', taskId: 't2', leaseToken: 1, reason: 'bored', note: '' },
      ],
    };
    const res = await env().call(s, 'POST', '/v1/sync/push', bad);
    expect(res.status).toBe(400);
    const err = ServerError.parse(res.json).error;
    expect(err.code).toBe('invalid-request');
    const paths = err.issues!.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['mutations.0.label.revision', 'mutations.1.id', 'mutations.1.reason']),
    );
    expect(err.message).toMatch(/mutations\.0\./);
    expect(await stored()).toEqual({ labels: 0, events: 0 });
  });

  it('answers invalid JSON with 400 in the ServerError shape', async () => {
    const s = await env().login('reviewer');
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: { ...s.auth, 'content-type': 'application/json' },
      payload: '{"deviceId": ',
    });
    expect(res.statusCode).toBe(400);
    expect(ServerError.parse(res.json()).error.code).toBe('invalid-json');
  });

  it('answers an oversized push with 413 and stores nothing', async () => {
    const s = await env().login('reviewer');
    const { tokens } = await leaseAndPull(env(), s);
    const mutations = [1, 2, 3].map((i) => submit(i, makeLabel(`t${i}`, {}, 19_000), tokens.get(`t${i}`)!));
    mutations.push(...[4, 5].map((i) => submit(i, makeLabel(`t${i}`, {}, 19_000), tokens.get(`t${i}`)!)));
    const res = await env().call(s, 'POST', '/v1/sync/push', { deviceId: s.deviceId, mutations });
    expect(res.status).toBe(413);
    expect(ServerError.parse(res.json).error.code).toBe('payload-too-large');
    expect(await stored()).toEqual({ labels: 0, events: 0 });
  });

  it('answers an unauthenticated or forbidden push with 401/403 and stores nothing', async () => {
    const s = await env().login('reviewer');
    const { tokens } = await leaseAndPull(env(), s);
    const body = { deviceId: s.deviceId, mutations: [submit(1, makeLabel('t1'), tokens.get('t1')!)] };
    expect((await env().call(null, 'POST', '/v1/sync/push', body)).status).toBe(401);
    // another user's session may not push for this device
    const other = await env().login('reviewer2');
    const res = await env().call(other, 'POST', '/v1/sync/push', body);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('device-mismatch');
    expect(await stored()).toEqual({ labels: 0, events: 0 });
  });

  it('answers unknown routes with 404 in the ServerError shape', async () => {
    const res = await env().call(null, 'GET', '/v1/nope');
    expect(res.status).toBe(404);
    expect(ServerError.parse(res.json).error.code).toBe('not-found');
  });

  it('compresses large responses when asked to', async () => {
    const s = await env().login('reviewer');
    await publishConfig(env().sdb.db, {
      kind: 'guideline',
      doc: { id: 'g', title: 'Guide', version: '1', markdown: '# Rules\n'.repeat(2000), examples: [] },
    });
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/sync/pull',
      headers: { ...s.auth, 'accept-encoding': 'gzip' },
      payload: { deviceId: s.deviceId, cursor: null, epoch: null },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
  });
});
