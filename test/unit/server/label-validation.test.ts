import { expect, it } from 'vitest';
import type { Label } from '../../../shared/label';
import type { RationaleTemplate } from '../../../shared/rationale';
import { PushResponse, type Mutation } from '../../../shared/sync';
import type { Taxonomy } from '../../../shared/taxonomy';
import { createProject, importTasks, publishConfig } from '../../../server/db/admin';
import { exportProject } from '../../../server/export/export';
import { describeEachDb } from './each-db';
import {
  HOUR,
  leaseAndPull,
  makeLabel,
  makeTask,
  submit,
  useServer,
  type ServerEnv,
  type Session,
} from './helpers';

const push = async (env: ServerEnv, s: Session, mutations: Mutation[]) => {
  const res = await env.call(s, 'POST', '/v1/sync/push', { deviceId: s.deviceId, mutations });
  if (res.status !== 200) throw new Error(`push: ${res.status} ${JSON.stringify(res.json)}`);
  return PushResponse.parse(res.json);
};

/** the raw export of a project, parsed: what reaches reward-model training */
async function rawExport(env: ServerEnv, projectId = 'prod') {
  let out = '';
  await exportProject(env.sdb.db, projectId, { format: 'raw', messages: false, margin: false }, async (c) => {
    out += typeof c === 'string' ? c : Buffer.from(c).toString('utf8');
  });
  return out
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as { labelId: string; deviceId: string; createdAt: string; activeMs: number },
    );
}

const rankLabel = (taskId: string, overrides: Partial<Label> = {}) =>
  makeLabel(taskId, {
    kind: 'ranking',
    ranks: { a: 1, b: 2, c: 3 },
    pairwise: null,
    presentedOrder: ['c', 'a', 'b'],
    ...overrides,
  });

const taxonomy = (id: string, tagIds: string[]): Taxonomy => ({
  id,
  name: id,
  version: '2',
  tags: tagIds.map((tag) => ({ id: tag, label: tag, definition: `the ${tag} failure` })),
});

describeEachDb('push: server-side label validation', (dialect) => {
  const env = useServer(dialect, {}, { batchSize: 20 });

  it('refuses every contradictory label as invalid, naming the field, and none of it is stored or exported', async () => {
    const e = env();
    await importTasks(e.sdb.db, 'prod', [
      makeTask('r1', 'ranking'),
      makeTask('r2', 'ranking'),
      { ...makeTask('r3', 'ranking'), allowTies: false },
    ]);
    const s = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, s);
    const critical = [{ responseId: 'b', tagId: 'unsafe', severity: 'critical' as const }];
    const cases: [Label, RegExp, string?][] = [
      [rankLabel('r1', { ranks: {} }), /^label\.ranks: leaves out "a", "b", "c"/],
      [rankLabel('r2', { ranks: { a: 1, b: 2 } }), /^label\.ranks: leaves out "c"/],
      [
        rankLabel('r3', { ranks: { a: 1, b: 1, c: 2 } }),
        /^label\.ranks: "a" and "b" share rank 1 but the task does not allow ties/,
      ],
      [
        makeLabel('t1', { pairwise: { preferredResponseId: 'b', choice: 'A', strength: 'better' } }),
        /^label\.pairwise\.choice: "A" but preferredResponseId "b" is shown second$/,
      ],
      [
        makeLabel('t2', { pairwise: { preferredResponseId: null, choice: 'A', strength: 'better' } }),
        /^label\.pairwise\.choice: "A" but preferredResponseId is null/,
      ],
      [
        makeLabel('t3', { pairwise: { preferredResponseId: 'a', choice: 'A', strength: null } }),
        /^label\.pairwise\.strength: is required unless the choice is "tie"/,
      ],
      [
        makeLabel('t4', { presentedOrder: ['a', 'zzz'] }),
        /^label\.presentedOrder\.1: unknown response "zzz"/,
      ],
      [makeLabel('t5', { kind: 'ranking' }), /^label\.kind: "ranking" but task "t5" is pairwise/],
      [makeLabel('t7'), /^label\.taskId: "t7" but the task is "t6"$/, 't6'],
      [
        makeLabel('t8', { tags: [{ responseId: 'b', tagId: 'made-up', severity: 'minor' }] }),
        /^label\.tags\.0\.tagId: taxonomy "default" has no tag "made-up"$/,
      ],
      [
        makeLabel('t9', { tags: [{ responseId: 'zzz', tagId: 'unsafe', severity: 'minor' }] }),
        /^label\.tags\.0\.responseId: unknown response "zzz"/,
      ],
      [
        makeLabel('t10', {
          tags: [
            { responseId: 'b', tagId: 'unsafe', severity: 'minor' },
            { responseId: 'b', tagId: 'unsafe', severity: 'major' },
          ],
        }),
        /^label\.tags\.1: repeats label\.tags\.0/,
      ],
      [
        makeLabel('t11', { tags: critical, rationale: null, acknowledgedWarnings: ['rationaleMissing'] }),
        /^label\.rationale\.fields\.decisive: required by template "default" \(when: criticalTag\)/,
      ],
      [
        makeLabel('t12', { rationale: { templateId: 'other', fields: { decisive: 'x' } } }),
        /^label\.rationale\.templateId: "other" but task "t12" uses template "default"$/,
      ],
      [
        makeLabel('t1', { rationale: { templateId: 'default', fields: { why: 'because' } } }),
        /^label\.rationale\.fields\.why: template "default" has no field "why"$/,
      ],
    ];
    const mutations = cases.map(([label, , taskId], i) => ({
      ...submit(i + 1, label, tokens.get(taskId ?? label.taskId)!),
      taskId: taskId ?? label.taskId,
    }));
    const valid = makeLabel('t2');
    mutations.push(submit(mutations.length + 1, valid, tokens.get('t2')!));
    const res = await push(e, s, mutations);
    cases.forEach(([, message], i) => {
      expect(res.outcomes[i]).toMatchObject({ status: 'rejected', reason: 'invalid' });
      expect(res.outcomes[i]!.message).toMatch(message);
    });
    expect(res.outcomes[cases.length]).toMatchObject({ status: 'accepted' });
    const stored = await e.sdb.db.selectFrom('labels').select('id').execute();
    expect(stored.map((r) => r.id)).toEqual([valid.id]);
    expect((await rawExport(e)).map((r) => r.labelId)).toEqual([valid.id]);
  });

  it('refuses a push whose label breaks a length cap with a 400 naming the field', async () => {
    const e = env();
    const s = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, s);
    const label = makeLabel('t1', {}, 20_001);
    const res = await e.call(s, 'POST', '/v1/sync/push', {
      deviceId: s.deviceId,
      mutations: [submit(1, label, tokens.get('t1')!)],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toContainEqual({
      path: 'mutations.0.label.rationale.fields.decisive',
      message: 'must be at most 20000 characters',
    });
    expect((await rawExport(e)).length).toBe(0);
  });

  it('stores a label under the session user and device, whatever the label claims', async () => {
    const e = env();
    const s = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, s);
    const label = makeLabel('t1', { reviewerId: 'mallory', deviceId: 'mallorys-laptop' });
    const res = await push(e, s, [submit(1, label, tokens.get('t1')!)]);
    expect(res.outcomes[0]).toMatchObject({ status: 'accepted' });
    const row = await e.sdb.db
      .selectFrom('labels')
      .select(['user_id', 'device_id', 'body'])
      .where('id', '=', label.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: e.userIds.reviewer, device_id: s.deviceId });
    const body = JSON.parse(row.body) as Label;
    expect([body.reviewerId, body.deviceId]).toEqual([e.userIds.reviewer, s.deviceId]);
    const [exported] = await rawExport(e);
    expect(exported!.deviceId).toBe(s.deviceId);
  });

  it('bounds client times by now (5 minutes of skew) and the lease, keeping the raw values when it clamps', async () => {
    const e = env();
    const s = await e.login('reviewer'); // leases made at 09:00
    const { tokens } = await leaseAndPull(e, s);
    e.clock.advance(HOUR); // now 10:00
    const future = makeLabel('t1', {
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-01T00:00:00.000Z',
      activeMs: 5 * HOUR,
    });
    const early = makeLabel('t2', {
      createdAt: '2025-12-01T00:00:00.000Z',
      updatedAt: '2026-01-05T09:30:00.000Z',
      activeMs: 10 * 60_000,
    });
    const skewed = makeLabel('t3', {
      createdAt: '2026-01-05T10:04:00.000Z',
      updatedAt: '2026-01-05T10:04:30.000Z',
      activeMs: 30 * 60_000,
    });
    const res = await push(
      e,
      s,
      [future, early, skewed].map((l, i) => submit(i + 1, l, tokens.get(l.taskId)!)),
    );
    expect(res.outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const rows = await e.sdb.db
      .selectFrom('labels')
      .select(['task_id', 'body', 'client_times', 'created_at'])
      .orderBy('task_id')
      .execute();
    const times = (r: (typeof rows)[number]) => {
      const b = JSON.parse(r.body) as Label;
      return { createdAt: b.createdAt, updatedAt: b.updatedAt, activeMs: b.activeMs, row: r.created_at };
    };
    const raw = (l: Label) => ({ createdAt: l.createdAt, updatedAt: l.updatedAt, activeMs: l.activeMs });
    expect(times(rows[0]!)).toEqual({
      createdAt: '2026-01-05T10:00:00.000Z',
      updatedAt: '2026-01-05T10:00:00.000Z',
      activeMs: HOUR,
      row: '2026-01-05T10:00:00.000Z',
    });
    expect(JSON.parse(rows[0]!.client_times!)).toEqual(raw(future));
    expect(times(rows[1]!)).toEqual({
      createdAt: '2026-01-05T09:00:00.000Z',
      updatedAt: '2026-01-05T09:30:00.000Z',
      activeMs: 10 * 60_000,
      row: '2026-01-05T09:00:00.000Z',
    });
    expect(JSON.parse(rows[1]!.client_times!)).toEqual(raw(early));
    expect(times(rows[2]!)).toEqual({ ...raw(skewed), row: skewed.createdAt });
    expect(rows[2]!.client_times).toBeNull();
    const exported = await rawExport(e);
    expect(exported.find((r) => r.labelId === future.id)).toMatchObject({
      createdAt: '2026-01-05T10:00:00.000Z',
      activeMs: HOUR,
    });

    // an edit with plausible times replaces the clamped ones, and the raw record with them
    const edit = { ...future, revision: 2, ...raw(makeLabel('t1')), activeMs: 20 * 60_000 };
    await push(e, s, [submit(4, edit, tokens.get('t1')!)]);
    const edited = await e.sdb.db
      .selectFrom('labels')
      .select(['body', 'client_times'])
      .where('id', '=', future.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(edited.body)).toMatchObject({ revision: 2, activeMs: 20 * 60_000 });
    expect(edited.client_times).toBeNull();
  });

  it("checks tags and rationale against the task's taxonomy and template: published ones win, a task's ids override its project's", async () => {
    const e = env();
    const db = e.sdb.db;
    const onlyNote: RationaleTemplate = {
      id: 'note-always',
      name: 'Note',
      fields: [{ id: 'note', label: 'Note', minLength: 0, multiline: true, optional: false }],
      requiredWhen: ['always'],
    };
    await publishConfig(db, { kind: 'taxonomy', doc: taxonomy('proj-tax', ['proj-tag']) });
    await publishConfig(db, { kind: 'taxonomy', doc: taxonomy('task-tax', ['task-tag']) });
    await publishConfig(db, { kind: 'template', doc: onlyNote });
    await createProject(db, { id: 'p2', batchSize: 20, taxonomyId: 'proj-tax' });
    await createProject(db, { id: 'p3', batchSize: 20, taxonomyId: 'nowhere', templateId: 'note-always' });
    await importTasks(db, 'p2', [makeTask('q1'), makeTask('q2'), { ...makeTask('q3'), tags: 'task-tax' }]);
    await importTasks(db, 'p3', [makeTask('z1'), makeTask('z2')]);
    const s = await e.login('reviewer');
    const p2 = (await leaseAndPull(e, s, 'p2')).tokens;
    const p3 = (await leaseAndPull(e, s, 'p3')).tokens;
    const tagged = (taskId: string, tagId: string, more: Partial<Label> = {}) =>
      makeLabel(taskId, { tags: [{ responseId: 'b', tagId, severity: 'minor' }], ...more });
    const note = { rationale: { templateId: 'note-always', fields: { note: 'b misquotes' } } };
    const labels = [
      tagged('q1', 'hallucination'), // the project's taxonomy, not the default
      tagged('q2', 'proj-tag'),
      tagged('q3', 'task-tag'), // the task's own taxonomy wins
      tagged('z1', 'hallucination', { rationale: null }), // unknown project taxonomy: the default; template requires a note
      tagged('z2', 'hallucination', note),
    ];
    const tokens = new Map([...p2, ...p3]);
    const res = await push(
      e,
      s,
      labels.map((l, i) => submit(i + 1, l, tokens.get(l.taskId)!)),
    );
    expect(res.outcomes.map((o) => o.reason ?? o.status)).toEqual([
      'invalid',
      'accepted',
      'accepted',
      'invalid',
      'accepted',
    ]);
    expect(res.outcomes[0]!.message).toBe(
      'label.tags.0.tagId: taxonomy "proj-tax" has no tag "hallucination"',
    );
    expect(res.outcomes[3]!.message).toMatch(
      /^label\.rationale\.fields\.note: required by template "note-always"/,
    );

    // a published "default" replaces the bundled one for tasks that name none
    await publishConfig(db, { kind: 'taxonomy', doc: taxonomy('default', ['only-tag']) });
    const prod = (await leaseAndPull(e, s)).tokens;
    const again = await push(e, s, [
      submit(6, tagged('t1', 'hallucination'), prod.get('t1')!),
      submit(7, tagged('t2', 'only-tag'), prod.get('t2')!),
    ]);
    expect(again.outcomes.map((o) => o.reason ?? o.status)).toEqual(['invalid', 'accepted']);
    expect(again.outcomes[0]!.message).toMatch(/taxonomy "default" has no tag "hallucination"/);
  });
});
