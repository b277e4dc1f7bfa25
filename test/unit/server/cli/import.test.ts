import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ImportHooks } from '../../../../server/cli/import';
import { importFile } from '../../../../server/cli/import';
import { openDatabase } from '../../../../server/db/connect';
import { Task } from '../../../../shared/task';
import { backends, cli, jsonl, pairwiseTask, rankingTask, removeTempFiles, tempFile } from './helpers';

const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
  removeTempFiles();
});

async function projectTasks(db: string, projectId: string) {
  const server = await openDatabase(db);
  try {
    const rows = await server.db
      .selectFrom('tasks')
      .select(['id', 'seq', 'kind', 'body'])
      .where('project_id', '=', projectId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ id: r.id, seq: r.seq, kind: r.kind, task: JSON.parse(r.body) as Task }));
  } finally {
    await server.close();
  }
}

describe.each(all)('server CLI on $name: import', (backend) => {
  afterEach(() => backend.cleanup());

  async function withProject(...ids: string[]) {
    const db = await backend.fresh();
    for (const id of ids) expect((await cli(db, 'project', 'create', id, '--name', id)).code).toBe(0);
    return db;
  }

  it('imports task format v1 and preference rows in file order; a re-import adds nothing', async () => {
    const db = await withProject('proj');
    const file = tempFile(
      'tasks.jsonl',
      '\uFEFF' +
        jsonl(
          rankingTask('rank-1', { tags: 'default', meta: { batch: 3 } }),
          '',
          pairwiseTask('pair-1'),
          { prompt: 'What is 2+2?', chosen: 'Four.', rejected: 'Five.' },
          rankingTask('rank-1'),
        ),
    );
    const first = await cli(db, 'import', file, '--project', 'proj');
    expect(first).toEqual({
      code: 0,
      stdout: 'imported 3 task(s) into project proj; 1 already present or repeated, skipped\n',
      stderr: '',
    });
    const tasks = await projectTasks(db, 'proj');
    expect(tasks.map((t) => [t.seq, t.kind])).toEqual([
      [1, 'ranking'],
      [2, 'pairwise'],
      [3, 'pairwise'],
    ]);
    expect(tasks[0]!.task).toEqual(
      Task.parse(rankingTask('rank-1', { tags: 'default', meta: { batch: 3 } })),
    );
    // the same id the workstation gives this row: pref- + sha256 of [prompt, chosen, rejected]
    expect(tasks[2]!.id).toBe('pref-60233d44e00883e8');
    expect(tasks[2]!.task.meta).toMatchObject({ source: 'preference-row' });

    const again = await cli(db, 'import', file, '--project', 'proj');
    expect(again.stdout).toBe(
      'imported 0 task(s) into project proj; 4 already present or repeated, skipped\n',
    );
    expect(await projectTasks(db, 'proj')).toHaveLength(3);
  });

  it('a file with bad lines imports nothing and lists every error by line and field', async () => {
    const db = await withProject('proj');
    const file = tempFile(
      'bad.jsonl',
      jsonl(
        rankingTask('ok-1'),
        '{"id": "broken",',
        rankingTask('dup-resp', {
          responses: [
            { id: 'x', text: '1' },
            { id: 'x', text: '2' },
          ],
        }),
        '',
        { ...pairwiseTask('typo'), respones: [] },
        rankingTask('ref', { tags: 'no-such-taxonomy' }),
        { prompt: 'p', chosen: '', rejected: 'r' },
        rankingTask('ok-2'),
      ),
    );
    const run = await cli(db, 'import', file, '--project', 'proj');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.slice(0, -1)).toEqual([
      expect.stringMatching(new RegExp(`^${file}:2: \\(json\\): not valid JSON: `)),
      `${file}:3: responses.1.id: duplicate response id "x"`,
      `${file}:5: respones: unknown field`,
      `${file}:6: tags: unknown taxonomy "no-such-taxonomy" (known: default)`,
      `${file}:7: chosen: Too small: expected string to have >=1 characters`,
    ]);
    expect(lines.at(-1)).toBe(`error: ${file}: nothing imported, 5 error(s)`);
    expect(await projectTasks(db, 'proj')).toEqual([]);
  });

  it('a task id taken by another project is an error on its line, and nothing is imported', async () => {
    const db = await withProject('one', 'two');
    expect(
      (await cli(db, 'import', tempFile('a.jsonl', jsonl(rankingTask('shared'))), '--project', 'one')).code,
    ).toBe(0);
    const file = tempFile('b.jsonl', jsonl(rankingTask('mine'), rankingTask('shared')));
    const run = await cli(db, 'import', file, '--project', 'two');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:2: id: task "shared" already belongs to project "one"\n`);
    expect(await projectTasks(db, 'two')).toEqual([]);
  });

  // files longer than one insert chunk (500 tasks), so the insert pass writes inside its transaction
  // before it reaches the end of the file
  const many = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => rankingTask(`${prefix}-${i + 1}`));

  it('streams a file of several chunks in file order, counting repeats and tasks already present', async () => {
    const db = await withProject('proj');
    const rows: unknown[] = many('t', 1200);
    rows.splice(1000, 0, rankingTask('t-3')); // a repeat from an earlier chunk (line 1001)
    rows.splice(10, 0, rankingTask('t-5')); // a repeat within the first chunk (line 11)
    const first = tempFile('first.jsonl', jsonl(...many('t', 600)));
    expect((await cli(db, 'import', first, '--project', 'proj')).stdout).toBe(
      'imported 600 task(s) into project proj\n',
    );
    const file = tempFile('all.jsonl', jsonl(...rows));
    expect(await cli(db, 'import', file, '--project', 'proj')).toEqual({
      code: 0,
      stdout: 'imported 600 task(s) into project proj; 602 already present or repeated, skipped\n',
      stderr: '',
    });
    const tasks = await projectTasks(db, 'proj');
    expect(tasks.map((t) => t.id)).toEqual(many('t', 1200).map((t) => t.id));
    expect(tasks.map((t) => t.seq)).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));

    const again = await cli(db, 'import', file, '--project', 'proj');
    expect(again.stdout).toBe(
      'imported 0 task(s) into project proj; 1202 already present or repeated, skipped\n',
    );
    expect(await projectTasks(db, 'proj')).toHaveLength(1200);
  });

  it('a bad line after more than 500 good ones: nothing is written, every error is listed', async () => {
    const db = await withProject('proj');
    const rows: unknown[] = many('t', 1200);
    rows[699] = '{"id": "cut-short"';
    rows[1099] = { ...rankingTask('t-1100'), respones: [] };
    const file = tempFile('late.jsonl', jsonl(...rows));
    const run = await cli(db, 'import', file, '--project', 'proj');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${file}:700: \\(json\\): not valid JSON: `)),
      `${file}:1100: respones: unknown field`,
      `error: ${file}: nothing imported, 2 error(s)`,
    ]);
    expect(await projectTasks(db, 'proj')).toEqual([]);
    // the rolled-back import left nothing that would hinder the corrected file
    rows[699] = rankingTask('t-700');
    rows[1099] = rankingTask('t-1100');
    const fixed = await cli(db, 'import', tempFile('fixed.jsonl', jsonl(...rows)), '--project', 'proj');
    expect(fixed.stdout).toBe('imported 1200 task(s) into project proj\n');
    expect((await projectTasks(db, 'proj')).map((t) => t.seq).at(-1)).toBe(1200);
  });

  it('ids of another project deep in a file are errors on their lines, also after a bad line', async () => {
    const db = await withProject('one', 'two');
    const owned = tempFile('one.jsonl', jsonl(rankingTask('shared-a'), rankingTask('shared-b')));
    expect((await cli(db, 'import', owned, '--project', 'one')).code).toBe(0);
    const rows: unknown[] = many('t', 1200);
    rows[749] = rankingTask('shared-a'); // line 750: in the second chunk, after the first was inserted
    rows[899] = '{'; // line 900: from here on nothing is written, but ids are still checked
    rows[1149] = rankingTask('shared-b'); // line 1150
    const file = tempFile('two.jsonl', jsonl(...rows));
    const run = await cli(db, 'import', file, '--project', 'two');
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `${file}:750: id: task "shared-a" already belongs to project "one"`,
      expect.stringMatching(new RegExp(`^${file}:900: \\(json\\): not valid JSON: `)),
      `${file}:1150: id: task "shared-b" already belongs to project "one"`,
      `error: ${file}: nothing imported, 3 error(s)`,
    ]);
    expect(await projectTasks(db, 'two')).toEqual([]);
    expect((await projectTasks(db, 'one')).map((t) => t.id)).toEqual(['shared-a', 'shared-b']);
  });

  it('stops listing after 100 errors and says so', async () => {
    const db = await withProject('proj');
    const file = tempFile('many.jsonl', jsonl(...Array.from({ length: 150 }, () => '{')));
    const run = await cli(db, 'import', file, '--project', 'proj');
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter((l) => l.startsWith(file))).toHaveLength(100);
    expect(run.stderr).toContain('nothing imported, 100 error(s) (only the first 100 are listed)');
  });

  /** `importFile` as the CLI runs it, with test hooks; resolves to what it printed or the error. */
  async function importWithHooks(db: string, file: string, projectId: string, hooks: ImportHooks) {
    const server = await openDatabase(db);
    const out: string[] = [];
    const err: string[] = [];
    const io = { print: (l: string) => out.push(l), printError: (l: string) => err.push(l), hooks };
    try {
      await importFile(server.db, file, projectId, { ...io, progress: { write: () => true } });
      return { out, err, error: null };
    } catch (error) {
      return { out, err, error: (error as Error).message };
    } finally {
      await server.close();
    }
  }

  if (backend.name === 'sqlite') {
    it('holds the write lock only for the insert pass: the server can write while the file is validated', async () => {
      const db = await withProject('proj');
      // ~3.6 MB: each pass reads the file in four 1 MiB reads, so the hook also fires mid-pass
      const long = { prompt: 'p'.repeat(1000) };
      const file = tempFile(
        'long.jsonl',
        jsonl(...Array.from({ length: 3000 }, (_, i) => rankingTask(`t-${i}`, long))),
      );
      // the running server, as a second connection that does not wait for the lock
      const other = new SQLite(db);
      other.pragma('busy_timeout = 0');
      const serverWrite = () => {
        try {
          other
            .prepare(`insert into pods (id, name, created_at) values (?, 'pod', '2026-11-26')`)
            .run(`pod-${Math.random()}`);
          return 'written';
        } catch (error) {
          return (error as Error).message;
        }
      };
      const writes: Record<string, string[]> = { validating: [], importing: [] };
      try {
        const run = await importWithHooks(db, file, 'proj', {
          read: (pass) => writes[pass]!.push(serverWrite()),
        });
        expect(run).toEqual({ out: ['imported 3000 task(s) into project proj'], err: [], error: null });
      } finally {
        other.close();
      }
      expect(writes).toEqual({
        validating: ['written', 'written', 'written', 'written'],
        importing: Array(4).fill('database is locked'),
      });
      expect(await projectTasks(db, 'proj')).toHaveLength(3000);
    });
  }

  it('a file changed between the passes imports nothing and says the file changed', async () => {
    const db = await withProject('proj', 'other');
    const rows: unknown[] = many('t', 1200);
    const file = tempFile('moving.jsonl', jsonl(...rows));
    const rewrite = (content: string) => ({ betweenPasses: () => fs.writeFileSync(file, content) });

    // a bad line after the first insert chunk was written
    const badLine = [...rows];
    badLine[699] = { ...rankingTask('t-700'), respones: [] };
    expect(await importWithHooks(db, file, 'proj', rewrite(jsonl(...badLine)))).toEqual({
      out: [],
      err: [],
      error: `${file}: nothing imported: the file changed during the import (line 700: respones: unknown field); run it again`,
    });
    expect(await projectTasks(db, 'proj')).toEqual([]);

    // still valid, but longer than the file that was validated
    fs.writeFileSync(file, jsonl(...rows));
    const longer = jsonl(...rows, rankingTask('t-1201'));
    expect((await importWithHooks(db, file, 'proj', rewrite(longer))).error).toBe(
      `${file}: nothing imported: the file changed during the import ` +
        `(${Buffer.byteLength(longer)} bytes, ${Buffer.byteLength(jsonl(...rows))} when validated); run it again`,
    );
    expect(await projectTasks(db, 'proj')).toEqual([]);

    // the database changed: another project took an id after it was checked
    fs.writeFileSync(file, jsonl(...rows));
    const takeId = async () => {
      const other = tempFile('other.jsonl', jsonl(rankingTask('t-900')));
      expect((await cli(db, 'import', other, '--project', 'other')).code).toBe(0);
    };
    expect((await importWithHooks(db, file, 'proj', { betweenPasses: takeId })).error).toBe(
      `${file}: nothing imported: line 900: task "t-900" already belongs to project "other", which it did ` +
        'not when the file was validated (the file or the database changed); run it again',
    );
    expect(await projectTasks(db, 'proj')).toEqual([]);

    // the rollbacks left nothing behind: without the taken id, the file imports in full
    fs.writeFileSync(file, jsonl(...rows.filter((_, i) => i !== 899)));
    expect((await importWithHooks(db, file, 'proj', {})).out).toEqual([
      'imported 1199 task(s) into project proj',
    ]);
  });

  it('refuses an unknown project or a missing file', async () => {
    const db = await withProject('proj');
    const file = tempFile('t.jsonl', jsonl(rankingTask('t')));
    expect(await cli(db, 'import', file, '--project', 'nope')).toMatchObject({
      code: 1,
      stderr: 'error: --project: no project "nope"\n',
    });
    const missing = await cli(db, 'import', `${file}.missing`, '--project', 'proj');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*t\.jsonl\.missing: ENOENT/);
  });
});
