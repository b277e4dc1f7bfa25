import { z } from 'zod';
import { Id } from './task';

export const GoldenExample = z.strictObject({
  title: z.string().min(1).max(300),
  /** markdown: the prompt/responses excerpt and the correct judgement with its reasoning */
  markdown: z.string().max(50_000),
});
export type GoldenExample = z.infer<typeof GoldenExample>;

export const Guideline = z.strictObject({
  id: Id,
  title: z.string().min(1).max(300),
  version: z.string().min(1).max(50),
  markdown: z.string().max(500_000),
  examples: z.array(GoldenExample).max(200).default([]),
});
export type Guideline = z.infer<typeof Guideline>;
