import { expect, it } from 'vitest';
import { ServerError } from '../../../shared/sync';
import { describeEachDb } from './each-db';
import { makeTask, useServer, type UserKey } from './helpers';

type Who = UserKey | 'anonymous';
type Row = {
  method: 'GET' | 'POST';
  url: string;
  body?: (deviceId: string) => unknown;
  expect: Record<Who, number>;
};

const all = (status: number, anonymous = 401): Record<Who, number> => ({
  anonymous,
  trainee: status,
  reviewer: status,
  reviewer2: status,
  lead: status,
  admin: status,
});
/** lead and admin get `status`; everyone else signed in 403 */
const leads = (status: number): Record<Who, number> => ({ ...all(403), lead: status, admin: status });
const taxonomy = {
  id: 'tax',
  name: 'Failures',
  version: '2',
  tags: [{ id: 'factual-error', label: 'Factual error', definition: 'States something false' }],
};

/** Every endpoint x every role -> expected status. Logout runs last: it ends the session. */
const MATRIX: Row[] = [
  { method: 'GET', url: '/v1/health', expect: all(200, 200) },
  { method: 'GET', url: '/v1/auth/me', expect: all(200) },
  {
    method: 'POST',
    url: '/v1/sync/lease',
    body: () => ({ projectId: 'prod' }),
    expect: { ...all(200), trainee: 403 },
  },
  { method: 'POST', url: '/v1/sync/lease', body: () => ({ projectId: 'train' }), expect: all(200) },
  {
    method: 'POST',
    url: '/v1/sync/push',
    body: (deviceId) => ({
      deviceId,
      mutations: [{ id: 1, type: 'task.skip', taskId: 'x1', leaseToken: 1, reason: 'other', note: '' }],
    }),
    expect: all(200),
  },
  {
    method: 'POST',
    url: '/v1/sync/pull',
    body: (deviceId) => ({ deviceId, cursor: null, epoch: null }),
    expect: all(200),
  },
  { method: 'GET', url: '/v1/labels/mine', expect: all(200) },
  {
    method: 'GET',
    url: '/v1/pods/pod-a/labels',
    expect: { anonymous: 401, trainee: 403, reviewer: 403, reviewer2: 403, lead: 200, admin: 200 },
  },
  {
    method: 'GET',
    url: '/v1/pods/pod-b/labels',
    expect: { anonymous: 401, trainee: 403, reviewer: 403, reviewer2: 403, lead: 403, admin: 200 },
  },
  {
    method: 'POST',
    url: '/v1/admin/config',
    body: () => ({ kind: 'taxonomy', doc: taxonomy }),
    expect: { ...all(403), anonymous: 401, admin: 200 },
  },
  { method: 'GET', url: '/v1/admin/users', expect: { ...all(403), anonymous: 401, admin: 200 } },
  // training: anyone signed in may start an exam (this one does not exist); rounds are a lead's own pod
  { method: 'POST', url: '/v1/training/exams/no-such-exam/attempts', body: () => ({}), expect: all(404) },
  {
    method: 'POST',
    url: '/v1/training/calibration',
    body: () => ({
      podId: 'pod-a',
      title: 'Week 1',
      dueAt: '2026-01-12T17:00:00.000Z',
      items: [{ task: makeTask('cal-1'), key: null }],
    }),
    expect: { anonymous: 401, trainee: 403, reviewer: 403, reviewer2: 403, lead: 200, admin: 200 },
  },
  {
    method: 'GET',
    url: '/v1/training/calibration/no-such-round/discussion',
    expect: { anonymous: 401, trainee: 403, reviewer: 403, reviewer2: 403, lead: 404, admin: 404 },
  },
  // shadowing is for trainees (no project is open for it here: the same 404 as an unknown one)
  {
    method: 'POST',
    url: '/v1/training/shadow/prod',
    body: () => ({}),
    expect: { anonymous: 401, trainee: 404, reviewer: 403, reviewer2: 403, lead: 403, admin: 403 },
  },
  // blind QA re-rating (no QA set up on prod here: 404 for those who may re-rate) and silent gold
  {
    method: 'POST',
    url: '/v1/sync/lease',
    body: () => ({ projectId: 'prod', queue: 'qa' }),
    expect: { anonymous: 401, trainee: 403, reviewer: 403, reviewer2: 403, lead: 404, admin: 404 },
  },
  {
    method: 'GET',
    url: '/v1/qa/ratings/no-such-rating/comparison',
    expect: { anonymous: 401, trainee: 403, reviewer: 404, reviewer2: 404, lead: 404, admin: 404 },
  },
  {
    method: 'POST',
    url: '/v1/qa/ratings/no-such-rating/classification',
    body: () => ({ parts: [{ part: 'preference', class: 'acceptable' }] }),
    expect: { anonymous: 401, trainee: 403, reviewer: 404, reviewer2: 404, lead: 404, admin: 404 },
  },
  {
    method: 'GET',
    url: '/v1/pods/pod-a/gold',
    expect: { anonymous: 401, trainee: 403, reviewer: 403, reviewer2: 403, lead: 200, admin: 200 },
  },
  {
    method: 'GET',
    url: '/v1/pods/pod-b/gold',
    expect: { anonymous: 401, trainee: 403, reviewer: 403, reviewer2: 403, lead: 403, admin: 200 },
  },
  // lead workspace (docs/lead-workspace.md): pod routes are the lead's own pod; an escalation or a
  // reviewer of another pod answers as an unknown one (these ids do not exist: nothing changes)
  { method: 'GET', url: '/v1/pods/pod-a/escalations', expect: leads(200) },
  { method: 'GET', url: '/v1/pods/pod-b/escalations', expect: { ...leads(200), lead: 403 } },
  {
    method: 'POST',
    url: '/v1/escalations/999999/ruling',
    body: () => ({ decision: 'return', explanation: 'Read section 2.' }),
    expect: leads(404),
  },
  {
    method: 'POST',
    url: '/v1/escalations/999999/promote',
    body: () => ({ to: 'golden-example', targetId: 'default' }),
    expect: leads(404),
  },
  { method: 'GET', url: '/v1/pods/pod-a/reviewers', expect: leads(200) },
  { method: 'GET', url: '/v1/pods/pod-b/reviewers', expect: { ...leads(200), lead: 403 } },
  { method: 'GET', url: '/v1/pods/pod-a/reviewers/no-such-user/actions', expect: leads(404) },
  {
    method: 'POST',
    url: '/v1/pods/pod-a/reviewers/no-such-user/coaching',
    body: () => ({ note: 'Well done.' }),
    expect: leads(404),
  },
  {
    method: 'POST',
    url: '/v1/pods/pod-b/reviewers/no-such-user/coaching',
    body: () => ({ note: 'Well done.' }),
    expect: { ...leads(404), lead: 403 },
  },
  {
    method: 'POST',
    url: '/v1/pods/pod-a/reviewers/no-such-user/restriction',
    body: () => ({ projects: [] }),
    expect: leads(404),
  },
  {
    method: 'POST',
    url: '/v1/pods/pod-b/reviewers/no-such-user/recertification',
    body: () => ({ skill: 'helpfulness' }),
    expect: { ...leads(404), lead: 403 },
  },
  {
    method: 'POST',
    url: '/v1/pods/pod-a/reviewers/no-such-user/actions/no-such-action/lift',
    body: () => ({}),
    expect: leads(404),
  },
  { method: 'POST', url: '/v1/coaching/no-such-action/acknowledge', body: () => ({}), expect: all(404) },
  { method: 'GET', url: '/v1/admin/audit', expect: { ...all(403), anonymous: 401, admin: 200 } },
  // the guideline loop: drafts of the lead's own pod (an unknown escalation: 404, nothing stored);
  // the admin lists every draft and publishes or rejects one (this one does not exist)
  { method: 'GET', url: '/v1/pods/pod-a/guideline-drafts', expect: leads(200) },
  { method: 'GET', url: '/v1/pods/pod-b/guideline-drafts', expect: { ...leads(200), lead: 403 } },
  {
    method: 'POST',
    url: '/v1/pods/pod-a/guideline-drafts',
    body: () => ({
      guidelineId: 'default',
      baseVersion: '1',
      summary: 'Clarify sources.',
      source: { kind: 'escalation', id: '999999' },
      sections: [{ heading: 'Sources', body: 'Check them.' }],
    }),
    expect: leads(404),
  },
  {
    method: 'GET',
    url: '/v1/admin/guideline-drafts',
    expect: { ...all(403), anonymous: 401, admin: 200 },
  },
  {
    method: 'POST',
    url: '/v1/admin/guideline-drafts/999999/publish',
    body: () => ({ level: 'minor' }),
    expect: { ...all(403), anonymous: 401, admin: 404 },
  },
  {
    method: 'POST',
    url: '/v1/admin/guideline-drafts/999999/reject',
    body: () => ({ reason: 'Not needed.' }),
    expect: { ...all(403), anonymous: 401, admin: 404 },
  },
  // quality dashboards: no trainee; a reviewer's own view, a lead's own pod (scoping: metrics/route.test.ts)
  { method: 'GET', url: '/v1/metrics/projects', expect: { ...all(200), trainee: 403 } },
  { method: 'GET', url: '/v1/metrics/projects/prod', expect: { ...all(200), trainee: 403 } },
  // no task of prod has labels here: none of the lead's pod's work (404); an admin any task
  {
    method: 'GET',
    url: '/v1/metrics/projects/prod/tasks/t1',
    expect: { ...all(403), anonymous: 401, lead: 404, admin: 200 },
  },
  {
    method: 'GET',
    url: '/v1/metrics/projects/prod?pod=pod-b',
    expect: { ...all(404), trainee: 403, reviewer2: 200, admin: 200 },
  },
  { method: 'POST', url: '/v1/auth/logout', body: () => ({}), expect: all(200) },
];

const WHO: Who[] = ['anonymous', 'trainee', 'reviewer', 'reviewer2', 'lead', 'admin'];

describeEachDb('role x endpoint matrix', (dialect) => {
  const env = useServer(dialect);

  it.each(WHO)('%s gets the expected status on every endpoint', async (who) => {
    const session = who === 'anonymous' ? null : await env().login(who);
    const got: string[] = [];
    const want: string[] = [];
    for (const row of MATRIX) {
      const res = await env().call(
        session,
        row.method,
        row.url,
        row.body?.(session?.deviceId ?? 'device-none'),
      );
      got.push(`${row.method} ${row.url} ${JSON.stringify(row.body?.('d') ?? '')} -> ${res.status}`);
      want.push(`${row.method} ${row.url} ${JSON.stringify(row.body?.('d') ?? '')} -> ${row.expect[who]}`);
      if (res.status >= 400) ServerError.parse(res.json);
    }
    expect(got).toEqual(want);
  });

  it('a lead sees only their own pod and an admin every pod', async () => {
    const e = env();
    expect((await e.call(await e.login('lead'), 'GET', '/v1/pods/pod-b/labels')).json.error.code).toBe(
      'forbidden',
    );
  });
});
