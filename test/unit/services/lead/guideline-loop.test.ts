import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { markdownSections } from '../../../../shared/guideline-diff';
import { addUser, createPod } from '../../../../server/db/admin';
import { describeEachDb } from '../../server/each-db';
import { call, resourcesDir, testResources } from '../helpers';
import { type RealServer, REVIEWER, startRealServer } from '../sync/real-server';
import { openWorkstation, signIn } from '../sync/workstation';

const LEAD = { username: 'lena', password: 'lead horse battery staple' };
const ADMIN = { username: 'ada', password: 'admin horse battery staple' };

/** workstations with the bundled guideline, as shipped (the server knows the same one) */
const withGuideline = (dataDir?: string) =>
  openWorkstation({
    ...(dataDir ? { dataDir } : {}),
    resourcesDir: testResources({
      'guidelines/default.json': fs.readFileSync(path.join(resourcesDir, 'guidelines/default.json'), 'utf8'),
    }),
  });

const servers: RealServer[] = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop()!;
    await s.stop();
    s.remove();
  }
});

describeEachDb('workstation: the guideline loop against the real server', (dialect) => {
  it('a lead drafts from an escalation, an admin publishes; the reviewer’s pull records "Guidelines updated" with the changed sections', async () => {
    const srv = await startRealServer({ dialect, tasks: 4, batchSize: 4 });
    servers.push(srv);
    const db = srv.db.db;
    await createPod(db, { id: 'pod-a' });
    await db
      .updateTable('users')
      .set({ pod_id: 'pod-a' })
      .where('username', '=', REVIEWER.username)
      .execute();
    await addUser(db, { ...LEAD, role: 'lead', podId: 'pod-a' });
    await addUser(db, { ...ADMIN, role: 'admin' });

    const rita = withGuideline();
    await signIn(rita, srv.url);
    await call(rita, 'sync.now');
    const [taskId] = (await call(rita, 'queue.list', { state: 'pending', limit: 10 })).map((i) => i.taskId);
    await call(rita, 'task.escalate', {
      taskId: taskId!,
      reason: 'guideline-gap',
      note: 'Which source wins?',
    });
    await call(rita, 'sync.now');
    expect((await call(rita, 'guidelines.updates')).notices).toEqual([]);

    const lena = withGuideline();
    await signIn(lena, srv.url, LEAD);
    const [escalation] = (await call(lena, 'lead.inbox', {})).items;
    const guideline = (await call(lena, 'guideline.get', {}))!;
    const heading = markdownSections(guideline.markdown).find((s) => s.level === 2)!.heading;
    const draft = await call(lena, 'guidelineDrafts.create', {
      draft: {
        guidelineId: guideline.id,
        baseVersion: guideline.version,
        summary: 'Say which source wins.',
        source: { kind: 'escalation', id: escalation!.id },
        sections: [{ heading, body: 'The passage wins over the model’s memory.' }],
        links: [{ kind: 'task', id: taskId! }],
      },
    });
    expect(draft.changes).toEqual([{ heading, kind: 'section', change: 'changed' }]);
    expect((await call(lena, 'guidelineDrafts.list', {})).drafts.map((d) => d.id)).toEqual([draft.id]);
    // a lead cannot publish: the server's refusal in its words
    await expect(call(lena, 'guidelineDrafts.publish', { id: draft.id, level: 'minor' })).rejects.toThrow(
      /403|forbidden/i,
    );

    const ada = withGuideline();
    await signIn(ada, srv.url, ADMIN);
    const open = await call(ada, 'guidelineDrafts.list', { all: true, state: 'open' });
    expect(open.drafts.map((d) => d.id)).toEqual([draft.id]);
    const published = await call(ada, 'guidelineDrafts.publish', { id: draft.id, level: 'minor' });
    expect(published.version).toBe(`${guideline.version}.1`);

    // the reviewer's next sync: the notice names the version and the changed section, unread
    await call(rita, 'sync.now');
    const updates = await call(rita, 'guidelines.updates');
    expect(updates.unread).toBe(1);
    expect(updates.notices[0]).toMatchObject({
      guidelineId: guideline.id,
      version: published.version,
      fromVersion: guideline.version,
      changes: [{ heading, kind: 'section', change: 'changed' }],
      readAt: null,
    });
    expect((await call(rita, 'guideline.get', {}))!.markdown).toContain('The passage wins');
    // a re-delivered copy (sync again) changes nothing; reading it is local and stays read
    await call(rita, 'sync.now');
    const read = await call(rita, 'guidelines.markRead', {
      guidelineId: guideline.id,
      version: published.version,
    });
    expect(read.unread).toBe(0);
    await expect(
      call(rita, 'guidelines.markRead', { guidelineId: guideline.id, version: '9.9' }),
    ).rejects.toThrow(/No "Guidelines updated" notice/);

    // a restart keeps the published version: the bundled copy does not replace what the server sent
    rita.close();
    const again = withGuideline(rita.dataDir);
    expect((await call(again, 'guideline.get', {}))!.version).toBe(published.version);
    expect((await call(again, 'guidelines.updates')).unread).toBe(0);
    await signIn(again, srv.url);

    // two versions before the reviewer reads: one notice, measured from the version they read
    const two = await call(lena, 'guidelineDrafts.create', {
      draft: {
        guidelineId: guideline.id,
        baseVersion: published.version,
        summary: 'A new section.',
        source: { kind: 'escalation', id: escalation!.id },
        sections: [{ heading: 'Conflicting sources', body: 'Prefer the passage.' }],
      },
    });
    await call(ada, 'guidelineDrafts.publish', { id: two.id, level: 'minor' });
    await call(again, 'sync.now');
    const three = await call(lena, 'guidelineDrafts.create', {
      draft: {
        guidelineId: guideline.id,
        baseVersion: `${guideline.version}.2`,
        summary: 'Drop it again, say it in the intro.',
        source: { kind: 'escalation', id: escalation!.id },
        sections: [{ heading: 'Conflicting sources', body: 'Prefer the passage; say why.' }],
      },
    });
    const major = await call(ada, 'guidelineDrafts.publish', { id: three.id, level: 'major' });
    await call(again, 'sync.now');
    const merged = await call(again, 'guidelines.updates');
    expect(merged.unread).toBe(1);
    expect(merged.notices[0]).toMatchObject({
      version: major.version,
      fromVersion: published.version,
      changes: [{ heading: 'Conflicting sources', change: 'added' }],
    });
  });
});
