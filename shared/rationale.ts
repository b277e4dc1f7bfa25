import { z } from 'zod';
import { Id } from './task';

export const RationaleField = z.strictObject({
  id: Id,
  label: z.string().min(1).max(200),
  help: z.string().max(1000).optional(),
  minLength: z.number().int().min(0).max(5000).default(0),
  multiline: z.boolean().default(true),
  /** an optional field may stay empty even when the rationale is required */
  optional: z.boolean().default(false),
});
export type RationaleField = z.infer<typeof RationaleField>;

/** When a rationale becomes required. */
export const RationaleRule = z.enum([
  'always',
  'criticalTag', // any response carries a critical tag
  'anyTag', // any failure tag at all
  'strongPreference', // pairwise "significantly better"
  'tie', // a tie in a ranking or pairwise judgement
]);
export type RationaleRule = z.infer<typeof RationaleRule>;

export const RationaleTemplate = z.strictObject({
  id: Id,
  name: z.string().min(1).max(200),
  fields: z.array(RationaleField).min(1).max(12),
  requiredWhen: z.array(RationaleRule).default([]),
});
export type RationaleTemplate = z.infer<typeof RationaleTemplate>;
