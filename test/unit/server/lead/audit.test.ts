import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { AuditEntry } from '../../../../shared/lead';
import { revokeUser, setUserRole } from '../../../../server/db/admin';
import { grantCertificate, revokeCertificates } from '../../../../server/training/admin';
import { cli, jsonl, removeTempFiles, tempFile } from '../cli/helpers';
import { describeEachDb } from '../each-db';
import { makeTask, useServer } from '../helpers';
import { addExam } from '../training/helpers';
import { auditEntries } from './helpers';

afterEach(removeTempFiles);

describeEachDb('audit log', (dialect) => {
  const env = useServer(dialect);

  it('records operator actions with who, what and before/after, in the same transaction', async () => {
    const e = env();
    const admin = await e.login('admin');
    // the fixture's users and projects were added through the audited helpers
    const adds = await auditEntries(e, admin, 'user.add');
    expect(adds.map((x) => x.after!.username)).toEqual(['tina', 'rita', 'rob', 'lena', 'ada']);
    expect(adds.every((x) => x.actorRole === 'operator' && x.actorUserId === null)).toBe(true);
    expect((await auditEntries(e, admin, 'project.create')).map((x) => x.targetId)).toEqual([
      'prod',
      'train',
    ]);

    await setUserRole(e.sdb.db, 'tina', 'reviewer');
    const [role] = await auditEntries(e, admin, 'user.role');
    expect(role).toMatchObject({
      targetId: e.userIds.trainee,
      before: { role: 'trainee' },
      after: { role: 'reviewer' },
    });
    await addExam(e);
    expect((await auditEntries(e, admin, 'exam.create'))[0]!.after).toMatchObject({
      id: 'helpful-exam',
      bank: 6,
    });
    await grantCertificate(e.sdb.db, e.userIds.reviewer, 'helpfulness', e.clock.read());
    await revokeCertificates(e.sdb.db, e.userIds.reviewer, 'helpfulness', e.clock.read());
    const [revoked] = await auditEntries(e, admin, 'certificate.revoke');
    expect((revoked!.before as unknown as { revokedAt: null }[])[0]!.revokedAt).toBeNull();
    expect((revoked!.after as unknown as { revokedAt: string }[])[0]!.revokedAt).toBe(
      e.clock.read().toISOString(),
    );
    expect(await auditEntries(e, admin, 'certificate.grant')).toHaveLength(1);
    await revokeUser(e.sdb.db, 'rob');
    expect((await auditEntries(e, admin, 'user.revoke'))[0]!.after).toMatchObject({ username: 'rob' });
    // a failed action leaves no entry: unknown user
    expect(await setUserRole(e.sdb.db, 'nobody', 'lead')).toBeNull();
    expect(await auditEntries(e, admin, 'user.role')).toHaveLength(1);
  });

  it("records an admin's publish with the admin as actor, and pages with since", async () => {
    const e = env();
    // past every fixture entry (those carry the real time of the test run)
    e.clock.advance(Date.parse('2100-01-01T00:00:00.000Z') - e.clock.now);
    const admin = await e.login('admin');
    const taxonomy = {
      id: 'tax',
      name: 'Failures',
      version: '2',
      tags: [{ id: 'x', label: 'X', definition: 'x' }],
    };
    expect(
      (await e.call(admin, 'POST', '/v1/admin/config', { kind: 'taxonomy', doc: taxonomy })).status,
    ).toBe(200);
    const [publish] = await auditEntries(e, admin, 'config.publish');
    expect(publish).toMatchObject({
      actorRole: 'admin',
      actorUserId: e.userIds.admin,
      targetType: 'taxonomy',
      targetId: 'tax',
      before: null,
      after: { version: '2' },
    });
    const since = await e.call(
      admin,
      'GET',
      `/v1/admin/audit?since=${encodeURIComponent(e.clock.read().toISOString())}`,
    );
    // the admin's sign-in is audited too (docs/server.md, "Identity and roles")
    expect(since.json.entries.map((x: AuditEntry) => x.action)).toEqual(['auth.sign-in', 'config.publish']);
    const page = await e.call(admin, 'GET', '/v1/admin/audit?limit=2');
    expect(page.json.entries).toHaveLength(2);
    const next = await e.call(admin, 'GET', `/v1/admin/audit?limit=2&after=${page.json.next}`);
    expect(next.json.entries[0].id).toBeGreaterThan(page.json.entries[1].id);
    const bad = await e.call(admin, 'GET', '/v1/admin/audit?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toBe('since');
  });

  it('audit export writes JSON Lines since a date; CLI exports and rounds are audited', async () => {
    const e = env();
    const exported = await cli(e.sdb.target, 'export', '--project', 'prod', '--format', 'raw');
    expect(exported.code).toBe(0);
    const round = tempFile('round.jsonl', jsonl(makeTask('cal-1')));
    expect(
      (
        await cli(
          e.sdb.target,
          'calibration',
          'create',
          '--pod',
          'pod-a',
          '--from',
          round,
          '--due',
          '2030-01-01',
        )
      ).code,
    ).toBe(0);
    expect((await cli(e.sdb.target, 'shadow', 'open', '--project', 'prod')).code).toBe(0);
    expect((await cli(e.sdb.target, 'shadow', 'close', '--project', 'prod')).code).toBe(0);

    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-')), 'audit.jsonl');
    const run = await cli(e.sdb.target, 'audit', 'export', '--out', out);
    expect(run.code).toBe(0);
    const entries = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => AuditEntry.parse(JSON.parse(line)));
    expect(run.stderr).toContain(`exported ${entries.length} audit entries`);
    const actions = entries.map((x) => x.action);
    for (const action of [
      'user.add',
      'project.create',
      'export.project',
      'calibration.create',
      'shadow.open',
      'shadow.close',
    ])
      expect(actions).toContain(action);
    expect(entries.find((x) => x.action === 'export.project')).toMatchObject({
      targetId: 'prod',
      after: { format: 'raw', labels: 0 },
    });
    // ids rise: oldest first
    expect(entries.map((x) => x.id)).toEqual([...entries.map((x) => x.id)].sort((a, b) => a - b));

    const future = await cli(e.sdb.target, 'audit', 'export', '--since', '2100-01-01');
    expect(future.stdout).toBe('');
    const bad = await cli(e.sdb.target, 'audit', 'export', '--since', 'last week');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since: "last week" is not a date');
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
