import { expect, it } from 'vitest';
import { PodMembersReply } from '../../../../shared/lead';
import { addUser, revokeUser } from '../../../../server/db/admin';
import { describeEachDb } from '../each-db';
import { PASSWORD, useServer } from '../helpers';

describeEachDb('pod members (GET /v1/pods/:podId/reviewers)', (dialect) => {
  const env = useServer(dialect);

  it("lists the pod's trainees and reviewers, not its lead, other pods' members or revoked users", async () => {
    const e = env();
    await addUser(e.sdb.db, { username: 'abe', password: PASSWORD, role: 'reviewer', podId: 'pod-a' });
    await addUser(e.sdb.db, { username: 'gone', password: PASSWORD, role: 'reviewer', podId: 'pod-a' });
    await revokeUser(e.sdb.db, 'gone');
    const lead = await e.login('lead');
    const res = await e.call(lead, 'GET', '/v1/pods/pod-a/reviewers');
    expect(res.status).toBe(200);
    const { reviewers } = PodMembersReply.parse(res.json);
    expect(reviewers.map((r) => [r.username, r.role])).toEqual([
      ['abe', 'reviewer'],
      ['rita', 'reviewer'],
      ['tina', 'trainee'],
    ]);
    expect(reviewers.find((r) => r.username === 'rita')!.id).toBe(e.userIds.reviewer);

    // pod A's lead on pod B: refused; an admin reads any pod
    expect((await e.call(lead, 'GET', '/v1/pods/pod-b/reviewers')).status).toBe(403);
    const admin = await e.login('admin');
    const podB = PodMembersReply.parse((await e.call(admin, 'GET', '/v1/pods/pod-b/reviewers')).json);
    expect(podB.reviewers.map((r) => r.username)).toEqual(['rob']);
    expect((await e.call(admin, 'GET', '/v1/pods/no-such-pod/reviewers')).json).toEqual({ reviewers: [] });
  });
});
