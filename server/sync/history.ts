import type { HistoryPoint, Mutation, PushRequest } from '../../shared/sync';
import { HttpError } from '../errors';

/** what the server holds for a device */
export type DeviceHistory = { last: number; digest: string | null };

/** The fresh part of a push and the device's history after it. */
export type Continuation = { fresh: Mutation[]; after: DeviceHistory };

const point = (h: DeviceHistory): HistoryPoint => ({ id: h.last, digest: h.digest ?? '' });

/**
 * Checks a push against the device's history and returns the mutations not applied yet, or why the
 * push is refused as a whole (nothing of it is applied):
 * - ids must follow base.id without gaps (400 mutation-gap);
 * - base beyond the server's last id: the server lost acknowledged work (restored from a backup):
 *   409 server-behind, with the server's point, so the device re-sends from there;
 * - base at the server's last id: the digests must match (else 409 device-diverged);
 * - base below it: a retry of a batch the server already applied (its answer was lost); the batch
 *   must reach the server's last id with the same digest there, else another install with the same
 *   device id wrote that history (409 device-diverged) and skipping the "already applied" ids
 *   would silently drop this install's work.
 * A digest the server does not know yet (null: a device from before histories) is adopted.
 */
export function continueHistory(req: PushRequest, held: DeviceHistory): Continuation | HttpError {
  const { base, mutations } = req;
  for (const [i, m] of mutations.entries()) {
    const expected = base.id + 1 + i;
    if (m.id !== expected)
      return new HttpError(
        400,
        'mutation-gap',
        `mutations.${i}.id is ${m.id} but ${expected} was expected next (base.id is ${base.id})`,
        [{ path: `mutations.${i}.id`, message: `expected ${expected}` }],
      );
  }
  if (base.id > held.last)
    return new HttpError(
      409,
      'server-behind',
      `this device has mutations up to ${base.id} acknowledged, but the server holds only up to ${held.last} ` +
        '(was the server restored from a backup?): re-send everything after it',
      undefined,
      point(held),
    );
  // the device's own digests: it computed them over its own mutations when it numbered them. The
  // server compares strings and never recomputes: what it guards against is two honest installs
  // with one device id (whose digests differ because their work differs), not a device lying about
  // itself (it can only push its own user's work either way)
  const { digests } = req;
  const known = held.last - base.id; // mutations of this push the server already applied
  if (known > mutations.length)
    return diverged(held, `the push stops at ${base.id + mutations.length}, below the server's ${held.last}`);
  const digestAtLast = known === 0 ? base.digest : digests[known - 1]!;
  if (held.digest !== null && digestAtLast !== held.digest)
    return diverged(held, `its history up to mutation ${held.last} differs from the server's`);
  const fresh = mutations.slice(known);
  const last = base.id + mutations.length;
  return {
    fresh,
    after: fresh.length
      ? { last, digest: digests[digests.length - 1]! }
      : { last: held.last, digest: digestAtLast },
  };
}

const diverged = (held: DeviceHistory, why: string) =>
  new HttpError(
    409,
    'device-diverged',
    `another install uses this device id (${why}): register a new device id and re-send unacknowledged work`,
    undefined,
    point(held),
  );
