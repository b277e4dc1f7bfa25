import { expect, it } from 'vitest';
import type { Label } from '../../../../shared/label';
import type { Mutation } from '../../../../shared/sync';
import { ShadowSetDoc, type ShadowProjectDoc } from '../../../../shared/training/docs';
import { createProject, importTasks } from '../../../../server/db/admin';
import { exportProject } from '../../../../server/export/export';
import { grantCertificate, revokeCertificates } from '../../../../server/training/admin';
import { closeShadowing, openShadowing } from '../../../../server/training/shadow';
import { describeEachDb } from '../each-db';
import {
  leaseAndPull,
  makeLabel,
  makeTask,
  submit,
  useServer,
  type ServerEnv,
  type Session,
} from '../helpers';
import { addExam, pullAll, push, trainingDocs } from './helpers';

const RATIONALE = 'RATIONALE-SENTINEL: B invents a source';

const startPath = (projectId: string) => `/v1/training/shadow/${projectId}`;

async function open(e: ServerEnv, projectId = 'prod', setSize = 3) {
  return e.sdb.db.transaction().execute((trx) => openShadowing(trx, projectId, setSize, e.clock.read()));
}

/** `who` leases in `projectId` and labels the first `n` tasks it got, preferring `a` with a rationale. */
async function labelTasks(e: ServerEnv, s: Session, n: number, projectId = 'prod', startId = 1) {
  const { tokens } = await leaseAndPull(e, s, projectId);
  const taken = [...tokens].slice(0, n);
  const mutations = taken.map(([taskId, token], i) =>
    submit(
      startId + i,
      makeLabel(taskId, {
        rationale: { templateId: 'default', fields: { decisive: `${RATIONALE} (${taskId})` } },
      }),
      token,
    ),
  );
  const res = await push(e, s, mutations);
  expect(res.outcomes.every((o) => o.status === 'accepted')).toBe(true);
  return taken.map(([taskId]) => taskId);
}

async function startSet(e: ServerEnv, s: Session, projectId = 'prod') {
  const res = await e.call(s, 'POST', startPath(projectId), {});
  if (res.status !== 200) throw new Error(`start: ${res.status} ${JSON.stringify(res.json)}`);
  return ShadowSetDoc.parse(res.json.set);
}

const shadowAnswer = (id: number, setId: string, label: Label): Mutation => ({
  id,
  type: 'training.answer',
  taskId: label.taskId,
  ref: { kind: 'shadow', setId, taskId: label.taskId },
  label,
  attempt: 1,
});

/** A trainee's answer: `a` (as the reviewers) or `b`, no tags, a rationale. */
const answer = (taskId: string, preferred: 'a' | 'b') =>
  makeLabel(taskId, {
    pairwise: { preferredResponseId: preferred, choice: preferred === 'a' ? 'A' : 'B', strength: 'better' },
    tags: [],
  });

async function latestSet(e: ServerEnv, s: Session, setId: string) {
  const docs = trainingDocs((await pullAll(e, s)).changes).filter(
    (d) => d.kind === 'shadow' && d.id === setId,
  );
  return ShadowSetDoc.parse(docs[docs.length - 1]);
}

describeEachDb('shadowing', (dialect) => {
  const env = useServer(dialect);

  it('serves a trainee tasks certified reviewers labeled, without their labels or meta', async () => {
    const e = env();
    const tina = await e.login('trainee');
    // not open yet: the same answer as an unknown project
    const closed = await e.call(tina, 'POST', startPath('prod'), {});
    expect([closed.status, closed.json.error.message]).toEqual([404, 'no project "prod" open for shadowing']);
    expect((await e.call(tina, 'POST', startPath('nope'), {})).json.error.message).toBe(
      'no project "nope" open for shadowing',
    );
    const labeled = await labelTasks(e, await e.login('reviewer'), 4);
    const doc: ShadowProjectDoc = await open(e);
    expect(doc).toEqual({ kind: 'shadow-project', id: 'prod', name: 'prod', setSize: 3, open: true });
    // everyone hears of it (the Training area shows it to trainees)
    expect((await pullAll(e, tina)).text).toContain('"shadow-project"');

    const set = await startSet(e, tina);
    expect(set.items).toHaveLength(3);
    expect(set.results).toEqual([]);
    for (const task of set.items) {
      expect(labeled).toContain(task.id);
      expect(task.meta).toBeUndefined();
    }
    const { text } = await pullAll(e, tina);
    expect(text).toContain(set.id);
    expect(text).not.toContain('RATIONALE-SENTINEL');
    expect(text).not.toContain('"secret"');
    // an unfinished set comes back as it is (another device, a second click)
    expect((await startSet(e, tina)).id).toBe(set.id);
    // reviewers and leads do not shadow
    expect((await e.call(await e.login('reviewer'), 'POST', startPath('prod'), {})).status).toBe(403);
  });

  it("sets each answer beside the reviewer's label once it arrives; answers lock; no one else's set", async () => {
    const e = env();
    await labelTasks(e, await e.login('reviewer'), 2);
    await open(e, 'prod', 2);
    const tina = await e.login('trainee');
    const set = await startSet(e, tina);
    const [t1, t2] = set.items.map((t) => t.id) as [string, string];
    const first = await push(e, tina, [shadowAnswer(1, set.id, answer(t1, 'a'))]);
    expect(first.outcomes[0]!.status).toBe('accepted');
    let doc = await latestSet(e, tina, set.id);
    expect(doc.results.map((r) => r.taskId)).toEqual([t1]);
    const agree = doc.results[0]!.feedback;
    // rita preferred a (strength better) and tagged b hallucination/major; tina tagged nothing
    expect(agree.judgement).toMatchObject({ kind: 'pairwise', correct: true, expected: { preferred: 'a' } });
    expect(agree.tags.checks).toEqual([
      expect.objectContaining({ responseId: 'b', tagId: 'hallucination', minSeverity: 'major', met: false }),
    ]);
    expect(agree.score).toBeCloseTo(0.7);
    expect(agree.explanation).toBe(`**What decided the judgement:** ${RATIONALE} (${t1})`);

    const second = await push(e, tina, [
      shadowAnswer(2, set.id, answer(t2, 'b')),
      shadowAnswer(3, set.id, answer(t1, 'b')),
      shadowAnswer(4, set.id, answer('t999', 'a')),
    ]);
    expect(second.outcomes.map((o) => [o.status, o.reason])).toEqual([
      ['accepted', null],
      ['rejected', 'closed'],
      ['rejected', 'invalid'],
    ]);
    doc = await latestSet(e, tina, set.id);
    expect(doc.results.find((r) => r.taskId === t2)!.feedback).toMatchObject({ score: 0, correct: false });
    // the server's score is stored beside the answer, never in a label table
    const rows = await e.sdb.db.selectFrom('shadow_answers').selectAll().orderBy('received_at').execute();
    expect(rows.map((r) => [r.task_id, r.score, r.user_id])).toEqual([
      [t1, 0.7, e.userIds.trainee],
      [t2, 0, e.userIds.trainee],
    ]);
    // someone else's set: the same words as a set that does not exist
    const rob = await e.login('reviewer2');
    const theirs = await push(e, rob, [shadowAnswer(1, set.id, answer(t1, 'a'))]);
    expect(theirs.outcomes[0]).toMatchObject({
      status: 'rejected',
      reason: 'forbidden',
      message: 'no such shadowing set of yours',
    });
    const none = await push(e, rob, [shadowAnswer(2, 'no-such-set', answer(t1, 'a'))]);
    expect(none.outcomes[0]!.message).toBe('no such shadowing set of yours');
  });

  it('never exports shadowing answers', async () => {
    const e = env();
    await labelTasks(e, await e.login('reviewer'), 2);
    await open(e, 'prod', 2);
    const tina = await e.login('trainee');
    const set = await startSet(e, tina);
    const mine = set.items.map((t) => answer(t.id, 'b'));
    await push(
      e,
      tina,
      mine.map((label, i) => shadowAnswer(i + 1, set.id, label)),
    );
    for (const format of ['raw', 'trl', 'openai'] as const) {
      let out = '';
      const counts = await exportProject(
        e.sdb.db,
        'prod',
        { format, messages: false, margin: false },
        async (chunk) => {
          out += Buffer.from(chunk).toString('utf8');
        },
      );
      expect(counts.labels).toBe(2);
      for (const label of mine) expect(out).not.toContain(label.id);
      expect(out).not.toContain(e.userIds.trainee);
    }
  });

  it('draws only labels by someone certified when they labeled, never the same task twice', async () => {
    const e = env();
    await addExam(e);
    await createProject(e.sdb.db, { id: 'helpful', batchSize: 3, requiresCerts: ['helpfulness'] });
    await importTasks(
      e.sdb.db,
      'helpful',
      [1, 2, 3, 4, 5, 6].map((n) => makeTask(`h${n}`)),
    );
    // an admin needs no certificate to label, so holds none: not a certified reviewer's label
    // (leases 3, labels 2; rita leases the other 3)
    const byAdmin = await labelTasks(e, await e.login('admin'), 2, 'helpful');
    await grantCertificate(e.sdb.db, e.userIds.reviewer, 'helpfulness', e.clock.read());
    e.clock.advance(60_000);
    const byRita = await labelTasks(e, await e.login('reviewer'), 3, 'helpful');
    // revoked later: her labels from when it held still count
    e.clock.advance(60_000);
    await revokeCertificates(e.sdb.db, e.userIds.reviewer, 'helpfulness', e.clock.read());
    await open(e, 'helpful', 2);
    const tina = await e.login('trainee');
    const first = await startSet(e, tina, 'helpful');
    expect(first.items.every((t) => byRita.includes(t.id))).toBe(true);
    expect(first.items.some((t) => byAdmin.includes(t.id))).toBe(false);
    await push(
      e,
      tina,
      first.items.map((t, i) => shadowAnswer(i + 1, first.id, answer(t.id, 'a'))),
    );
    const second = await startSet(e, tina, 'helpful');
    expect(second.id).not.toBe(first.id);
    expect(second.items.map((t) => t.id)).toEqual(
      byRita.filter((id) => !first.items.some((t) => t.id === id)),
    );
    await push(
      e,
      tina,
      second.items.map((t, i) => shadowAnswer(3 + i, second.id, answer(t.id, 'a'))),
    );
    const done = await e.call(tina, 'POST', startPath('helpful'), {});
    expect([done.status, done.json.error.code]).toEqual([409, 'nothing-to-shadow']);
  });

  it('closing stops new sets; a set already drawn can be finished', async () => {
    const e = env();
    await labelTasks(e, await e.login('reviewer'), 2);
    await open(e, 'prod', 2);
    const tina = await e.login('trainee');
    const set = await startSet(e, tina);
    const closed = await e.sdb.db.transaction().execute((trx) => closeShadowing(trx, 'prod', e.clock.read()));
    expect(closed.open).toBe(false);
    expect((await e.call(tina, 'POST', startPath('prod'), {})).status).toBe(404);
    const res = await push(
      e,
      tina,
      set.items.map((t, i) => shadowAnswer(i + 1, set.id, answer(t.id, 'a'))),
    );
    expect(res.outcomes.every((o) => o.status === 'accepted')).toBe(true);
    expect((await latestSet(e, tina, set.id)).results).toHaveLength(2);
  });
});
