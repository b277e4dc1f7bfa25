import { z } from 'zod';
import { UserInfo, Username } from './identity';
import { HTTPS_REQUIRED, isPlainHttpOffLoopback } from './loopback';
import { RejectReason } from './sync';
import { Id } from './task';

/**
 * A server base URL: http(s), a host (and port), an optional path; no credentials, query or
 * fragment. https:// unless the host is loopback (127.0.0.0/8, ::1, localhost): labels, prompts and
 * the session token never cross a network in clear.
 */
export const ServerUrl = z
  .string()
  .trim()
  .max(500)
  .regex(
    /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[^\s?#@]*)?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](?::\d{1,5})?(?:\/[^\s?#@]*)?$/,
    'must be an http:// or https:// address such as https://rlhf.example.com',
  )
  .refine((url) => !isPlainHttpOffLoopback(url), HTTPS_REQUIRED);

/**
 * What IT may pre-configure in `<dataDir>/../config.json` (or env / --server in browser mode).
 * cachedSessionDays: how long sync keeps working on a cached session without reaching the server.
 */
export const WorkstationConfig = z.strictObject({
  serverUrl: ServerUrl.optional(),
  cachedSessionDays: z.number().int().min(1).max(90).default(14),
  /** finished work the server acknowledged leaves the laptop after this many days (retention) */
  retentionDays: z.number().int().min(1).max(3650).default(30),
});
export type WorkstationConfig = z.infer<typeof WorkstationConfig>;

/** How the session token is kept: OS-encrypted (safeStorage), plain in the 0600 database, or memory only. */
export const TokenProtection = z.enum(['os', 'file', 'memory']);
export type TokenProtection = z.infer<typeof TokenProtection>;

/**
 * How the local database (tasks, drafts, labels, outbox) is kept on disk: encrypted with a key the
 * OS key store wraps; unencrypted because this computer has no key store; unencrypted in browser mode.
 */
export const DataProtection = z.enum(['os', 'no-key-store', 'browser']);
export type DataProtection = z.infer<typeof DataProtection>;

export const AuthStatus = z.strictObject({
  signedIn: z.boolean(),
  /**
   * What the sign-in form offers as the server: the configured one; else the session's server while
   * it is signed in or ended by itself (expiry, refused token); null after a sign-out, so a shared
   * laptop does not hand the last person's server to the next one.
   */
  serverUrl: z.string().nullable(),
  /**
   * set by IT (config file; env or --server in development): the form shows it read-only, the
   * services sign in to no other server, and the app offers sign-in at start
   */
  configuredServerUrl: z.string().nullable(),
  /** what the sign-in form offers as username, by the same rule as serverUrl (null after a sign-out) */
  offeredUsername: z.string().nullable().default(null),
  user: UserInfo.nullable(),
  tokenProtection: TokenProtection,
  dataProtection: DataProtection,
  /** sync stops after this (server expiry or the cached-session limit) until the reviewer signs in again */
  sessionValidUntil: z.string().nullable(),
  /** why the reviewer must sign in again, in plain words; null when signed in or never signed in */
  signInReason: z.string().nullable(),
});
export type AuthStatus = z.infer<typeof AuthStatus>;

export const SignInInput = z.strictObject({
  serverUrl: ServerUrl,
  username: Username,
  password: z.string().min(1, 'enter your password').max(1024),
});
export type SignInInput = z.infer<typeof SignInInput>;

export const SyncState = z.enum(['signed-out', 'offline', 'online', 'syncing']);
export type SyncState = z.infer<typeof SyncState>;

export const SyncStatus = z.strictObject({
  state: SyncState,
  /** mutations waiting to reach the server */
  queued: z.number().int().min(0),
  quarantined: z.number().int().min(0),
  /** tasks the server withdrew that are kept because they hold unsent work */
  withdrawnKept: z.number().int().min(0),
  lastSyncAt: z.string().nullable(),
  progress: z.strictObject({ done: z.number().int(), total: z.number().int() }).nullable(),
  /** the last failure in plain words; null after a clean sync */
  lastError: z.string().nullable(),
  /**
   * why the server gives this account no production work, in its words ("Certification required:
   * take the … exam"); null when leases are granted. Also shown as lastError when nothing else failed.
   */
  leaseRefusal: z.string().nullable().default(null),
  /** when the next automatic attempt runs, if one is scheduled */
  nextAttemptAt: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const MutationType = z.enum(['label.submit', 'task.skip', 'task.escalate', 'training.answer']);
export type MutationType = z.infer<typeof MutationType>;

/** An item the server refused (or that could never be sent): kept, shown with its reason. */
export const QuarantineItem = z.strictObject({
  /** the outbox row (stable; the mutation id may be given back when the server never applied it) */
  itemId: z.number().int(),
  type: MutationType,
  taskId: Id,
  promptPreview: z.string(),
  reason: z.union([RejectReason, z.literal('rejected')]),
  message: z.string(),
  createdAt: z.string(),
  quarantinedAt: z.string(),
});
export type QuarantineItem = z.infer<typeof QuarantineItem>;

export const WithdrawnItem = z.strictObject({
  taskId: Id,
  promptPreview: z.string(),
  reason: z.enum(['lease-expired', 'revoked']),
});
export type WithdrawnItem = z.infer<typeof WithdrawnItem>;

export const QuarantineList = z.strictObject({
  items: z.array(QuarantineItem),
  withdrawn: z.array(WithdrawnItem),
});
export type QuarantineList = z.infer<typeof QuarantineList>;
