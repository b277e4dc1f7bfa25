import { z } from 'zod';
import { Id } from './task';

export const Severity = z.enum(['minor', 'major', 'critical']);
export type Severity = z.infer<typeof Severity>;

export const FailureTag = z.strictObject({
  id: Id,
  label: z.string().min(1).max(120),
  /** shown on focus/hover next to the tag */
  definition: z.string().min(1).max(2000),
  /** single-key shortcut inside the tag picker */
  key: z.string().length(1).optional(),
});
export type FailureTag = z.infer<typeof FailureTag>;

export const Taxonomy = z.strictObject({
  id: Id,
  name: z.string().min(1).max(200),
  version: z.string().min(1).max(50),
  tags: z.array(FailureTag).min(1).max(50),
});
export type Taxonomy = z.infer<typeof Taxonomy>;
