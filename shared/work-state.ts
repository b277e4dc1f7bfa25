import type { WorkState } from './label';

/**
 * A task nobody has worked on yet: what `WorkState.parse({})` gives, built without zod so the
 * renderer can make one (issue 12). test/unit/shared/zod-free.test.ts holds the two equal.
 */
export const emptyWorkState = (): WorkState => ({
  ranks: {},
  rankingTouched: false,
  pairwise: { choice: null, strength: null },
  tags: [],
  rationale: {},
  activeMs: 0,
});
