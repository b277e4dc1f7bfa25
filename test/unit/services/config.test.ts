import Database from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DB_FILE } from '../../../electron/services/index';
import { call, jsonl, open, rankingTask, tempDir, testResources } from './helpers';

function expectConfigError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const taxonomy = {
  id: 'safety',
  name: 'Safety',
  version: '2',
  tags: [{ id: 'unsafe', label: 'Unsafe', definition: 'Helps with serious harm.' }],
};

describe('config: resource files', () => {
  it('loads extra taxonomies and templates, and tasks can name them', async () => {
    const resourcesDir = testResources({
      'taxonomy/safety.json': taxonomy,
      'rationale/short.json': { id: 'short', name: 'Short', fields: [{ id: 'why', label: 'Why' }] },
    });
    const services = open({ resourcesDir });
    const result = await call(services, 'tasks.import', {
      text: jsonl(rankingTask('t1', 2, { tags: 'safety', rationale: 'short' })),
    });
    expect(result.ok).toBe(true);
    const bundle = await call(services, 'task.open', { taskId: 't1' });
    expect(bundle.taxonomy).toEqual(taxonomy);
    expect(bundle.template.id).toBe('short');
    expect(bundle.template.fields[0]).toMatchObject({ id: 'why', minLength: 0, optional: false });
  });

  it('a resource file that fails its schema is a startup error naming the file and the field', () => {
    const resourcesDir = testResources({
      'taxonomy/safety.json': { ...taxonomy, tags: [{ id: 'unsafe', label: 'Unsafe' }] },
    });
    const error = expectConfigError(() => open({ resourcesDir }));
    expect(error.file).toBe(path.join(resourcesDir, 'taxonomy', 'safety.json'));
    expect(error.issues.map((i) => i.path)).toEqual(['tags.0.definition']);
    expect(error.message).toContain('safety.json');
    expect(error.message).toContain('tags.0.definition');
  });

  it('a resource file that is not JSON, or repeats an id, is a startup error', () => {
    const broken = testResources({ 'guidelines/broken.json': '{ "id": ' });
    expect(expectConfigError(() => open({ resourcesDir: broken })).issues[0]!.path).toBe('(json)');

    const repeated = testResources({ 'taxonomy/again.json': { ...taxonomy, id: 'default' } });
    const error = expectConfigError(() => open({ resourcesDir: repeated }));
    expect(error.issues[0]).toMatchObject({
      path: 'id',
      message: expect.stringContaining('already defined'),
    });
  });

  it('without a default taxonomy the services refuse to start', () => {
    const empty = tempDir();
    expect(expectConfigError(() => open({ resourcesDir: empty })).message).toMatch(
      /no taxonomy with id "default"/,
    );
  });
});

describe('config: check policy', () => {
  function withSetting(dataDir: string, value: string) {
    const db = new Database(path.join(dataDir, DB_FILE));
    db.prepare("INSERT INTO settings (key, value) VALUES ('checkPolicy', ?)").run(value);
    db.close();
  }

  it('a checkPolicy setting overrides the shared defaults', async () => {
    const first = open();
    first.close();
    withSetting(first.dataDir, JSON.stringify({ untouchedOrder: 'block' }));

    const services = open({ dataDir: first.dataDir });
    await call(services, 'tasks.import', { text: jsonl(rankingTask('t1')) });
    const bundle = (await call(services, 'task.next'))!;
    expect(bundle.checkPolicy).toEqual({
      topRankedCritical: 'warn',
      untouchedOrder: 'block',
      rationaleMissing: 'block',
    });
    const inOrder = Object.fromEntries(bundle.presentedOrder.map((id, i) => [id, i + 1]));
    const outcome = await call(services, 'label.submit', {
      taskId: 't1',
      work: { ranks: inOrder },
      acknowledgedWarnings: ['untouchedOrder'],
    });
    expect(outcome).toMatchObject({ ok: false, checks: [{ id: 'untouchedOrder', level: 'block' }] });
  });

  it('an invalid checkPolicy setting is a startup error naming the field', () => {
    const first = open();
    first.close();
    withSetting(first.dataDir, JSON.stringify({ untouchedOrder: 'sometimes' }));
    const error = expectConfigError(() => open({ dataDir: first.dataDir }));
    expect(error.file).toBe('settings.checkPolicy');
    expect(error.issues[0]!.path).toBe('untouchedOrder');
  });
});
