import { randomBytes } from 'node:crypto';
import type { Identity } from '../identity';
import type { Settings } from '../settings';
import type { Store } from '../store';

const KEYS = {
  id: 'sync.deviceId',
  secret: 'sync.deviceSecret',
} as const;

const newSecret = () => randomBytes(32).toString('base64url');

/**
 * The id this install syncs under, and the install's secret that proves it to the server. The id
 * starts as the install's own device id; the server may register another one (another user signs
 * in here, or the install turns out to be a copy of another: shared/sync.ts HISTORY_CONFLICTS).
 * Mutation ids and history digests are per sync device id.
 */
export class SyncDevice {
  constructor(
    private readonly store: Store,
    private readonly settings: Settings,
    private readonly identity: Identity,
  ) {
    if (!settings.get(KEYS.secret)) store.durable(() => settings.set(KEYS.secret, newSecret()));
  }

  id(): string {
    return this.settings.get(KEYS.id) || this.identity.deviceId;
  }

  secret(): string {
    return this.settings.get(KEYS.secret)!;
  }

  /** a fresh secret for a new registration: a copied install must not keep sharing this one */
  freshSecret(): string {
    return newSecret();
  }

  /** the server bound this install to another device id (with the secret it was registered with) */
  adopt(deviceId: string, secret?: string): void {
    this.settings.set(KEYS.id, deviceId);
    if (secret) this.settings.set(KEYS.secret, secret);
  }
}
