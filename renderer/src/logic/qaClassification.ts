import type { QaClass, QaComparison, QaErrorType, QaPart, QaPartClass } from '../../../shared/qa';

/** A classification being chosen for one discrepant part ('' = not chosen yet). */
export interface PartChoice {
  class: QaClass | '';
  errorType: QaErrorType | '';
}
export type PartChoices = Partial<Record<QaPart, PartChoice>>;

/** One choice per discrepant part, starting from the stored classification (re-classifying). */
export function choicesOf(comparison: QaComparison): PartChoices {
  return Object.fromEntries(
    comparison.parts
      .filter((p) => p.discrepant)
      .map((p) => {
        const stored = comparison.classification?.parts.find((c) => c.part === p.part);
        return [p.part, { class: stored?.class ?? '', errorType: stored?.errorType ?? '' }];
      }),
  );
}

/** A choice changed: an error type belongs to a reviewer error only. */
export function withChoice(choices: PartChoices, part: QaPart, change: Partial<PartChoice>): PartChoices {
  const next = { ...(choices[part] ?? { class: '', errorType: '' }), ...change };
  if (next.class !== 'reviewer-error') next.errorType = '';
  return { ...choices, [part]: next };
}

/**
 * The parts classified so far, in the server's request shape, or what is missing in words.
 * Parts left unclassified are left out (the server takes any non-empty set of discrepant parts).
 */
export function classificationOf(choices: PartChoices): { parts: QaPartClass[] } | { missing: string } {
  const parts: QaPartClass[] = [];
  for (const [part, c] of Object.entries(choices) as [QaPart, PartChoice][]) {
    if (c.class === '') continue;
    if (c.class === 'reviewer-error') {
      if (c.errorType === '') return { missing: `Choose the kind of reviewer error for ${part}.` };
      parts.push({ part, class: c.class, errorType: c.errorType });
    } else parts.push({ part, class: c.class });
  }
  return parts.length ? { parts } : { missing: 'Classify at least one discrepant part.' };
}
