import { describe, expect, it } from 'vitest';
import { Task } from '../../../shared/task';
import { formatIssues } from '../../../shared/contract';

const base = {
  id: 't-1',
  kind: 'ranking',
  prompt: 'Explain WAL mode.',
  responses: [
    { id: 'a', text: 'one' },
    { id: 'b', text: 'two' },
  ],
};

const issuesOf = (value: unknown) => {
  const result = Task.safeParse(value);
  return result.success ? [] : formatIssues(result.error);
};

describe('Task schema (format v1)', () => {
  it('accepts a minimal ranking task and a chat prompt', () => {
    expect(issuesOf(base)).toEqual([]);
    expect(
      issuesOf({
        ...base,
        prompt: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
        ],
      }),
    ).toEqual([]);
  });

  it('names the field of each problem', () => {
    expect(issuesOf({ ...base, kind: 'rating' })[0]!.path).toBe('kind');
    expect(issuesOf({ ...base, responses: [{ id: 'a', text: 'x' }] })[0]!.path).toBe('responses');
    expect(issuesOf({ ...base, responses: [...base.responses, { id: 'a', text: 'dup' }] })).toEqual([
      { path: 'responses.2.id', message: 'duplicate response id "a"' },
    ]);
    expect(issuesOf({ ...base, responses: [{ id: 'a' }, { id: 'b', text: 'x' }] })[0]!.path).toBe(
      'responses.0.text',
    );
    expect(issuesOf({ ...base, extra: 1 })[0]!.message).toMatch(/extra/);
  });

  it('requires exactly two responses for pairwise and at most nine', () => {
    const three = [...base.responses, { id: 'c', text: 'three' }];
    expect(issuesOf({ ...base, kind: 'pairwise', responses: three })[0]).toEqual({
      path: 'responses',
      message: 'a pairwise task needs exactly 2 responses',
    });
    const ten = Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, text: 'x' }));
    expect(issuesOf({ ...base, responses: ten })[0]!.path).toBe('responses');
  });

  it('rejects ids that could be abused in paths or markup', () => {
    expect(issuesOf({ ...base, id: '<script>' })[0]!.path).toBe('id');
    expect(issuesOf({ ...base, id: '' })[0]!.path).toBe('id');
  });
});
