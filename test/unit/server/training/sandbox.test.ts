import { expect, it } from 'vitest';
import type { Mutation } from '../../../../shared/sync';
import type { CourseDoc } from '../../../../shared/training/docs';
import { importCourse } from '../../../../server/training/admin';
import { describeEachDb } from '../each-db';
import { makeLabel, useServer } from '../helpers';
import { bankItem, pullAll, push, trainingDocs } from './helpers';

/** a course of two bank-style items (keys prefer the `chosen-SECRET` response) */
const course = (): CourseDoc => ({
  kind: 'course',
  id: 'basics',
  title: 'Basics',
  version: 'from-the-file',
  description: '',
  modules: [
    { id: 'm1', title: 'First steps', lesson: 'Read the question.', items: [bankItem(1), bankItem(2)] },
  ],
});

const sandboxAnswer = (
  id: number,
  taskId: string,
  preferred: string,
  attempt = 1,
  courseId = 'basics',
): Mutation => ({
  id,
  type: 'training.answer',
  taskId,
  ref: { kind: 'sandbox', courseId, taskId },
  label: makeLabel(taskId, {
    presentedOrder: ['chosen-SECRET', 'rejected-SECRET'],
    pairwise: {
      preferredResponseId: preferred,
      choice: preferred.startsWith('chosen') ? 'A' : 'B',
      strength: 'better',
    },
    tags: [],
    activeMs: 0,
  }),
  attempt,
});

describeEachDb('sandbox answers and courses', (dialect) => {
  const env = useServer(dialect);

  it('broadcasts courses (a re-import is a new version) and re-scores sandbox answers on the server', async () => {
    const e = env();
    expect(await importCourse(e.sdb.db, course(), e.clock.read())).toBe('1');
    expect(await importCourse(e.sdb.db, course(), e.clock.read())).toBe('2');
    const tina = await e.login('trainee');
    const docs = trainingDocs((await pullAll(e, tina)).changes).filter((d) => d.kind === 'course');
    expect(docs.map((d) => d.kind === 'course' && d.version)).toEqual(['1', '2']);

    const outcomes = await push(e, tina, [
      sandboxAnswer(1, 'bank-1', 'rejected-SECRET'),
      sandboxAnswer(2, 'bank-1', 'chosen-SECRET', 2),
      sandboxAnswer(3, 'bank-9', 'chosen-SECRET'),
      sandboxAnswer(4, 'bank-1', 'chosen-SECRET', 1, 'no-course'),
    ]);
    expect(outcomes.outcomes.map((o) => [o.status, o.message])).toEqual([
      ['accepted', null],
      ['accepted', null],
      ['rejected', 'ref.taskId: course "basics" has no item "bank-9"'],
      ['rejected', 'ref.courseId: no course "no-course"'],
    ]);
    const rows = await e.sdb.db.selectFrom('sandbox_answers').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.task_id, r.attempt, r.score, r.correct, r.course_version, r.user_id])).toEqual([
      ['bank-1', 1, 0, 0, '2', e.userIds.trainee],
      ['bank-1', 2, 1, 1, '2', e.userIds.trainee],
    ]);
    // never a production label: not among the user's labels (nor, therefore, in any export)
    expect((await e.call(tina, 'GET', '/v1/labels/mine')).json.items).toEqual([]);
  });
});
