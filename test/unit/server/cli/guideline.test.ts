import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Guideline } from '../../../../shared/guideline';
import { openDatabase } from '../../../../server/db/connect';
import { currentGuideline } from '../../../../server/training/guidelines';
import { backends, cli, removeTempFiles, tempFile } from './helpers';

const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
  removeTempFiles();
});

async function read<T>(db: string, fn: (server: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) {
  const server = await openDatabase(db);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

const bundled = (db: string) => read(db, (s) => currentGuideline(s.db, 'default')) as Promise<Guideline>;

describe.each(all)('server CLI on $name: guideline publish', (backend) => {
  afterEach(() => backend.cleanup());

  it('publishes a Markdown file as the next minor, then major version: stored, broadcast, audited', async () => {
    const db = await backend.fresh();
    const before = await bundled(db);
    const text = `${before.markdown}\n\n## Unverifiable sources\n\nTag a claim you cannot check.\n`;
    const file = tempFile('guideline.md', text);
    const minor = await cli(db, 'guideline', 'publish', file, '--minor');
    expect(minor).toEqual({
      code: 0,
      stdout: 'published guideline default version 1.1 (was 1): added "Unverifiable sources"\n',
      stderr: '',
    });
    const major = await cli(
      db,
      'guideline',
      'publish',
      tempFile('g2.md', text.replace('Tag a claim', 'Always tag a claim')),
      '--major',
    );
    expect(major.code).toBe(0);
    expect(major.stdout).toContain('version 2 (was 1.1): changed "Unverifiable sources"');
    expect(major.stdout).toContain('0 certificate(s) fall due');
    const stored = await bundled(db);
    expect(stored).toMatchObject({ version: '2', title: before.title, examples: before.examples });
    expect(stored.markdown).toContain('Always tag a claim');
    const { changes, audit } = await read(db, async (s) => ({
      changes: await s.db
        .selectFrom('changes')
        .select(['type', 'payload'])
        .where('type', '=', 'guideline')
        .execute(),
      audit: await s.db.selectFrom('audit_log').selectAll().where('action', '=', 'config.publish').execute(),
    }));
    expect(changes.map((c) => (JSON.parse(c.payload) as { guideline: Guideline }).guideline.version)).toEqual(
      ['1.1', '2'],
    );
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor_role: 'operator', actor_user_id: null, target_id: 'default' });
    expect(JSON.parse(audit[1]!.before!)).toEqual({ version: '1.1' });
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({ version: '2', level: 'major' });
  });

  it('refuses bad input with FILE: MESSAGE or a usage error, and publishes nothing', async () => {
    const db = await backend.fresh();
    const before = await bundled(db);
    const good = tempFile('ok.md', '# New\n\ntext\n');
    expect(await cli(db, 'guideline', 'publish', good)).toMatchObject({ code: 2 });
    expect((await cli(db, 'guideline', 'publish', good, '--minor', '--major')).stderr).toContain(
      'give --minor or --major, not both',
    );
    const missing = `${good}.nope`;
    expect(await cli(db, 'guideline', 'publish', missing, '--minor')).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: ${missing}: no such file\n`,
    });
    const empty = tempFile('empty.md', '  \n');
    expect((await cli(db, 'guideline', 'publish', empty, '--minor')).stderr).toBe(
      `error: ${empty}: empty: the guideline's text is required\n`,
    );
    const binary = tempFile('bin.md', '');
    (await import('node:fs')).writeFileSync(binary, Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    expect((await cli(db, 'guideline', 'publish', binary, '--minor')).stderr).toContain(
      `${binary}: not UTF-8`,
    );
    const same = tempFile('same.md', before.markdown);
    expect((await cli(db, 'guideline', 'publish', same, '--minor')).stderr).toBe(
      `error: ${same}: the same text as version 1: nothing to publish\n`,
    );
    expect((await cli(db, 'guideline', 'publish', good, '--minor', '--id', 'nope')).stderr).toContain(
      '--id: no guideline "nope"',
    );
    const state = await read(db, async (s) => ({
      docs: await s.db.selectFrom('config_docs').select('id').execute(),
      audit: await s.db.selectFrom('audit_log').select('id').where('action', '=', 'config.publish').execute(),
    }));
    expect(state).toEqual({ docs: [], audit: [] });
  });

  it('guideline drafts lists the drafts, newest first, by state and pod', async () => {
    const db = await backend.fresh();
    expect(await cli(db, 'guideline', 'drafts')).toEqual({ code: 0, stdout: '', stderr: '0 draft(s)\n' });
    expect((await cli(db, 'guideline', 'drafts', '--state', 'maybe')).code).toBe(2);
    expect((await cli(db, 'pod', 'create', 'pod-a', '--name', 'A')).code).toBe(0);
    expect(
      (
        await cli(
          db,
          'user',
          'add',
          'lena',
          '--role',
          'lead',
          '--pod',
          'pod-a',
          '--name',
          'Lena',
          '--password',
          'password-1',
        )
      ).code,
    ).toBe(0);
    // two drafts as the server stores them (the routes are tested in server/lead/guideline-drafts)
    await read(db, async (s) => {
      const lena = await s.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'lena')
        .executeTakeFirstOrThrow();
      const row = (summary: string, state: 'open' | 'published', version: string | null) => ({
        pod_id: 'pod-a',
        guideline_id: 'default',
        base_version: '1',
        summary,
        source: JSON.stringify({ kind: 'escalation', id: '7' }),
        markdown: '# x',
        changes: '[]',
        links: '[]',
        state,
        author_id: lena.id,
        created_at: '2026-11-29T10:00:00.000Z',
        published_version: version,
      });
      await s.db
        .insertInto('guideline_drafts')
        .values(row('First\nmore words', 'published', '1.1'))
        .execute();
      await s.db
        .insertInto('guideline_drafts')
        .values(row('Second', 'open', null))
        .execute();
    });
    const listed = await cli(db, 'guideline', 'drafts');
    expect(
      listed.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')),
    ).toEqual([
      ['2', 'open', 'pod-a', 'default@1', 'Lena', '2026-11-29T10:00:00.000Z', 'Second'],
      ['1', 'published -> 1.1', 'pod-a', 'default@1', 'Lena', '2026-11-29T10:00:00.000Z', 'First'],
    ]);
    expect((await cli(db, 'guideline', 'drafts', '--state', 'open')).stdout).toMatch(/^2\topen/);
    expect((await cli(db, 'guideline', 'drafts', '--pod', 'pod-b')).stderr).toBe('0 draft(s)\n');
  });
});
