/** Time words for exams and certificates: countdowns, due dates, cool-downs. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const pad = (n: number) => String(n).padStart(2, '0');

/** A countdown: "12:05", "1:02:03"; "0:00" once the time is up. Rounds up so "0:00" means over. */
export function formatTimeLeft(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/** The same time for a screen reader: "12 minutes left", "1 hour 2 minutes left", "time is up". */
export function spokenTimeLeft(ms: number): string {
  if (ms <= 0) return 'Time is up';
  const minutes = Math.ceil(ms / MINUTE);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} hour${hours === 1 ? '' : 's'}${rest ? ` ${rest} minute${rest === 1 ? '' : 's'}` : ''} left`;
}

/** the moments a running exam timer speaks up (politely): 5 and 1 minutes left, and the end */
export const TIMER_ALERTS_MS = [5 * MINUTE, MINUTE, 0] as const;

/**
 * What to announce when the countdown moves from `beforeMs` to `nowMs` left: the last alert
 * point crossed in between, or null. Crossing several at once (a sleeping laptop) says the latest.
 */
export function timerAlert(beforeMs: number, nowMs: number): string | null {
  const crossed = TIMER_ALERTS_MS.filter((at) => beforeMs > at && nowMs <= at);
  if (!crossed.length) return null;
  const at = Math.min(...crossed);
  if (at === 0) return 'Time is up. Answers given now count as late.';
  return at === MINUTE ? '1 minute left in the exam.' : `${at / MINUTE} minutes left in the exam.`;
}

/** "in 3 h 20 min", "in 2 days", "now": how far away a moment is (cool-downs, due dates). */
export function untilWords(iso: string, nowMs: number): string {
  const ms = Date.parse(iso) - nowMs;
  if (Number.isNaN(ms)) return iso;
  if (ms <= 0) return 'now';
  if (ms < HOUR) return `in ${Math.ceil(ms / MINUTE)} min`;
  if (ms < DAY) {
    const hours = Math.floor(ms / HOUR);
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return `in ${hours} h${minutes ? ` ${minutes} min` : ''}`;
  }
  const days = Math.round(ms / DAY);
  return `in ${days} day${days === 1 ? '' : 's'}`;
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** "3 Mar 2026" in the workstation's time zone; the ISO text itself when unreadable. */
export function formatDay(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : DATE.format(t);
}

/** "3 Mar, 14:05": a near moment (cool-down end, exam deadline, round due). */
export function formatMoment(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : DATE_TIME.format(t);
}

const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})\b/g;

/** Server sentences name moments in ISO form ("can start at 2026-11-29T18:48:07Z"): shown as "29 Nov, 19:48". */
export const humanizeTimes = (text: string): string => text.replace(ISO_TIME, (iso) => formatMoment(iso));
