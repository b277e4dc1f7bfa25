import { z } from 'zod';

/** How each configurable submit check reacts. `incomplete` and `tiesNotAllowed` always block. */
export const CheckLevel = z.enum(['block', 'warn', 'off']);
export type CheckLevel = z.infer<typeof CheckLevel>;
export const CheckPolicy = z.strictObject({
  topRankedCritical: CheckLevel.default('warn'),
  untouchedOrder: CheckLevel.default('warn'),
  rationaleMissing: CheckLevel.default('block'),
});
export type CheckPolicy = z.infer<typeof CheckPolicy>;
