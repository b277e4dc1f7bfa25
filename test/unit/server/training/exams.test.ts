import { expect, it } from 'vitest';
import { AttemptDoc, CertificateDoc } from '../../../../shared/training/docs';
import { describeEachDb } from '../each-db';
import { HOUR, useServer } from '../helpers';
import {
  addExam,
  answerLabel,
  answers,
  examAnswer,
  latest,
  other,
  pullAll,
  push,
  servedKeys,
  start,
  startPath,
} from './helpers';

describeEachDb('exams: attempts, grading, certificates', (dialect) => {
  const env = useServer(dialect);

  it('serves the drawn items without keys, grades a pass on the last answer and issues a certificate', async () => {
    const e = env();
    await addExam(e);
    const tina = await e.login('trainee');
    const attempt = AttemptDoc.parse(await start(e, tina));
    expect(attempt).toMatchObject({ state: 'open', number: 1, deadline: null, result: null });
    expect(attempt.items.map((t) => t.id)).toEqual([1, 2, 3, 4].map((n) => `${attempt.id}.${n}`));
    for (const task of attempt.items) {
      expect(task.responses.map((r) => r.id)).toEqual(['r1', 'r2']);
      expect(task.meta).toBeUndefined();
      expect(task.responses.every((r) => r.model === undefined)).toBe(true);
    }
    // 3 of 4 right: 0.75 reaches the pass mark
    const muts = await answers(e, attempt, 3);
    const first = await push(e, tina, muts.slice(0, 3));
    expect(first.outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const open = await e.sdb.db.selectFrom('exam_attempts').selectAll().executeTakeFirstOrThrow();
    expect(open.state).toBe('open');
    await push(e, tina, muts.slice(3));

    const graded = await e.sdb.db.selectFrom('exam_attempts').selectAll().executeTakeFirstOrThrow();
    expect([graded.state, graded.score, graded.passed]).toEqual(['graded', 0.75, 1]);
    const { changes } = await pullAll(e, tina);
    const doc = AttemptDoc.parse(latest(changes).attempt(attempt.id));
    expect(doc.state).toBe('graded');
    expect(doc.result!.score).toBe(0.75);
    expect(doc.result!.passed).toBe(true);
    // per-item feedback in the served ids, with the explanation and the key's answer
    const keys = await servedKeys(e, attempt.id);
    const wrong = doc.result!.items[3]!;
    expect(wrong.feedback!.correct).toBe(false);
    expect(wrong.feedback!.judgement).toMatchObject({
      kind: 'pairwise',
      expected: { preferred: keys.get(attempt.items[3]!.id) },
    });
    expect(wrong.feedback!.explanation).toMatch(/^Explanation-SECRET-\d: /);
    expect(Object.keys(wrong.feedback!.responseNotes)).toEqual([
      keys.get(attempt.items[3]!.id) === 'r1' ? 'r2' : 'r1',
    ]);
    expect(wrong.answer!.reviewerId).toBe(e.userIds.trainee);
    const [cert] = latest(changes).certificates();
    expect(CertificateDoc.parse(cert)).toMatchObject({
      skill: 'helpfulness',
      examId: 'helpful-exam',
      guidelineId: 'default',
      guidelineVersion: '1', // the bundled guideline's version: none was published
      issuedAt: '2026-01-05T09:00:00.000Z',
      expiresAt: '2026-07-04T09:00:00.000Z',
      dueAt: null,
      revokedAt: null,
    });
    expect(doc.result!.certificateId).toBe(cert!.id);
    // a trainee stays a trainee unless the exam promotes
    const role = await e.sdb.db
      .selectFrom('users')
      .select('role')
      .where('id', '=', e.userIds.trainee)
      .executeTakeFirstOrThrow();
    expect(role.role).toBe('trainee');
  });

  it('fails below the pass mark: no certificate, the result still explains every item', async () => {
    const e = env();
    await addExam(e);
    const tina = await e.login('trainee');
    const attempt = await start(e, tina);
    await push(e, tina, await answers(e, attempt, 2));
    const { changes } = await pullAll(e, tina);
    const doc = latest(changes).attempt(attempt.id)!;
    expect(doc.result).toMatchObject({ score: 0.5, passed: false, certificateId: null });
    expect(doc.result!.items.map((i) => i.feedback!.correct)).toEqual([true, true, false, false]);
    expect(latest(changes).certificates()).toEqual([]);
    expect(await e.sdb.db.selectFrom('certificates').selectAll().execute()).toEqual([]);
  });

  it('counts attempts and enforces the cool-down and the maximum, in plain words', async () => {
    const e = env();
    await addExam(e, { max_attempts: 2, cooldown_hours: 24 });
    const tina = await e.login('trainee');
    const first = await start(e, tina);
    // an open attempt blocks a second one
    const again = await e.call(tina, 'POST', startPath('helpful-exam'), {});
    expect(again.status).toBe(409);
    expect(again.json.error).toEqual({
      code: 'exam-unavailable',
      message: 'Finish the attempt you have started first.',
    });
    await push(e, tina, await answers(e, first, 0));
    e.clock.advance(23 * HOUR);
    const cooling = await e.call(tina, 'POST', startPath('helpful-exam'), {});
    expect(cooling.status).toBe(409);
    expect(cooling.json.error.message).toBe('The next attempt can start at 2026-01-06T09:00:00.000Z.');
    e.clock.advance(HOUR);
    const second = await start(e, tina);
    expect(second.number).toBe(2);
    // a fresh draw, fresh ids
    expect(second.id).not.toBe(first.id);
    await push(e, tina, await answers(e, second, 1, 5));
    e.clock.advance(100 * HOUR);
    const none = await e.call(tina, 'POST', startPath('helpful-exam'), {});
    expect(none.status).toBe(409);
    expect(none.json.error.message).toBe('You have used all 2 attempts: ask your lead.');
    expect((await e.call(tina, 'POST', startPath('no-such-exam'), {})).status).toBe(404);
  });

  it('time limit: an answer received after the deadline and its 2-minute grace is kept, marked late and counts 0', async () => {
    const e = env();
    await addExam(e, { time_limit_min: 30, pass_mark: 0.5 });
    const tina = await e.login('trainee');
    const attempt = await start(e, tina);
    expect(attempt.deadline).toBe('2026-01-05T09:30:00.000Z');
    const muts = await answers(e, attempt, 4);
    await push(e, tina, muts.slice(0, 2));
    // within the grace: on time
    e.clock.advance(31 * 60_000);
    await push(e, tina, muts.slice(2, 3));
    e.clock.advance(2 * 60_000);
    const late = await push(e, tina, muts.slice(3));
    expect(late.outcomes[0]!.status).toBe('accepted');
    const stored = await e.sdb.db
      .selectFrom('exam_answers')
      .select(['task_id', 'late', 'score'])
      .orderBy('received_at')
      .execute();
    expect(stored.map((a) => [a.late, a.score])).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    const doc = latest((await pullAll(e, tina)).changes).attempt(attempt.id)!;
    expect(doc.result!.score).toBe(0.75);
    expect(doc.result!.items.map((i) => i.late)).toEqual([false, false, false, true]);
    // a late item still gets its feedback (what the key was), it just scores nothing
    expect(doc.result!.items[3]!.feedback!.correct).toBe(true);
  });

  it('an attempt whose time ran out unanswered is graded at the next contact; later answers are closed', async () => {
    const e = env();
    await addExam(e, { time_limit_min: 10 });
    const tina = await e.login('trainee');
    const attempt = await start(e, tina);
    const muts = await answers(e, attempt, 4);
    await push(e, tina, muts.slice(0, 1));
    e.clock.advance(11 * 60_000);
    // still within the grace: a pull settles nothing
    await pullAll(e, tina);
    expect((await e.sdb.db.selectFrom('exam_attempts').select('state').executeTakeFirstOrThrow()).state).toBe(
      'open',
    );
    e.clock.advance(2 * 60_000);
    const { changes } = await pullAll(e, tina);
    const doc = latest(changes).attempt(attempt.id)!;
    expect(doc.state).toBe('graded');
    expect(doc.result!.score).toBe(0.25);
    expect(doc.result!.items.map((i) => i.answered)).toEqual([true, false, false, false]);
    // unanswered items still show the key's answer and explanation
    expect(doc.result!.items[1]!.feedback!.explanation).toMatch(/^Explanation-SECRET/);
    const closed = await push(e, tina, muts.slice(1, 2));
    expect(closed.outcomes[0]).toMatchObject({ status: 'rejected', reason: 'closed' });
    // the lease and a new start settle too (here: nothing left to settle, one graded attempt)
    expect(await e.sdb.db.selectFrom('exam_attempts').select('state').execute()).toEqual([
      { state: 'graded' },
    ]);
  });

  it('the lease call settles an expired attempt too, and a new start after the cool-down', async () => {
    const e = env();
    await addExam(e, { time_limit_min: 10, cooldown_hours: 1 });
    const tina = await e.login('trainee');
    await start(e, tina);
    e.clock.advance(13 * 60_000);
    await e.call(tina, 'POST', '/v1/sync/lease', {});
    const graded = await e.sdb.db
      .selectFrom('exam_attempts')
      .select(['state', 'graded_at'])
      .executeTakeFirstOrThrow();
    expect(graded).toEqual({ state: 'graded', graded_at: '2026-01-05T09:13:00.000Z' });
    // the cool-down runs from the grading
    e.clock.advance(HOUR);
    expect((await start(e, tina)).number).toBe(2);
  });

  it('locks answers once submitted, takes each exactly once, and refuses bad answers naming the field', async () => {
    const e = env();
    await addExam(e);
    const tina = await e.login('trainee');
    const attempt = await start(e, tina);
    const keys = await servedKeys(e, attempt.id);
    const t1 = attempt.items[0]!.id;
    const right = examAnswer(1, attempt.id, answerLabel(t1, keys.get(t1)!));
    const body = { deviceId: tina.deviceId, mutations: [right] };
    expect((await e.call(tina, 'POST', '/v1/sync/push', body)).json.outcomes[0].status).toBe('accepted');
    // the same push again (a lost answer): a no-op, nothing stored twice
    const retry = await e.call(tina, 'POST', '/v1/sync/push', body);
    expect(retry.json).toEqual({ lastMutationId: 1, outcomes: [] });
    // another answer to the same item: locked
    const change = await push(e, tina, [examAnswer(2, attempt.id, answerLabel(t1, other(keys.get(t1)!)))]);
    expect(change.outcomes[0]).toMatchObject({
      status: 'rejected',
      reason: 'closed',
      message: 'answers are locked once submitted',
    });
    // ids that disagree, a task not in the attempt, a label that does not fit the task
    const t2 = attempt.items[1]!.id;
    const bad = await push(e, tina, [
      { ...examAnswer(3, attempt.id, answerLabel(t2, 'r1')), taskId: attempt.items[2]!.id },
      examAnswer(4, attempt.id, answerLabel(`${attempt.id}.99`, 'r1')),
      examAnswer(5, attempt.id, answerLabel(t2, 'r9')),
    ]);
    expect(bad.outcomes.map((o) => [o.reason, o.message!.split(':')[0]])).toEqual([
      ['invalid', 'ref.taskId'],
      ['invalid', 'ref.taskId'],
      ['invalid', 'label.pairwise.preferredResponseId'],
    ]);
    const stored = await e.sdb.db.selectFrom('exam_answers').selectAll().execute();
    expect(stored).toHaveLength(1);
    // the session's identity, not the client's
    expect(stored[0]).toMatchObject({
      user_id: e.userIds.trainee,
      device_id: tina.deviceId,
      late: 0,
      score: 1,
    });
  });

  it("refuses answers for an attempt that is not the caller's, with the words of an unknown one", async () => {
    const e = env();
    await addExam(e);
    const tina = await e.login('trainee');
    const attempt = await start(e, tina);
    const rita = await e.login('reviewer');
    const t1 = attempt.items[0]!.id;
    const theirs = await push(e, rita, [
      examAnswer(1, attempt.id, answerLabel(t1, 'r1')),
      examAnswer(2, 'no-such-attempt', answerLabel('no-such-attempt.1', 'r1')),
    ]);
    expect(theirs.outcomes.map((o) => [o.status, o.reason, o.message])).toEqual([
      ['rejected', 'forbidden', 'no such exam attempt of yours'],
      ['rejected', 'forbidden', 'no such exam attempt of yours'],
    ]);
    expect(await e.sdb.db.selectFrom('exam_answers').selectAll().execute()).toEqual([]);
    // and nothing of tina's attempt reached rita's feed
    expect((await pullAll(e, rita)).text).not.toContain(attempt.id);
  });

  it('grades once when two devices of the trainee answer the last items in one push group', async () => {
    const e = env();
    await addExam(e, { draw: 2 });
    const laptop = await e.login('trainee');
    const desktop = await e.login('trainee', 'device-tina-2');
    const attempt = await start(e, laptop);
    const [a, b] = await answers(e, attempt, 2);
    await Promise.all([push(e, laptop, [a!]), push(e, desktop, [{ ...b!, id: 1 }])]);
    const graded = await e.sdb.db.selectFrom('exam_attempts').selectAll().executeTakeFirstOrThrow();
    expect([graded.state, graded.score]).toEqual(['graded', 1]);
    expect(await e.sdb.db.selectFrom('certificates').selectAll().execute()).toHaveLength(1);
    const attemptChanges = (await pullAll(e, laptop)).changes.filter(
      (c) => c.type === 'training' && c.doc.kind === 'attempt' && c.doc.state === 'graded',
    );
    expect(attemptChanges).toHaveLength(1);
  });

  it('a certificate expires after its validity: a new cycle of attempts may start', async () => {
    const e = env();
    await addExam(e, { valid_days: 30, max_attempts: 1 });
    const tina = await e.login('trainee');
    const first = await start(e, tina);
    await push(e, tina, await answers(e, first, 4));
    const held = await e.call(tina, 'POST', startPath('helpful-exam'), {});
    expect(held.json.error.message).toBe('You already hold a valid helpfulness certificate.');
    e.clock.advance(30 * 24 * HOUR);
    // (sessions last 30 days too: signed in again)
    const renewal = await start(e, await e.login('trainee'));
    // attempts count afresh after the certificate: the one attempt of this cycle
    expect(renewal.number).toBe(1);
  });
});
