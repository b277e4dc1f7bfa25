import { expect, it } from 'vitest';
import { createProject, importTasks } from '../../../../server/db/admin';
import { describeEachDb } from '../each-db';
import { makeTask, useServer, type ServerEnv, type Session, type UserKey } from '../helpers';
import { addExam, answerLabel, examAnswer, servedKeys, startPath } from './helpers';

/** in every key explanation, response note, guideline section, bank response id, model name and meta */
const SENTINEL = 'Zq7SENTINELx9';

/**
 * Every endpoint a trainee or reviewer may call while an attempt is open, and the ones they may
 * not (their refusals are responses too). Bodies are collected raw, as the client receives them.
 */
async function callEverything(e: ServerEnv, s: Session, attemptId: string, other: string): Promise<string[]> {
  const bodies: string[] = [];
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await e.call(s, method, url, payload);
    bodies.push(JSON.stringify(res.json));
    return res;
  };
  const keys = await servedKeys(e, attemptId);
  const [t1, t2] = [...keys.keys()];
  const wrong = (id: string) => (keys.get(id) === 'r1' ? 'r2' : 'r1');
  await call('GET', '/v1/health');
  await call('GET', '/v1/auth/me');
  await call('POST', '/v1/sync/pull', { deviceId: s.deviceId, cursor: null, epoch: null, limit: 2000 });
  await call('POST', '/v1/sync/lease', {});
  await call('POST', '/v1/sync/lease', { projectId: 'prod' });
  await call('POST', '/v1/sync/lease', { projectId: 'keyed' });
  // an answer (wrong on purpose), the same item again, an invalid one, someone else's attempt
  const mutations = [
    examAnswer(1, attemptId, answerLabel(t1!, wrong(t1!))),
    examAnswer(2, attemptId, answerLabel(t1!, keys.get(t1!)!)),
    examAnswer(3, attemptId, answerLabel(t2!, 'chosen')),
    examAnswer(4, other, answerLabel(`${other}.1`, 'r1')),
  ];
  const pushed = await call('POST', '/v1/sync/push', { deviceId: s.deviceId, mutations });
  expect(pushed.json.outcomes.map((o: { status: string }) => o.status)).toEqual([
    'accepted',
    'rejected',
    'rejected',
    'rejected',
  ]);
  await call('POST', '/v1/sync/pull', { deviceId: s.deviceId, cursor: null, epoch: null, limit: 2000 });
  await call('POST', startPath('keyed-exam'), {});
  await call('POST', startPath('no-such-exam'), {});
  await call('POST', '/v1/training/calibration', {});
  await call('GET', `/v1/training/calibration/${attemptId}/discussion`);
  await call('POST', '/v1/training/shadow/prod', {});
  await call('POST', '/v1/training/shadow/keyed', {});
  await call('GET', '/v1/labels/mine');
  await call('GET', '/v1/pods/pod-a/labels');
  await call('GET', '/v1/admin/users');
  await call('POST', '/v1/admin/config', { kind: 'guideline', doc: {} });
  await call('POST', '/v1/auth/logout');
  return bodies;
}

describeEachDb('exam keys never leave the server before grading', (dialect) => {
  const env = useServer(dialect);

  for (const who of ['trainee', 'reviewer'] as const satisfies readonly UserKey[])
    it(`as a ${who}: no response of any endpoint holds a byte of a key, note, bank id, model or meta`, async () => {
      const e = env();
      await addExam(e, { id: 'keyed-exam', draw: 4 }, 6, SENTINEL);
      await createProject(e.sdb.db, { id: 'keyed', requiresCerts: ['helpfulness'] });
      await importTasks(e.sdb.db, 'keyed', [makeTask('k1')]);
      const s = await e.login(who);
      // someone else's open attempt too
      const otherUser = await e.login(who === 'trainee' ? 'reviewer' : 'trainee');
      const otherAttempt = await e.call(otherUser, 'POST', startPath('keyed-exam'), {});
      const started = await e.call(s, 'POST', startPath('keyed-exam'), {});
      expect(started.status).toBe(200);
      const attemptId = started.json.attempt.id as string;
      const bodies = [
        JSON.stringify(started.json),
        ...(await callEverything(e, s, attemptId, otherAttempt.json.attempt.id)),
      ];
      // the calls did reach the attempt: one answer stored, the attempt still open
      const stored = await e.sdb.db.selectFrom('exam_answers').selectAll().execute();
      expect(stored).toHaveLength(1);
      const state = await e.sdb.db
        .selectFrom('exam_attempts')
        .select('state')
        .where('id', '=', attemptId)
        .executeTakeFirstOrThrow();
      expect(state.state).toBe('open');
      // the sentinel is stored server-side (the test would prove nothing otherwise)...
      const bank = await e.sdb.db.selectFrom('exam_items').select('body').execute();
      expect(bank.every((b) => b.body.split(SENTINEL).length > 5)).toBe(true);
      expect(stored[0]!.feedback).toContain(SENTINEL);
      // ...and in no response
      for (const body of bodies) expect(body).not.toContain(SENTINEL);
    });
});
