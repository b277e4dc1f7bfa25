import os from 'node:os';
import { z } from 'zod';
import { UserInfo } from '../../../shared/identity';
import { LoginResponse } from '../../../shared/identity';
import { SYNC_PATHS, WIPE_CODE } from '../../../shared/sync';
import type {
  AuthStatus,
  DataProtection,
  SignInInput,
  TokenProtection,
  WorkstationConfig,
} from '../../../shared/session';
import { ServiceError } from '../errors';
import type { DeviceRequest } from '../../../shared/identity';
import type { SyncDevice } from '../sync/device';
import type { Store } from '../store';
import { type HttpPort, RequestFailed, createHttp, postJson } from '../sync/http';
import type { SecretPort } from './secret';

const DAY_MS = 24 * 3600 * 1000;
const SIGNED_OUT = 'You signed out. Sign in to sync; your work stays on this computer.';

/** one spelling per server: scheme and host in lower case, default port and trailing slashes dropped */
export function sameServer(a: string, b: string): boolean {
  const norm = (url: string) => {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  };
  return norm(a) === norm(b);
}

interface SessionRow {
  server_url: string;
  user_json: string;
  token: Buffer | null;
  token_protection: TokenProtection;
  expires_at: string;
  last_contact_at: string;
  cached_session_days: number;
  sign_in_reason: string | null;
}

export interface SessionDeps {
  store: Store;
  /** the device id this install syncs under, and its secret */
  device: SyncDevice;
  secret: SecretPort | null;
  /** whether the local database is encrypted (decided before the store opened), shown with the token's */
  dataProtection: DataProtection;
  http: HttpPort;
  config: WorkstationConfig;
  clock: () => Date;
  /** unsent mutations: a different account or server may not sign in over them */
  unsentCount(): number;
  /** a different account or server signed in: forget its leases and cursor (never local work) */
  onAccountChange(): void;
  /**
   * The install moves to another device id: renumber what the server does not hold under the old
   * one (ids above `keepThrough`, default: what the server acknowledged; and all unsent work).
   * Runs inside the session's transaction.
   */
  onDeviceChange(oldDeviceId: string, keepThrough: number | null): void;
}

/** A usable session for sync: where to, and the bearer token. */
export interface ActiveSession {
  serverUrl: string;
  token: string;
  user: UserInfo;
}

/**
 * The signed-in session. Decision on the cached-session limit: labeling never depends on
 * the session (it is local), but sync stops once the server's expiry or `cachedSessionDays`
 * without any successful contact have passed, and the reviewer is asked to sign in again.
 */
export class SessionManager {
  /** the token when the OS offers no encryption: kept in memory only, gone at restart */
  private memoryToken: string | null = null;
  /** whether the key store protects the token; false until `ready()` has asked it */
  private protectedAtRest = false;
  /** the stored token, decrypted once (the OS key store answers asynchronously) */
  private decrypted: { ciphertext: Buffer; token: string } | null = null;
  private unlocking: Promise<void> | null = null;

  constructor(private readonly deps: SessionDeps) {}

  /**
   * Asks the key store whether it protects the token, and reads the saved token, once. Every
   * channel and sync cycle waits for it (services' dispatch, the sync engine), so `active()` and
   * `status()` can stay synchronous. An unreadable token leaves the session signed out.
   */
  ready(): Promise<void> {
    this.unlocking ??= this.unlock();
    return this.unlocking;
  }

  private async unlock(): Promise<void> {
    const { secret } = this.deps;
    // read before the first await: the services may be closed by the time the key store answers
    const row = this.row();
    this.protectedAtRest = secret ? await secret.isAvailable().catch(() => false) : false;
    if (!secret || !this.protectedAtRest || !row?.token || row.token_protection === 'memory') return;
    const ciphertext = Buffer.from(row.token);
    try {
      const { text, stale } = await secret.decrypt(ciphertext);
      this.decrypted = { ciphertext, token: text };
      // a failed re-encryption keeps the old ciphertext, still readable now
      if (stale) await this.reEncrypt(ciphertext, text).catch(() => undefined);
    } catch {
      // unreadable here (another OS account's key, a restored profile): the sign-in screen says so
    }
  }

  /** the OS rotated its key: store the token under the new one (unless it changed meanwhile) */
  private async reEncrypt(old: Buffer, token: string): Promise<void> {
    const fresh = await this.deps.secret!.encrypt(token);
    const changed = this.deps.store
      .stmt('UPDATE session SET token = ? WHERE id = 1 AND token = ?')
      .run(fresh, old);
    if (changed.changes === 1) this.decrypted = { ciphertext: fresh, token };
  }

  private row(): SessionRow | undefined {
    return this.deps.store.stmt('SELECT * FROM session WHERE id = 1').get() as SessionRow | undefined;
  }

  private protection(): TokenProtection {
    const { secret } = this.deps;
    if (!secret || !this.protectedAtRest) return 'memory';
    return secret.kind;
  }

  status(): AuthStatus {
    const row = this.row();
    const configured = this.deps.config.serverUrl ?? null;
    const active = this.active();
    const user = row ? UserInfo.safeParse(JSON.parse(row.user_json)) : null;
    // a sign-out may hand the laptop to someone else: the form then offers nothing of this session
    const offer = row !== undefined && row.sign_in_reason !== SIGNED_OUT && !this.offPin(row);
    return {
      signedIn: active !== null,
      serverUrl: configured ?? (offer ? row.server_url : null),
      configuredServerUrl: configured,
      offeredUsername: offer && user?.success ? user.data.username : null,
      user: user?.success ? user.data : null,
      tokenProtection: this.protection(),
      dataProtection: this.deps.dataProtection,
      sessionValidUntil: active && row ? this.validUntil(row) : null,
      signInReason: active ? null : this.whyNotActive(row),
    };
  }

  /** The session sync may use now, or null (never signed in, signed out, expired, token unreadable). */
  active(): ActiveSession | null {
    const row = this.row();
    if (!row || row.sign_in_reason || this.offPin(row)) return null;
    if (this.deps.clock().toISOString() >= this.validUntil(row)) return null;
    const token = this.readToken(row);
    if (!token) return null;
    const user = UserInfo.safeParse(JSON.parse(row.user_json));
    if (!user.success) return null;
    return { serverUrl: row.server_url, token, user: user.data };
  }

  private validUntil(row: SessionRow): string {
    const cached = new Date(Date.parse(row.last_contact_at) + row.cached_session_days * DAY_MS).toISOString();
    return cached < row.expires_at ? cached : row.expires_at;
  }

  /** the session is with another server than the one IT configured since: it is not used */
  private offPin(row: SessionRow): boolean {
    const pinned = this.deps.config.serverUrl;
    return pinned !== undefined && !sameServer(pinned, row.server_url);
  }

  private whyNotActive(row: SessionRow | undefined): string | null {
    if (!row) return null;
    if (row.sign_in_reason) return row.sign_in_reason;
    if (this.offPin(row))
      return `Your IT department set this computer to sync with ${this.deps.config.serverUrl}. Sign in there; your work stays on this computer.`;
    const now = this.deps.clock().toISOString();
    if (now >= row.expires_at)
      return 'Your session has expired. Sign in again to sync; your work stays on this computer.';
    if (now >= this.validUntil(row)) {
      return `This computer has not reached the server for ${row.cached_session_days} days. Sign in again to sync; your work stays on this computer.`;
    }
    if (!this.readToken(row)) {
      return row.token_protection === 'memory'
        ? 'Sign in again to sync (this computer has no key store, so the session ends when the app closes).'
        : 'The saved session could not be read on this computer. Sign in again to sync.';
    }
    return null;
  }

  private readToken(row: SessionRow): string | null {
    if (row.token_protection === 'memory') return this.memoryToken;
    if (!row.token || !this.decrypted) return null;
    return this.decrypted.ciphertext.equals(Buffer.from(row.token)) ? this.decrypted.token : null;
  }

  async signIn(input: SignInInput): Promise<AuthStatus> {
    const { device, clock } = this.deps;
    const previous = this.row();
    const pinned = this.deps.config.serverUrl;
    if (pinned !== undefined && !sameServer(pinned, input.serverUrl)) {
      throw new ServiceError(
        'invalid-input',
        `This computer signs in only to ${pinned}, the server set by your IT department.`,
        [{ path: 'serverUrl', message: `must be ${pinned} (set by your IT department)` }],
      );
    }
    // the IT spelling is kept, so the session matches the pin whatever the reviewer typed
    const serverUrl = (pinned ?? input.serverUrl).replace(/\/+$/, '');
    const changed =
      previous !== undefined &&
      (previous.server_url !== serverUrl || JSON.parse(previous.user_json).username !== input.username);
    if (changed && this.deps.unsentCount() > 0) {
      const who = JSON.parse(previous.user_json).username as string;
      throw new ServiceError(
        'conflict',
        `${who}'s work on this computer has not reached ${previous.server_url} yet. ` +
          `${who} must sign in and sync first, so that it is not sent under another account.`,
      );
    }
    const http = createHttp(serverUrl, this.deps.http);
    let login: LoginResponse;
    try {
      login = await postJson(
        http,
        SYNC_PATHS.login,
        {
          username: input.username,
          password: input.password,
          deviceId: device.id(),
          deviceSecret: device.secret(),
          deviceName: os.hostname().slice(0, 200),
        },
        LoginResponse,
        null,
      );
    } catch (error) {
      throw signInError(error, serverUrl);
    }
    await this.ready();
    const protection = this.protection();
    const now = clock().toISOString();
    const ciphertext = protection === 'memory' ? null : await this.deps.secret!.encrypt(login.token);
    const presented = device.id();
    this.deps.store.durable(() => {
      if (changed) this.deps.onAccountChange();
      // the server bound this sign-in to another device id (another user's device, or a copy of
      // another install): work it does not hold under the old id is numbered afresh under the new one
      if (login.deviceId !== presented) {
        this.deps.onDeviceChange(presented, null);
        device.adopt(login.deviceId);
      }
      this.deps.store
        .stmt(
          `INSERT INTO session (id, server_url, user_json, token, token_protection, expires_at, signed_in_at,
             last_contact_at, cached_session_days, sign_in_reason)
           VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
           ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, user_json = excluded.user_json,
             token = excluded.token, token_protection = excluded.token_protection,
             expires_at = excluded.expires_at, signed_in_at = excluded.signed_in_at,
             last_contact_at = excluded.last_contact_at, cached_session_days = excluded.cached_session_days,
             sign_in_reason = NULL`,
        )
        .run(
          serverUrl,
          JSON.stringify(login.user),
          ciphertext,
          protection,
          login.expiresAt,
          now,
          now,
          this.deps.config.cachedSessionDays,
        );
    });
    this.remember(login.token, ciphertext);
    return this.status();
  }

  /**
   * Another install shares this device id (the server saw a different history under it): asks the
   * server for a new device id with a fresh secret and session, and in one transaction adopts them
   * and renumbers the work the server does not hold for this install (ids above `keepThrough`).
   */
  async registerNewDevice(keepThrough: number): Promise<void> {
    const active = this.active();
    if (!active) throw new RequestFailed({ kind: 'auth', status: 401, message: 'Sign in again to sync.' });
    const { device } = this.deps;
    const secret = device.freshSecret();
    const body: DeviceRequest = { deviceSecret: secret, deviceName: os.hostname().slice(0, 200) };
    const login = await postJson(
      createHttp(active.serverUrl, this.deps.http),
      SYNC_PATHS.device,
      body,
      LoginResponse,
      active.token,
    );
    const protection = this.protection();
    const ciphertext = protection === 'memory' ? null : await this.deps.secret!.encrypt(login.token);
    const old = device.id();
    this.deps.store.durable(() => {
      this.deps.onDeviceChange(old, keepThrough);
      device.adopt(login.deviceId, secret);
      this.deps.store
        .stmt('UPDATE session SET token = ?, token_protection = ?, expires_at = ? WHERE id = 1')
        .run(ciphertext, protection, login.expiresAt);
    });
    this.remember(login.token, ciphertext);
  }

  /** the token just stored: in memory only, or beside its ciphertext */
  private remember(token: string, ciphertext: Buffer | null): void {
    this.memoryToken = ciphertext ? null : token;
    this.decrypted = ciphertext ? { ciphertext, token } : null;
  }

  /** Forgets the token (telling the server when it is reachable). Queue and unsent work stay. */
  async signOut(): Promise<AuthStatus> {
    const active = this.active();
    this.clearToken(null);
    if (active) {
      // best effort and short: signing out must not wait on a dead network
      const http = createHttp(active.serverUrl, this.deps.http);
      http.defaults.timeout = 3000;
      await postJson(http, SYNC_PATHS.logout, {}, z.unknown(), active.token).catch(() => undefined);
    }
    return this.status();
  }

  /** The server refused the token (401/403): sign in again; nothing else changes. */
  rejected(message: string): void {
    this.clearToken(message);
  }

  private clearToken(reason: string | null): void {
    this.memoryToken = null;
    this.decrypted = null;
    this.deps.store.durable(() =>
      this.deps.store
        .stmt('UPDATE session SET token = NULL, sign_in_reason = ? WHERE id = 1')
        .run(reason ?? SIGNED_OUT),
    );
  }

  /** any successful answer from the server restarts the cached-session clock */
  contact(): void {
    this.deps.store
      .stmt('UPDATE session SET last_contact_at = ? WHERE id = 1')
      .run(this.deps.clock().toISOString());
  }
}

function signInError(error: unknown, serverUrl: string): ServiceError {
  if (!(error instanceof RequestFailed)) {
    return new ServiceError(
      'unavailable',
      `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const { failure } = error;
  // this computer was just wiped on the administrator's order: say so, not "wrong password"
  if (failure.kind === 'auth' && failure.code === WIPE_CODE)
    return new ServiceError('forbidden', failure.message);
  // the server says "revoked" only after the right password: telling the owner is safe and useful
  if (failure.kind === 'auth' && failure.code === 'user-revoked')
    return new ServiceError('forbidden', 'This account has been revoked. Ask your lead.');
  if (failure.kind === 'auth') {
    return new ServiceError(
      'forbidden',
      failure.status === 401
        ? 'Wrong username or password.'
        : 'This account may not sign in on a workstation. Ask your lead.',
    );
  }
  if (failure.kind === 'transient') {
    if (failure.status === 429)
      return new ServiceError('unavailable', 'Too many sign-in attempts. Wait a minute and try again.');
    return new ServiceError('unavailable', `Could not sign in: ${failure.message}`);
  }
  return new ServiceError(
    'invalid-input',
    `The server at ${serverUrl} refused the sign-in: ${failure.message}`,
    failure.issues.length ? failure.issues : undefined,
  );
}
