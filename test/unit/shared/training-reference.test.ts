import { describe, expect, it } from 'vitest';
import { rationaleText, referenceKey, strengthBand } from '../../../shared/training/reference';
import { scoreItem } from '../../../shared/training/score';

const pairwise = (strength: 'significantly' | 'better' | 'slightly' | 'negligibly' | 'unsure' | null) => ({
  kind: 'pairwise' as const,
  ranks: null,
  pairwise: { preferredResponseId: 'a', choice: 'A' as const, strength },
  tags: [{ responseId: 'b', tagId: 'hallucination', severity: 'major' as const }],
  rationale: { templateId: 'default', fields: { decisive: '  B invents a citation. ', issues: '' } },
});

describe("a certified reviewer's label as the shadowing key", () => {
  it('accepts the strength the reviewer gave and the steps next to it; anything firm without one', () => {
    expect(strengthBand('significantly')).toEqual(['significantly', 'better']);
    expect(strengthBand('better')).toEqual(['significantly', 'better', 'slightly']);
    expect(strengthBand('negligibly')).toEqual(['slightly', 'negligibly']);
    expect(strengthBand('unsure')).toEqual(['significantly', 'better', 'slightly']);
    expect(strengthBand(null)).toEqual(['significantly', 'better', 'slightly']);
  });

  it('turns the reviewer’s tags into required tags at their severity, and their rationale into the explanation', () => {
    const key = referenceKey(pairwise('slightly'), { decisive: 'What decided the judgement' });
    expect(key).toEqual({
      kind: 'pairwise',
      preferred: 'a',
      strengths: ['better', 'slightly', 'negligibly'],
      tags: [{ responseId: 'b', tagId: 'hallucination', expect: 'required', minSeverity: 'major' }],
      explanation: '**What decided the judgement:** B invents a citation.',
      responseNotes: {},
    });
    // a trainee who preferred a, slightly, tagged b critical: everything met; a tie: wrong direction
    const same = scoreItem(key, {
      ranks: null,
      pairwise: { preferredResponseId: 'a', choice: 'A', strength: 'slightly' },
      tags: [{ responseId: 'b', tagId: 'hallucination', severity: 'critical' }],
    });
    expect([same.correct, same.score]).toEqual([true, 1]);
    const tie = scoreItem(key, {
      ranks: null,
      pairwise: { preferredResponseId: null, choice: 'tie', strength: null },
      tags: [{ responseId: 'a', tagId: 'unsafe', severity: 'minor' }],
    });
    expect([tie.correct, tie.score]).toEqual([false, 0]);
    expect(tie.tags.unmentioned).toEqual([{ responseId: 'a', tagId: 'unsafe', severity: 'minor' }]);
  });

  it('keeps a ranking as the reviewer ranked it, ties included; no rationale says so', () => {
    const key = referenceKey({
      kind: 'ranking',
      ranks: { a: 1, b: 1, c: 3 },
      pairwise: null,
      tags: [],
      rationale: null,
    });
    expect(key).toMatchObject({
      kind: 'ranking',
      ranks: { a: 1, b: 1, c: 3 },
      topMustMatch: true,
      minTau: 0.6,
    });
    expect(key.explanation).toBe('The reviewer wrote no rationale for this task.');
    expect(rationaleText({ rationale: { templateId: 't', fields: { why: 'text' } } })).toBe('**why:** text');
  });
});
