import { expect, it } from 'vitest';
import type { Mutation } from '../../../../shared/sync';
import { CalibrationDiscussion } from '../../../../shared/training/calibration';
import { CalibrationDoc } from '../../../../shared/training/docs';
import type { CalibrationItem } from '../../../../shared/training/key';
import { createPod } from '../../../../server/db/admin';
import { describeEachDb } from '../each-db';
import { HOUR, useServer, type ServerEnv, type Session } from '../helpers';
import { answerLabel, bankItem, pullAll, push, trainingDocs } from './helpers';

const DUE = '2026-01-07T09:00:00.000Z'; // two days after the test clock's start

/** item 1 keyed (prefers the `chosen-SECRET` response), item 2 without a key (the lead's answer counts) */
const items = (): CalibrationItem[] => [bankItem(1), { ...bankItem(2), key: null }];

const publish = (e: ServerEnv, s: Session, body: Record<string, unknown> = {}) =>
  e.call(s, 'POST', '/v1/training/calibration', {
    podId: 'pod-a',
    title: 'Week 2',
    dueAt: DUE,
    items: items(),
    ...body,
  });

const calibrationAnswer = (id: number, roundId: string, taskId: string, preferred: string): Mutation => ({
  id,
  type: 'training.answer',
  taskId,
  ref: { kind: 'calibration', roundId, taskId },
  label: answerLabel(taskId, preferred),
  attempt: 1,
});

/** the served id of the response the key of item 1 prefers (read as the server keeps it) */
async function keyedChoice(e: ServerEnv, roundId: string) {
  const row = await e.sdb.db
    .selectFrom('calibration_rounds')
    .select('items')
    .where('id', '=', roundId)
    .executeTakeFirstOrThrow();
  const served = JSON.parse(row.items) as CalibrationItem[];
  const key = served[0]!.key!;
  return key.kind === 'pairwise' ? key.preferred! : '';
}

async function roundOf(e: ServerEnv, s: Session, roundId: string) {
  const docs = trainingDocs((await pullAll(e, s)).changes).filter(
    (d) => d.kind === 'calibration' && d.id === roundId,
  );
  return docs.length ? CalibrationDoc.parse(docs[docs.length - 1]) : null;
}

const flip = (id: string) => (id === 'r1' ? 'r2' : 'r1');

describeEachDb('calibration rounds', (dialect) => {
  const env = useServer(dialect);

  it('publishes to the pod: members and lead get the tasks, blind (no key, no model, no meta)', async () => {
    const e = env();
    const lena = await e.login('lead');
    const res = await publish(e, lena);
    expect(res.status).toBe(200);
    const round = CalibrationDoc.parse(res.json.round);
    expect(round).toMatchObject({ podId: 'pod-a', title: 'Week 2', dueAt: DUE, state: 'open', reveal: null });
    expect(round.items.map((t) => t.id)).toEqual([`${round.id}.1`, `${round.id}.2`]);
    const stored = await e.sdb.db.selectFrom('calibration_rounds').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(stored.members).sort()).toEqual([e.userIds.trainee, e.userIds.reviewer].sort());
    for (const who of ['trainee', 'reviewer', 'lead'] as const) {
      const { text } = await pullAll(e, await e.login(who));
      expect(text).toContain(round.id);
      expect(text).not.toContain('SECRET');
    }
    // another pod's reviewer gets nothing
    expect((await pullAll(e, await e.login('reviewer2'))).text).not.toContain(round.id);
  });

  it('refuses bad rounds and other pods', async () => {
    const e = env();
    const lena = await e.login('lead');
    expect((await publish(e, lena, { podId: 'pod-b' })).json.error).toEqual({
      code: 'forbidden',
      message: 'this endpoint is limited to your own pod',
    });
    expect((await e.call(await e.login('reviewer'), 'POST', '/v1/training/calibration', {})).status).toBe(
      403,
    );
    const past = await publish(e, lena, { dueAt: '2026-01-05T08:00:00.000Z' });
    expect([past.status, past.json.error.message]).toEqual([
      400,
      'the due date 2026-01-05T08:00:00.000Z has passed',
    ]);
    const badKey = await publish(e, lena, {
      items: [{ ...bankItem(1), key: { ...bankItem(1).key, preferred: 'nope' } }],
    });
    expect(badKey.status).toBe(400);
    expect(badKey.json.error.issues[0].path).toBe('items.0.key.preferred');
    const twice = await publish(e, lena, { items: [bankItem(1), bankItem(1)] });
    expect(twice.json.error.issues[0]).toEqual({
      path: 'items.1.task.id',
      message: 'duplicate task id "bank-1"',
    });
    await createPod(e.sdb.db, { id: 'pod-empty' });
    const empty = await publish(e, await e.login('admin'), { podId: 'pod-empty' });
    expect(empty.json.error.message).toBe('pod "pod-empty" has no trainees or reviewers');
    expect(await e.sdb.db.selectFrom('calibration_rounds').selectAll().execute()).toEqual([]);
  });

  it("reveals once every member answered everything: the pod's answers, the reference, agreement", async () => {
    const e = env();
    const [tina, rita, lena, rob] = [
      await e.login('trainee'),
      await e.login('reviewer'),
      await e.login('lead'),
      await e.login('reviewer2'),
    ];
    const round = (await publish(e, lena)).json.round as CalibrationDoc;
    const [t1, t2] = round.items.map((t) => t.id) as [string, string];
    const keyed = await keyedChoice(e, round.id);
    // tina: item 1 as the key, item 2 r1; the lead answers item 2 (r2): the reference without a key
    await push(e, tina, [
      calibrationAnswer(1, round.id, t1, keyed),
      calibrationAnswer(2, round.id, t2, 'r1'),
    ]);
    await push(e, lena, [calibrationAnswer(1, round.id, t2, 'r2')]);
    // not a member, and an unknown round: the same refusal
    const refused = await push(e, rob, [
      calibrationAnswer(1, round.id, t1, 'r1'),
      calibrationAnswer(2, 'no-such-round', 'no-such-round.1', 'r1'),
    ]);
    expect(refused.outcomes.map((o) => [o.reason, o.message])).toEqual([
      ['forbidden', 'no such calibration round of yours'],
      ['forbidden', 'no such calibration round of yours'],
    ]);
    // one answer per item
    const again = await push(e, tina, [calibrationAnswer(3, round.id, t1, flip(keyed))]);
    expect(again.outcomes[0]).toMatchObject({
      reason: 'closed',
      message: 'answers are locked once submitted',
    });
    await push(e, rita, [calibrationAnswer(1, round.id, t1, keyed)]);
    expect((await roundOf(e, tina, round.id))!.state).toBe('open');
    // the discussion waits for the reveal
    expect((await e.call(lena, 'GET', `/v1/training/calibration/${round.id}/discussion`)).status).toBe(409);

    // rita's last answer (item 2: r2) completes the round: revealed in that push
    await push(e, rita, [calibrationAnswer(2, round.id, t2, 'r2')]);
    const seen = (await roundOf(e, tina, round.id))!;
    expect(seen.state).toBe('revealed');
    const reveal = seen.reveal!;
    expect([reveal.members, reveal.submitted]).toEqual([2, 2]);
    const other = flip(keyed);
    expect(reveal.items[0]).toMatchObject({
      taskId: t1,
      distribution: [{ answer: `${keyed} > ${other} (better)`, count: 2, mine: true }],
      answers: 2,
      referenceSource: 'key',
      reference: `${keyed} > ${other} (significantly or better or slightly)`,
      explanation: 'Explanation-SECRET-1: the careful answer checks its facts.',
      agreement: 1,
      disagreement: 0,
    });
    expect(reveal.items[0]!.feedback!.correct).toBe(true);
    expect(reveal.items[1]).toMatchObject({
      taskId: t2,
      distribution: [
        { answer: 'r1 > r2 (better)', count: 1, mine: true },
        { answer: 'r2 > r1 (better)', count: 1, mine: false },
      ],
      referenceSource: 'lead',
      reference: 'r2 > r1 (better)',
      feedback: null,
      explanation: null,
      agreement: 0,
      disagreement: 0.5,
    });
    expect(reveal.agreement).toBe(0.5);
    // after the reveal: closed
    const late = await push(e, rita, [calibrationAnswer(3, round.id, t1, other)]);
    expect(late.outcomes[0]).toMatchObject({ reason: 'closed' });

    // the lead's discussion: most disputed first
    const discussion = await e.call(lena, 'GET', `/v1/training/calibration/${round.id}/discussion`);
    expect(discussion.status).toBe(200);
    const d = CalibrationDiscussion.parse(discussion.json);
    expect(d.items.map((i) => [i.task.id, i.disagreement])).toEqual([
      [t2, 0.5],
      [t1, 0],
    ]);
    expect((await e.call(rita, 'GET', `/v1/training/calibration/${round.id}/discussion`)).status).toBe(403);
    // no lead of pod-b may read pod-a's round: it answers as unknown
    await e.sdb.db.updateTable('users').set({ pod_id: 'pod-b' }).where('id', '=', e.userIds.lead).execute();
    expect((await e.call(lena, 'GET', `/v1/training/calibration/${round.id}/discussion`)).status).toBe(404);
  });

  it('reveals at the first contact after the due date, whoever has answered', async () => {
    const e = env();
    const [tina, rita, lena] = [await e.login('trainee'), await e.login('reviewer'), await e.login('lead')];
    const round = (await publish(e, lena)).json.round as CalibrationDoc;
    const keyed = await keyedChoice(e, round.id);
    await push(e, tina, [calibrationAnswer(1, round.id, round.items[0]!.id, keyed)]);
    e.clock.advance(47 * HOUR);
    expect((await roundOf(e, rita, round.id))!.state).toBe('open');
    e.clock.advance(HOUR);
    // rita's pull is the first contact after the due date
    const seen = (await roundOf(e, rita, round.id))!;
    expect(seen.state).toBe('revealed');
    expect([seen.reveal!.members, seen.reveal!.submitted]).toEqual([2, 0]);
    expect(seen.reveal!.items[0]).toMatchObject({ answers: 1, agreement: null, feedback: null });
    const tinas = (await roundOf(e, tina, round.id))!;
    expect(tinas.reveal!.items[0]!.feedback!.correct).toBe(true);
    const late = await push(e, rita, [calibrationAnswer(1, round.id, round.items[0]!.id, keyed)]);
    expect(late.outcomes[0]).toMatchObject({
      reason: 'closed',
      message: 'the round was revealed before this answer arrived',
    });
  });
});
