import type { Generated } from 'kysely';

/**
 * The server's tables (one schema for SQLite and PostgreSQL).
 * Conventions: timestamps are ISO-8601 UTC text (`Date.toISOString()`, sorts lexicographically);
 * JSON documents are text; booleans are integers 0/1; ids are text except the autoincrement keys.
 */

export type ServerRole = 'trainee' | 'reviewer' | 'lead' | 'admin';
export type LeaseState = 'active' | 'completed' | 'released' | 'escalated' | 'expired';
export type ConfigKind = 'taxonomy' | 'template' | 'guideline';

export interface ServerMetaTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: ServerRole;
  pod_id: string | null;
  /** `scrypt$N$r$p$salt$hash` (base64) */
  password_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface PodsTable {
  id: string;
  name: string;
  lead_user_id: string | null;
  created_at: string;
}

export interface ProjectsTable {
  id: string;
  name: string;
  /** tasks leased per request (offline batch) */
  batch_size: number;
  lease_hours: number;
  ratings_per_task: number;
  /** share (0..1) of tasks that get `agreement_ratings` ratings instead of `ratings_per_task` */
  agreement_share: number;
  agreement_ratings: number;
  /** 1 = production work: trainees are refused */
  production: number;
  taxonomy_id: string | null;
  template_id: string | null;
  guideline_id: string | null;
  created_at: string;
}

export interface TasksTable {
  /** globally unique task id (task format v1) */
  id: string;
  project_id: string;
  /** import order within the project */
  seq: number;
  kind: 'ranking' | 'pairwise';
  /** the full Task JSON, meta included (admin only) */
  body: string;
  ratings_required: number;
  revoked_at: string | null;
  /** last lease token issued for this task (monotonic) */
  lease_counter: number;
  /** occupying leases (active, escalated) + labels; open while below ratings_required */
  occupancy: Generated<number>;
  created_at: string;
}

export interface LeasesTable {
  id: Generated<number>;
  task_id: string;
  project_id: string;
  user_id: string;
  token: number;
  expires_at: string;
  state: LeaseState;
  created_at: string;
}

export interface LabelsTable {
  /** the client-generated label id */
  id: string;
  task_id: string;
  project_id: string;
  user_id: string;
  device_id: string;
  /** the Label JSON as submitted (latest revision) */
  body: string;
  revision: number;
  lease_token: number;
  /** null, 'lease-lost' or 'lease-expired' */
  flagged: string | null;
  /**
   * the client's raw {createdAt, updatedAt, activeMs} (JSON) when the server clamped them in `body`
   * (docs/sync-protocol.md, "Server-side validation"); null when they were kept as sent
   */
  client_times: string | null;
  /** client time of the label (bounded by the server, as in `body`) */
  created_at: string;
  /** server time the label first arrived */
  received_at: string;
  /** server time of the latest revision */
  updated_at: string;
}

export interface TaskEventsTable {
  id: Generated<number>;
  task_id: string;
  project_id: string;
  user_id: string;
  device_id: string;
  type: 'skip' | 'escalate';
  reason: string;
  note: string;
  /** escalations: the reviewer's WorkState JSON, for the lead */
  work: string | null;
  lease_token: number;
  created_at: string;
}

export interface DevicesTable {
  id: string;
  /** the user who signed in on it last */
  user_id: string;
  name: string;
  /** highest mutation id applied for this device */
  last_mutation_id: number;
  created_at: string;
  revoked_at: string | null;
  /** SHA-256 (hex) of the install's device secret; null for devices registered before secrets */
  secret_hash: string | null;
  /** history digest (shared/history.ts) after last_mutation_id; null while unknown */
  history_digest: string | null;
  /**
   * non-zero once a push showed the server behind this device (a restore from a backup): the id the
   * device held as acknowledged; once last_mutation_id reaches it, the device has re-sent (device list)
   */
  recovery_through: Generated<number>;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the bearer token; the token itself is never stored */
  token_hash: string;
  user_id: string;
  device_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface ChangesTable {
  seq: Generated<number>;
  /** null = broadcast to everyone */
  user_id: string | null;
  type: string;
  /** the Change JSON (shared/sync.ts) */
  payload: string;
  created_at: string;
  /** random per row (database default): pull cursors are `seq.tag` */
  tag: Generated<string>;
  /** an `assignment` change's task id, generated from the payload (null for other types); indexed */
  assignment_task_id: Generated<string | null>;
}

export interface ConfigDocsTable {
  kind: ConfigKind;
  id: string;
  version: string;
  body: string;
  updated_at: string;
}

export interface Database {
  server_meta: ServerMetaTable;
  users: UsersTable;
  pods: PodsTable;
  projects: ProjectsTable;
  tasks: TasksTable;
  leases: LeasesTable;
  labels: LabelsTable;
  task_events: TaskEventsTable;
  devices: DevicesTable;
  sessions: SessionsTable;
  changes: ChangesTable;
  config_docs: ConfigDocsTable;
}
