import { z } from 'zod';

/**
 * Silent gold (docs/lead-workspace.md, "Silent gold"): a project mixes tasks with answer keys into
 * its leases at a rate. Nothing here travels to a workstation: the keys stay on the server, and a
 * reviewer's lease, assignment and push answer look the same for a gold task as for any other.
 */

/** The highest gold rate a project may set: more gold than work would stop being silent. */
export const MAX_GOLD_RATE = 0.5;

/** Share (0..0.5) of each lease batch's slots that may go to gold tasks. */
export const GoldRate = z
  .number()
  .min(0, `must be between 0 and ${MAX_GOLD_RATE}`)
  .max(MAX_GOLD_RATE, `must be between 0 and ${MAX_GOLD_RATE}`);

/** One reviewer's graded gold answers, as a lead sees them: numbers, never keys or feedback. */
export const GoldReviewerSummary = z.strictObject({
  username: z.string(),
  projectId: z.string(),
  answered: z.number().int().min(0),
  correct: z.number().int().min(0),
  /** mean item score (0..1); null with no answer */
  meanScore: z.number().min(0).max(1).nullable(),
  lastAnsweredAt: z.string().nullable(),
});
export type GoldReviewerSummary = z.infer<typeof GoldReviewerSummary>;

export const GoldSummaryResponse = z.strictObject({ reviewers: z.array(GoldReviewerSummary) });
export type GoldSummaryResponse = z.infer<typeof GoldSummaryResponse>;

/** HTTP paths of gold results (a lead for their own pod; an admin for any). */
export const GOLD_PATHS = { summary: '/v1/pods/:podId/gold' } as const;
