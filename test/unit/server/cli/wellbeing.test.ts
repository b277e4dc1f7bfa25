import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../server/db/connect';
import { backends, cli } from './helpers';

const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
});

describe.each(all)('server CLI on $name: exposure caps and the break reminder', (backend) => {
  afterEach(() => backend.cleanup());

  it('project create and project set take the caps and the reminder, audited; bad input changes nothing', async () => {
    const db = await backend.fresh();
    const created = await cli(
      db,
      ...['project', 'create', 'hard', '--name', 'Hard', '--sensitive-per-day', '40', '--break-after', '45'],
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(
      'project hard: sensitive tasks per day: 40; per session: no cap; break reminder: after 45 min',
    );
    expect((await cli(db, 'project', 'create', 'plain', '--name', 'Plain')).code).toBe(0);
    const set = await cli(
      db,
      'project',
      'set',
      'plain',
      '--sensitive-per-session',
      '10',
      '--break-after',
      '0.5',
    );
    expect(set).toMatchObject({
      code: 0,
      stdout:
        'project plain: sensitive tasks per day: no cap; per session: 10; break reminder: after 0.5 min\n',
    });
    // `none` lifts a cap; the options not given stay as they were
    const lifted = await cli(db, 'project', 'set', 'hard', '--sensitive-per-day', 'none');
    expect(lifted.stdout).toBe(
      'project hard: sensitive tasks per day: no cap; per session: no cap; break reminder: after 45 min\n',
    );

    const refused: [string[], number, RegExp][] = [
      [
        ['project', 'set', 'plain', '--sensitive-per-day', '0'],
        2,
        /--sensitive-per-day: must be between 1 and 10000/,
      ],
      [
        ['project', 'set', 'plain', '--sensitive-per-day', '2.5'],
        2,
        /--sensitive-per-day: "2.5" is not a whole number/,
      ],
      [['project', 'set', 'plain', '--sensitive-per-session', 'lots'], 2, /--sensitive-per-session/],
      [['project', 'set', 'plain', '--break-after', '0'], 2, /--break-after: must be between 0.05 and 1440/],
      [['project', 'set', 'nope', '--sensitive-per-day', '8'], 1, /no project "nope"/],
      [['project', 'set', 'plain'], 2, /nothing to set: .*--sensitive-per-day N/],
      [['project', 'create', 'x', '--name', 'X', '--break-after', '-1'], 2, /--break-after/],
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
        .select(['id', 'sensitive_cap_per_day', 'sensitive_cap_per_session', 'sensitive_break_minutes'])
        .orderBy('id')
        .execute();
      expect(
        rows.map((r) => [
          r.id,
          r.sensitive_cap_per_day,
          r.sensitive_cap_per_session === null ? null : Number(r.sensitive_cap_per_session),
          r.sensitive_break_minutes === null ? null : Number(r.sensitive_break_minutes),
        ]),
      ).toEqual([
        ['hard', null, null, 45],
        ['plain', null, 10, 0.5],
      ]);
      const audited = await server.db
        .selectFrom('audit_log')
        .select(['actor_role', 'target_id', 'before', 'after'])
        .where('action', '=', 'project.set')
        .orderBy('id')
        .execute();
      expect(
        audited.map((a) => [a.actor_role, a.target_id, JSON.parse(a.before!), JSON.parse(a.after!)]),
      ).toEqual([
        [
          'operator',
          'plain',
          { perDay: null, perSession: null, breakAfterMinutes: null },
          { perDay: null, perSession: 10, breakAfterMinutes: 0.5 },
        ],
        [
          'operator',
          'hard',
          { perDay: 40, perSession: null, breakAfterMinutes: 45 },
          { perDay: null, perSession: null, breakAfterMinutes: 45 },
        ],
      ]);
    } finally {
      await server.close();
    }
  });
});
