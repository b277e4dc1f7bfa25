import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../server/db/connect';
import type { Label } from '../../../../shared/label';
import { backends, cli, jsonl, pairwiseTask, rankingTask, removeTempFiles, tempFile } from './helpers';

const all = await backends();
afterAll(async () => {
  for (const backend of all) await backend.cleanup();
  removeTempFiles();
});

const rankTask = rankingTask('rank-1');

const base = {
  reviewerId: 'user-rita',
  deviceId: 'device-rita-1',
  rationale: null,
  activeMs: 42_000,
  guidelineVersion: '2025-01',
  taxonomyVersion: '1',
  acknowledgedWarnings: [],
  revision: 1,
  createdAt: '2025-03-01T09:00:00.000Z',
  updatedAt: '2025-03-01T09:00:00.000Z',
} satisfies Partial<Label>;

/** ranking with a tie; a pairwise preference; a pairwise tie; a label of another project */
const labels: { project: string; label: Label; flagged: string | null }[] = [
  {
    project: 'proj',
    flagged: null,
    label: {
      ...base,
      id: '10000000-0000-4000-8000-000000000001',
      taskId: 'rank-1',
      kind: 'ranking',
      ranks: { r1: 2, r2: 1, r3: 2 },
      pairwise: null,
      tags: [{ responseId: 'r3', tagId: 'hallucination', severity: 'major' }],
      rationale: { templateId: 'default', fields: { why: 'r2 cites its source' } },
      presentedOrder: ['r3', 'r1', 'r2'],
      orderSeed: 'user-rita:rank-1',
      revision: 2,
    },
  },
  {
    project: 'proj',
    flagged: 'lease-lost',
    label: {
      ...base,
      id: '20000000-0000-4000-8000-000000000002',
      taskId: 'pair-1',
      kind: 'pairwise',
      ranks: null,
      pairwise: { preferredResponseId: 'b', choice: 'A', strength: 'better' },
      tags: [],
      presentedOrder: ['b', 'a'],
      orderSeed: 'user-rita:pair-1',
    },
  },
  {
    project: 'proj',
    flagged: null,
    label: {
      ...base,
      id: '30000000-0000-4000-8000-000000000003',
      taskId: 'pair-2',
      kind: 'pairwise',
      ranks: null,
      pairwise: { preferredResponseId: null, choice: 'tie', strength: null },
      tags: [],
      presentedOrder: ['a', 'b'],
      orderSeed: 'user-rita:pair-2',
    },
  },
  {
    project: 'other',
    flagged: null,
    label: {
      ...base,
      id: '40000000-0000-4000-8000-000000000004',
      taskId: 'other-1',
      kind: 'pairwise',
      ranks: null,
      pairwise: { preferredResponseId: 'a', choice: 'A', strength: 'slightly' },
      tags: [],
      presentedOrder: ['a', 'b'],
      orderSeed: 'user-rita:other-1',
    },
  },
];

const RECEIVED = '2025-03-02T10:00:00.000Z';

async function seed(db: string): Promise<void> {
  for (const project of ['proj', 'other']) {
    expect((await cli(db, 'project', 'create', project, '--name', project)).code).toBe(0);
  }
  expect((await cli(db, 'user', 'add', 'rita', '--role', 'reviewer', '--password', 'rita-secret')).code).toBe(
    0,
  );
  const projFile = tempFile('proj.jsonl', jsonl(rankTask, pairwiseTask('pair-1'), pairwiseTask('pair-2')));
  expect((await cli(db, 'import', projFile, '--project', 'proj')).code).toBe(0);
  expect(
    (await cli(db, 'import', tempFile('other.jsonl', jsonl(pairwiseTask('other-1'))), '--project', 'other'))
      .code,
  ).toBe(0);

  const server = await openDatabase(db);
  try {
    const rita = await server.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'rita')
      .executeTakeFirstOrThrow();
    await server.db
      .insertInto('labels')
      .values(
        labels.map(({ project, label, flagged }) => ({
          id: label.id,
          task_id: label.taskId,
          project_id: project,
          user_id: rita.id,
          device_id: label.deviceId,
          body: JSON.stringify(label),
          revision: label.revision,
          lease_token: 1,
          flagged,
          created_at: label.createdAt,
          received_at: RECEIVED,
          updated_at: RECEIVED,
        })),
      )
      .execute();
  } finally {
    await server.close();
  }
}

const parseJsonl = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);

describe.each(all)('server CLI on $name: export', (backend) => {
  let db: string;
  beforeEach(async () => {
    db = await backend.fresh();
    await seed(db);
  });
  afterEach(() => backend.cleanup());

  it('trl: every strictly ordered pair, ties skipped, chat prompts flattened', async () => {
    const run = await cli(db, 'export', '--project', 'proj', '--format', 'trl');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('exported 3 row(s) from 3 label(s)\n');
    expect(parseJsonl(run.stdout)).toEqual([
      { prompt: 'Prompt for rank-1', chosen: 'rank-1 r2', rejected: 'rank-1 r1' },
      { prompt: 'Prompt for rank-1', chosen: 'rank-1 r2', rejected: 'rank-1 r3' },
      { prompt: '\n\nHuman: Question pair-1?\n\nAssistant:', chosen: ' no', rejected: ' yes' },
    ]);
  });

  it('trl --messages --margin: conversational rows with margins', async () => {
    const run = await cli(db, 'export', '--project', 'proj', '--format', 'trl', '--messages', '--margin');
    const user = (content: string) => [{ role: 'user', content }];
    const assistant = (content: string) => [{ role: 'assistant', content }];
    expect(parseJsonl(run.stdout)).toEqual([
      {
        prompt: user('Prompt for rank-1'),
        chosen: assistant('rank-1 r2'),
        rejected: assistant('rank-1 r1'),
        margin: 1,
      },
      {
        prompt: user('Prompt for rank-1'),
        chosen: assistant('rank-1 r2'),
        rejected: assistant('rank-1 r3'),
        margin: 1,
      },
      { prompt: user('Question pair-1?'), chosen: assistant('no'), rejected: assistant('yes'), margin: 2 },
    ]);
  });

  it('openai: preference fine-tuning rows', async () => {
    const run = await cli(db, 'export', '--project', 'proj', '--format', 'openai');
    const row = (prompt: string, preferred: string, other: string) => ({
      input: { messages: [{ role: 'user', content: prompt }] },
      preferred_output: [{ role: 'assistant', content: preferred }],
      non_preferred_output: [{ role: 'assistant', content: other }],
    });
    expect(parseJsonl(run.stdout)).toEqual([
      row('Prompt for rank-1', 'rank-1 r2', 'rank-1 r1'),
      row('Prompt for rank-1', 'rank-1 r2', 'rank-1 r3'),
      row('Question pair-1?', 'no', 'yes'),
    ]);
  });

  it('task withdraw: the labels stay stored but leave every export; bad ids withdraw nothing', async () => {
    const unknown = await cli(db, 'task', 'withdraw', '--project', 'proj', 'pair-1', 'other-1');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error: not tasks of project proj: other-1; nothing withdrawn\n');
    expect((await cli(db, 'task', 'withdraw', '--project', 'proj')).code).toBe(2);

    const ids = tempFile('withdraw.txt', 'pair-1\r\n\npair-1\n');
    const run = await cli(db, 'task', 'withdraw', '--project', 'proj', '--from', ids);
    expect(run).toMatchObject({
      code: 0,
      stdout: 'withdrew 1 task(s) from project proj; 0 reviewer lease(s) ended\n',
    });
    const again = await cli(db, 'task', 'withdraw', '--project', 'proj', 'pair-1');
    expect(again.stdout).toContain('withdrew 0 task(s) from project proj; 1 already withdrawn');

    const raw = await cli(db, 'export', '--project', 'proj', '--format', 'raw');
    const rows = parseJsonl(raw.stdout) as { taskId: string }[];
    expect(rows.map((r) => r.taskId)).toEqual(['rank-1', 'pair-2']);
    const trl = await cli(db, 'export', '--project', 'proj', '--format', 'trl');
    expect(trl.stdout).not.toContain('pair-1');
    const server = await openDatabase(db);
    try {
      const stored = await server.db
        .selectFrom('labels')
        .select('task_id')
        .where('task_id', '=', 'pair-1')
        .execute();
      expect(stored).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('raw: one row per label with every field, written atomically with --out', async () => {
    const out = path.join(path.dirname(tempFile('placeholder', '')), 'raw.jsonl');
    const run = await cli(db, 'export', '--project', 'proj', '--format', 'raw', '--out', out);
    expect(run).toMatchObject({
      code: 0,
      stdout: '',
      stderr: `exported 3 row(s) from 3 label(s) to ${out}\n`,
    });
    expect(fs.readdirSync(path.dirname(out)).sort()).toEqual(['placeholder', 'raw.jsonl']);
    const rows = parseJsonl(fs.readFileSync(out, 'utf8')) as Record<string, unknown>[];
    expect(rows.map((r) => r.labelId)).toEqual(labels.slice(0, 3).map((l) => l.label.id));
    expect(rows[0]).toEqual({
      labelId: '10000000-0000-4000-8000-000000000001',
      projectId: 'proj',
      taskId: 'rank-1',
      kind: 'ranking',
      prompt: 'Prompt for rank-1',
      responses: rankTask.responses,
      reviewer: 'rita',
      deviceId: 'device-rita-1',
      ranking: { ranks: { r1: 2, r2: 1, r3: 2 }, tiers: [['r2'], ['r1', 'r3']] },
      pairwise: null,
      tags: { r1: [], r2: [], r3: [{ tagId: 'hallucination', severity: 'major' }] },
      rationale: { templateId: 'default', fields: { why: 'r2 cites its source' } },
      activeMs: 42_000,
      guidelineVersion: '2025-01',
      taxonomyVersion: '1',
      presentedOrder: ['r3', 'r1', 'r2'],
      orderSeed: 'user-rita:rank-1',
      acknowledgedWarnings: [],
      revision: 2,
      createdAt: '2025-03-01T09:00:00.000Z',
      updatedAt: '2025-03-01T09:00:00.000Z',
      receivedAt: RECEIVED,
      flagged: null,
      ruling: false,
      taskMeta: null,
    });
    expect(rows[1]).toMatchObject({
      pairwise: { preferredResponseId: 'b', choice: 'A', strength: 'better', margin: 2 },
      flagged: 'lease-lost',
      tags: { a: [], b: [] },
    });
    expect(rows[2]).toMatchObject({
      pairwise: { preferredResponseId: null, choice: 'tie', strength: null, margin: 0 },
    });
  });

  it('an empty project exports nothing', async () => {
    expect((await cli(db, 'project', 'create', 'empty', '--name', 'Empty')).code).toBe(0);
    expect(await cli(db, 'export', '--project', 'empty', '--format', 'trl')).toEqual({
      code: 0,
      stdout: '',
      stderr: 'exported 0 row(s) from 0 label(s)\n',
    });
  });
});
