import { describe, expect, it } from 'vitest';
import { Label } from '../../../shared/label';
import { formatLabelProblems, labelProblems, type LabelContext } from '../../../shared/label-validity';
import { RationaleTemplate } from '../../../shared/rationale';
import type { Task } from '../../../shared/task';
import type { Taxonomy } from '../../../shared/taxonomy';
import { makeLabel } from '../../fixtures/labels';

const taxonomy: Taxonomy = {
  id: 'default',
  name: 'Default',
  version: '1',
  tags: [
    { id: 'hallucination', label: 'Hallucination', definition: 'States something false' },
    { id: 'unsafe', label: 'Unsafe', definition: 'Helps toward harm' },
  ],
};
const template: RationaleTemplate = RationaleTemplate.parse({
  id: 'default',
  name: 'Standard',
  fields: [
    { id: 'decisive', label: 'What decided', minLength: 10 },
    { id: 'issues', label: 'Problems', optional: true },
  ],
  requiredWhen: ['criticalTag', 'strongPreference'],
});

const pairTask: Task = {
  id: 't1',
  kind: 'pairwise',
  prompt: 'p',
  responses: [
    { id: 'a', text: 'A' },
    { id: 'b', text: 'B' },
  ],
};
const rankTask: Task = {
  id: 'r1',
  kind: 'ranking',
  prompt: 'p',
  responses: ['a', 'b', 'c'].map((id) => ({ id, text: id })),
};

const ctx = (task: Task = pairTask, more: Partial<LabelContext> = {}): LabelContext => ({
  task,
  taxonomy,
  template,
  ...more,
});
const rankLabel = (overrides: Partial<Label> = {}) =>
  makeLabel('r1', {
    kind: 'ranking',
    ranks: { a: 1, b: 2, c: 3 },
    pairwise: null,
    presentedOrder: ['c', 'a', 'b'],
    ...overrides,
  });
const paths = (label: Label, context: LabelContext = ctx()) =>
  labelProblems(label, context).map((p) => p.path);

describe('labelProblems', () => {
  it('accepts complete labels: pairwise A, B and tie, and rankings with or without allowed ties', () => {
    expect(labelProblems(makeLabel('t1'), ctx())).toEqual([]);
    const b = makeLabel('t1', {
      presentedOrder: ['b', 'a'],
      pairwise: { preferredResponseId: 'a', choice: 'B', strength: 'slightly' },
    });
    expect(labelProblems(b, ctx())).toEqual([]);
    const tie = makeLabel('t1', { pairwise: { preferredResponseId: null, choice: 'tie', strength: null } });
    expect(labelProblems(tie, ctx())).toEqual([]);
    expect(labelProblems(rankLabel(), ctx(rankTask))).toEqual([]);
    expect(labelProblems(rankLabel({ ranks: { a: 1, b: 1, c: 2 } }), ctx(rankTask))).toEqual([]);
    // no rationale at all is fine when none is required
    expect(labelProblems(makeLabel('t1', { rationale: null }), ctx())).toEqual([]);
  });

  it('refuses an empty ranking, a missing or unknown response, bad ranks and forbidden ties', () => {
    const all = ctx(rankTask);
    expect(labelProblems(rankLabel({ ranks: {} }), all)).toEqual([
      { path: 'label.ranks', message: 'leaves out "a", "b", "c": every response is ranked once' },
    ]);
    expect(paths(rankLabel({ ranks: { a: 1, b: 2 } }), all)).toEqual(['label.ranks']);
    expect(paths(rankLabel({ ranks: { a: 1, b: 2, c: 3, zzz: 4 } }), all)).toEqual(['label.ranks.zzz']);
    expect(paths(rankLabel({ ranks: { a: 1, b: 2, c: 0 } }), all)).toEqual(['label.ranks.c']);
    expect(paths(rankLabel({ ranks: { a: 1, b: 2, c: 2.5 } }), all)).toEqual(['label.ranks.c']);
    expect(paths(rankLabel({ ranks: null }), all)).toEqual(['label.ranks']);
    const noTies = ctx({ ...rankTask, allowTies: false });
    const [tie] = labelProblems(rankLabel({ ranks: { a: 1, b: 1, c: 2 } }), noTies);
    expect(tie).toEqual({
      path: 'label.ranks',
      message: '"a" and "b" share rank 1 but the task does not allow ties',
    });
  });

  it('refuses a pairwise choice that contradicts preferredResponseId and the presented order', () => {
    const shownSecond = makeLabel('t1', {
      pairwise: { preferredResponseId: 'b', choice: 'A', strength: 'better' },
    });
    expect(labelProblems(shownSecond, ctx())).toEqual([
      { path: 'label.pairwise.choice', message: '"A" but preferredResponseId "b" is shown second' },
    ]);
    const tiePrefers = makeLabel('t1', {
      pairwise: { preferredResponseId: 'a', choice: 'tie', strength: null },
    });
    expect(paths(tiePrefers)).toEqual(['label.pairwise.choice']);
    const nullPrefers = makeLabel('t1', {
      pairwise: { preferredResponseId: null, choice: 'B', strength: 'better' },
    });
    expect(paths(nullPrefers)).toEqual(['label.pairwise.choice']);
    const unknown = makeLabel('t1', {
      pairwise: { preferredResponseId: 'zzz', choice: 'A', strength: 'better' },
    });
    expect(labelProblems(unknown, ctx())).toEqual([
      { path: 'label.pairwise.preferredResponseId', message: 'unknown response "zzz"' },
    ]);
    const noStrength = makeLabel('t1', {
      pairwise: { preferredResponseId: 'a', choice: 'A', strength: null },
    });
    expect(paths(noStrength)).toEqual(['label.pairwise.strength']);
    expect(paths(makeLabel('t1', { pairwise: null }))).toEqual(['label.pairwise']);
    expect(paths(makeLabel('t1', { ranks: { a: 1, b: 2 } }))).toEqual(['label.ranks']);
  });

  it('refuses a presentedOrder that is not a permutation of the responses', () => {
    expect(paths(makeLabel('t1', { presentedOrder: ['a'] }))).toEqual(['label.presentedOrder']);
    expect(paths(makeLabel('t1', { presentedOrder: ['a', 'a'] }))).toEqual([
      'label.presentedOrder.1',
      'label.presentedOrder',
    ]);
    expect(paths(makeLabel('t1', { presentedOrder: ['a', 'b', 'x'] }))).toEqual(['label.presentedOrder.2']);
  });

  it('refuses a label for another task or of another kind', () => {
    expect(labelProblems(makeLabel('t2'), ctx())).toEqual([
      { path: 'label.taskId', message: '"t2" but the task is "t1"' },
    ]);
    expect(paths(makeLabel('t1', { kind: 'ranking' }))).toEqual(['label.kind']);
  });

  it('refuses tags outside the taxonomy, on unknown responses, with a bad severity, or twice', () => {
    const tags: Label['tags'] = [
      { responseId: 'b', tagId: 'made-up', severity: 'minor' },
      { responseId: 'zzz', tagId: 'unsafe', severity: 'minor' },
      { responseId: 'a', tagId: 'unsafe', severity: 'fatal' as 'minor' },
      { responseId: 'b', tagId: 'hallucination', severity: 'major' },
      { responseId: 'b', tagId: 'hallucination', severity: 'minor' },
    ];
    const problems = labelProblems(makeLabel('t1', { tags }), ctx());
    expect(problems.map((p) => p.path)).toEqual([
      'label.tags.0.tagId',
      'label.tags.1.responseId',
      'label.tags.2.severity',
      'label.tags.4',
    ]);
    expect(problems[0]!.message).toBe('taxonomy "default" has no tag "made-up"');
    expect(problems[3]!.message).toBe('repeats label.tags.3 (response "b", tag "hallucination")');
    // without a known taxonomy, tag ids are not checked (everything else is)
    expect(paths(makeLabel('t1', { tags }), ctx(pairTask, { taxonomy: null }))).toEqual([
      'label.tags.1.responseId',
      'label.tags.2.severity',
      'label.tags.4',
    ]);
  });

  it('requires the template rationale when triggered, whatever the label acknowledged', () => {
    const critical = makeLabel('t1', {
      tags: [{ responseId: 'b', tagId: 'unsafe', severity: 'critical' }],
      rationale: null,
      acknowledgedWarnings: ['rationaleMissing'],
    });
    const problems = labelProblems(critical, ctx());
    expect(problems.map((p) => p.path)).toEqual(['label.rationale.fields.decisive']);
    expect(problems[0]!.message).toMatch(
      /required by template "default" \(when: criticalTag\): "What decided" is empty/,
    );
    const short = { ...critical, rationale: { templateId: 'default', fields: { decisive: 'too short' } } };
    expect(labelProblems(short, ctx())[0]!.message).toMatch(/needs at least 10 characters/);
    const strong = makeLabel('t1', {
      pairwise: { preferredResponseId: 'a', choice: 'A', strength: 'significantly' },
      rationale: null,
    });
    expect(paths(strong)).toEqual(['label.rationale.fields.decisive']);
    const filled = {
      ...critical,
      rationale: { templateId: 'default', fields: { decisive: 'a is accurate, b is not' } },
    };
    expect(labelProblems(filled, ctx())).toEqual([]);
    // without a known template the rationale is not checked
    expect(labelProblems(critical, ctx(pairTask, { template: null }))).toEqual([]);
  });

  it('refuses a rationale of another template or with fields the template does not have', () => {
    const other = makeLabel('t1', { rationale: { templateId: 'other', fields: { decisive: 'x' } } });
    expect(labelProblems(other, ctx())).toEqual([
      { path: 'label.rationale.templateId', message: '"other" but task "t1" uses template "default"' },
    ]);
    const extra = makeLabel('t1', { rationale: { templateId: 'default', fields: { why: 'x' } } });
    expect(labelProblems(extra, ctx())).toEqual([
      { path: 'label.rationale.fields.why', message: 'template "default" has no field "why"' },
    ]);
  });

  it('formats problems as one line naming each field', () => {
    const label = makeLabel('t1', { pairwise: { preferredResponseId: 'b', choice: 'A', strength: null } });
    expect(formatLabelProblems(labelProblems(label, ctx()))).toBe(
      'label.pairwise.choice: "A" but preferredResponseId "b" is shown second; ' +
        'label.pairwise.strength: is required unless the choice is "tie" (choice is "A")',
    );
  });
});

describe('Label schema: lengths and formats', () => {
  const issues = (label: unknown) => {
    const parsed = Label.safeParse(label);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts the fixture label', () => {
    expect(issues(makeLabel('t1'))).toEqual([]);
  });

  it('caps every free-text field and list with a message naming the limit', () => {
    const long = (n: number) => 'x'.repeat(n);
    expect(
      issues(makeLabel('t1', { rationale: { templateId: 'default', fields: { decisive: long(20_001) } } })),
    ).toEqual(['rationale.fields.decisive: must be at most 20000 characters']);
    const fields = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`f${i}`, 'x']));
    expect(issues(makeLabel('t1', { rationale: { templateId: 'default', fields } }))).toEqual([
      'rationale.fields: must have at most 12 fields',
    ]);
    const tags = Array.from({ length: 201 }, () => ({
      responseId: 'a',
      tagId: 'unsafe',
      severity: 'minor' as const,
    }));
    expect(issues(makeLabel('t1', { tags }))).toEqual(['tags: must have at most 200 tags']);
    expect(
      issues(makeLabel('t1', { presentedOrder: Array.from({ length: 10 }, (_, i) => `r${i}`) })),
    ).toEqual(['presentedOrder: must list at most 9 responses']);
    const ranks = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`r${i}`, 1]));
    expect(issues(makeLabel('t1', { ranks }))).toEqual(['ranks: must rank at most 9 responses']);
    expect(
      issues(
        makeLabel('t1', {
          orderSeed: long(201),
          guidelineVersion: long(201),
          taxonomyVersion: long(201),
          reviewerId: long(201),
          deviceId: long(201),
        }),
      ),
    ).toEqual([
      'reviewerId: must be at most 200 characters',
      'deviceId: must be at most 200 characters',
      'orderSeed: must be at most 200 characters',
      'guidelineVersion: must be at most 200 characters',
      'taxonomyVersion: must be at most 200 characters',
    ]);
    const warnings = Array(6).fill('untouchedOrder') as Label['acknowledgedWarnings'];
    expect(issues(makeLabel('t1', { acknowledgedWarnings: warnings }))).toEqual([
      'acknowledgedWarnings: must have at most 5 entries',
    ]);
  });

  it('takes times only as ISO-8601 UTC datetimes of at most 40 characters', () => {
    expect(issues(makeLabel('t1', { createdAt: 'yesterday' }))).toEqual([
      'createdAt: must be an ISO-8601 UTC datetime such as 2026-01-05T10:00:00.000Z',
    ]);
    expect(issues(makeLabel('t1', { updatedAt: `2026-01-05T10:00:00.${'1'.repeat(40)}Z` }))).toEqual([
      'updatedAt: must be at most 40 characters',
    ]);
  });
});
