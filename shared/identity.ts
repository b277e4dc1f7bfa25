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
  /** the workstation's per-install id: sessions and mutation ids are per device */
  deviceId: z.string().min(8).max(100),
  deviceName: z.string().max(200).default(''),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.strictObject({
  /** opaque bearer token; the server stores only its hash */
  token: z.string().min(32),
  expiresAt: z.string(),
  user: UserInfo,
  serverEpoch: z.string(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;
