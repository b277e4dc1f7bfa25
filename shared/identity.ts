import { z } from 'zod';
import { Id } from './task';

export const Role = z.enum(['trainee', 'reviewer', 'lead', 'admin']);
export type Role = z.infer<typeof Role>;

export const Username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits and . _ - only');

export const UserInfo = z.strictObject({
  id: z.string(),
  username: Username,
  displayName: z.string().max(200),
  role: Role,
  podId: Id.nullable(),
});
export type UserInfo = z.infer<typeof UserInfo>;

export const LoginRequest = z.strictObject({
  username: Username,
  password: z.string().min(1).max(1024),
  /**
   * The device id this install last used with the server (a new install proposes a random one).
   * The server keeps it only if it is unknown, or known for this user with this secret; otherwise
   * it registers a new id and answers with it (LoginResponse.deviceId).
   */
  deviceId: z.string().min(8).max(100),
  /** the install's random secret: proves a known device id is this install's (the server keeps a hash) */
  deviceSecret: z.string().min(32).max(200),
  deviceName: z.string().max(200).default(''),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.strictObject({
  /** opaque bearer token; the server stores only its hash */
  token: z.string().min(32),
  expiresAt: z.string(),
  user: UserInfo,
  serverEpoch: z.string(),
  /** the device id this session is bound to: the one proposed, or a new one the server registered */
  deviceId: z.string().min(8).max(100),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

/** A signed-in workstation whose history diverged asks for a new device id (and session) with this. */
export const DeviceRequest = z.strictObject({
  deviceSecret: z.string().min(32).max(200),
  deviceName: z.string().max(200).default(''),
});
export type DeviceRequest = z.infer<typeof DeviceRequest>;
