import { describe, expect, it } from 'vitest';
import { orderSeed, presentationOrder } from '../../../shared/order';
import {
  call,
  jsonl,
  open,
  pairwiseTask,
  rankingTask,
  rankingWork,
  resourcesDir,
  testResources,
} from './helpers';

async function seeded(...tasks: unknown[]) {
  const services = open();
  const result = await call(services, 'tasks.import', { text: jsonl(...tasks) });
  expect(result.ok).toBe(true);
  return services;
}

describe('queue flow', () => {
  it('next resumes the current open task, else the first pending one', async () => {
    const services = await seeded(rankingTask('t1'), rankingTask('t2'), rankingTask('t3'));
    const first = await call(services, 'task.next');
    expect(first!.task.id).toBe('t1');
    expect(first!.position).toEqual({ index: 1, open: 3 });
    expect(first!.work).toBeNull();
    expect(first!.label).toBeNull();

    // opening another task makes it current; next resumes it
    const third = await call(services, 'task.open', { taskId: 't3' });
    expect(third.position).toEqual({ index: 3, open: 3 });
    expect((await call(services, 'task.next'))!.task.id).toBe('t3');
    expect((await call(services, 'queue.summary')).currentTaskId).toBe('t3');
  });

  it('peekNext names the task next() opens once the current one is done, and changes nothing', async () => {
    const services = await seeded(rankingTask('t1'), rankingTask('t2'), rankingTask('t3'));
    // without `after`: what task.next would open now (nothing current yet: the first pending)
    expect((await call(services, 'task.peekNext', {}))!.task.id).toBe('t1');
    expect((await call(services, 'queue.summary')).currentTaskId).toBeNull();
    await call(services, 'task.open', { taskId: 't3' });
    expect((await call(services, 'task.peekNext', {}))!.task.id).toBe('t3');
    await call(services, 'task.open', { taskId: 't1' });
    const first = (await call(services, 'task.next'))!;
    const peeked = await call(services, 'task.peekNext', { after: first.task.id });
    expect(peeked!.task.id).toBe('t2');
    // one further: the task after the next (counting `also` as done too)
    const ahead = await call(services, 'task.peekNext', { after: 't1', also: ['t2'] });
    expect(ahead!.task.id).toBe('t3');
    expect(await call(services, 'task.peekNext', { after: 't1', also: ['t2', 't3'] })).toBeNull();
    // read only: t1 stays current and open
    expect((await call(services, 'queue.summary')).currentTaskId).toBe('t1');
    expect((await call(services, 'task.next'))!.task.id).toBe('t1');
    const outcome = await call(services, 'label.submit', {
      taskId: 't1',
      work: rankingWork(first.presentedOrder),
    });
    expect(outcome.ok && outcome.next?.task.id).toBe(peeked!.task.id);
    expect(outcome.ok && outcome.next?.presentedOrder).toEqual(peeked!.presentedOrder);
    // a draft comes after every pending task; nothing after the last
    await call(services, 'draft.save', { taskId: 't2', work: rankingWork(peeked!.presentedOrder) });
    expect((await call(services, 'task.peekNext', { after: 't2' }))!.task.id).toBe('t3');
    expect((await call(services, 'task.peekNext', { after: 't3' }))!.task.id).toBe('t2');
    await call(services, 'task.skip', { taskId: 't3', reason: 'other', note: 'x' });
    expect(await call(services, 'task.peekNext', { after: 't2' })).toBeNull();
  });

  it('presents responses in the seeded order for this reviewer and task', async () => {
    const services = await seeded(rankingTask('t1', 6));
    const info = await call(services, 'app.info');
    const bundle = (await call(services, 'task.next'))!;
    expect(bundle.orderSeed).toBe(orderSeed(info.reviewerId, 't1'));
    expect(bundle.presentedOrder).toEqual(
      presentationOrder(['r1', 'r2', 'r3', 'r4', 'r5', 'r6'], bundle.orderSeed),
    );
    expect((await call(services, 'task.open', { taskId: 't1' })).presentedOrder).toEqual(
      bundle.presentedOrder,
    );
  });

  it('bundles the default taxonomy, template and check policy', async () => {
    const services = await seeded(rankingTask('t1'));
    const bundle = (await call(services, 'task.next'))!;
    expect(bundle.taxonomy.id).toBe('default');
    expect(bundle.template.id).toBe('default');
    expect(bundle.checkPolicy).toEqual({
      topRankedCritical: 'warn',
      untouchedOrder: 'warn',
      rationaleMissing: 'block',
    });
  });

  it('draft save keeps the work, moves the task to drafts, and survives a restart', async () => {
    const services = await seeded(rankingTask('t1'), rankingTask('t2'));
    const bundle = (await call(services, 'task.next'))!;
    const work = { ranks: { r1: 1 }, rationale: { decisive: 'half written' }, activeMs: 1234 };
    const saved = await call(services, 'draft.save', { taskId: 't1', work });
    expect(saved.savedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    let summary = await call(services, 'queue.summary');
    expect(summary).toMatchObject({ pending: 1, drafts: 1, currentTaskId: 't1' });
    expect((await call(services, 'queue.list', { state: 'draft' })).map((i) => i.taskId)).toEqual(['t1']);

    services.close();
    const reopened = open({ dataDir: services.dataDir });
    const resumed = (await call(reopened, 'task.next'))!;
    expect(resumed.task.id).toBe('t1');
    expect(resumed.state).toBe('draft');
    expect(resumed.presentedOrder).toEqual(bundle.presentedOrder);
    expect(resumed.work).toMatchObject(work);
    summary = await call(reopened, 'queue.summary');
    expect(summary).toMatchObject({ pending: 1, drafts: 1, currentTaskId: 't1' });
  });

  it('submit stores the label, clears the draft and returns the next task', async () => {
    const services = await seeded(rankingTask('t1'), rankingTask('t2'));
    const bundle = (await call(services, 'task.next'))!;
    await call(services, 'draft.save', { taskId: 't1', work: { ranks: { r1: 1 } } });
    const outcome = await call(services, 'label.submit', {
      taskId: 't1',
      work: rankingWork(bundle.presentedOrder),
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.next!.task.id).toBe('t2');
    expect(outcome.next!.position).toEqual({ index: 1, open: 1 });
    expect(await call(services, 'queue.summary')).toMatchObject({
      pending: 1,
      drafts: 0,
      submitted: 1,
      total: 2,
      currentTaskId: 't2',
    });

    const reopened = await call(services, 'task.open', { taskId: 't1' });
    expect(reopened.state).toBe('submitted');
    expect(reopened.label!.id).toBe(outcome.labelId);
    expect(reopened.work).toMatchObject(rankingWork(bundle.presentedOrder));
    expect(reopened.position.index).toBe(0); // not an open task
  });

  it('a submitted label stays editable: same id, revision + 1, draft edits keep it submitted', async () => {
    const services = await seeded(rankingTask('t1'), rankingTask('t2'));
    const bundle = (await call(services, 'task.next'))!;
    const first = await call(services, 'label.submit', {
      taskId: 't1',
      work: rankingWork(bundle.presentedOrder),
    });
    if (!first.ok) throw new Error('refused');
    const edited = await call(services, 'task.open', { taskId: 't1' });
    const label1 = edited.label!;

    await call(services, 'draft.save', { taskId: 't1', work: { ...edited.work!, activeMs: 50_000 } });
    const midEdit = await call(services, 'task.open', { taskId: 't1' });
    expect(midEdit.state).toBe('submitted');
    expect(midEdit.work!.activeMs).toBe(50_000);
    expect(midEdit.label!.revision).toBe(1);

    const ranks = Object.fromEntries(
      bundle.presentedOrder.map((id, i) => [id, i === 0 ? 2 : i === 1 ? 1 : i + 1]),
    );
    const second = await call(services, 'label.submit', {
      taskId: 't1',
      work: { ranks, rankingTouched: true, activeMs: 60_000 },
    });
    expect(second).toMatchObject({ ok: true, labelId: first.labelId });
    const after = await call(services, 'task.open', { taskId: 't1' });
    expect(after.label).toMatchObject({
      id: label1.id,
      revision: 2,
      createdAt: label1.createdAt,
      ranks,
      activeMs: 60_000,
    });
    expect(after.label!.updatedAt > label1.updatedAt).toBe(true);
    expect((await call(services, 'queue.summary')).submitted).toBe(1);
  });

  it('skip and escalate keep the draft, record the reason and move on; reopening works', async () => {
    const services = await seeded(rankingTask('t1'), rankingTask('t2'), rankingTask('t3'));
    expect((await call(services, 'task.next'))!.task.id).toBe('t1');
    const partial = { ranks: { r2: 1 }, rationale: { decisive: 'unsure about r1' } };
    const skipped = await call(services, 'task.skip', {
      taskId: 't1',
      reason: 'language',
      note: 'Finnish',
      work: partial,
    });
    expect(skipped.next!.task.id).toBe('t2');
    const escalated = await call(services, 'task.escalate', { taskId: 't2', reason: 'safety-concern' });
    expect(escalated.next!.task.id).toBe('t3');

    expect(await call(services, 'queue.summary')).toMatchObject({ pending: 1, skipped: 1, escalated: 1 });
    expect(await call(services, 'queue.list', { state: 'skipped' })).toMatchObject([
      { taskId: 't1', reason: 'language' },
    ]);
    expect(await call(services, 'queue.list', { state: 'escalated' })).toMatchObject([
      { taskId: 't2', reason: 'safety-concern' },
    ]);

    // reopen the skipped task: its draft is there; saving moves it back to drafts
    const reopened = await call(services, 'task.open', { taskId: 't1' });
    expect(reopened.state).toBe('skipped');
    expect(reopened.work).toMatchObject(partial);
    await call(services, 'draft.save', { taskId: 't1', work: { ...partial, ranks: { r2: 1, r1: 2 } } });
    expect(await call(services, 'queue.summary')).toMatchObject({
      skipped: 0,
      drafts: 1,
      currentTaskId: 't1',
    });
    expect((await call(services, 'queue.list', { state: 'draft' }))[0]!.reason).toBeNull();

    // an escalated task can be submitted directly
    const t2 = await call(services, 'task.open', { taskId: 't2' });
    const outcome = await call(services, 'label.submit', {
      taskId: 't2',
      work: rankingWork(t2.presentedOrder),
    });
    expect(outcome.ok).toBe(true);
    expect(await call(services, 'queue.summary')).toMatchObject({ escalated: 0, submitted: 1 });
  });

  it('next falls back to drafts when nothing is pending, then null', async () => {
    const services = await seeded(rankingTask('t1'), rankingTask('t2'));
    await call(services, 'draft.save', { taskId: 't1', work: {} });
    const t2 = await call(services, 'task.open', { taskId: 't2' });
    await call(services, 'label.submit', { taskId: 't2', work: rankingWork(t2.presentedOrder) });
    expect((await call(services, 'task.next'))!.task.id).toBe('t1');
    await call(services, 'task.skip', { taskId: 't1', reason: 'other' });
    expect(await call(services, 'task.next')).toBeNull();
  });

  it('refuses to skip a submitted task (409) and answers 404 for unknown tasks', async () => {
    const services = await seeded(rankingTask('t1'));
    const bundle = (await call(services, 'task.next'))!;
    await call(services, 'label.submit', { taskId: 't1', work: rankingWork(bundle.presentedOrder) });
    const conflict = await services.dispatch('task.skip', { taskId: 't1', reason: 'other' });
    expect(conflict).toMatchObject({ ok: false, status: 409, error: { code: 'conflict' } });
    for (const [channel, input] of [
      ['task.open', { taskId: 'nope' }],
      ['draft.save', { taskId: 'nope', work: {} }],
      ['label.submit', { taskId: 'nope', work: {} }],
      ['task.escalate', { taskId: 'nope', reason: 'other' }],
    ] as const) {
      expect(await services.dispatch(channel, input)).toMatchObject({
        ok: false,
        status: 404,
        error: { code: 'not-found' },
      });
    }
  });
});

describe('submit checks and label mapping', () => {
  it('refuses a submit that checks block, and accepts warnings only when acknowledged', async () => {
    const services = await seeded(rankingTask('t1'));
    const bundle = (await call(services, 'task.next'))!;

    const incomplete = await call(services, 'label.submit', { taskId: 't1', work: { ranks: { r1: 1 } } });
    expect(incomplete).toMatchObject({ ok: false, checks: [{ id: 'incomplete', level: 'block' }] });

    // ranked exactly in presented order, never touched: a warning
    const untouched = {
      ranks: Object.fromEntries(bundle.presentedOrder.map((id, i) => [id, i + 1])),
      rankingTouched: false,
    };
    const warned = await call(services, 'label.submit', { taskId: 't1', work: untouched });
    expect(warned).toMatchObject({ ok: false, checks: [{ id: 'untouchedOrder', level: 'warn' }] });
    expect((await call(services, 'queue.summary')).submitted).toBe(0);

    const accepted = await call(services, 'label.submit', {
      taskId: 't1',
      work: untouched,
      acknowledgedWarnings: ['untouchedOrder'],
    });
    expect(accepted.ok).toBe(true);
    const { label } = await call(services, 'task.open', { taskId: 't1' });
    expect(label!.acknowledgedWarnings).toEqual(['untouchedOrder']);
  });

  it('blocks a critical tag without the required rationale, then accepts it with one', async () => {
    const services = await seeded(rankingTask('t1'));
    const bundle = (await call(services, 'task.next'))!;
    const best = bundle.presentedOrder[bundle.presentedOrder.length - 1]!; // rankingWork reverses the order
    const work = {
      ...rankingWork(bundle.presentedOrder),
      tags: [{ responseId: bundle.presentedOrder[0]!, tagId: 'unsafe', severity: 'critical' }],
    };
    const refused = await call(services, 'label.submit', { taskId: 't1', work });
    expect(refused).toMatchObject({ ok: false, checks: [{ id: 'rationaleMissing', level: 'block' }] });
    // acknowledging does not lift a block
    const stillRefused = await call(services, 'label.submit', {
      taskId: 't1',
      work,
      acknowledgedWarnings: ['rationaleMissing'],
    });
    expect(stillRefused.ok).toBe(false);

    const rationale = {
      decisive: `${best} is accurate and complete; the worst one gives dangerous instructions.`,
    };
    const accepted = await call(services, 'label.submit', { taskId: 't1', work: { ...work, rationale } });
    expect(accepted.ok).toBe(true);
    const { label } = await call(services, 'task.open', { taskId: 't1' });
    expect(label!.rationale).toEqual({ templateId: 'default', fields: rationale });
    expect(label!.tags).toEqual(work.tags);
  });

  it('rejects tags that name unknown responses or tags (400 with paths)', async () => {
    const services = await seeded(rankingTask('t1'));
    const bundle = (await call(services, 'task.next'))!;
    const outcome = await services.dispatch('label.submit', {
      taskId: 't1',
      work: {
        ...rankingWork(bundle.presentedOrder),
        tags: [{ responseId: 'ghost', tagId: 'made-up', severity: 'minor' }],
        rationale: { nonsense: 'x' },
      },
    });
    expect(outcome).toMatchObject({ ok: false, status: 400, error: { code: 'invalid-input' } });
    if (outcome.ok) return;
    expect(outcome.error.issues!.map((i) => i.path)).toEqual([
      'work.tags.0.responseId',
      'work.tags.0.tagId',
      'work.rationale.nonsense',
    ]);
  });

  it('maps ranks to response ids and records order, seed, versions, time and identity', async () => {
    const services = await seeded(rankingTask('t1', 4));
    const info = await call(services, 'app.info');
    const bundle = (await call(services, 'task.next'))!;
    const work = rankingWork(bundle.presentedOrder);
    await call(services, 'label.submit', { taskId: 't1', work });
    const { label } = await call(services, 'task.open', { taskId: 't1' });
    expect(label).toMatchObject({
      taskId: 't1',
      kind: 'ranking',
      reviewerId: info.reviewerId,
      deviceId: info.deviceId,
      ranks: work.ranks,
      pairwise: null,
      rationale: null,
      presentedOrder: bundle.presentedOrder,
      orderSeed: bundle.orderSeed,
      activeMs: 42_000,
      taxonomyVersion: '1',
      guidelineVersion: null,
      acknowledgedWarnings: [],
      revision: 1,
    });
    // the response shown last was ranked best
    expect(label!.ranks![bundle.presentedOrder[3]!]).toBe(1);
  });

  it('maps pairwise A / B / tie through the presented order to response ids', async () => {
    const services = await seeded(pairwiseTask('p1'), pairwiseTask('p2'), pairwiseTask('p3'));
    const expectations: [string, 'A' | 'B' | 'tie'][] = [
      ['p1', 'A'],
      ['p2', 'B'],
      ['p3', 'tie'],
    ];
    for (const [taskId, choice] of expectations) {
      const bundle = await call(services, 'task.open', { taskId });
      const strength = choice === 'tie' ? null : 'slightly';
      const outcome = await call(services, 'label.submit', {
        taskId,
        work: { pairwise: { choice, strength } },
      });
      expect(outcome.ok).toBe(true);
      const { label, work } = await call(services, 'task.open', { taskId });
      const expected =
        choice === 'A' ? bundle.presentedOrder[0] : choice === 'B' ? bundle.presentedOrder[1] : null;
      expect(label!.pairwise).toEqual({ preferredResponseId: expected, choice, strength });
      expect(label!.ranks).toBeNull();
      expect(work!.pairwise).toEqual({ choice, strength });
    }
  });
});

describe('preferences, guidelines, app info', () => {
  it('stores preferences and keeps them across restarts', async () => {
    const services = open();
    expect(await call(services, 'prefs.get')).toEqual({ layout: 'side', fontScale: 1 });
    expect(await call(services, 'prefs.set', { layout: 'stacked' })).toEqual({
      layout: 'stacked',
      fontScale: 1,
    });
    expect(await call(services, 'prefs.set', { fontScale: 1.25 })).toEqual({
      layout: 'stacked',
      fontScale: 1.25,
    });
    services.close();
    expect(await call(open({ dataDir: services.dataDir }), 'prefs.get')).toEqual({
      layout: 'stacked',
      fontScale: 1.25,
    });
  });

  it('app.info reports a stable identity for the install', async () => {
    const services = open({ host: 'electron', appVersion: '1.2.3' });
    const info = await call(services, 'app.info');
    expect(info).toMatchObject({ version: '1.2.3', host: 'electron', dataDir: services.dataDir });
    expect(info.reviewerId).toMatch(/^local-[0-9a-f]{8}$/);
    expect(info.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    services.close();
    const again = await call(open({ dataDir: services.dataDir }), 'app.info');
    expect([again.reviewerId, again.deviceId]).toEqual([info.reviewerId, info.deviceId]);
  });
});

describe('guidelines', () => {
  const guideline = (id: string, version: string) => ({
    id,
    title: `Guide ${id}`,
    version,
    markdown: `# ${id}`,
  });

  it('bundles the task guideline (else the default one) and stamps its version on the label', async () => {
    const resourcesDir = testResources({
      'guidelines/default.json': guideline('default', '3'),
      'guidelines/medical.json': guideline('medical', '7'),
    });
    const services = open({ resourcesDir });
    await call(services, 'tasks.import', {
      text: jsonl(rankingTask('plain'), rankingTask('med', 3, { guideline: 'medical' })),
    });
    const plain = await call(services, 'task.open', { taskId: 'plain' });
    expect(plain.guideline!.id).toBe('default');
    const med = await call(services, 'task.open', { taskId: 'med' });
    expect(med.guideline!.id).toBe('medical');
    await call(services, 'label.submit', { taskId: 'med', work: rankingWork(med.presentedOrder) });
    expect((await call(services, 'task.open', { taskId: 'med' })).label!.guidelineVersion).toBe('7');

    expect((await call(services, 'guideline.get', {}))!.id).toBe('default');
    expect((await call(services, 'guideline.get', { id: 'medical' }))!.version).toBe('7');
    expect(await call(services, 'guideline.get', { id: 'unknown' })).toBeNull();
  });

  it('guideline.get falls back to the first guideline, or null when there is none', async () => {
    const only = open({ resourcesDir: testResources({ 'guidelines/zeta.json': guideline('zeta', '1') }) });
    expect((await call(only, 'guideline.get', {}))!.id).toBe('zeta');
    expect(await call(open(), 'guideline.get', {})).toBeNull();
  });

  it('a task reply names its guideline by id and version; the text comes once, from guideline.get', async () => {
    const services = open({ resourcesDir });
    await call(services, 'tasks.import', { text: jsonl(rankingTask('one'), rankingTask('two')) });
    const doc = (await call(services, 'guideline.get', { id: 'default' }))!;
    expect(doc.markdown.length).toBeGreaterThan(1000);
    const first = (await call(services, 'task.next'))!;
    expect(first.guideline).toEqual({ id: 'default', version: doc.version });
    const outcome = await call(services, 'label.submit', {
      taskId: 'one',
      work: rankingWork(first.presentedOrder),
    });
    expect(outcome.ok && outcome.next?.task.id).toBe('two');
    expect(outcome.ok && outcome.next?.guideline).toEqual({ id: 'default', version: doc.version });
    // nothing of the document's text travels with the second task
    const reply = JSON.stringify(outcome);
    expect(reply).not.toContain(doc.markdown.slice(0, 200));
    expect(reply).not.toContain(doc.title);
    // the label still records the version it was judged under
    expect((await call(services, 'task.open', { taskId: 'one' })).label!.guidelineVersion).toBe(doc.version);
  });

  it('the repository resources load, including the default guideline', async () => {
    const services = open({ resourcesDir });
    expect(await call(services, 'guideline.get', {})).not.toBeNull();
  });
});
