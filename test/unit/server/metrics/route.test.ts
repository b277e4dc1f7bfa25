import { expect, it } from 'vitest';
import { DashboardReply } from '../../../../shared/metrics/dashboard';
import type { Label } from '../../../../shared/label';
import { REPORT_TTL_MS } from '../../../../server/metrics/cache';
import { backfillLabelFacts } from '../../../../server/metrics/label-facts';
import { describeEachDb } from '../each-db';
import { leaseAndPull, makeLabel, submit, useServer, type ServerEnv, type UserKey } from '../helpers';

const at = (day: number, hour: number) => `2026-01-0${day}T0${hour}:00:00.000Z`;

/** A stored label of `who` on a task of "prod" (the server tests' production project). */
async function label(
  e: ServerEnv,
  who: UserKey,
  taskId: string,
  when: string,
  overrides: Partial<Label> = {},
) {
  const body = makeLabel(taskId, {
    reviewerId: e.userIds[who],
    createdAt: when,
    updatedAt: when,
    ...overrides,
  });
  await e.sdb.db
    .insertInto('labels')
    .values({
      id: body.id,
      task_id: taskId,
      project_id: 'prod',
      user_id: e.userIds[who],
      device_id: 'device-x',
      body: JSON.stringify(body),
      revision: 1,
      lease_token: 1,
      flagged: null,
      client_times: null,
      created_at: when,
      received_at: when,
      updated_at: when,
    })
    .execute();
  await backfillLabelFacts(e.sdb.db); // inserted directly: its facts as the push would write them
}

const B = { pairwise: { preferredResponseId: 'b', choice: 'B' as const, strength: 'better' as const } };

/**
 * rita (pod-a) and rob (pod-b) both rate t1 and t2 (they agree on t1, not on t2); rita alone t3,
 * lena (lead, pod-a) t4.
 */
async function seed(e: ServerEnv) {
  await label(e, 'reviewer', 't1', at(5, 1));
  await label(e, 'reviewer2', 't1', at(5, 2));
  await label(e, 'reviewer', 't2', at(5, 3));
  await label(e, 'reviewer2', 't2', at(5, 4), B);
  await label(e, 'reviewer', 't3', at(6, 1));
  await label(e, 'lead', 't4', at(6, 2));
}

const path = (projectId: string, pod?: string) =>
  `/v1/metrics/projects/${projectId}${pod ? `?pod=${pod}` : ''}`;

describeEachDb('quality dashboard data by role', (dialect) => {
  const env = useServer(dialect);

  it('a reviewer gets their own figures beside the pod’s medians, nothing of another reviewer', async () => {
    const e = env();
    await seed(e);
    const res = await e.call(await e.login('reviewer'), 'GET', path('prod'));
    expect(res.status).toBe(200);
    const reply = DashboardReply.parse(res.json);
    if (reply.view !== 'self') throw new Error('expected the own view');
    expect(reply.self.me).toMatchObject({ username: 'rita', figures: { labels: 3 } });
    // rita agrees with rob on t1, not on t2: half her comparisons
    expect(reply.self.myAgreement).toBe(0.5);
    // her pod (pod-a) has two reviewers with labels: rita and lena
    expect(reply.self.pod.reviewers).toBe(2);
    const text = JSON.stringify(res.json);
    expect(text).not.toContain('"rob"');
    expect(text).not.toContain(e.userIds.reviewer2);
    expect(text).not.toContain('lena');
    // asking for another pod is asking for nothing of theirs
    expect((await e.call(await e.login('reviewer'), 'GET', path('prod', 'pod-b'))).status).toBe(404);
  });

  it('a lead sees their own pod only; an admin any pod or all; trainees none', async () => {
    const e = env();
    await seed(e);
    const lena = await e.login('lead');
    const team = DashboardReply.parse((await e.call(lena, 'GET', path('prod'))).json);
    if (team.view !== 'team') throw new Error('expected the team view');
    expect(team.report.scope.pod).toBe('pod-a');
    expect(team.report.reviewers.map((r) => r.username).sort()).toEqual(['lena', 'rita']);
    const other = await e.call(lena, 'GET', path('prod', 'pod-b'));
    expect([other.status, other.json.error.message]).toEqual([404, 'no pod "pod-b" of yours']);

    const ada = await e.login('admin');
    const all = DashboardReply.parse((await e.call(ada, 'GET', path('prod'))).json);
    if (all.view !== 'team') throw new Error('expected the team view');
    expect(all.report.scope.pod).toBeNull();
    expect(all.report.reviewers.map((r) => r.username).sort()).toEqual(['lena', 'rita', 'rob']);
    const podB = DashboardReply.parse((await e.call(ada, 'GET', path('prod', 'pod-b'))).json);
    if (podB.view !== 'team') throw new Error('expected the team view');
    expect(podB.report.reviewers.map((r) => r.username)).toEqual(['rob']);

    expect((await e.call(await e.login('trainee'), 'GET', path('prod'))).status).toBe(403);
    expect((await e.call(ada, 'GET', path('nope'))).status).toBe(404);
    expect((await e.call(ada, 'GET', path('prod', 'no-such-pod'))).status).toBe(404);
    const list = await e.call(lena, 'GET', '/v1/metrics/projects');
    expect(list.json).toEqual({ projects: [{ id: 'prod', name: 'prod' }] });
  });

  it('serves a kept report until a new label, an edit or the time-to-live changes it', async () => {
    const e = env();
    const ada = await e.login('admin');
    const report = async () => {
      const reply = DashboardReply.parse((await e.call(ada, 'GET', path('prod'))).json);
      if (reply.view !== 'team') throw new Error('expected the team view');
      return reply.report;
    };
    const first = await report();
    expect(first.overall.labels).toBe(0);
    e.clock.advance(1000);
    expect((await report()).computedAt).toBe(first.computedAt); // kept: nothing changed

    const rita = await e.login('reviewer');
    const { tokens } = await leaseAndPull(e, rita);
    const label = makeLabel('t1', { reviewerId: e.userIds.reviewer });
    const push = (mutations: unknown[]) =>
      e.call(rita, 'POST', '/v1/sync/push', { deviceId: rita.deviceId, mutations });
    await push([submit(1, label, tokens.get('t1')!)]);
    const afterLabel = await report();
    expect(afterLabel.overall.labels).toBe(1);
    expect(afterLabel.overall.positionBias.pairwiseFirst.total).toBe(1);
    expect(afterLabel.computedAt).not.toBe(first.computedAt);

    // an edit (same label, newer revision) changes no count but the report: a tie now
    e.clock.advance(1000);
    const tie = { preferredResponseId: null, choice: 'tie' as const, strength: null };
    await push([submit(2, { ...label, revision: 2, pairwise: tie }, tokens.get('t1')!)]);
    const afterEdit = await report();
    expect(afterEdit.overall.positionBias.pairwiseTies).toBe(1);
    expect(afterEdit.overall.positionBias.pairwiseFirst.total).toBe(0);

    // past the time-to-live (flags' windows end now) it is computed again
    e.clock.advance(1000);
    expect((await report()).computedAt).toBe(afterEdit.computedAt);
    e.clock.advance(REPORT_TTL_MS);
    expect((await report()).computedAt).not.toBe(afterEdit.computedAt);
  });

  it("opens one task's labels side by side: names of the lead's own pod only, nothing for other pods' tasks", async () => {
    const e = env();
    await seed(e);
    await label(e, 'reviewer2', 't5', at(6, 3));
    const lena = await e.login('lead');
    const res = await e.call(lena, 'GET', '/v1/metrics/projects/prod/tasks/t2');
    expect(res.status).toBe(200);
    expect(res.json.task.meta).toBeUndefined();
    expect(res.json.labels.map((l: { reviewer: string | null }) => l.reviewer)).toEqual(['rita', null]);
    expect(res.json.labels[1].pairwise).toEqual({ preferredResponseId: 'b', strength: 'better' });
    expect(JSON.stringify(res.json)).not.toContain('rationale');
    // only pod-b's work on t5: not the pod-a lead's to open; an admin sees every name
    expect((await e.call(lena, 'GET', '/v1/metrics/projects/prod/tasks/t5')).status).toBe(404);
    const admin = await e.call(await e.login('admin'), 'GET', '/v1/metrics/projects/prod/tasks/t2');
    expect(admin.json.labels.map((l: { reviewer: string }) => l.reviewer)).toEqual(['rita', 'rob']);
    expect(
      (await e.call(await e.login('reviewer'), 'GET', '/v1/metrics/projects/prod/tasks/t2')).status,
    ).toBe(403);
    expect((await e.call(lena, 'GET', '/v1/metrics/projects/prod/tasks/nope')).status).toBe(404);
  });
});
