import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelProblems } from '../../../shared/label-validity';
import { RationaleTemplate } from '../../../shared/rationale';
import { Taxonomy } from '../../../shared/taxonomy';
import type { Task } from '../../../shared/task';
import { DB_FILE } from '../../../electron/services/index';
import { call, jsonl, open, pairwiseTask, rankingTask, rankingWork, resourcesDir } from './helpers';

/** the documents a server without published ones checks labels against (the bundled defaults) */
const readDoc = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(resourcesDir, file), 'utf8'));
const serverContext = (task: Task) => ({
  task,
  taxonomy: Taxonomy.parse(readDoc('taxonomy/default.json')),
  template: RationaleTemplate.parse(readDoc('rationale/default.json')),
});

async function seeded(checkPolicy?: object) {
  let services = open();
  if (checkPolicy) {
    services.close();
    const db = new Database(path.join(services.dataDir, DB_FILE));
    db.prepare("INSERT INTO settings (key, value) VALUES ('checkPolicy', ?)").run(
      JSON.stringify(checkPolicy),
    );
    db.close();
    services = open({ dataDir: services.dataDir });
  }
  const imported = await call(services, 'tasks.import', {
    text: jsonl(rankingTask('t1'), pairwiseTask('p1'), pairwiseTask('p2')),
  });
  expect(imported.ok).toBe(true);
  return services;
}

describe('submit refuses what the server would refuse', () => {
  for (const level of ['warn', 'off'] as const) {
    it(`a rationale the template requires blocks even with rationaleMissing: "${level}"`, async () => {
      const services = await seeded({ rationaleMissing: level });
      const bundle = await call(services, 'task.open', { taskId: 't1' });
      expect(bundle.checkPolicy.rationaleMissing).toBe('block');
      const work = {
        ...rankingWork(bundle.presentedOrder),
        tags: [{ responseId: bundle.presentedOrder[0]!, tagId: 'unsafe', severity: 'critical' }],
      };
      const outcome = await call(services, 'label.submit', {
        taskId: 't1',
        work,
        acknowledgedWarnings: ['rationaleMissing'],
      });
      expect(outcome).toMatchObject({ ok: false, checks: [{ id: 'rationaleMissing', level: 'block' }] });
      expect((await call(services, 'queue.summary')).submitted).toBe(0);
    });
  }

  it('refuses a label the server would refuse (a tag given twice) with the field, storing nothing', async () => {
    const services = await seeded();
    const bundle = await call(services, 'task.open', { taskId: 't1' });
    const tag = { responseId: bundle.presentedOrder[0]!, tagId: 'formatting', severity: 'minor' };
    const outcome = await services.dispatch('label.submit', {
      taskId: 't1',
      work: { ...rankingWork(bundle.presentedOrder), tags: [tag, { ...tag, severity: 'major' }] },
    });
    expect(outcome).toMatchObject({ ok: false, status: 400, error: { code: 'invalid-input' } });
    if (outcome.ok) return;
    expect(outcome.error.message).toMatch(/label\.tags\.1: repeats label\.tags\.0/);
    expect(outcome.error.issues!.map((i) => i.path)).toEqual(['label.tags.1']);
    expect((await call(services, 'queue.summary')).submitted).toBe(0);
    expect((await call(services, 'task.open', { taskId: 't1' })).label).toBeNull();
  });

  it('every label it stores passes the server check', async () => {
    const services = await seeded({ rationaleMissing: 'off', untouchedOrder: 'off' });
    const ranking = await call(services, 'task.open', { taskId: 't1' });
    const submitted = [
      await call(services, 'label.submit', {
        taskId: 't1',
        work: {
          ...rankingWork(ranking.presentedOrder),
          tags: [{ responseId: ranking.presentedOrder[1]!, tagId: 'unsafe', severity: 'critical' }],
          rationale: { decisive: 'The best one answers the question; the middle one is unsafe advice.' },
        },
      }),
      await call(services, 'label.submit', {
        taskId: 'p1',
        work: { pairwise: { choice: 'B', strength: 'slightly' }, activeMs: 1000 },
      }),
      await call(services, 'label.submit', {
        taskId: 'p2',
        work: { pairwise: { choice: 'tie', strength: null } },
      }),
    ];
    expect(submitted.every((s) => s.ok)).toBe(true);
    for (const taskId of ['t1', 'p1', 'p2']) {
      const { task, label } = await call(services, 'task.open', { taskId });
      expect(labelProblems(label!, serverContext(task))).toEqual([]);
    }
  });
});
