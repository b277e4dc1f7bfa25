/**
 * A pairwise judgement's choices and strengths, and the words the screen shows for them. Plain
 * constants without zod (issue 12): the renderer imports them, shared/label.ts builds its
 * schemas from them.
 */
export const PAIRWISE_CHOICES = ['A', 'B', 'tie'] as const;
export type PairwiseChoice = (typeof PAIRWISE_CHOICES)[number];

/** Strength of a pairwise preference; "unsure" records low confidence. */
export const PREFERENCE_STRENGTHS = ['significantly', 'better', 'slightly', 'negligibly', 'unsure'] as const;
export type PreferenceStrength = (typeof PREFERENCE_STRENGTHS)[number];
export const STRENGTH_LABELS: Record<PreferenceStrength, string> = {
  significantly: 'Significantly better',
  better: 'Better',
  slightly: 'Slightly better',
  negligibly: 'Negligibly better',
  unsure: 'Unsure',
};
