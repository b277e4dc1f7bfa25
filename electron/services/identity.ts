import { randomBytes, randomUUID } from 'node:crypto';
import type { Settings } from './settings';
import type { Store } from './store';

export interface Identity {
  /** one per install; stamped on every label */
  deviceId: string;
  /** a local reviewer id until sign-in exists: `local-<8 hex>` */
  reviewerId: string;
}

/** Reads the install's identity, creating it on first open. */
export function ensureIdentity(store: Store, settings: Settings): Identity {
  return store.durable(() => {
    let deviceId = settings.get('deviceId');
    if (!deviceId) {
      deviceId = randomUUID();
      settings.set('deviceId', deviceId);
    }
    let reviewerId = settings.get('reviewerId');
    if (!reviewerId) {
      reviewerId = `local-${randomBytes(4).toString('hex')}`;
      settings.set('reviewerId', reviewerId);
    }
    return { deviceId, reviewerId };
  });
}
