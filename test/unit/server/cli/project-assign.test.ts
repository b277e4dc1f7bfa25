import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../server/db/connect';
import { backends, cli } from './helpers';

const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
});

describe.each(all)('server CLI on $name: projects and pods', (backend) => {
  afterEach(() => backend.cleanup());

  it('project create is closed unless given pods, users or --all-pods; project assign changes who sees it, audited; bad input changes nothing', async () => {
    const db = await backend.fresh();
    for (const pod of ['pod-a', 'pod-b'])
      expect((await cli(db, 'pod', 'create', pod, '--name', pod)).code).toBe(0);
    expect(
      (
        await cli(
          db,
          'user',
          'add',
          'rita',
          '--role',
          'reviewer',
          '--pod',
          'pod-b',
          '--password',
          'rita-secret',
        )
      ).code,
    ).toBe(0);

    const closed = await cli(db, 'project', 'create', 'closed', '--name', 'Closed');
    expect(closed.stdout).toContain('project closed: open to nobody but admins (assign a pod or a user)');
    const open = await cli(db, 'project', 'create', 'open', '--name', 'Open', '--all-pods');
    expect(open.stdout).toContain('project open: open to every pod');
    const given = await cli(
      db,
      'project',
      'create',
      'given',
      '--name',
      'Given',
      '--pod',
      'pod-a',
      '--user',
      'rita',
    );
    expect(given).toMatchObject({ code: 0 });
    expect(given.stdout).toContain('project given: open to pod pod-a, user rita');

    expect((await cli(db, 'project', 'assign', 'closed', '--pod', 'pod-b')).stdout).toBe(
      'project closed: open to pod pod-b\n',
    );
    // removing the last pod closes the project again, never opens it
    expect((await cli(db, 'project', 'assign', 'closed', '--pod', 'pod-b', '--remove')).stdout).toBe(
      'project closed: open to nobody but admins (assign a pod or a user)\n',
    );
    expect((await cli(db, 'project', 'assign', 'open', '--pod', 'pod-a')).stdout).toBe(
      'project open: open to pod pod-a\n',
    );
    expect((await cli(db, 'project', 'assign', 'open', '--all-pods')).stdout).toBe(
      'project open: open to every pod\n',
    );

    const refused: [string[], number, RegExp][] = [
      [['project', 'assign', 'closed'], 2, /exactly one of --pod ID, --user USERNAME, --all-pods/],
      [['project', 'assign', 'closed', '--pod', 'pod-a', '--user', 'rita'], 2, /exactly one/],
      [['project', 'assign', 'closed', '--all-pods', '--remove'], 2, /--remove takes --pod or --user/],
      [['project', 'assign', 'closed', '--pod', 'bad pod'], 2, /--pod:/],
      [['project', 'assign', 'nope', '--pod', 'pod-a'], 1, /no project "nope"/],
      [['project', 'assign', 'closed', '--pod', 'pod-z'], 1, /no pod "pod-z"/],
      [['project', 'assign', 'closed', '--user', 'nobody'], 1, /no user "nobody"/],
      [['project', 'create', 'half', '--name', 'H', '--pod', 'pod-z'], 1, /no pod "pod-z": nothing created/],
      [['project', 'create', 'both', '--name', 'B', '--pod', 'pod-a', '--all-pods'], 2, /--all-pods/],
    ];
    for (const [args, code, message] of refused) {
      const run = await cli(db, ...args);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
    }

    const server = await openDatabase(db);
    try {
      const projects = await server.db
        .selectFrom('projects')
        .select(['id', 'pod_scoped'])
        .orderBy('id')
        .execute();
      expect(projects.map((p) => [p.id, Number(p.pod_scoped)])).toEqual([
        ['closed', 1],
        ['given', 1],
        ['open', 0],
      ]);
      const pods = await server.db.selectFrom('project_pods').select(['project_id', 'pod_id']).execute();
      expect(pods.map((p) => `${p.project_id} ${p.pod_id}`).sort()).toEqual(['given pod-a', 'open pod-a']);
      const audited = await server.db
        .selectFrom('audit_log')
        .select(['actor_role', 'target_id', 'before', 'after'])
        .where('action', '=', 'project.assign')
        .orderBy('id')
        .execute();
      expect(audited.map((a) => [a.actor_role, a.target_id])).toEqual([
        ['operator', 'given'],
        ['operator', 'given'],
        ['operator', 'closed'],
        ['operator', 'closed'],
        ['operator', 'open'],
        ['operator', 'open'],
      ]);
      expect(JSON.parse(audited[3]!.before!)).toEqual({ allPods: false, pods: ['pod-b'], users: [] });
      expect(JSON.parse(audited[3]!.after!)).toEqual({
        allPods: false,
        pods: [],
        users: [],
        leasesWithdrawn: 0,
      });
    } finally {
      await server.close();
    }
  });
});
