import { expect, it } from 'vitest';
import { ServerError } from '../../../shared/sync';
import { describeEachDb } from './each-db';
import { createProject, importTasks } from '../../../server/db/admin';
import { assignProject } from '../../../server/db/project-assign';
import { updateQualitySettings } from '../../../server/quality/settings';
import { openShadowing } from '../../../server/training/shadow';
import { escalate } from './lead/helpers';
import { leaseAndPull, makeLabel, makeTask, submit, useServer, type UserKey } from './helpers';

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

/**
 * The pod x project dimension (docs/server.md, "Projects and pods"): proj-a is pod A's, proj-b pod
 * B's. For every route that takes a project, a caller of pod A asking about proj-b gets exactly the
 * answer an unknown project gets (status and body, the id aside); an admin sees both.
 */
type ProjectRow = {
  who: UserKey[];
  method: 'GET' | 'POST';
  url: (p: string) => string;
  body?: (p: string) => unknown;
};
const PROJECT_ROUTES: ProjectRow[] = [
  // the metrics first: a QA lease samples labels, which then stay out of the lead's view
  { who: ['reviewer', 'lead', 'admin'], method: 'GET', url: (p) => `/v1/metrics/projects/${p}` },
  { who: ['lead', 'admin'], method: 'GET', url: (p) => `/v1/metrics/projects/${p}?pod=pod-a` },
  {
    who: ['lead', 'admin'],
    method: 'GET',
    url: (p) => `/v1/metrics/projects/${p}/tasks/${p === 'proj-a' ? 'a1' : 'b1'}`,
  },
  {
    who: ['trainee', 'reviewer', 'lead', 'admin'],
    method: 'POST',
    url: () => '/v1/sync/lease',
    body: (p) => ({ projectId: p }),
  },
  {
    who: ['lead', 'admin'],
    method: 'POST',
    url: () => '/v1/sync/lease',
    body: (p) => ({ projectId: p, queue: 'qa' }),
  },
  { who: ['trainee'], method: 'POST', url: (p) => `/v1/training/shadow/${p}`, body: () => ({}) },
];

describeEachDb('pod x project matrix', (dialect) => {
  const env = useServer(dialect);

  /** proj-a given to pod A, proj-b to pod B, each with tasks, QA and shadowing; rob (pod B) labels b1 */
  async function seed() {
    const e = env();
    const now = e.clock.read();
    for (const [project, pod, prefix] of [
      ['proj-a', 'pod-a', 'a'],
      ['proj-b', 'pod-b', 'b'],
    ] as const) {
      await createProject(e.sdb.db, { id: project, batchSize: 2, podScoped: true });
      await assignProject(e.sdb.db, project, { pod });
      await importTasks(
        e.sdb.db,
        project,
        [1, 2, 3, 4].map((i) => makeTask(`${prefix}${i}`, 'pairwise')),
      );
      await updateQualitySettings(e.sdb.db, project, { qa_share: 0.5 }, now);
      await e.sdb.db.transaction().execute((trx) => openShadowing(trx, project, 2, now));
    }
    const rob = await e.login('reviewer2');
    const { tokens } = await leaseAndPull(e, rob, 'proj-b');
    const token = tokens.get('b1')!;
    const push = await e.call(rob, 'POST', '/v1/sync/push', {
      deviceId: rob.deviceId,
      mutations: [submit(1, makeLabel('b1'), token)],
    });
    expect(push.json.outcomes[0].status).toBe('accepted');
  }

  it("a member or lead of pod A on pod B's project gets the answer an unknown project gets; an admin sees it", async () => {
    await seed();
    const e = env();
    // a label of pod A on a1, so the lead has a task of proj-a to open
    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita, 'proj-a');
    await e.call(rita, 'POST', '/v1/sync/push', {
      deviceId: rita.deviceId,
      mutations: [submit(1, makeLabel('a1'), tokens.get('a1')!)],
    });
    for (const who of ['trainee', 'reviewer', 'lead', 'admin'] as const) {
      const session = await e.login(who);
      for (const row of PROJECT_ROUTES.filter((r) => r.who.includes(who))) {
        const ask = (p: string) => e.call(session, row.method, row.url(p), row.body?.(p));
        const other = await ask('proj-b');
        const unknown = await ask('no-such');
        const what = `${who} ${row.method} ${row.url('P')} ${JSON.stringify(row.body?.('P') ?? '')}`;
        if (who === 'admin') {
          expect(other.status, what).not.toBe(404);
          continue;
        }
        expect(unknown.status, what).toBe(404);
        expect(
          { status: other.status, body: JSON.stringify(other.json).replaceAll('proj-b', 'no-such') },
          what,
        ).toEqual({
          status: unknown.status,
          body: JSON.stringify(unknown.json),
        });
        // their own pod's project is not refused as unknown
        expect((await ask('proj-a')).status, `${what} on proj-a`).not.toBe(404);
      }
    }
  });

  it("the project list shows each caller their pods' projects; pushes on another pod's task answer as unknown", async () => {
    await seed();
    const e = env();
    const list = async (who: UserKey) =>
      ((await e.call(await e.login(who), 'GET', '/v1/metrics/projects')).json.projects as { id: string }[])
        .map((p) => p.id)
        .sort();
    expect(await list('reviewer')).toEqual(['prod', 'proj-a']);
    expect(await list('lead')).toEqual(['prod', 'proj-a']);
    expect(await list('reviewer2')).toEqual(['prod', 'proj-b']);
    expect(await list('admin')).toEqual(['prod', 'proj-a', 'proj-b']);
    // a lead restricting a reviewer to another pod's project names it as unknown
    const lena = await e.login('lead');
    const restrict = (project: string) =>
      e.call(lena, 'POST', `/v1/pods/pod-a/reviewers/${e.userIds.reviewer}/restriction`, {
        projects: [project],
      });
    const theirs = await restrict('proj-b');
    const none = await restrict('no-such');
    expect(none.status).toBe(400);
    expect({
      status: theirs.status,
      body: JSON.stringify(theirs.json).replaceAll('proj-b', 'no-such'),
    }).toEqual({
      status: none.status,
      body: JSON.stringify(none.json),
    });
    const rita = await e.login('reviewer');
    const push = await e.call(rita, 'POST', '/v1/sync/push', {
      deviceId: rita.deviceId,
      mutations: [
        { id: 1, type: 'task.skip', taskId: 'b2', leaseToken: 1, reason: 'other', note: '' },
        { id: 2, type: 'task.skip', taskId: 'no-such-task', leaseToken: 1, reason: 'other', note: '' },
      ],
    });
    const [other, unknown] = push.json.outcomes as { message: string }[];
    expect({ ...other, mutationId: 0, message: other!.message.replace('b2', 'X') }).toEqual({
      ...unknown,
      mutationId: 0,
      message: unknown!.message.replace('no-such-task', 'X'),
    });
  });

  it("a reviewer of pod B never receives a task of pod A's project, by any lease; taking a project back withdraws it", async () => {
    await seed();
    const e = env();
    const rob = await e.login('reviewer2');
    const rita = await e.login('reviewer');
    // without a project id the server picks any project the caller may see, again and again
    for (let i = 0; i < 4; i++) await e.call(rob, 'POST', '/v1/sync/lease', {});
    const pulled = await e.call(rob, 'POST', '/v1/sync/pull', {
      deviceId: rob.deviceId,
      cursor: null,
      epoch: null,
    });
    const projects = new Set(
      (
        pulled.json.changes as { type: string; projectId?: string; doc?: { kind: string; id: string } }[]
      ).flatMap((c) =>
        c.type === 'assignment' ? [c.projectId] : c.doc?.kind === 'shadow-project' ? [c.doc.id] : [],
      ),
    );
    expect(projects.has('proj-a')).toBe(false);
    expect(projects.has('proj-b')).toBe(true);
    // rita of pod A leases proj-a; before she pulls, the operator gives proj-a to pod B only
    expect((await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'proj-a' })).json.leased).toBe(2);
    await assignProject(e.sdb.db, 'proj-a', { pod: 'pod-b' });
    const { withdrawn } = await assignProject(e.sdb.db, 'proj-a', { pod: 'pod-a', remove: true });
    expect(withdrawn).toBe(2);
    const after = await e.call(rita, 'POST', '/v1/sync/pull', {
      deviceId: rita.deviceId,
      cursor: null,
      epoch: null,
    });
    const changes = after.json.changes as { type: string; projectId?: string; taskId?: string }[];
    // the assignments written before are never delivered; the revokes tell her workstation
    expect(changes.filter((c) => c.type === 'assignment' && c.projectId === 'proj-a')).toEqual([]);
    expect(changes.filter((c) => c.type === 'revoke').length).toBe(2);
    expect((await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'proj-a' })).status).toBe(404);
    // the slots went back to the pool: pod B may take them
    expect((await e.call(rob, 'POST', '/v1/sync/lease', { projectId: 'proj-a' })).json.leased).toBe(2);
    const audit = await e.sdb.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'project.assign')
      .execute();
    expect(audit.filter((a) => a.target_id === 'proj-a').length).toBe(3);
  });

  it("a project taken from the lead's pod leaves their inbox; its escalation answers as an unknown one", async () => {
    await seed();
    const e = env();
    const rita = await e.login('reviewer');
    const lena = await e.login('lead');
    const { escalationId, taskId } = await escalate(e, rita, { projectId: 'proj-a' });
    // and a label on the other task she holds, which the lead reads among the pod's labels
    const { tokens } = await leaseAndPull(e, rita, 'proj-a');
    const other = [...tokens.keys()].find((t) => t !== taskId)!;
    const pushed = await e.call(rita, 'POST', '/v1/sync/push', {
      deviceId: rita.deviceId,
      mutations: [submit(2, makeLabel(other), tokens.get(other)!)],
    });
    expect(pushed.json.outcomes[0].status).toBe('accepted');
    const podLabels = async () =>
      (
        (await e.call(lena, 'GET', '/v1/pods/pod-a/labels')).json.items as { label: { taskId: string } }[]
      ).map((i) => i.label.taskId);
    expect(await podLabels()).toEqual([other]);
    const inbox = async () =>
      ((await e.call(lena, 'GET', '/v1/pods/pod-a/escalations')).json.items as { id: string }[]).map(
        (i) => i.id,
      );
    expect(await inbox()).toEqual([escalationId]);
    await assignProject(e.sdb.db, 'proj-a', { pod: 'pod-a', remove: true });
    expect(await inbox()).toEqual([]);
    expect(await podLabels()).toEqual([]);
    const rule = (id: string) =>
      e.call(lena, 'POST', `/v1/escalations/${id}/ruling`, {
        decision: 'return',
        explanation: 'Read section 2.',
      });
    const theirs = await rule(escalationId);
    const unknown = await rule('999999');
    expect({ status: theirs.status, body: JSON.stringify(theirs.json).replace(escalationId, 'N') }).toEqual({
      status: unknown.status,
      body: JSON.stringify(unknown.json).replace('999999', 'N'),
    });
    expect(unknown.status).toBe(404);
    // the admin still sees it in the pod's inbox
    const admin = await e.login('admin');
    expect((await e.call(admin, 'GET', '/v1/pods/pod-a/escalations')).json.items).toHaveLength(1);
  });

  it('a project assigned to no pod is open to admins only; a named user sees it whatever their pod', async () => {
    const e = env();
    await createProject(e.sdb.db, { id: 'closed', podScoped: true });
    await importTasks(e.sdb.db, 'closed', [makeTask('c1', 'pairwise')]);
    const rita = await e.login('reviewer');
    expect((await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'closed' })).status).toBe(404);
    expect((await e.call(await e.login('admin'), 'GET', '/v1/metrics/projects/closed')).status).toBe(200);
    await assignProject(e.sdb.db, 'closed', { user: 'rita' });
    expect((await e.call(rita, 'POST', '/v1/sync/lease', { projectId: 'closed' })).json.leased).toBe(1);
    expect(
      (await e.call(await e.login('reviewer2'), 'POST', '/v1/sync/lease', { projectId: 'closed' })).status,
    ).toBe(404);
  });
});
