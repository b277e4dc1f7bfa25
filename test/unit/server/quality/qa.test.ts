import { expect, it } from 'vitest';
import { addUser } from '../../../../server/db/admin';
import { assignProject } from '../../../../server/db/project-assign';
import { setPermission, updateQualitySettings } from '../../../../server/quality/settings';
import { describeEachDb } from '../each-db';
import { makeLabel, PASSWORD, submit, useServer, type ServerEnv, type Session } from '../helpers';
import { exportRows, leaseNew, pullNew } from './helpers';

/** in the original labels' rationales, and the original reviewer's username and display name */
const LABEL_SENTINEL = 'Qx5ORIGINALLABELz3';
const NAME_SENTINEL = 'qx5reviewername';
const DISPLAY_SENTINEL = 'Qx5 Reviewer Display Name';

/** the original reviewer (pod-a) leases and labels t1..t5: prefers a, tags b, a rationale with a sentinel */
async function originals(e: ServerEnv) {
  const id = await addUser(e.sdb.db, {
    username: NAME_SENTINEL,
    password: PASSWORD,
    role: 'reviewer',
    podId: 'pod-a',
    displayName: DISPLAY_SENTINEL,
  });
  const res = await e.call(null, 'POST', '/v1/auth/login', {
    username: NAME_SENTINEL,
    password: PASSWORD,
    deviceId: 'device-original-1',
    deviceSecret: 'secret-of-device-original-1'.padEnd(40, '.'),
  });
  const s: Session = { ...res.json, auth: { authorization: `Bearer ${res.json.token}` } };
  const { assignments } = await leaseNew(e, s);
  const labels = assignments.map((a) =>
    makeLabel(a.task.id, {
      rationale: { templateId: 'default', fields: { decisive: `Because ${LABEL_SENTINEL}${a.task.id}.` } },
    }),
  );
  const pushed = await e.call(s, 'POST', '/v1/sync/push', {
    deviceId: s.deviceId,
    mutations: labels.map((l, i) => submit(i + 1, l, assignments[i]!.leaseToken)),
  });
  expect(pushed.json.outcomes.every((o: { status: string }) => o.status === 'accepted')).toBe(true);
  return { id, session: s, labels };
}

describeEachDb('blind QA re-rating', (dialect) => {
  const env = useServer(dialect, {}, { batchSize: 5, tasks: 6 });

  it('a re-rater gets sampled tasks blind, re-rates them, then compares and classifies', async () => {
    const e = env();
    const original = await originals(e);
    await updateQualitySettings(e.sdb.db, 'prod', { qa_share: 0.5, qa_seed: 'fixed' }, e.clock.read());
    // who may not re-rate: a trainee, a reviewer without the permission; and nobody their own labels
    expect(
      (await e.call(await e.login('trainee'), 'POST', '/v1/sync/lease', { projectId: 'prod', queue: 'qa' }))
        .status,
    ).toBe(403);
    expect(
      (await e.call(await e.login('reviewer2'), 'POST', '/v1/sync/lease', { projectId: 'prod', queue: 'qa' }))
        .status,
    ).toBe(403);
    await setPermission(e.sdb.db, original.id, 'qa', true, e.clock.read());
    const own = await e.call(original.session, 'POST', '/v1/sync/lease', { projectId: 'prod', queue: 'qa' });
    expect(own.json).toEqual({ leased: 0, open: 0, qaTasks: [] });
    // the lease above sampled (lazily: no run yet): ceil(0.5 x 5) = 3 of the reviewer's labels
    const sampled = await e.sdb.db.selectFrom('qa_samples').selectAll().execute();
    expect(sampled).toHaveLength(3);

    // the pod's lead re-rates: everything they receive until they submit, collected raw
    const lead = await e.login('lead');
    const bodies: string[] = [];
    const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
      const res = await e.call(lead, method, url, body);
      bodies.push(JSON.stringify(res.json));
      return res;
    };
    await call('GET', '/v1/auth/me');
    const leasedQa = (await call('POST', '/v1/sync/lease', { projectId: 'prod', queue: 'qa' })).json;
    expect(leasedQa).toMatchObject({ leased: 3, open: 0 });
    const changes = await pullNew(e, lead);
    bodies.push(JSON.stringify(changes));
    const qa = changes.flatMap((c) => (c.type === 'assignment' ? [c] : []));
    expect(qa.map((a) => a.task.id).sort()).toEqual(sampled.map((s) => s.task_id).sort());
    // the answer names the QA tasks the lead holds, so the workstation keeps them apart
    expect(leasedQa.qaTasks.map((t: { taskId: string }) => t.taskId).sort()).toEqual(
      sampled.map((s) => s.task_id).sort(),
    );
    await call('GET', '/v1/labels/mine');
    // the pod's label list names the reviewer on their other labels: checked for the sampled ones below
    const podList = JSON.stringify((await e.call(lead, 'GET', '/v1/pods/pod-a/labels')).json);
    await call('GET', '/v1/pods/pod-a/gold');
    for (const l of original.labels) await call('GET', `/v1/qa/ratings/${l.id}/comparison`);
    await call('POST', '/v1/sync/lease', { projectId: 'prod', queue: 'qa' });
    await call('POST', '/v1/sync/lease', { projectId: 'prod' });
    bodies.push(JSON.stringify(await pullNew(e, lead)));
    const sampledLabels = original.labels.filter((l) => sampled.some((s) => s.label_id === l.id));
    for (const body of [...bodies, podList]) {
      for (const l of sampledLabels) {
        expect(body).not.toContain(`${LABEL_SENTINEL}${l.taskId}.`);
        expect(body).not.toContain(l.id);
      }
      if (body === podList) continue;
      expect(body).not.toContain(LABEL_SENTINEL);
      expect(body.toLowerCase()).not.toContain(NAME_SENTINEL);
      expect(body).not.toContain(DISPLAY_SENTINEL);
      expect(body).not.toContain(original.id);
      for (const l of original.labels) expect(body).not.toContain(l.id);
    }
    // the pod list still shows the original's labels that were not sampled (to the admin all)
    const podLabels = await e.call(lead, 'GET', '/v1/pods/pod-a/labels');
    expect(
      podLabels.json.items.filter((i: { username: string }) => i.username === NAME_SENTINEL),
    ).toHaveLength(2);

    // the re-ratings: prefer b, "slightly", no tags; an ordinary push, ordinary answers
    const ratings = qa.map((a) =>
      makeLabel(a.task.id, {
        reviewerId: 'lena',
        pairwise: { preferredResponseId: 'b', choice: 'B', strength: 'slightly' },
        tags: [],
      }),
    );
    const labelsBefore = await e.sdb.db.selectFrom('labels').select('id').execute();
    const pushed = await e.call(lead, 'POST', '/v1/sync/push', {
      deviceId: lead.deviceId,
      mutations: ratings.map((r, i) => submit(i + 1, r, qa[i]!.leaseToken)),
    });
    expect(pushed.json.outcomes.map((o: { status: string }) => o.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
    ]);
    // kept as re-ratings, not production labels; the samples are rated; the leases completed
    expect(await e.sdb.db.selectFrom('labels').select('id').execute()).toHaveLength(labelsBefore.length);
    expect(await e.sdb.db.selectFrom('qa_ratings').select('id').execute()).toHaveLength(3);
    expect((await e.sdb.db.selectFrom('qa_samples').selectAll().execute()).every((s) => s.rated_at)).toBe(
      true,
    );
    const occupancy = await e.sdb.db
      .selectFrom('tasks')
      .select(['id', 'occupancy'])
      .where(
        'id',
        'in',
        qa.map((a) => a.task.id),
      )
      .execute();
    expect(occupancy.map((t) => t.occupancy)).toEqual([1, 1, 1]);

    // only the re-rater (or an admin) compares; anyone else: the same 404 as an unknown id
    const rating = ratings[0]!;
    expect(
      (await e.call(await e.login('reviewer'), 'GET', `/v1/qa/ratings/${rating.id}/comparison`)).status,
    ).toBe(404);
    expect((await e.call(original.session, 'GET', `/v1/qa/ratings/${rating.id}/comparison`)).status).toBe(
      404,
    );
    const comparison = await e.call(lead, 'GET', `/v1/qa/ratings/${rating.id}/comparison`);
    expect(comparison.status).toBe(200);
    expect(comparison.json.reviewer).toEqual({ username: NAME_SENTINEL, displayName: DISPLAY_SENTINEL });
    const parts = Object.fromEntries(comparison.json.parts.map((p: { part: string }) => [p.part, p]));
    expect(parts.preference).toMatchObject({
      discrepant: true,
      original: { preferredResponseId: 'a' },
      rerating: { preferredResponseId: 'b' },
    });
    expect(parts.strength).toMatchObject({ discrepant: true, original: 'better', rerating: 'slightly' });
    expect(parts.tags).toMatchObject({
      discrepant: true,
      onlyOriginal: [{ responseId: 'b', tagId: 'hallucination' }],
      onlyRerating: [],
    });
    expect(parts.severity).toMatchObject({ discrepant: false });
    expect(parts.rationale.fields[0].original).toContain(LABEL_SENTINEL);
    expect(
      (await e.call(await e.login('admin'), 'GET', `/v1/qa/ratings/${rating.id}/comparison`)).status,
    ).toBe(200);

    // classification: each discrepant part once; a reviewer error names its type
    const classify = (body: unknown) =>
      e.call(lead, 'POST', `/v1/qa/ratings/${rating.id}/classification`, body);
    expect(
      (await classify({ parts: [{ part: 'severity', class: 'acceptable' }] })).json.error.issues[0].path,
    ).toBe('parts.0.part');
    expect((await classify({ parts: [{ part: 'preference', class: 'reviewer-error' }] })).status).toBe(400);
    const classified = await classify({
      parts: [
        { part: 'preference', class: 'reviewer-error', errorType: 'misread-prompt' },
        { part: 'strength', class: 'acceptable' },
        { part: 'tags', class: 'guideline-ambiguity' },
      ],
    });
    expect(classified.status).toBe(200);
    expect(classified.json.classification).toMatchObject({
      classifiedBy: 'lena',
      parts: [{ part: 'preference', errorType: 'misread-prompt' }, {}, {}],
    });
    // once compared, the blind re-rating is locked
    const edit = await e.call(lead, 'POST', '/v1/sync/push', {
      deviceId: lead.deviceId,
      mutations: [submit(4, { ...rating, revision: 2 }, qa[0]!.leaseToken)],
    });
    expect(edit.json.outcomes[0]).toMatchObject({ status: 'rejected', reason: 'closed' });

    // the project taken from the lead's pod (docs/server.md, "Projects and pods"): their re-rating
    // answers as an unknown one; the admin still sees it
    await assignProject(e.sdb.db, 'prod', { pod: 'pod-b' });
    const gone = await e.call(lead, 'GET', `/v1/qa/ratings/${rating.id}/comparison`);
    const unknown = await e.call(lead, 'GET', '/v1/qa/ratings/no-such-rating/comparison');
    expect({ status: gone.status, json: gone.json }).toEqual({ status: 404, json: unknown.json });
    expect((await classify({ parts: [{ part: 'strength', class: 'acceptable' }] })).status).toBe(404);
    expect(
      (await e.call(await e.login('admin'), 'GET', `/v1/qa/ratings/${rating.id}/comparison`)).status,
    ).toBe(200);

    // exports: raw keeps both, marked; trl takes the re-rating once the project says it replaces
    const raw = await exportRows(e, 'prod', 'raw');
    const marked = raw.filter((r) => r.qa);
    expect(marked).toHaveLength(6);
    expect(
      marked.filter((r) => (r.qa as { role: string }).role === 'rerating').map((r) => r.reviewer),
    ).toEqual(['lena', 'lena', 'lena']);
    const chosen = async () => (await exportRows(e, 'prod', 'trl')).map((r) => r.chosen).sort();
    expect(await chosen()).toEqual(Array(5).fill('Answer A'));
    await updateQualitySettings(e.sdb.db, 'prod', { qa_replaces: 1 }, e.clock.read());
    expect(await chosen()).toEqual([...Array(2).fill('Answer A'), ...Array(3).fill('Answer B')]);
    const rawAfter = await exportRows(e, 'prod', 'raw');
    expect(
      rawAfter.filter((r) => (r.qa as { inTraining?: boolean } | undefined)?.inTraining === false),
    ).toHaveLength(3);
  });
});
