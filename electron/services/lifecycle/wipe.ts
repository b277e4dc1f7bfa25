import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SYNC_PATHS, type WipeOrder, type WipeReport } from '../../../shared/sync';
import type { Settings } from '../settings';
import type { Store } from '../store';
import type { SyncDevice } from '../sync/device';
import { type HttpPort, createHttp, postJson } from '../sync/http';
import { eraseAll, scrub } from './erase';

/** the report still owed to the server (kept across restarts until it answers) */
const PENDING_REPORT = 'wipe.report';
const RETRY_MS = 60_000;

type Pending = { serverUrl: string; report: WipeReport };

/** what the reviewer reads on the sign-in screen after a wipe */
export function wipeWords(at: string, unsent: number): string {
  return (
    `On ${at.slice(0, 16).replace('T', ' ')} UTC your organisation's administrator had this computer ` +
    'wiped (a lost or stolen laptop, ' +
    'or an account closed): the tasks, drafts, labels and training answers that were on it have ' +
    'been deleted' +
    (unsent > 0
      ? `, including ${unsent} item${unsent === 1 ? '' : 's'} not yet sent to the server, which are lost.`
      : '; all submitted work had already reached the server.') +
    ' If this is unexpected, ask your lead. Sign in to start again.'
  );
}

export interface WipeDeps {
  store: Store;
  settings: Settings;
  device: SyncDevice;
  http: HttpPort;
  clock: () => Date;
  /** in-memory state of the services that must forget the account too (QA marks, leases) */
  afterWipe(): void;
}

/**
 * Carries out a remote wipe order (docs/security.md, "Lost laptop"): checks it was made by the
 * server that knows this install's device secret, deletes everything of the account and the
 * server, overwrites freed pages, moves the install to a fresh device id, and reports the wipe.
 */
export class LocalWipe {
  private timer: NodeJS.Timeout | null = null;
  private reporting: Promise<boolean> | null = null;

  constructor(private readonly deps: WipeDeps) {}

  /** true when the order names this install's device and its proof checks against the secret */
  genuine(order: WipeOrder): boolean {
    const { device } = this.deps;
    if (order.deviceId !== device.id()) return false;
    const key = createHash('sha256').update(device.secret()).digest('hex');
    const expected = createHmac('sha256', key).update(`wipe:${order.deviceId}:${order.orderId}`).digest();
    const given = Buffer.from(order.proof, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * Obeys a genuine order (an order it cannot check is ignored: the request is refused anyway).
   * Returns the words for the reviewer, or null.
   */
  carryOut(order: WipeOrder, serverUrl: string): string | null {
    if (!this.genuine(order)) return null;
    const { store, settings, device, clock } = this.deps;
    const at = clock().toISOString();
    const oldSecret = device.secret();
    let unsent = 0;
    store.durable(() => {
      unsent = eraseAll(store).unsent;
      const words = wipeWords(at, unsent);
      // the row stays without its user, token or history: the sign-in screen shows what happened
      store
        .stmt(
          `UPDATE session SET user_json = '{}', token = NULL, token_protection = 'memory',
             sign_in_reason = ? WHERE id = 1`,
        )
        .run(words);
      // a fresh sync identity: the old device id is revoked on the server for good
      device.adopt(randomUUID(), device.freshSecret());
      const pending: Pending = {
        serverUrl,
        report: {
          deviceId: order.deviceId,
          deviceSecret: oldSecret,
          orderId: order.orderId,
          unsent,
          wipedAt: at,
        },
      };
      settings.set(PENDING_REPORT, JSON.stringify(pending));
    });
    scrub(store, { vacuum: true });
    this.deps.afterWipe();
    void this.report();
    return wipeWords(at, unsent);
  }

  /** Sends the owed report (if any); retried every minute until the server takes it. True when none is owed. */
  report(): Promise<boolean> {
    this.reporting ??= this.send().finally(() => {
      this.reporting = null;
    });
    return this.reporting;
  }

  private async send(): Promise<boolean> {
    const raw = this.deps.settings.get(PENDING_REPORT);
    if (!raw) return true;
    const pending = JSON.parse(raw) as Pending;
    try {
      await postJson(
        createHttp(pending.serverUrl, this.deps.http),
        SYNC_PATHS.wiped,
        pending.report,
        z.unknown(),
        null,
      );
    } catch (error) {
      // refused (the order was closed meanwhile, or is not this install's): nothing more to say
      const kind = (error as { failure?: { kind?: string } }).failure?.kind;
      if (kind !== 'refused') {
        this.retry();
        return false;
      }
    }
    const { store } = this.deps;
    if (store.db.open)
      store.durable(() => store.stmt('DELETE FROM settings WHERE key = ?').run(PENDING_REPORT));
    return true;
  }

  private retry(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.report();
    }, RETRY_MS).unref();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
