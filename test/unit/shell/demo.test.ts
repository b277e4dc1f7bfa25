import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Guideline } from '../../../shared/guideline';
import { Task } from '../../../shared/task';
// @ts-expect-error plain .mjs script without type declarations
import { electronBinary, electronCanLoadSqlite } from '../../../scripts/demo.mjs';

const repo = path.resolve(import.meta.dirname, '../../..');
const findBinary = electronBinary as (env: Record<string, string>, pkgDir?: string) => string | null;
const canLoadSqlite = electronCanLoadSqlite as (binary: string) => boolean;

describe('demo launcher: finding the Electron binary without downloading it', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rw-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is null when the package has no binary (ELECTRON_SKIP_BINARY_DOWNLOAD)', () => {
    mkdirSync(path.join(dir, 'nothing'));
    expect(findBinary({}, path.join(dir, 'nothing'))).toBeNull();
    mkdirSync(path.join(dir, 'listed'));
    writeFileSync(path.join(dir, 'listed', 'path.txt'), 'electron');
    expect(findBinary({}, path.join(dir, 'listed'))).toBeNull();
  });

  it('finds an installed binary, or one under ELECTRON_OVERRIDE_DIST_PATH', () => {
    const pkg = path.join(dir, 'installed');
    mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    writeFileSync(path.join(pkg, 'dist', 'electron'), '');
    expect(findBinary({}, pkg)).toBe(path.join(pkg, 'dist', 'electron'));
    const override = path.join(dir, 'override');
    mkdirSync(override);
    writeFileSync(path.join(override, 'electron'), '');
    expect(findBinary({ ELECTRON_OVERRIDE_DIST_PATH: override }, pkg)).toBe(path.join(override, 'electron'));
    expect(findBinary({ ELECTRON_OVERRIDE_DIST_PATH: override }, path.join(dir, 'nothing'))).toBe(
      path.join(override, 'electron'),
    );
  });
});

describe('demo launcher: checking the native module before choosing Electron', () => {
  it('accepts a runtime that loads better-sqlite3 (this Node) and refuses one that cannot', () => {
    expect(canLoadSqlite(process.execPath)).toBe(true);
    expect(canLoadSqlite(path.join(repo, 'no-such-binary'))).toBe(false);
  });
});

describe('demo project data', () => {
  const lines = readFileSync(path.join(repo, 'resources/demo/qa-feedback.jsonl'), 'utf8')
    .trimEnd()
    .split('\n');
  const tasks = lines.map((line) => Task.parse(JSON.parse(line)));

  it('holds 60 ranking and 20 pairwise valid v1 tasks with unique ids', () => {
    expect(tasks.filter((t) => t.kind === 'ranking')).toHaveLength(60);
    expect(tasks.filter((t) => t.kind === 'pairwise')).toHaveLength(20);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
    for (const task of tasks) {
      expect(task.instructions).toContain('### Source passages');
      expect(task.meta).toMatchObject({ record: expect.any(Number) });
    }
  });

  it('ships its license and attribution', () => {
    expect(readFileSync(path.join(repo, 'resources/demo/LICENSE'), 'utf8')).toContain('Apache License');
    const attribution = readFileSync(path.join(repo, 'resources/demo/ATTRIBUTION.md'), 'utf8');
    expect(attribution).toContain('allenai/FineGrainedRLHF');
    expect(attribution).toContain('Apache');
  });

  const source = path.resolve(
    repo,
    '../shared/data/FineGrainedRLHF/tasks/qa_feedback/data/dev_feedback.json',
  );
  it.skipIf(!existsSync(source))('never contains the gold answers', () => {
    const records = JSON.parse(readFileSync(source, 'utf8')) as { gold: string }[];
    for (const task of tasks) {
      const gold = records[task.meta!.record as number]!.gold.trim();
      expect(JSON.stringify(task)).not.toContain(JSON.stringify(gold).slice(1, -1));
    }
  });

  it('comes with the default guideline: valid, with 4-6 golden examples', () => {
    const guideline = Guideline.parse(
      JSON.parse(readFileSync(path.join(repo, 'resources/guidelines/default.json'), 'utf8')),
    );
    expect(guideline.id).toBe('default');
    expect(guideline.examples.length).toBeGreaterThanOrEqual(4);
    expect(guideline.examples.length).toBeLessThanOrEqual(6);
    for (const heading of [
      'Factual',
      'Relevant',
      'Complete',
      'Coherent',
      'redundant',
      'severity',
      'Escalate',
    ]) {
      expect(guideline.markdown.toLowerCase()).toContain(heading.toLowerCase());
    }
    const golden = new Set(guideline.examples.map((e) => /record (\d+)/.exec(e.markdown)![1]));
    for (const task of tasks) expect(golden.has(String(task.meta!.record))).toBe(false);
  });
});
