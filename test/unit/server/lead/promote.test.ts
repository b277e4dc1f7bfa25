import { expect, it } from 'vitest';
import type { Change } from '../../../../shared/sync';
import type { CourseDoc } from '../../../../shared/training/docs';
import type { TrainingItem } from '../../../../shared/training/key';
import { importCourse } from '../../../../server/training/admin';
import { describeEachDb } from '../each-db';
import { makeLabel, useServer, type ServerEnv } from '../helpers';
import { addExam, bankItem } from '../training/helpers';
import { auditEntries, escalate, feed } from './helpers';

/** rita escalates, lena rules with a label preferring b: returns the escalation id and task id */
async function ruled(e: ServerEnv) {
  const rita = await e.login('reviewer');
  const { escalationId, taskId } = await escalate(e, rita);
  const lena = await e.login('lead');
  const label = makeLabel(taskId, {
    pairwise: { preferredResponseId: 'b', choice: 'B', strength: 'better' },
  });
  const res = await e.call(lena, 'POST', `/v1/escalations/${escalationId}/ruling`, {
    decision: 'label',
    label,
    explanation: 'B is right: A invents a citation.',
  });
  if (res.status !== 200) throw new Error(`ruling: ${JSON.stringify(res.json)}`);
  return { escalationId, taskId, lena, rita };
}
const promote = (id: string) => `/v1/escalations/${id}/promote`;

const course = (): CourseDoc => ({
  kind: 'course',
  id: 'basics',
  title: 'Basics',
  version: '1',
  description: '',
  modules: [{ id: 'm1', title: 'First', lesson: '', items: [bankItem(1)] }],
});

describeEachDb('promoting a ruled task', (dialect) => {
  const env = useServer(dialect);

  it('to a golden example: the guideline gets its next minor version, broadcast to everyone', async () => {
    const e = env();
    const { escalationId, taskId, lena, rita } = await ruled(e);
    const res = await e.call(lena, 'POST', promote(escalationId), {
      to: 'golden-example',
      targetId: 'default',
      title: 'Invented citations',
    });
    expect(res.status).toBe(200);
    // the bundled default guideline is version 1: a minor change makes it 1.1
    expect(res.json).toEqual({ to: 'golden-example', targetId: 'default', version: '1.1' });
    const guidelines = (await feed(e, rita)).filter(
      (c): c is Extract<Change, { type: 'guideline' }> => c.type === 'guideline',
    );
    expect(guidelines).toHaveLength(1);
    const doc = guidelines[0]!.guideline;
    expect(doc.version).toBe('1.1');
    const example = doc.examples.at(-1)!;
    expect(example.title).toBe('Invented citations');
    expect(example.markdown).toContain(`Prompt for ${taskId}`);
    expect(example.markdown).toContain('Preferred: b (better)');
    expect(example.markdown).toContain('B is right: A invents a citation.');
    // a second promotion builds on the published one
    const again = await e.call(lena, 'POST', promote(escalationId), {
      to: 'golden-example',
      targetId: 'default',
    });
    expect(again.json.version).toBe('1.2');
    // the same title twice is refused
    const dup = await e.call(lena, 'POST', promote(escalationId), {
      to: 'golden-example',
      targetId: 'default',
      title: 'Invented citations',
    });
    expect(dup.status).toBe(409);
    const entries = await auditEntries(e, await e.login('admin'), 'escalation.promote');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      actorRole: 'lead',
      targetType: 'golden-example',
      targetId: 'default',
    });
    expect(entries[0]!.before).toMatchObject({ version: '1' });
    expect(entries[0]!.after).toMatchObject({ version: '1.1', escalationId });
    // published through the one publish path: a config.publish entry of the lead's, before and after
    const publishes = await auditEntries(e, await e.login('admin'), 'config.publish');
    expect(publishes.map((p) => (p.after as { version: string }).version)).toEqual(['1.1', '1.2']);
    expect(publishes[0]).toMatchObject({ actorRole: 'lead', targetType: 'guideline', targetId: 'default' });
    // the first publish of the bundled guideline: nothing published before it
    expect(publishes[0]!.before).toBeNull();
    expect(publishes[1]!.before).toMatchObject({ version: '1.1' });
    expect(publishes[0]!.after).toMatchObject({
      version: '1.1',
      escalationId,
      example: 'Invented citations',
    });
  });

  it('to a course: an item with the ruling as its key, in a new course version', async () => {
    const e = env();
    await importCourse(e.sdb.db, course(), e.clock.read());
    const { escalationId, taskId, lena } = await ruled(e);
    const res = await e.call(lena, 'POST', promote(escalationId), { to: 'course', targetId: 'basics' });
    expect(res.status).toBe(200);
    expect(res.json.version).toBe('2');
    const row = await e.sdb.db
      .selectFrom('courses')
      .select('body')
      .where('id', '=', 'basics')
      .executeTakeFirstOrThrow();
    const doc = JSON.parse(row.body) as CourseDoc;
    const item = doc.modules[0]!.items.at(-1)!;
    expect(item.task.id).toBe(taskId);
    expect(item.task.meta).toBeUndefined(); // the task's gold/secret meta stays on the server
    expect(item.key).toMatchObject({
      kind: 'pairwise',
      preferred: 'b',
      explanation: 'B is right: A invents a citation.',
    });
    expect(item.key.tags).toEqual([
      { responseId: 'b', tagId: 'hallucination', expect: 'required', minSeverity: 'major' },
    ]);
    // the same task twice, an unknown module or course: refused, nothing changed
    expect(
      (await e.call(lena, 'POST', promote(escalationId), { to: 'course', targetId: 'basics' })).status,
    ).toBe(409);
    expect(
      (
        await e.call(lena, 'POST', promote(escalationId), {
          to: 'course',
          targetId: 'basics',
          moduleId: 'm9',
        })
      ).status,
    ).toBe(404);
    expect(
      (await e.call(lena, 'POST', promote(escalationId), { to: 'course', targetId: 'nope' })).status,
    ).toBe(404);
    const after = await e.sdb.db.selectFrom('courses').select('version').executeTakeFirstOrThrow();
    expect(after.version).toBe('2');
    const admin = await e.login('admin');
    const imports = await auditEntries(e, admin, 'course.import');
    expect(imports.map((x) => x.actorRole)).toEqual(['operator', 'lead']);
  });

  it('to an exam bank: appended after the last item', async () => {
    const e = env();
    await addExam(e, {}, 3);
    const { escalationId, taskId, lena } = await ruled(e);
    const res = await e.call(lena, 'POST', promote(escalationId), {
      to: 'exam-bank',
      targetId: 'helpful-exam',
    });
    expect(res.status).toBe(200);
    expect(res.json.version).toBe('4');
    const items = await e.sdb.db
      .selectFrom('exam_items')
      .selectAll()
      .where('exam_id', '=', 'helpful-exam')
      .orderBy('position')
      .execute();
    expect(items.map((i) => i.item_id)).toEqual(['bank-1', 'bank-2', 'bank-3', taskId]);
    const stored = JSON.parse(items[3]!.body) as TrainingItem;
    expect(stored.key.kind).toBe('pairwise');
    expect(
      (await e.call(lena, 'POST', promote(escalationId), { to: 'exam-bank', targetId: 'helpful-exam' }))
        .status,
    ).toBe(409);
  });

  it('only a ruling with a label is promoted, and only by the pod', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { escalationId } = await escalate(e, rita);
    const lena = await e.login('lead');
    const open = await e.call(lena, 'POST', promote(escalationId), {
      to: 'golden-example',
      targetId: 'default',
    });
    expect(open.status).toBe(409);
    expect(open.json.error.code).toBe('not-ruled');
    await e.call(lena, 'POST', `/v1/escalations/${escalationId}/ruling`, {
      decision: 'return',
      explanation: 'Try again.',
    });
    const returned = await e.call(lena, 'POST', promote(escalationId), {
      to: 'golden-example',
      targetId: 'default',
    });
    expect(returned.json.error.code).toBe('no-ruling-label');
    const rob = await e.login('reviewer2');
    const other = await escalate(e, rob);
    expect(
      (await e.call(lena, 'POST', promote(other.escalationId), { to: 'golden-example', targetId: 'default' }))
        .status,
    ).toBe(404);
    expect((await e.call(lena, 'POST', promote(escalationId), { to: 'nowhere', targetId: 'x' })).status).toBe(
      400,
    );
    expect(
      await e.sdb.db.selectFrom('config_docs').selectAll().where('kind', '=', 'guideline').execute(),
    ).toEqual([]);
  });
});
