import http from 'node:http';
import { EMPTY_HISTORY } from '../../../../shared/history';
import type { Change, Mutation, MutationOutcome, PullResponse, PushRequest } from '../../../../shared/sync';
import type { Task } from '../../../../shared/task';

/**
 * A scripted stand-in for the central server, for client rules only (status codes, backoff,
 * quarantine, atomic pull). Everything end-to-end runs against the real server instead.
 */
export interface FakeServer {
  url: string;
  /** every push body received, in order */
  pushes: PushRequest[];
  /** the ids the fake applied, in order: must be 1, 2, 3, … without gaps */
  applied: number[];
  changes: Change[];
  /** overrides: return a status (and body) instead of the normal answer */
  fail: Partial<Record<'push' | 'pull' | 'lease' | 'login', { status: number; body?: unknown } | null>>;
  /** a push holding a mutation for one of these tasks is refused as a whole with 400 */
  badTasks: Set<string>;
  /** mutations for these tasks are applied but rejected */
  rejectTasks: Map<string, MutationOutcome['reason']>;
  pullLimit: number;
  epoch: string;
  /** a restore from backup: a new epoch, and the device's progress rolled back to `last` */
  restore(last: number): void;
  close(): Promise<void>;
}

export const fakeTask = (id: string): Task => ({
  id,
  kind: 'ranking',
  prompt: `Prompt ${id}`,
  responses: [
    { id: 'a', text: 'A' },
    { id: 'b', text: 'B' },
  ],
});

export const assignment = (id: string, token = 1): Change => ({
  type: 'assignment',
  projectId: 'p1',
  task: fakeTask(id),
  leaseToken: token,
  leaseExpiresAt: '2999-01-01T00:00:00.000Z',
});

export async function startFakeServer(): Promise<FakeServer> {
  let last = 0;
  /** history digest after each applied id (what a real server keeps only for the last one) */
  const digests = new Map<number, string>([[0, EMPTY_HISTORY]]);
  const point = () => ({ id: last, digest: digests.get(last) ?? '' });
  const fake: FakeServer = {
    url: '',
    pushes: [],
    applied: [],
    changes: [],
    fail: {},
    badTasks: new Set(),
    rejectTasks: new Map(),
    pullLimit: 1000,
    epoch: 'e1',
    restore: (to) => {
      last = to;
      for (const id of [...digests.keys()]) if (id > to) digests.delete(id);
      fake.epoch = `${fake.epoch}+`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const error = (code: string, message: string, issues?: { path: string; message: string }[]) => ({
    error: { code, message, ...(issues ? { issues } : {}) },
  });

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const route = (req.url ?? '').replace('/v1/', '').replace('auth/', '').replace('sync/', '');
      // every push body is recorded, scripted answers included
      if (route === 'push' && req.headers.authorization === `Bearer ${'x'.repeat(40)}`)
        fake.pushes.push(body as unknown as PushRequest);
      const override = fake.fail[route as keyof FakeServer['fail']];
      if (override)
        return send(res, override.status, override.body ?? error('scripted', `scripted ${override.status}`));
      if (route === 'login') {
        return send(res, 200, {
          token: 'x'.repeat(40),
          expiresAt: '2999-01-01T00:00:00.000Z',
          user: { id: 'u1', username: body.username, displayName: 'Rita', role: 'reviewer', podId: null },
          serverEpoch: 'e1',
          deviceId: body.deviceId,
        });
      }
      if (req.headers.authorization !== `Bearer ${'x'.repeat(40)}`)
        return send(res, 401, error('unauthorized', 'no'));
      if (route === 'lease') return send(res, 200, { leased: 0, open: 0 });
      if (route === 'push') {
        const push = body as unknown as PushRequest;
        const bad = push.mutations.findIndex((m) => fake.badTasks.has(m.taskId));
        if (bad >= 0) {
          return send(
            res,
            400,
            error('invalid-request', 'invalid request body', [
              { path: `mutations.${bad}.label`, message: 'not acceptable' },
            ]),
          );
        }
        if (push.base.id > last)
          return send(res, 409, { error: { code: 'server-behind', message: 'restored', history: point() } });
        const all = push.digests;
        const fresh = push.mutations.filter((m: Mutation) => m.id > last);
        for (const [i, m] of fresh.entries()) {
          if (m.id !== last + 1 + i) return send(res, 400, error('mutation-gap', `gap at ${m.id}`));
        }
        push.mutations.forEach((m, i) => {
          if (m.id > last) digests.set(m.id, all[i]!);
        });
        const outcomes = fresh.map((m): MutationOutcome => {
          fake.applied.push(m.id);
          const reason = fake.rejectTasks.get(m.taskId);
          return reason
            ? { mutationId: m.id, status: 'rejected', reason, message: `refused: ${reason}`, flagged: null }
            : { mutationId: m.id, status: 'accepted', reason: null, message: null, flagged: null };
        });
        if (fresh.length) last = fresh[fresh.length - 1]!.id;
        return send(res, 200, { lastMutationId: last, outcomes });
      }
      if (route === 'pull') {
        const reset = body.epoch ? body.epoch !== fake.epoch : body.cursor !== null;
        const after = body.cursor && !reset ? Number(body.cursor) : 0;
        const page = fake.changes.slice(after, after + fake.pullLimit);
        const response: PullResponse = {
          epoch: fake.epoch,
          reset,
          cursor: String(after + page.length),
          hasMore: after + page.length < fake.changes.length,
          lastMutationId: last,
          history: point(),
          changes: page,
        };
        return send(res, 200, response);
      }
      send(res, 404, error('not-found', 'no route'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return fake;
}
