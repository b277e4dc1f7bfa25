import type { Label } from '../../shared/label';

/** How far ahead of the server's clock a workstation's clock may run before its times are clamped. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** A label's client times, as the client sent them. */
export type ClientTimes = Pick<Label, 'createdAt' | 'updatedAt' | 'activeMs'>;

/**
 * The client's times, bounded by what the server knows (docs/sync-protocol.md, "Server-side
 * validation"): no time later than now + CLOCK_SKEW_MS (such a time becomes now) or earlier than the
 * caller's first lease on the task (it becomes the lease's creation); updatedAt not before
 * createdAt; activeMs no longer than that lease has existed. `clamped` holds the client's raw values
 * when anything changed, else null. Without a lease (none known) only the future is bounded.
 */
export function boundTimes(
  label: ClientTimes,
  nowIso: string,
  leaseCreatedAt: string | null,
): { times: ClientTimes; clamped: ClientTimes | null } {
  const now = Date.parse(nowIso);
  const lower = leaseCreatedAt === null ? null : Date.parse(leaseCreatedAt);
  const bound = (iso: string, floor: number | null): string => {
    const t = Date.parse(iso);
    if (t > now + CLOCK_SKEW_MS) return nowIso;
    if (floor !== null && t < floor) return new Date(floor).toISOString();
    return iso;
  };
  const createdAt = bound(label.createdAt, lower);
  const updatedAt = bound(label.updatedAt, Math.max(lower ?? -Infinity, Date.parse(createdAt)));
  const activeMs = lower === null ? label.activeMs : Math.min(label.activeMs, Math.max(0, now - lower));
  const times = { createdAt, updatedAt, activeMs };
  const same = createdAt === label.createdAt && updatedAt === label.updatedAt && activeMs === label.activeMs;
  return {
    times,
    clamped: same
      ? null
      : { createdAt: label.createdAt, updatedAt: label.updatedAt, activeMs: label.activeMs },
  };
}
