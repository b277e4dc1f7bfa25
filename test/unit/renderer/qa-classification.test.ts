import { describe, expect, it } from 'vitest';
import { compareLabels, type QaComparison } from '../../../shared/qa';
import { choicesOf, classificationOf, withChoice } from '../../../renderer/src/logic/qaClassification';

const base = { ranks: { a: 1, b: 2 }, pairwise: null, tags: [], rationale: null };
/** the re-rating ranks the other way round and writes a rationale: preference and rationale differ */
const parts = compareLabels(base, {
  ...base,
  ranks: { a: 2, b: 1 },
  rationale: { templateId: 'default', fields: { decisive: 'b is grounded' } },
});
const comparison = (classification: QaComparison['classification']) =>
  ({ parts, classification }) as unknown as QaComparison;

describe('classifying a QA comparison', () => {
  it('offers a choice for each discrepant part only, starting from the stored classification', () => {
    expect(choicesOf(comparison(null))).toEqual({
      preference: { class: '', errorType: '' },
      rationale: { class: '', errorType: '' },
    });
    const stored = comparison({
      parts: [{ part: 'rationale', class: 'reviewer-error', errorType: 'weak-rationale' }],
      classifiedBy: 'lee',
      classifiedAt: '2026-11-29T10:00:00.000Z',
    });
    expect(choicesOf(stored).rationale).toEqual({ class: 'reviewer-error', errorType: 'weak-rationale' });
  });

  it('asks for the kind of a reviewer error and leaves unchosen parts out', () => {
    let choices = choicesOf(comparison(null));
    expect(classificationOf(choices)).toEqual({ missing: 'Classify at least one discrepant part.' });
    choices = withChoice(choices, 'preference', { class: 'reviewer-error' });
    expect(classificationOf(choices)).toEqual({
      missing: 'Choose the kind of reviewer error for preference.',
    });
    choices = withChoice(choices, 'preference', { errorType: 'misread-prompt' });
    expect(classificationOf(choices)).toEqual({
      parts: [{ part: 'preference', class: 'reviewer-error', errorType: 'misread-prompt' }],
    });
    // another class drops the error type: only a reviewer error has one
    choices = withChoice(choices, 'preference', { class: 'acceptable' });
    choices = withChoice(choices, 'rationale', { class: 'qa-error' });
    expect(classificationOf(choices)).toEqual({
      parts: [
        { part: 'preference', class: 'acceptable' },
        { part: 'rationale', class: 'qa-error' },
      ],
    });
  });
});
