import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Task } from '../../../shared/task';
import { Taxonomy } from '../../../shared/taxonomy';
import type { AnswerKey } from '../../../shared/training/key';
import { formatItemIssue, parseCourseFile, parseItemFile } from '../../../shared/training/items-file';

/** The committed demo training material (scripts/make-training-data.ts), read as the importer reads it. */
const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const taxonomy = Taxonomy.parse(JSON.parse(read('resources/taxonomy/default.json')));
const tagIds = new Set(taxonomy.tags.map((t) => t.id));

function valueOf<T>(
  file: string,
  result: { ok: true; value: T } | { ok: false; errors: { line: number; path: string; message: string }[] },
): T {
  if (!result.ok) throw new Error(result.errors.map((e) => formatItemIssue(file, e)).join('\n'));
  return result.value;
}

const course = valueOf(
  'course.jsonl',
  parseCourseFile(read('resources/demo/training/course.jsonl'), { courseId: 'qa-basics', tagIds }),
);
const bank = valueOf(
  'exam-bank.jsonl',
  parseItemFile(read('resources/demo/training/exam-bank.jsonl'), { keys: 'required', tagIds }),
);
const calibration = valueOf(
  'calibration.jsonl',
  parseItemFile(read('resources/demo/training/calibration.jsonl'), { keys: 'optional', tagIds }),
);
const courseItems = course.modules.flatMap((m) => m.items);
const production = read('resources/demo/qa-feedback.jsonl')
  .trim()
  .split('\n')
  .map((line) => Task.parse(JSON.parse(line)));

/** every response id a key names, with where it names it */
function namedIds(key: AnswerKey): string[] {
  const ids = [...key.tags.map((t) => t.responseId), ...Object.keys(key.responseNotes)];
  if (key.kind === 'ranking') ids.push(...Object.keys(key.ranks));
  else if (key.preferred !== null) ids.push(key.preferred);
  return ids;
}

describe('demo training data (resources/demo/training)', () => {
  it('the course parses: qa-basics, 2-3 modules with lessons, ranking items keyed as documented', () => {
    expect([course.id, course.title]).toEqual(['qa-basics', 'Ranking long-form QA answers']);
    expect(course.modules.length).toBeGreaterThanOrEqual(2);
    expect(course.modules.length).toBeLessThanOrEqual(3);
    for (const module of course.modules) {
      expect(module.lesson.length).toBeGreaterThan(100);
      expect(module.items.filter((i) => i.task.kind === 'ranking')).toHaveLength(3);
    }
    for (const { task, key } of courseItems.filter((i) => i.key.kind === 'ranking')) {
      expect(task.responses).toHaveLength(4);
      expect(key).toMatchObject({ kind: 'ranking', minTau: 0.6, topMustMatch: true });
      // one best answer: topMustMatch asks the trainee for exactly the key's rank-1 set
      if (key.kind === 'ranking') expect(Object.values(key.ranks).filter((r) => r === 1)).toHaveLength(1);
    }
    const pairwise = courseItems.filter((i) => i.key.kind === 'pairwise');
    expect(pairwise.length).toBeGreaterThanOrEqual(1);
    expect(pairwise.length).toBeLessThanOrEqual(2);
    for (const { key } of pairwise) expect(key.kind === 'pairwise' && key.preferred).toBeTruthy();
  });

  it('every key names only responses its task has, ranks every response, and explains itself', () => {
    const keyed = [
      ...courseItems,
      ...bank,
      ...calibration.flatMap((i) => (i.key ? [{ task: i.task, key: i.key }] : [])),
    ];
    expect(keyed.length).toBeGreaterThan(20);
    for (const { task, key } of keyed) {
      const ids = new Set(task.responses.map((r) => r.id));
      for (const id of namedIds(key)) expect(ids.has(id), `${task.id}: ${id}`).toBe(true);
      if (key.kind === 'ranking') expect(Object.keys(key.ranks).sort()).toEqual([...ids].sort());
      expect(key.explanation.length).toBeGreaterThan(100);
      for (const tag of key.tags) expect(tagIds.has(tag.tagId)).toBe(true);
    }
  });

  it('explanations name responses by their words, never by a number or letter (exams rename and shuffle them)', () => {
    for (const { task, key } of [...courseItems, ...bank]) {
      expect(key.explanation, task.id).not.toMatch(/prediction[- ]\d|\b(answer|response) [1-4A-D]\b/i);
      for (const note of Object.values(key.responseNotes)) expect(note).not.toMatch(/prediction[- ]\d/);
    }
  });

  it('the exam bank holds at least 12 items, stratifiable by meta.topic', () => {
    expect(bank.length).toBeGreaterThanOrEqual(12);
    const topics = new Map<string, number>();
    for (const { task } of bank) {
      const topic = task.meta?.topic;
      expect(typeof topic, task.id).toBe('string');
      topics.set(topic as string, (topics.get(topic as string) ?? 0) + 1);
    }
    expect(topics.size).toBeGreaterThanOrEqual(3);
    for (const count of topics.values()) expect(count).toBeGreaterThanOrEqual(2);
  });

  it('no exam item is course, calibration or production material (by task id or prompt)', () => {
    const prompt = (task: Task) => JSON.stringify(task.prompt);
    const elsewhere = [...courseItems, ...calibration].map((i) => i.task);
    const ids = new Set([...elsewhere, ...production].map((t) => t.id));
    const prompts = new Set([...elsewhere, ...production].map(prompt));
    for (const { task } of bank) {
      expect(ids.has(task.id), task.id).toBe(false);
      expect(prompts.has(prompt(task)), task.id).toBe(false);
    }
    // and the course is not production material either
    const productionPrompts = new Set(production.map(prompt));
    for (const { task } of courseItems) expect(productionPrompts.has(prompt(task)), task.id).toBe(false);
  });

  it('the calibration round has 4 items, some keyed and some not', () => {
    expect(calibration).toHaveLength(4);
    const keyed = calibration.filter((i) => i.key !== null).length;
    expect(keyed).toBeGreaterThan(0);
    expect(keyed).toBeLessThan(4);
  });

  it('task ids are readable and distinct across the three files', () => {
    const ids = [...courseItems, ...bank, ...calibration].map((i) => i.task.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(course-qa-(pair-)?|exam-qa-|calibration-qa-)\d+$/);
  });
});
