import { describe, expect, it } from 'vitest';
import { CheckPolicy } from '../../../shared/check-policy';
import { rationaleRequired, runChecks, submitAllowed } from '../../../shared/checks';
import { WorkState } from '../../../shared/label';
import { RationaleTemplate } from '../../../shared/rationale';
import { Task } from '../../../shared/task';

const ranking = Task.parse({
  id: 't',
  kind: 'ranking',
  prompt: 'p',
  responses: ['a', 'b', 'c'].map((id) => ({ id, text: id })),
});
const pairwise = Task.parse({ ...ranking, kind: 'pairwise', responses: ranking.responses.slice(0, 2) });
const template = RationaleTemplate.parse({
  id: 'default',
  name: 'T',
  fields: [{ id: 'why', label: 'Why', minLength: 20 }],
  requiredWhen: ['criticalTag', 'strongPreference'],
});
const policy = CheckPolicy.parse({});
const ids = (work: object, task: Task = ranking, order = ['b', 'a', 'c']) =>
  runChecks({ task, work: WorkState.parse(work), presentedOrder: order, template, policy }).map(
    (r) => `${r.id}:${r.level}`,
  );

describe('submit checks', () => {
  it('blocks an incomplete ranking and passes a complete touched one', () => {
    expect(ids({ ranks: { a: 1 } })).toEqual(['incomplete:block']);
    expect(ids({ ranks: { a: 1, b: 2, c: 3 }, rankingTouched: true })).toEqual([]);
  });

  it('warns when the ranking was left in presented order untouched', () => {
    expect(ids({ ranks: { b: 1, a: 2, c: 3 } })).toEqual(['untouchedOrder:warn']);
  });

  it('flags a critical tag on the top-ranked response, including tied tops', () => {
    const tags = [{ responseId: 'c', tagId: 'unsafe', severity: 'critical' }];
    const work = {
      ranks: { a: 1, b: 2, c: 1 },
      rankingTouched: true,
      tags,
      rationale: { why: 'x'.repeat(25) },
    };
    expect(ids(work)).toEqual(['topRankedCritical:warn']);
  });

  it('requires a rationale after a critical tag, honouring the minimum length', () => {
    const tags = [{ responseId: 'c', tagId: 'unsafe', severity: 'critical' }];
    const base = { ranks: { a: 1, b: 2, c: 3 }, rankingTouched: true, tags };
    expect(ids({ ...base, rationale: { why: 'too short' } })).toEqual(['rationaleMissing:block']);
    expect(ids({ ...base, rationale: { why: 'long enough to explain the call' } })).toEqual([]);
  });

  it('maps pairwise A/B through the presented order and requires strength', () => {
    expect(ids({ pairwise: { choice: null, strength: null } }, pairwise, ['b', 'a'])).toEqual([
      'incomplete:block',
    ]);
    expect(ids({ pairwise: { choice: 'A', strength: null } }, pairwise, ['b', 'a'])).toEqual([
      'incomplete:block',
    ]);
    const tagged = {
      tags: [{ responseId: 'b', tagId: 'x', severity: 'critical' }],
      rationale: { why: 'y'.repeat(30) },
    };
    // A is 'b' in this presented order, so preferring A puts the critical response on top
    expect(ids({ pairwise: { choice: 'A', strength: 'better' }, ...tagged }, pairwise, ['b', 'a'])).toEqual([
      'topRankedCritical:warn',
    ]);
    expect(ids({ pairwise: { choice: 'B', strength: 'better' }, ...tagged }, pairwise, ['b', 'a'])).toEqual(
      [],
    );
  });

  it('knows when a rationale is required', () => {
    const work = WorkState.parse({ pairwise: { choice: 'A', strength: 'significantly' } });
    expect(rationaleRequired(pairwise, work, template)).toEqual(['strongPreference']);
  });

  it('blocks ties where the task forbids them', () => {
    const noTies = Task.parse({ ...ranking, allowTies: false });
    expect(ids({ ranks: { a: 1, b: 1, c: 2 }, rankingTouched: true }, noTies)).toEqual([
      'tiesNotAllowed:block',
    ]);
  });

  it('honours the policy levels', () => {
    const off = CheckPolicy.parse({ untouchedOrder: 'off' });
    const work = WorkState.parse({ ranks: { b: 1, a: 2, c: 3 } });
    expect(
      runChecks({ task: ranking, work, presentedOrder: ['b', 'a', 'c'], template, policy: off }),
    ).toEqual([]);
  });

  it('allows submit only when nothing blocks and warnings are acknowledged', () => {
    const warn = [{ id: 'untouchedOrder' as const, level: 'warn' as const, message: '' }];
    expect(submitAllowed(warn, [])).toBe(false);
    expect(submitAllowed(warn, ['untouchedOrder'])).toBe(true);
    expect(submitAllowed([{ id: 'incomplete', level: 'block', message: '' }], ['incomplete'])).toBe(false);
  });
});
