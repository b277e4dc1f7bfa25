import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../server/db/connect';
import { backends, cli } from './helpers';

const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
});

describe.each(all)('server CLI on $name: the escalation response target', (backend) => {
  afterEach(() => backend.cleanup());

  it('project create --escalation-target and project set change it, audited; bad input changes nothing', async () => {
    const db = await backend.fresh();
    expect(
      (await cli(db, 'project', 'create', 'fast', '--name', 'Fast', '--escalation-target', '4')).code,
    ).toBe(0);
    expect((await cli(db, 'project', 'create', 'plain', '--name', 'Plain')).code).toBe(0);
    const set = await cli(db, 'project', 'set', 'plain', '--escalation-target', '12.5');
    expect(set).toMatchObject({ code: 0, stdout: 'project plain: escalations are overdue after 12.5 h\n' });

    const refused: [string[], number, RegExp][] = [
      [['project', 'set', 'plain', '--escalation-target', '0'], 2, /escalation-target/],
      [['project', 'set', 'plain', '--escalation-target', 'soon'], 2, /escalation-target/],
      [['project', 'set', 'nope', '--escalation-target', '8'], 1, /no project "nope"/],
      [['project', 'set', 'plain'], 2, /--escalation-target/],
      [['project', 'create', 'x', '--name', 'X', '--escalation-target', '-1'], 2, /escalation-target/],
    ];
    for (const [args, code, message] of refused) {
      const run = await cli(db, ...args);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
    }

    const server = await openDatabase(db);
    try {
      const rows = await server.db
        .selectFrom('projects')
        .select(['id', 'escalation_target_hours'])
        .orderBy('id')
        .execute();
      expect(rows.map((r) => [r.id, Number(r.escalation_target_hours)])).toEqual([
        ['fast', 4],
        ['plain', 12.5],
      ]);
      const audited = await server.db
        .selectFrom('audit_log')
        .select(['actor_role', 'target_id', 'before', 'after'])
        .where('action', '=', 'project.set')
        .execute();
      expect(
        audited.map((a) => [a.actor_role, a.target_id, JSON.parse(a.before!), JSON.parse(a.after!)]),
      ).toEqual([['operator', 'plain', { escalationTargetHours: 24 }, { escalationTargetHours: 12.5 }]]);
    } finally {
      await server.close();
    }
  });
});
