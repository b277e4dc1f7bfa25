import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../server/app';
import { openDatabase } from '../../../server/db/connect';
import { GOLD_PATHS } from '../../../shared/gold';
import { SYNC_PATHS, TRAINING_PATHS } from '../../../shared/sync';
import { testDeviceSecret } from '../../fixtures/push';
// @ts-expect-error plain ESM script without types
import { DEMO_USERS, seedDemoServer } from '../../../scripts/demo-server.mjs';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'rw-demo-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type DemoUser = { username: string; password: string; role: string };
const user = (role: string) => (DEMO_USERS as DemoUser[]).find((u) => u.role === role)!;

/**
 * `npm run demo` seeds its server through the operator CLI (the same script here): a newcomer
 * signs in as the trainee and finds the course and the exam, while the production project, which
 * requires the certificate, refuses them until they pass; the pod's reviewer was certified before.
 */
describe('the demo server', () => {
  it('offers the trainee a course and an exam, and gates production work behind the certificate', async () => {
    const file = seedDemoServer(root, dir) as string;
    const sdb = await openDatabase(file);
    const app = await buildServer({ db: sdb });
    try {
      const post = async (token: string | null, url: string, body: unknown) => {
        const res = await app.inject({
          method: 'POST',
          url,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          payload: body as object,
        });
        return { status: res.statusCode, json: JSON.parse(res.body) };
      };
      const login = async (u: DemoUser) => {
        const deviceId = `demo-device-${u.username}`;
        const res = await post(null, SYNC_PATHS.login, {
          username: u.username,
          password: u.password,
          deviceId,
          deviceSecret: testDeviceSecret(deviceId),
        });
        expect(res.status).toBe(200);
        return { token: res.json.token as string, deviceId };
      };

      const trainee = await login(user('trainee'));
      const pulled = await post(trainee.token, SYNC_PATHS.pull, {
        deviceId: trainee.deviceId,
        cursor: null,
        epoch: null,
      });
      const docs = (pulled.json.changes as { type: string; doc?: { kind: string; id: string } }[])
        .filter((c) => c.type === 'training')
        .map((c) => `${c.doc!.kind}:${c.doc!.id}`);
      expect(docs).toEqual(
        expect.arrayContaining(['course:qa-basics', 'exam:qa-ranking-cert', 'shadow-project:qa-feedback']),
      );
      // the trainee is in pod-1: the pod's calibration round is theirs to answer
      expect(docs.filter((d) => d.startsWith('calibration:'))).toHaveLength(1);

      const refused = await post(trainee.token, SYNC_PATHS.lease, {});
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe('certification-required');
      expect(refused.json.error.message).toContain('QA ranking certification');

      // the exam draws its 6 items, keyless, from the 12-item bank
      const started = await post(
        trainee.token,
        TRAINING_PATHS.startAttempt.replace(':examId', 'qa-ranking-cert'),
        {},
      );
      expect(started.status).toBe(200);
      expect(started.json.attempt.items).toHaveLength(6);
      expect(JSON.stringify(started.json)).not.toContain('"key"');

      const reviewer = await login(user('reviewer'));
      const leased = await post(reviewer.token, SYNC_PATHS.lease, {});
      expect(leased.status).toBe(200);
      expect(leased.json.leased).toBeGreaterThan(0);

      // the lead's first look: the reviewer's three escalations in the inbox, a QA sample drawn
      const lead = await login(user('lead'));
      const inbox = await app.inject({
        method: 'GET',
        url: '/v1/pods/pod-1/escalations',
        headers: { authorization: `Bearer ${lead.token}` },
      });
      expect(inbox.statusCode).toBe(200);
      const items = JSON.parse(inbox.body).items as { reviewer: { username: string }; note: string }[];
      expect(items.map((i) => i.reviewer.username)).toEqual(['reviewer', 'reviewer', 'reviewer']);
      expect(items[0]!.note).toMatch(/padding/);
      // silent gold: in the project, graded on push; the lead reads numbers only
      const goldKeys = await sdb.db.selectFrom('gold_keys').select('task_id').execute();
      expect(goldKeys).toHaveLength(6);
      const gold = await app.inject({
        method: 'GET',
        url: GOLD_PATHS.summary.replace(':podId', 'pod-1'),
        headers: { authorization: `Bearer ${lead.token}` },
      });
      expect(gold.statusCode).toBe(200);
      expect(gold.body).not.toContain('"key"');
      const samples = await sdb.db.selectFrom('qa_samples').select('label_id').execute();
      expect(samples.length).toBeGreaterThan(0);
      // signing in as lead finds that sample to re-rate: their workstation's sync leases production
      // work first, then the QA section's lease takes the sampled tasks (QA tasks the lead holds)
      expect((await post(lead.token, SYNC_PATHS.lease, {})).status).toBe(200);
      const qa = await post(lead.token, SYNC_PATHS.lease, { queue: 'qa' });
      expect(qa.status).toBe(200);
      expect(qa.json.leased).toBe(samples.length);
      expect(qa.json.qaTasks).toHaveLength(samples.length);
    } finally {
      await app.close();
      await sdb.close();
    }
  }, 120_000);
});
