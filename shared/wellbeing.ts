import { z } from 'zod';
import { Id } from './task';

/**
 * Reviewer wellbeing (docs/wellbeing.md): per-project exposure caps on tasks marked `sensitive`
 * and a break reminder after a stretch of continuous sensitive work. Pure: the server, the
 * workstation and the screens share these schemas and rules.
 */

/** the bounds the CLI and the admin route accept; null everywhere means "no cap" / "no reminder" */
export const CAP_MAX = 10_000;
export const BREAK_MIN_MINUTES = 0.05;
export const BREAK_MAX_MINUTES = 24 * 60;

const Cap = z.number().int().min(1).max(CAP_MAX).nullable();
const BreakAfter = z.number().min(BREAK_MIN_MINUTES).max(BREAK_MAX_MINUTES).nullable();

/** One project's wellbeing settings, as the server sends them in the lease reply. */
export const ProjectWellbeing = z.strictObject({
  projectId: Id,
  /** sensitive tasks a reviewer may label per local calendar day in this project */
  perDay: Cap,
  /** sensitive tasks a reviewer may label per session (since they signed in) in this project */
  perSession: Cap,
  /** minutes of continuous sensitive work before a break reminder */
  breakAfterMinutes: BreakAfter,
});
export type ProjectWellbeing = z.infer<typeof ProjectWellbeing>;

/** POST body of the admin route: the settings to change (absent: unchanged, null: no cap) */
export const WellbeingPatch = z
  .strictObject({
    perDay: Cap.optional(),
    perSession: Cap.optional(),
    breakAfterMinutes: BreakAfter.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'nothing to set' });
export type WellbeingPatch = z.infer<typeof WellbeingPatch>;

/**
 * Work on sensitive tasks with pauses shorter than this is one continuous stretch; a pause this
 * long is a real break and starts the count again. Five minutes: long enough to stand up and look
 * away, short enough that reading a long response in silence does not end the stretch.
 */
export const BREAK_GAP_MINUTES = 5;

/** A reached cap, for the plain words the screens show. */
export type CapReached = { kind: 'day' | 'session'; count: number; limit: number };

/** which cap (the day's first: it lasts longer) a project's counts have reached, if any */
export function capReached(
  settings: Pick<ProjectWellbeing, 'perDay' | 'perSession'>,
  counts: { today: number; session: number },
): CapReached | null {
  if (settings.perDay !== null && counts.today >= settings.perDay)
    return { kind: 'day', count: counts.today, limit: settings.perDay };
  if (settings.perSession !== null && counts.session >= settings.perSession)
    return { kind: 'session', count: counts.session, limit: settings.perSession };
  return null;
}

const tasks = (n: number) => `${n} sensitive task${n === 1 ? '' : 's'}`;

/** What the queue and task screens say when a cap holds sensitive work back. */
export function capMessage(reached: CapReached): string {
  return reached.kind === 'day'
    ? `You have reviewed ${tasks(reached.count)} today, your project's daily limit. Sensitive tasks come back tomorrow.`
    : `You have reviewed ${tasks(reached.count)} since you signed in, your project's limit for one session. ` +
        'Sensitive tasks come back when you sign in again.';
}

/** The reviewer's local midnight (start of "today") for `now`, in this process's time zone. */
export function localDayStart(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/**
 * The start of the reviewer's local day as the server works it out from the UTC offset the
 * workstation sends (minutes east of UTC, as `-Date.getTimezoneOffset()`).
 */
export function dayStartAtOffset(now: Date, offsetMinutes: number): Date {
  const shifted = now.getTime() + offsetMinutes * 60_000;
  const midnight = shifted - (((shifted % 86_400_000) + 86_400_000) % 86_400_000);
  return new Date(midnight - offsetMinutes * 60_000);
}

/** A stretch of continuous sensitive work: when it began and when the reviewer was last at it. */
export type Stretch = { startedAt: number; lastAt: number };

/** the stretch after sensitive work at `at`: continued if the pause was short, else a new one */
export function continueStretch(stretch: Stretch | null, at: number): Stretch {
  if (stretch === null || at - stretch.lastAt >= BREAK_GAP_MINUTES * 60_000)
    return { startedAt: at, lastAt: at };
  return { startedAt: stretch.startedAt, lastAt: Math.max(stretch.lastAt, at) };
}

/**
 * When the break reminder is due (ms since epoch) for a stretch, or null (no reminder set, no
 * stretch, or the stretch already ended in a real break by `now`).
 */
export function breakDueAt(
  stretch: Stretch | null,
  breakAfterMinutes: number | null,
  now: number,
): number | null {
  if (stretch === null || breakAfterMinutes === null) return null;
  if (now - stretch.lastAt >= BREAK_GAP_MINUTES * 60_000) return null;
  return stretch.startedAt + breakAfterMinutes * 60_000;
}

/** What the workstation's screens need (contract `wellbeing.status`). */
export const WellbeingStatus = z.strictObject({
  /** plain words when a cap holds sensitive tasks back (the first such project's), else null */
  capNotice: z.string().nullable(),
  /** the break reminder: due now (show it), due later (ISO: check again then), or none */
  breakReminder: z.strictObject({
    due: z.boolean(),
    dueAt: z.string().nullable(),
    /** how long the stretch has lasted when due, in whole minutes, for the reminder's words */
    minutes: z.number().int().min(0),
  }),
});
export type WellbeingStatus = z.infer<typeof WellbeingStatus>;
