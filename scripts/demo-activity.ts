// The demo's first morning: through the server's own API (in process, no network), the demo
// reviewer leases qa-feedback work, labels some tasks and escalates three edge cases with notes;
// then the operator turns on QA re-rating and draws a sample. A newcomer signing in as `lead`
// finds a working escalation inbox and a QA queue at once. Run by scripts/demo-server.mjs.
//   npx tsx scripts/demo-activity.ts --db FILE --password PASSWORD
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { buildServer } from '../server/app';
import { openDatabase } from '../server/db/connect';
import { EMPTY_HISTORY, historyDigests } from '../shared/history';
import type { Label } from '../shared/label';
import type { Change, Mutation } from '../shared/sync';
import { prng } from './prng';

const { values } = parseArgs({ options: { db: { type: 'string' }, password: { type: 'string' } } });
if (!values.db || !values.password) throw new Error('usage: demo-activity.ts --db FILE --password PASSWORD');

const LABELED = 12;
const ESCALATIONS: { reason: 'guideline-gap' | 'ambiguous-prompt' | 'all-responses-bad'; note: string }[] = [
  {
    reason: 'guideline-gap',
    note: 'Two answers are right but one adds trivia: does padding outrank a missing detail?',
  },
  {
    reason: 'ambiguous-prompt',
    note: 'The question can be read about the film or the book; the answers split on it.',
  },
  {
    reason: 'all-responses-bad',
    note: 'Every answer invents a date the passage does not give. Rank them, or skip?',
  },
];

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
const random = prng(2026);

const sdb = await openDatabase(values.db);
const app = await buildServer({ db: sdb });
try {
  const call = async (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return JSON.parse(res.body) as Record<string, unknown>;
  };
  const deviceId = `demo-seed-${randomUUID()}`;
  const login = await call('POST', '/v1/auth/login', null, {
    username: 'reviewer',
    password: values.password,
    deviceId,
    deviceSecret: randomBytes(24).toString('base64url'),
  });
  const token = login.token as string;
  const user = login.user as { id: string };
  await call('POST', '/v1/sync/lease', token, { projectId: 'qa-feedback' });
  const pulled = await call('POST', '/v1/sync/pull', token, {
    deviceId,
    cursor: null,
    epoch: null,
    limit: 2000,
  });
  const assignments = (pulled.changes as Change[]).filter(
    (c): c is Extract<Change, { type: 'assignment' }> => c.type === 'assignment',
  );
  const now = new Date().toISOString();
  const mutations: Mutation[] = [];
  for (const [i, a] of assignments.slice(0, LABELED + ESCALATIONS.length).entries()) {
    const ids = a.task.responses.map((r) => r.id);
    const order = [...ids].sort(() => random() - 0.5);
    const ranks = Object.fromEntries(order.map((id, rank) => [id, rank + 1]));
    const base = {
      id: i + 1,
      taskId: a.task.id,
      leaseToken: a.leaseToken,
      ...(a.leaseProof ? { leaseProof: a.leaseProof } : {}),
    };
    const escalation = ESCALATIONS[i - LABELED];
    if (escalation) {
      mutations.push({
        ...base,
        type: 'task.escalate',
        ...escalation,
        work: {
          ranks,
          rankingTouched: true,
          pairwise: { choice: null, strength: null },
          tags: [],
          rationale: {},
          activeMs: 95_000,
        },
      });
      continue;
    }
    const label: Label = {
      id: randomUUID(),
      taskId: a.task.id,
      kind: 'ranking',
      reviewerId: user.id,
      deviceId,
      ranks,
      pairwise: null,
      tags: [],
      rationale: {
        templateId: 'default',
        fields: { decisive: `The top answer stays with the passage on task ${a.task.id}.` },
      },
      presentedOrder: ids,
      orderSeed: 'demo',
      activeMs: 60_000 + Math.floor(random() * 90_000),
      guidelineVersion: null,
      taxonomyVersion: null,
      acknowledgedWarnings: [],
      revision: 1,
      createdAt: now,
      updatedAt: now,
    };
    mutations.push({ ...base, type: 'label.submit', label });
  }
  const digests = historyDigests(sha256, EMPTY_HISTORY, mutations);
  const pushed = await call('POST', '/v1/sync/push', token, {
    deviceId,
    base: { id: 0, digest: EMPTY_HISTORY },
    mutations,
    digests,
  });
  const refused = (pushed.outcomes as { status: string; message: string | null }[]).filter(
    (o) => o.status !== 'accepted',
  );
  if (refused.length) throw new Error(`demo activity refused: ${JSON.stringify(refused)}`);
  process.stdout.write(
    `demo activity: ${LABELED} labels and ${ESCALATIONS.length} escalations by reviewer\n`,
  );
} finally {
  await app.close();
  await sdb.close();
}
