import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_ERRORS } from '../../../shared/import/parse';
import { formatItemIssue, parseCourseFile, parseItemFile } from '../../../shared/training/items-file';

const rankingItem = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'ranking',
  prompt: 'Which answer is grounded in the passage?',
  responses: [
    { id: 'r1', text: 'Grounded answer.' },
    { id: 'r2', text: 'Partly grounded.' },
    { id: 'r3', text: 'Made up.' },
  ],
  key: {
    kind: 'ranking',
    ranks: { r1: 1, r2: 2, r3: 3 },
    explanation: '**r1** quotes the passage.',
    tags: [{ responseId: 'r3', tagId: 'hallucination', expect: 'required', minSeverity: 'major' }],
  },
  ...extra,
});

const pairwiseItem = (id: string, key: Record<string, unknown> = {}) => ({
  id,
  kind: 'pairwise',
  prompt: 'Pick the better answer.',
  responses: [
    { id: 'a', text: 'A.' },
    { id: 'b', text: 'B.' },
  ],
  key: { kind: 'pairwise', preferred: 'a', strengths: ['better'], explanation: 'A answers it.', ...key },
});

const jsonl = (...lines: unknown[]) =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

const tagIds = new Set(['hallucination', 'off-topic']);

/** the issues of a file that must fail */
const errorsOf = (result: ReturnType<typeof parseItemFile> | ReturnType<typeof parseCourseFile>) => {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors;
};

describe('parseItemFile', () => {
  it('reads a good item file: tasks and keys apart, key defaults filled in', () => {
    const result = parseItemFile(jsonl(rankingItem('i-1'), '', pairwiseItem('i-2')), {
      keys: 'required',
      tagIds,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.map((i) => i.task.id)).toEqual(['i-1', 'i-2']);
    const [ranking, pairwise] = result.value;
    expect(ranking!.task).not.toHaveProperty('key');
    expect(ranking!.key).toMatchObject({
      kind: 'ranking',
      minTau: 0.6,
      topMustMatch: true,
      responseNotes: {},
    });
    expect(pairwise!.key).toMatchObject({
      kind: 'pairwise',
      preferred: 'a',
      strengths: ['better'],
      tags: [],
    });
  });

  it('calibration rounds (keys optional) take items without a key as null, keyed ones checked', () => {
    const { key: _key, ...bare } = rankingItem('c-1');
    const result = parseItemFile(jsonl(bare, pairwiseItem('c-2')), { keys: 'optional' });
    expect(result.ok && result.value.map((i) => i.key?.kind ?? null)).toEqual([null, 'pairwise']);
    expect(
      errorsOf(parseItemFile(jsonl(bare, pairwiseItem('c-2', { preferred: 'z' })), { keys: 'optional' })),
    ).toEqual([{ line: 2, path: 'key.preferred', message: 'the task has no response "z" (it has a, b)' }]);
  });

  it('bad JSON: a line error at (root), the other lines still checked', () => {
    const errors = errorsOf(
      parseItemFile(jsonl(rankingItem('i-1'), '{"id": "i-2",', rankingItem('i-1')), { keys: 'required' }),
    );
    expect(errors.map(({ line, path }) => ({ line, path }))).toEqual([
      { line: 2, path: '(root)' },
      { line: 3, path: 'id' },
    ]);
    expect(errors[0]!.message).toMatch(/^not valid JSON/);
  });

  it('an invalid task field is named by its path', () => {
    const item = rankingItem('i-1');
    const bad = { ...item, responses: [item.responses[0], { id: 'r 2', text: 'x' }, item.responses[2]] };
    expect(errorsOf(parseItemFile(jsonl(rankingItem('i-0'), bad), { keys: 'required' }))).toEqual([
      { line: 2, path: 'responses.1.id', message: 'may contain only letters, digits and _ . : @ / + -' },
    ]);
    expect(errorsOf(parseItemFile(jsonl({ ...item, colour: 'red' }), { keys: 'required' }))).toEqual([
      { line: 1, path: 'colour', message: 'unknown field' },
    ]);
  });

  it('a missing key is an error when keys are required', () => {
    const { key: _key, ...bare } = rankingItem('i-1');
    expect(errorsOf(parseItemFile(jsonl(bare), { keys: 'required' }))).toEqual([
      { line: 1, path: 'key', message: 'is required: every item needs an answer key' },
    ]);
  });

  it('invalid key fields are named under key.', () => {
    const item = rankingItem('i-1');
    const errors = errorsOf(
      parseItemFile(
        jsonl({ ...item, key: { ...item.key, ranks: { r1: 0, r2: 2, r3: 3 }, explanation: undefined } }),
        {
          keys: 'required',
        },
      ),
    );
    expect(errors).toEqual([
      { line: 1, path: 'key.ranks.r1', message: expect.any(String) },
      { line: 1, path: 'key.explanation', message: 'is required' },
    ]);
  });

  it('a ranking key on a pairwise task', () => {
    const item = pairwiseItem('i-1');
    const key = { kind: 'ranking', ranks: { a: 1, b: 2 }, explanation: 'x' };
    expect(errorsOf(parseItemFile(jsonl({ ...item, key }), { keys: 'required' }))).toEqual([
      { line: 1, path: 'key.kind', message: 'a ranking key on a pairwise task' },
    ]);
  });

  it('a key naming a response the task does not have', () => {
    const item = rankingItem('i-1');
    const key = { ...item.key, ranks: { r1: 1, r2: 2, r3: 3, r9: 4 } };
    expect(errorsOf(parseItemFile(jsonl({ ...item, key }), { keys: 'required' }))).toEqual([
      { line: 1, path: 'key.ranks.r9', message: 'the task has no response "r9" (it has r1, r2, r3)' },
      { line: 1, path: 'key.ranks', message: 'rank 4 is beyond the 3 responses' },
    ]);
    const tagged = { ...item.key, tags: [{ responseId: 'r7', tagId: 'hallucination', expect: 'forbidden' }] };
    expect(errorsOf(parseItemFile(jsonl({ ...item, key: tagged }), { keys: 'required' }))).toEqual([
      {
        line: 1,
        path: 'key.tags.0.responseId',
        message: 'the task has no response "r7" (it has r1, r2, r3)',
      },
    ]);
  });

  it('a ranking key that misses a response', () => {
    const item = rankingItem('i-1');
    const key = { ...item.key, ranks: { r1: 1, r3: 2 } };
    expect(errorsOf(parseItemFile(jsonl({ ...item, key }), { keys: 'required' }))).toEqual([
      { line: 1, path: 'key.ranks', message: 'response "r2" has no rank' },
    ]);
  });

  it('a tag id outside the taxonomy, when the taxonomy is given', () => {
    const item = rankingItem('i-1');
    const key = { ...item.key, tags: [{ responseId: 'r3', tagId: 'made-up', expect: 'required' }] };
    const text = jsonl(rankingItem('i-0'), { ...item, key });
    expect(errorsOf(parseItemFile(text, { keys: 'required', tagIds }))).toEqual([
      { line: 2, path: 'key.tags.0.tagId', message: 'no failure tag "made-up" in the taxonomy' },
    ]);
    expect(parseItemFile(text, { keys: 'required' }).ok).toBe(true);
  });

  it('a duplicate task id is an error on the later line', () => {
    const text = jsonl(rankingItem('i-1'), pairwiseItem('i-2'), pairwiseItem('i-1'));
    expect(errorsOf(parseItemFile(text, { keys: 'required' }))).toEqual([
      { line: 3, path: 'id', message: 'duplicate task id "i-1" (first on line 1)' },
    ]);
  });

  it('an empty file (or only blank lines) is an error', () => {
    for (const text of ['', '\n  \n'])
      expect(errorsOf(parseItemFile(text, { keys: 'optional' }))).toEqual([
        { line: 1, path: '(root)', message: 'no items: the file holds no item line' },
      ]);
  });

  it(`stops after ${MAX_IMPORT_ERRORS} errors, truncated, and yields nothing`, () => {
    const lines = Array.from({ length: MAX_IMPORT_ERRORS + 20 }, () => '{oops');
    const result = parseItemFile(jsonl(rankingItem('ok'), ...lines), { keys: 'required' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.truncated).toBe(true);
    expect(result.errors).toHaveLength(MAX_IMPORT_ERRORS);
    expect(result.errors.at(-1)!.line).toBe(MAX_IMPORT_ERRORS + 1);
    // exactly MAX_IMPORT_ERRORS errors is not truncated
    const exact = parseItemFile(jsonl(...lines.slice(0, MAX_IMPORT_ERRORS)), { keys: 'required' });
    expect(!exact.ok && exact.truncated).toBe(false);
  });
});

describe('parseCourseFile', () => {
  const course = { course: { title: 'QA basics', description: 'Ranking answers.', version: '2' } };
  const moduleLine = (id: string, lesson?: string) => ({ module: { id, title: `Module ${id}`, lesson } });

  it('reads a good course file: header, modules in order, items under the module above them', () => {
    const text = jsonl(
      course,
      moduleLine('m1', '# Grounding'),
      rankingItem('i-1'),
      pairwiseItem('i-2'),
      moduleLine('m2'),
      rankingItem('i-3'),
    );
    const result = parseCourseFile(text, { courseId: 'qa-basics', tagIds });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const doc = result.value;
    expect({ ...doc, modules: undefined }).toEqual({
      kind: 'course',
      id: 'qa-basics',
      title: 'QA basics',
      version: '2',
      description: 'Ranking answers.',
      modules: undefined,
    });
    expect(doc.modules.map((m) => [m.id, m.lesson, m.items.map((i) => i.task.id)])).toEqual([
      ['m1', '# Grounding', ['i-1', 'i-2']],
      ['m2', '', ['i-3']],
    ]);
    expect(doc.modules[0]!.items[0]!.key.kind).toBe('ranking');
  });

  it('without a course line: title is the course id, version 1', () => {
    const result = parseCourseFile(jsonl(moduleLine('m1'), rankingItem('i-1')), { courseId: 'c-1' });
    expect(result.ok && [result.value.title, result.value.version, result.value.description]).toEqual([
      'c-1',
      '1',
      '',
    ]);
  });

  it('an item line before any module', () => {
    expect(
      errorsOf(
        parseCourseFile(jsonl(course, rankingItem('i-1'), moduleLine('m1'), rankingItem('i-2')), {
          courseId: 'c',
        }),
      ),
    ).toEqual([
      { line: 2, path: '(root)', message: 'an item before any module: put a {"module": …} line above it' },
    ]);
  });

  it('an unknown line kind', () => {
    expect(
      errorsOf(
        parseCourseFile(jsonl(moduleLine('m1'), { lesson: 'text' }, rankingItem('i-1')), { courseId: 'c' }),
      ),
    ).toEqual([
      {
        line: 2,
        path: '(root)',
        message: 'unknown line: expected {"course": …}, {"module": …} or an item (a task with a key)',
      },
    ]);
  });

  it('keys are required in a course, and item issues keep their paths', () => {
    const { key: _key, ...bare } = rankingItem('i-2');
    const item = rankingItem('i-3');
    const text = jsonl(moduleLine('m1'), rankingItem('i-1'), bare, {
      ...item,
      key: { ...item.key, kind: 'pairwise' },
    });
    const errors = errorsOf(parseCourseFile(text, { courseId: 'c' }));
    expect(errors.map(({ line, path }) => ({ line, path }))).toEqual([
      { line: 3, path: 'key' },
      { line: 4, path: 'key.preferred' },
      { line: 4, path: 'key.ranks' },
    ]);
  });

  it('header lines: a course line after the first, a bad module, a duplicate module id', () => {
    const text = jsonl(
      moduleLine('m1'),
      rankingItem('i-1'),
      course,
      { module: { id: 'm2' } },
      moduleLine('m1'),
      rankingItem('i-2'),
    );
    expect(errorsOf(parseCourseFile(text, { courseId: 'c' }))).toEqual([
      { line: 3, path: 'course', message: 'the course line must be the first line' },
      { line: 4, path: 'module.title', message: 'is required' },
      { line: 5, path: 'module.id', message: 'duplicate module id "m1" (first on line 1)' },
    ]);
    expect(
      errorsOf(
        parseCourseFile(jsonl({ course: { title: 'T', level: 3 } }, moduleLine('m1'), rankingItem('i-1')), {
          courseId: 'c',
        }),
      ),
    ).toEqual([{ line: 1, path: 'course.level', message: 'unknown field' }]);
  });

  it('duplicate task ids across modules; a course with no items', () => {
    const text = jsonl(moduleLine('m1'), rankingItem('i-1'), moduleLine('m2'), rankingItem('i-1'));
    expect(errorsOf(parseCourseFile(text, { courseId: 'c' }))).toEqual([
      { line: 4, path: 'id', message: 'duplicate task id "i-1" (first on line 2)' },
    ]);
    expect(errorsOf(parseCourseFile(jsonl(course, moduleLine('m1')), { courseId: 'c' }))).toEqual([
      { line: 1, path: '(root)', message: 'no items: the course holds no item line' },
    ]);
  });

  it(`stops after ${MAX_IMPORT_ERRORS} errors`, () => {
    const lines = Array.from({ length: 150 }, (_, i) => rankingItem(`i-${i}`));
    const result = parseCourseFile(jsonl(...lines), { courseId: 'c' });
    expect(!result.ok && [result.errors.length, result.truncated, result.errors[0]!.line]).toEqual([
      MAX_IMPORT_ERRORS,
      true,
      1,
    ]);
  });
});

describe('formatItemIssue', () => {
  it('prints FILE:LINE: PATH: MESSAGE', () => {
    expect(
      formatItemIssue('bank.jsonl', { line: 7, path: 'key.ranks.r9', message: 'no such response' }),
    ).toBe('bank.jsonl:7: key.ranks.r9: no such response');
  });
});
