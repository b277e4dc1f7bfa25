/** Calendar weeks for trend charts: Monday 00:00 UTC to the next Monday. */

const DAY_MS = 86_400_000;

/** day -> its Monday: a report asks for the same few hundred days a million times */
const mondays = new Map<string, string>();

/** The Monday (YYYY-MM-DD, UTC) of the week an ISO instant (or a YYYY-MM-DD day) falls in. */
export function weekStart(iso: string): string {
  const key = iso.slice(0, 10);
  let monday = mondays.get(key);
  if (monday === undefined) {
    const day = Date.parse(key + 'T00:00:00.000Z');
    const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
    monday = new Date(day - weekday * DAY_MS).toISOString().slice(0, 10);
    if (mondays.size < 100_000) mondays.set(key, monday);
  }
  return monday;
}

/** Every Monday from `first` to `last` (both Mondays, YYYY-MM-DD), ascending, no gaps. */
export function mondaysBetween(first: string, last: string): string[] {
  const weeks: string[] = [];
  const end = Date.parse(last + 'T00:00:00.000Z');
  for (let t = Date.parse(first + 'T00:00:00.000Z'); t <= end; t += 7 * DAY_MS) {
    weeks.push(new Date(t).toISOString().slice(0, 10));
  }
  return weeks;
}
