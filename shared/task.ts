import { z } from 'zod';

/** Task format v1 (docs/task-format.md). Untrusted input: every field is bounded. */
export const MAX_TEXT = 200_000;
export const Id = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[\w.:@/+-]+$/, 'may contain only letters, digits and _ . : @ / + -');

export const ChatRole = z.enum(['system', 'user', 'assistant']);
export const ChatMessage = z.strictObject({ role: ChatRole, content: z.string().max(MAX_TEXT) });
export type ChatMessage = z.infer<typeof ChatMessage>;

export const Prompt = z.union([
  z.string().min(1, 'must not be empty').max(MAX_TEXT),
  z.array(ChatMessage).min(1, 'needs at least one message').max(200),
]);
export type Prompt = z.infer<typeof Prompt>;

export const ModelResponse = z.strictObject({
  id: Id,
  text: z.string().max(MAX_TEXT),
  model: z.string().max(200).optional(),
});
export type ModelResponse = z.infer<typeof ModelResponse>;

export const TaskKind = z.enum(['ranking', 'pairwise']);
export type TaskKind = z.infer<typeof TaskKind>;

export const Task = z
  .strictObject({
    id: Id,
    kind: TaskKind,
    prompt: Prompt,
    responses: z.array(ModelResponse).min(2, 'needs 2 to 9 responses').max(9, 'needs 2 to 9 responses'),
    instructions: z.string().max(MAX_TEXT).optional(),
    /** guideline id */
    guideline: Id.optional(),
    /** taxonomy id */
    tags: Id.optional(),
    /** rationale template id */
    rationale: Id.optional(),
    /** content may be disturbing: responses are blurred until revealed */
    sensitive: z.boolean().optional(),
    /** ranking only: may two responses share a rank (default true) */
    allowTies: z.boolean().optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((task, ctx) => {
    if (task.kind === 'pairwise' && task.responses.length !== 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['responses'],
        message: 'a pairwise task needs exactly 2 responses',
      });
    }
    const seen = new Set<string>();
    task.responses.forEach((r, i) => {
      if (seen.has(r.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['responses', i, 'id'],
          message: `duplicate response id "${r.id}"`,
        });
      }
      seen.add(r.id);
    });
  });
export type Task = z.infer<typeof Task>;

/** The common `{prompt, chosen, rejected}` preference row (TRL style); prompt may be absent (hh-rlhf). */
const Turns = z.array(z.object({ role: z.string(), content: z.string() })).min(1);
export const PreferenceRow = z.object({
  id: Id.optional(),
  prompt: z.union([z.string(), Turns]).optional(),
  chosen: z.union([z.string().min(1), Turns]),
  rejected: z.union([z.string().min(1), Turns]),
});
export type PreferenceRow = z.infer<typeof PreferenceRow>;

export const TaskState = z.enum(['pending', 'draft', 'submitted', 'escalated', 'skipped']);
export type TaskState = z.infer<typeof TaskState>;
