import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../../../server/auth/password';
import { openDatabase } from '../../../../server/db/connect';
import { backends, cli, cliWithStdin } from './helpers';

const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
});

describe.each(all)('server CLI on $name: projects, pods, users', (backend) => {
  afterEach(() => backend.cleanup());

  it('creates a project with its assignment settings and refuses a second one with the same id', async () => {
    const db = await backend.fresh();
    const created = await cli(
      db,
      ...['project', 'create', 'helpful-1', '--name', 'Helpfulness', '--batch-size', '150'],
      ...['--lease-hours', '48', '--ratings', '1', '--agreement-share', '0.1', '--agreement-ratings', '3'],
    );
    expect(created).toMatchObject({
      code: 0,
      stdout:
        'created project helpful-1 (Helpfulness)\n' +
        'project helpful-1: open to nobody but admins (assign a pod or a user)\n',
    });
    expect((await cli(db, 'project', 'create', 'helpful-1', '--name', 'Again')).code).toBe(1);
    expect((await cli(db, 'project', 'create', 'sand', '--name', 'Sandbox', '--sandbox')).code).toBe(0);

    const server = await openDatabase(db);
    try {
      const rows = await server.db.selectFrom('projects').selectAll().orderBy('id').execute();
      expect(rows.map((r) => [r.id, r.name, r.batch_size, r.lease_hours, r.ratings_per_task])).toEqual([
        ['helpful-1', 'Helpfulness', 150, 48, 1],
        ['sand', 'Sandbox', 200, 72, 1],
      ]);
      expect([rows[0]!.agreement_share, rows[0]!.agreement_ratings, rows[0]!.production]).toEqual([
        0.1, 3, 1,
      ]);
      expect(rows[1]!.production).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('adds users with a printed or given password, pods with a lead, and revokes users', async () => {
    const db = await backend.fresh();
    expect((await cli(db, 'pod', 'create', 'pod-a', '--name', 'Pod A')).code).toBe(0);
    const reviewer = await cli(db, 'user', 'add', 'rita', '--role', 'reviewer', '--pod', 'pod-a');
    expect(reviewer.code).toBe(0);
    const printed = /password \(shown once\): (\S+)/.exec(reviewer.stdout)?.[1];
    expect(printed).toMatch(/^[\w-]{24}$/);
    expect(
      (await cli(db, 'user', 'add', 'lee', '--role', 'lead', '--password', 'lead-secret-1')).stdout,
    ).toBe('added lead lee\n');
    expect((await cli(db, 'pod', 'create', 'pod-b', '--name', 'Pod B', '--lead', 'lee')).stdout).toBe(
      'created pod pod-b (Pod B) led by lee\n',
    );
    expect((await cli(db, 'user', 'revoke', 'rita')).code).toBe(0);

    const server = await openDatabase(db);
    try {
      const users = await server.db.selectFrom('users').selectAll().orderBy('username').execute();
      expect(users.map((u) => [u.username, u.role, u.pod_id, u.revoked_at !== null])).toEqual([
        ['lee', 'lead', 'pod-b', false],
        ['rita', 'reviewer', 'pod-a', true],
      ]);
      expect(await verifyPassword(printed!, users[1]!.password_hash)).toBe(true);
      expect(await verifyPassword('lead-secret-1', users[0]!.password_hash)).toBe(true);
      const pod = await server.db.selectFrom('pods').selectAll().where('id', '=', 'pod-b').executeTakeFirst();
      expect(pod!.lead_user_id).toBe(users[0]!.id);
    } finally {
      await server.close();
    }
  });

  it('changes a role: a certified trainee promoted to reviewer; bad input changes nothing', async () => {
    const db = await backend.fresh();
    expect((await cli(db, 'user', 'add', 'tina', '--role', 'trainee', '--password', 'password-1')).code).toBe(
      0,
    );
    expect(await cli(db, 'user', 'role', 'tina', '--role', 'reviewer')).toMatchObject({
      code: 0,
      stdout: 'tina: trainee -> reviewer (applies at their next request)\n',
    });
    expect((await cli(db, 'user', 'role', 'tina', '--role', 'reviewer')).stdout).toBe(
      'tina is already a reviewer\n',
    );
    expect(await cli(db, 'user', 'role', 'nobody', '--role', 'reviewer')).toMatchObject({
      code: 1,
      stderr: 'error: no user "nobody"\n',
    });
    expect((await cli(db, 'user', 'role', 'tina', '--role', 'boss')).code).toBe(2);
    expect((await cli(db, 'user', 'role', 'tina')).code).toBe(2);
    const server = await openDatabase(db);
    try {
      const user = await server.db
        .selectFrom('users')
        .select('role')
        .where('username', '=', 'tina')
        .executeTakeFirstOrThrow();
      expect(user.role).toBe('reviewer');
    } finally {
      await server.close();
    }
  });

  it('takes the password from the first line of piped standard input with --password-stdin', async () => {
    const db = await backend.fresh();
    const add = (username: string, input: string) =>
      cliWithStdin(input, db, 'user', 'add', username, '--role', 'reviewer', '--password-stdin');
    // nothing printed: the password was the operator's, not generated
    expect(await add('pia', 'piped secret 1\nsecond line ignored\n')).toEqual({
      code: 0,
      stdout: 'added reviewer pia\n',
      stderr: '',
    });
    expect((await add('cora', 'crlf-secret-2\r\n')).code).toBe(0);
    expect((await add('nolf', 'no-newline-3')).code).toBe(0);

    const server = await openDatabase(db);
    try {
      const users = await server.db.selectFrom('users').selectAll().orderBy('username').execute();
      const hash = (name: string) => users.find((u) => u.username === name)!.password_hash;
      expect(await verifyPassword('piped secret 1', hash('pia'))).toBe(true);
      expect(await verifyPassword('crlf-secret-2', hash('cora'))).toBe(true);
      expect(await verifyPassword('crlf-secret-2\r', hash('cora'))).toBe(false);
      expect(await verifyPassword('no-newline-3', hash('nolf'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('refuses a short, empty, overlong or terminal standard input, and both password options', async () => {
    const db = await backend.fresh();
    const cases: [string, string[], number, RegExp][] = [
      ['short\n', [], 1, /^error: --password-stdin: must be at least 8 characters$/m],
      ['', [], 1, /^error: --password-stdin: the first line of standard input is empty$/m],
      ['\nlong-enough-but-second\n', [], 1, /the first line of standard input is empty/],
      ['x'.repeat(1025), [], 1, /--password-stdin: must be at most 1024 characters/],
      ['tty', [], 2, /--password-stdin: standard input is a terminal; pipe the password in/],
      ['long-enough-1\n', ['--password', 'long-enough-2'], 2, /--password and --password-stdin: give one/],
    ];
    for (const [input, extra, code, message] of cases) {
      const args = ['user', 'add', 'rita', '--role', 'reviewer', '--password-stdin', ...extra];
      const run = await cliWithStdin(input, db, ...args);
      expect({ input, code: run.code }).toEqual({ input, code });
      expect(run.stderr).toMatch(message);
    }
    // without a standard input at all (an embedding that passes none) it is refused like a terminal
    expect((await cli(db, 'user', 'add', 'rita', '--role', 'reviewer', '--password-stdin')).code).toBe(2);
    const server = await openDatabase(db);
    try {
      expect(await server.db.selectFrom('users').select('id').execute()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('names what is wrong: data errors exit 1, usage errors exit 2', async () => {
    const db = await backend.fresh();
    const cases: [string[], number, RegExp][] = [
      [['user', 'revoke', 'nobody'], 1, /no user "nobody"/],
      [['user', 'add', 'rita', '--role', 'reviewer', '--pod', 'missing'], 1, /--pod: no pod "missing"/],
      [['user', 'add', 'rita', '--role', 'boss'], 2, /--role: Invalid option/],
      [['user', 'add', 'Rita!', '--role', 'reviewer'], 2, /USERNAME: lowercase letters/],
      [['user', 'add', 'rita', '--role', 'reviewer', '--password', 'short'], 1, /at least 8 characters/],
      [['pod', 'create', 'pod-x', '--name', 'X', '--lead', 'ghost'], 1, /--lead: no user "ghost"/],
      [['project', 'create', 'p'], 2, /--name is required/],
      [
        ['project', 'create', 'p', '--name', 'P', '--batch-size', 'lots'],
        2,
        /--batch-size: "lots" is not a whole number/,
      ],
      [['project', 'create', 'p', '--name', 'P', '--agreement-share', '2'], 2, /between 0 and 1/],
      [['project', 'create', 'bad id', '--name', 'P'], 2, /ID: may contain only/],
      [['project', 'create', 'p', '--name', 'P', '--colour', 'red'], 2, /Unknown option '--colour'/],
      [['project', 'delete', 'p'], 2, /unknown command "project delete"/],
      [['import', '--project', 'p'], 2, /missing FILE/],
      [['import', 'a.jsonl', 'b.jsonl', '--project', 'p'], 2, /unexpected argument "b.jsonl"/],
      [['export', '--project', 'p', '--format', 'csv'], 2, /--format: "csv" is not one of raw, trl, openai/],
      [['export', '--project', 'p', '--format', 'raw', '--margin'], 2, /apply to --format trl only/],
      [['export', '--project', 'nope', '--format', 'raw'], 1, /--project: no project "nope"/],
    ];
    for (const [args, code, message] of cases) {
      const run = await cli(db, ...args);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
    }
  });

  it('prints help for every command', async () => {
    const db = await backend.fresh();
    const main = await cli(db, '--help');
    expect(main.code).toBe(0);
    for (const command of [
      'project create',
      'pod create',
      'user add',
      'user role',
      'user revoke',
      'import',
      'export',
    ]) {
      expect(main.stdout).toContain(command);
      const help = await cli(db, ...command.split(' '), '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: ${command}`);
    }
  });
});
