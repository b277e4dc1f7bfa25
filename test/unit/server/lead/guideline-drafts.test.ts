import { expect, it } from 'vitest';
import { markdownSections } from '../../../../shared/guideline-diff';
import type { Change } from '../../../../shared/sync';
import { updateQualitySettings } from '../../../../server/quality/settings';
import { describeEachDb } from '../each-db';
import { makeLabel, submit, useServer, type ServerEnv, type Session } from '../helpers';
import { leaseNew } from '../quality/helpers';
import { grantCertificate } from '../../../../server/training/admin';
import { currentGuideline } from '../../../../server/training/guidelines';
import { addExam } from '../training/helpers';
import { auditEntries, escalate, feed } from './helpers';

const drafts = (pod: string) => `/v1/pods/${pod}/guideline-drafts`;
const publish = (id: string) => `/v1/admin/guideline-drafts/${id}/publish`;
const reject = (id: string) => `/v1/admin/guideline-drafts/${id}/reject`;

/** the bundled default guideline's first level-2 heading, read from the server's own copy */
async function safetyHeading(e: ServerEnv) {
  const doc = (await currentGuideline(e.sdb.db, 'default'))!;
  const heading = /^## (.+)$/m.exec(doc.markdown)![1]!;
  return { doc, heading };
}

const draftBody = (escalationId: string, heading: string, extra: Record<string, unknown> = {}) => ({
  guidelineId: 'default',
  baseVersion: '1',
  summary: 'Say what to do when a source cannot be checked.',
  source: { kind: 'escalation', id: escalationId },
  sections: [
    { heading, body: 'Rewritten: when a source cannot be checked, prefer the answer that says so.' },
    { heading: 'Unverifiable sources', body: 'Tag a claim you cannot check against the passages.' },
  ],
  ...extra,
});

const guidelineChanges = (changes: Change[]) =>
  changes.filter((c): c is Extract<Change, { type: 'guideline' }> => c.type === 'guideline');

/** rita (pod-a) labels, lena re-rates a QA sample of it and classifies: the re-rating's id */
async function classifiedQaRating(e: ServerEnv, lena: Session): Promise<string> {
  const rita = await e.login('reviewer');
  const { assignments } = await leaseNew(e, rita);
  const labels = assignments.map((a) => makeLabel(a.task.id));
  await e.call(rita, 'POST', '/v1/sync/push', {
    deviceId: rita.deviceId,
    mutations: labels.map((l, i) => submit(i + 1, l, assignments[i]!.leaseToken)),
  });
  await updateQualitySettings(e.sdb.db, 'prod', { qa_share: 0.5, qa_seed: 'fixed' }, e.clock.read());
  const qa = (await leaseNew(e, lena, { projectId: 'prod', queue: 'qa' })).assignments;
  const rating = makeLabel(qa[0]!.task.id, {
    reviewerId: 'lena',
    pairwise: { preferredResponseId: 'b', choice: 'B', strength: 'slightly' },
    tags: [],
  });
  const pushed = await e.call(lena, 'POST', '/v1/sync/push', {
    deviceId: lena.deviceId,
    mutations: [submit(1, rating, qa[0]!.leaseToken)],
  });
  expect(pushed.json.outcomes[0].status).toBe('accepted');
  return rating.id;
}

describeEachDb('guideline drafts', (dialect) => {
  const env = useServer(dialect, {}, { batchSize: 5, tasks: 8 });

  it('a lead drafts from an escalation; an admin publishes a minor version to every workstation', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { escalationId, taskId } = await escalate(e, rita);
    const lena = await e.login('lead');
    const { doc, heading } = await safetyHeading(e);

    const made = await e.call(
      lena,
      'POST',
      drafts('pod-a'),
      draftBody(escalationId, heading, {
        links: [
          { kind: 'task', id: taskId },
          { kind: 'escalation', id: escalationId },
        ],
      }),
    );
    expect(made.status).toBe(200);
    const draft = made.json.draft;
    expect(draft).toMatchObject({
      podId: 'pod-a',
      guidelineId: 'default',
      baseVersion: '1',
      state: 'open',
      author: { displayName: expect.any(String) },
      changes: [
        { heading, kind: 'section', change: 'changed' },
        { heading: 'Unverifiable sources', kind: 'section', change: 'added' },
      ],
      links: [
        { kind: 'task', id: taskId },
        { kind: 'escalation', id: escalationId },
      ],
    });
    expect(draft.markdown).toContain('Rewritten: when a source cannot be checked');
    // the lead lists their pod's drafts; not the admin list
    const listed = await e.call(lena, 'GET', drafts('pod-a'));
    expect(listed.json.drafts.map((d: { id: string }) => d.id)).toEqual([draft.id]);
    expect((await e.call(lena, 'GET', '/v1/admin/guideline-drafts')).status).toBe(403);

    const ada = await e.login('admin');
    const all = await e.call(ada, 'GET', '/v1/admin/guideline-drafts?state=open');
    expect(all.json.drafts).toHaveLength(1);
    const published = await e.call(ada, 'POST', publish(draft.id), { level: 'minor' });
    expect(published.status).toBe(200);
    expect(published.json).toMatchObject({
      version: '1.1',
      certificatesDue: 0,
      draft: { state: 'published', publishedVersion: '1.1' },
    });
    // broadcast: rita's feed has the new text; title and golden examples kept
    const sent = guidelineChanges(await feed(e, rita));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.guideline).toMatchObject({ id: 'default', version: '1.1', title: doc.title });
    expect(sent[0]!.guideline.markdown).toContain('## Unverifiable sources');
    expect(sent[0]!.guideline.examples).toEqual(doc.examples);

    // decided once: a second publish or a reject is a conflict, nothing changes
    const again = await e.call(ada, 'POST', publish(draft.id), { level: 'major' });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain('already published as version 1.1');
    expect((await e.call(ada, 'POST', reject(draft.id), { reason: 'no' })).status).toBe(409);

    // audited: the draft, the publish (config.publish with before/after, and the draft's own entry)
    const entries = await auditEntries(e, ada);
    const draftEntry = entries.find((x) => x.action === 'guideline.draft')!;
    expect(draftEntry).toMatchObject({
      actorRole: 'lead',
      targetType: 'guideline-draft',
      targetId: draft.id,
    });
    expect(draftEntry.after).toMatchObject({
      podId: 'pod-a',
      source: { kind: 'escalation', id: escalationId },
    });
    expect(entries.find((x) => x.action === 'config.publish')).toMatchObject({
      actorRole: 'admin',
      targetType: 'guideline',
      targetId: 'default',
      before: null,
      after: { version: '1.1', draftId: draft.id, level: 'minor' },
    });
    expect(entries.find((x) => x.action === 'guideline.publish')).toMatchObject({
      before: { state: 'open', version: '1' },
      after: { state: 'published', version: '1.1', level: 'minor' },
    });
  });

  it('a major version makes the guideline’s certificates fall due', async () => {
    const e = env();
    await addExam(e);
    const rita = await e.login('reviewer');
    await grantCertificate(e.sdb.db, e.userIds.reviewer, 'helpfulness', e.clock.read());
    const { escalationId } = await escalate(e, rita);
    const lena = await e.login('lead');
    const { heading } = await safetyHeading(e);
    const draft = (await e.call(lena, 'POST', drafts('pod-a'), draftBody(escalationId, heading))).json.draft;
    const ada = await e.login('admin');
    const res = await e.call(ada, 'POST', publish(draft.id), { level: 'major' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ version: '2', certificatesDue: 1 });
    const cert = await e.sdb.db.selectFrom('certificates').select('due_at').executeTakeFirstOrThrow();
    expect(cert.due_at).not.toBeNull();
  });

  it('refuses a draft on an older version (409 naming the current one), and a stale draft at publish', async () => {
    const e = env();
    const rita = await e.login('reviewer');
    const { escalationId } = await escalate(e, rita);
    const lena = await e.login('lead');
    const { heading } = await safetyHeading(e);
    const first = (await e.call(lena, 'POST', drafts('pod-a'), draftBody(escalationId, heading))).json.draft;
    const second = (
      await e.call(
        lena,
        'POST',
        drafts('pod-a'),
        draftBody(escalationId, heading, { sections: [{ heading: 'Another', body: 'More.' }] }),
      )
    ).json.draft;
    const ada = await e.login('admin');
    expect((await e.call(ada, 'POST', publish(first.id), { level: 'minor' })).status).toBe(200);
    // the second was drafted on version 1, now 1.1: refused, still open
    const stale = await e.call(ada, 'POST', publish(second.id), { level: 'minor' });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatchObject({ code: 'stale-version' });
    expect(stale.json.error.message).toContain('version 1.1');
    expect((await e.call(ada, 'GET', '/v1/admin/guideline-drafts?state=open')).json.drafts).toHaveLength(1);
    // a new draft on 1 is refused the same way; on 1.1 it is taken
    const old = await e.call(lena, 'POST', drafts('pod-a'), draftBody(escalationId, heading));
    expect(old.status).toBe(409);
    expect(old.json.error.message).toContain('is at version 1.1 now');
    expect(
      (await e.call(lena, 'POST', drafts('pod-a'), draftBody(escalationId, 'Fresh', { baseVersion: '1.1' })))
        .status,
    ).toBe(200);
    // the admin rejects the stale one with a reason the lead reads
    const rejected = await e.call(ada, 'POST', reject(second.id), { reason: 'Fold it into the next draft.' });
    expect(rejected.json.draft).toMatchObject({
      state: 'rejected',
      rejectReason: 'Fold it into the next draft.',
    });
    const mine = (await e.call(lena, 'GET', `${drafts('pod-a')}?state=rejected`)).json.drafts;
    expect(mine.map((d: { id: string }) => d.id)).toEqual([second.id]);
    expect((await auditEntries(e, ada, 'guideline.reject'))[0]).toMatchObject({
      targetId: second.id,
      after: { state: 'rejected', reason: 'Fold it into the next draft.' },
    });
    expect((await e.call(ada, 'POST', reject(second.id), { reason: '  ' })).status).toBe(400);
  });

  it('keeps a lead to their pod: another pod’s escalation answers as an unknown one', async () => {
    const e = env();
    const rob = await e.login('reviewer2'); // pod-b
    const other = await escalate(e, rob);
    const lena = await e.login('lead');
    const { heading } = await safetyHeading(e);
    const foreign = await e.call(lena, 'POST', drafts('pod-a'), draftBody(other.escalationId, heading));
    const unknown = await e.call(lena, 'POST', drafts('pod-a'), draftBody('999999', heading));
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.json.error.code).toBe(unknown.json.error.code);
    // linking it is refused alike; pod-b's list is not lena's
    const rita = await e.login('reviewer');
    const mine = await escalate(e, rita);
    const linked = await e.call(
      lena,
      'POST',
      drafts('pod-a'),
      draftBody(mine.escalationId, heading, { links: [{ kind: 'escalation', id: other.escalationId }] }),
    );
    expect(linked.status).toBe(404);
    expect((await e.call(lena, 'POST', drafts('pod-b'), draftBody(other.escalationId, heading))).status).toBe(
      403,
    );
    // an admin drafting for pod-a from pod-b's escalation: not that pod's, 404
    const ada = await e.login('admin');
    expect((await e.call(ada, 'POST', drafts('pod-a'), draftBody(other.escalationId, heading))).status).toBe(
      404,
    );
    expect((await e.call(ada, 'POST', drafts('pod-b'), draftBody(other.escalationId, heading))).status).toBe(
      200,
    );
    // nothing was stored for the refused ones, nor audited
    expect(await e.sdb.db.selectFrom('guideline_drafts').select('id').execute()).toHaveLength(1);
    expect(await auditEntries(e, ada, 'guideline.draft')).toHaveLength(1);
  });

  it('drafts from a QA finding the lead classified; bad input names the field', async () => {
    const e = env();
    const lena = await e.login('lead');
    const ratingId = await classifiedQaRating(e, lena);
    const { heading } = await safetyHeading(e);
    const body = draftBody('1', heading, { source: { kind: 'qa-rating', id: ratingId } });
    const unclassified = await e.call(lena, 'POST', drafts('pod-a'), body);
    expect(unclassified.status).toBe(409);
    expect(unclassified.json.error.code).toBe('not-classified');
    await e.call(lena, 'GET', `/v1/qa/ratings/${ratingId}/comparison`);
    const classified = await e.call(lena, 'POST', `/v1/qa/ratings/${ratingId}/classification`, {
      parts: [{ part: 'preference', class: 'guideline-ambiguity' }],
    });
    expect(classified.status).toBe(200);
    const made = await e.call(lena, 'POST', drafts('pod-a'), body);
    expect(made.status).toBe(200);
    expect(made.json.draft.source).toEqual({ kind: 'qa-rating', id: ratingId });
    // an admin may draft from any re-rating
    const ada = await e.login('admin');
    expect((await e.call(ada, 'POST', drafts('pod-a'), body)).status).toBe(200);

    const bad = async (extra: Record<string, unknown>) =>
      (await e.call(lena, 'POST', drafts('pod-a'), { ...body, ...extra })).json.error;
    expect((await bad({ summary: ' ' })).issues[0].path).toBe('summary');
    expect((await bad({ markdown: '# x' })).issues[0].path).toBe('markdown');
    expect((await bad({ guidelineId: 'nope' })).code).toBe('not-found');
    const unchanged = markdownSections((await safetyHeading(e)).doc.markdown).find(
      (s) => s.heading === heading,
    )!;
    expect((await bad({ sections: [{ heading, body: unchanged.body }] })).issues[0].path).toBe('sections');
    expect((await bad({ links: [{ kind: 'task', id: 'no-such-task' }] })).message).toContain('no-such-task');
    expect(await e.sdb.db.selectFrom('guideline_drafts').select('id').execute()).toHaveLength(2);
  });
});
