import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../server/db/connect';
import type { Database } from '../../../../server/db/schema';
import { backends, cli, jsonl, pairwiseTask, removeTempFiles, tempFile } from './helpers';

const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
  removeTempFiles();
});

/** a gold item: a pairwise task (responses a, b) with a key preferring `preferred` */
const item = (id: string, preferred = 'a') => ({
  ...pairwiseTask(id),
  key: { kind: 'pairwise', preferred, explanation: `Because ${id}.` },
});

async function rows<T extends keyof Database>(db: string, table: T) {
  const server = await openDatabase(db);
  try {
    return (await server.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
  } finally {
    await server.close();
  }
}

async function ready(db: string) {
  expect((await cli(db, 'project', 'create', 'prod', '--name', 'Prod')).code).toBe(0);
  expect((await cli(db, 'pod', 'create', 'pod-a', '--name', 'A')).code).toBe(0);
  for (const [name, role] of [
    ['rita', 'reviewer'],
    ['tina', 'trainee'],
  ])
    expect(
      (await cli(db, 'user', 'add', name!, '--role', role!, '--pod', 'pod-a', '--password', 'password-1'))
        .code,
    ).toBe(0);
}

describe.each(all)('server CLI on $name: gold and QA', (backend) => {
  afterEach(() => backend.cleanup());

  it('gold import stores tasks and keys apart and sets the rate; a bad file or rate stores nothing', async () => {
    const db = await backend.fresh();
    await ready(db);
    const good = tempFile('gold.jsonl', jsonl(item('q-1001'), item('q-1002', 'b')));
    expect(await cli(db, 'gold', 'import', good, '--project', 'prod', '--rate', '0.05')).toEqual({
      code: 0,
      stdout: 'imported 2 gold task(s) into prod (2 in all), mixed into leases at rate 0.05\n',
      stderr: '',
    });
    const tasks = await rows(db, 'tasks');
    expect(tasks.map((t) => [t.id, t.ratings_required])).toEqual([
      ['q-1001', 0],
      ['q-1002', 0],
    ]);
    // the key is not in the task body
    for (const t of tasks) expect(t.body).not.toContain('Because');
    expect((await rows(db, 'gold_keys')).map((k) => JSON.parse(k.key as string).preferred)).toEqual([
      'a',
      'b',
    ]);
    expect(await rows(db, 'project_quality')).toMatchObject([{ project_id: 'prod', gold_rate: 0.05 }]);

    // keys that do not match their responses: every line named, nothing stored
    const bad = tempFile(
      'bad.jsonl',
      jsonl(item('q-2001'), item('q-2002', 'c'), { ...pairwiseTask('q-2003') }),
    );
    const refused = await cli(db, 'gold', 'import', bad, '--project', 'prod', '--rate', '0.1');
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n').slice(0, 3)).toEqual([
      `${bad}:2: key.preferred: the task has no response "c" (it has a, b)`,
      `${bad}:3: key: is required: every item needs an answer key`,
      `error: ${bad}: nothing imported, 2 error(s)`,
    ]);
    // a rate out of range, an id that tells, an id already taken: nothing stored either
    const rate = await cli(db, 'gold', 'import', good, '--project', 'prod', '--rate', '0.7');
    expect(rate).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--rate: must be between 0 and 0.5'),
    });
    const telling = tempFile('telling.jsonl', jsonl(item('gold-7')));
    expect((await cli(db, 'gold', 'import', telling, '--project', 'prod', '--rate', '0.1')).stderr).toMatch(
      /task "gold-7": id: must not say what the task is/,
    );
    expect((await cli(db, 'gold', 'import', good, '--project', 'prod', '--rate', '0.1')).stderr).toMatch(
      /task "q-1001": id: already a task of project "prod"/,
    );
    expect((await rows(db, 'tasks')).length).toBe(2);
    expect(await rows(db, 'project_quality')).toMatchObject([{ gold_rate: 0.05 }]);
  });

  it('qa configure, qa sample and user grant: stored, printed, audited; bad input changes nothing', async () => {
    const db = await backend.fresh();
    await ready(db);
    const outOfRange = await cli(db, 'qa', 'configure', '--project', 'prod', '--share', '0.6');
    expect(outOfRange).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--share: must be between 0 and 0.5'),
    });
    expect((await cli(db, 'qa', 'configure', '--project', 'nope', '--share', '0.1')).code).toBe(1);
    expect(await rows(db, 'project_quality')).toEqual([]);
    expect((await cli(db, 'qa', 'sample', '--project', 'prod')).stderr).toMatch(/run `qa configure` first/);

    const set = await cli(
      db,
      'qa',
      'configure',
      '--project',
      'prod',
      '--share',
      '0.2',
      '--overrides',
      '--seed',
      's1',
    );
    expect(set.stdout).toBe(
      'QA for prod: share 0.2, seed s1, re-ratings replace originals in trl/openai exports\n',
    );
    expect(await rows(db, 'project_quality')).toMatchObject([
      { qa_share: 0.2, qa_replaces: 1, qa_seed: 's1' },
    ]);

    // ten labels of rita's, written straight to the tables: 20% -> 2 sampled
    const server = await openDatabase(db);
    try {
      const rita = (
        await server.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'rita')
          .executeTakeFirstOrThrow()
      ).id;
      const at = '2026-01-05T09:00:00.000Z';
      for (let i = 0; i < 10; i++) {
        await server.db
          .insertInto('tasks')
          .values({
            id: `t${i}`,
            project_id: 'prod',
            seq: i,
            kind: 'pairwise',
            body: '{}',
            ratings_required: 1,
            revoked_at: null,
            lease_counter: 1,
            created_at: at,
          })
          .execute();
        await server.db
          .insertInto('labels')
          .values({
            id: `l${i}`,
            task_id: `t${i}`,
            project_id: 'prod',
            user_id: rita,
            device_id: 'd',
            body: '{}',
            revision: 1,
            lease_token: 1,
            flagged: null,
            client_times: null,
            created_at: at,
            received_at: at,
            updated_at: at,
          })
          .execute();
      }
    } finally {
      await server.close();
    }
    const sample = await cli(db, 'qa', 'sample', '--project', 'prod');
    expect(sample.code).toBe(0);
    expect(sample.stdout).toMatch(
      /^QA run \S+ of prod: seed s1, share 0.2: 2 of 10 label\(s\) sampled\n {2}rita: 2\n$/,
    );
    expect(await rows(db, 'qa_samples')).toHaveLength(2);

    expect((await cli(db, 'user', 'grant', 'rita', 'qa')).stdout).toBe('rita now has the qa permission\n');
    expect((await cli(db, 'user', 'grant', 'rita', 'qa')).stdout).toBe(
      'rita already had the qa permission\n',
    );
    expect((await cli(db, 'user', 'grant', 'rita', 'admin')).code).toBe(2);
    expect((await cli(db, 'user', 'grant', 'tina', 'qa')).code).toBe(1);
    expect((await cli(db, 'user', 'grant', 'nobody', 'qa')).code).toBe(1);
    expect(await rows(db, 'user_permissions')).toMatchObject([{ permission: 'qa' }]);
    expect((await cli(db, 'user', 'grant', 'rita', 'qa', '--revoke')).stdout).toBe(
      'rita no longer has the qa permission\n',
    );
    expect(await rows(db, 'user_permissions')).toEqual([]);
    const actions = (await rows(db, 'audit_log'))
      .map((a) => a.action)
      .filter((a) => /^(qa|user\.(un)?grant)/.test(a as string));
    expect(actions).toEqual(['qa.configure', 'qa.sample', 'user.grant', 'user.ungrant']);
  });
});
