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
  /** comma-separated skills whose certificate a non-admin needs to lease here ('' = none) */
  requires_certs: Generated<string>;
  /** hours within which a lead should rule on an escalation (the inbox marks older ones overdue) */
  escalation_target_hours: Generated<number>;
  /**
   * 0: open to every pod (projects from before migration 0016 and fixtures); 1: only to the pods
   * and users in project_pods / project_users (none: admins only). server/auth/project-access.ts
   */
  pod_scoped: Generated<number>;
  /** wellbeing (migration 0018, docs/wellbeing.md): null = no cap / no break reminder */
  sensitive_cap_per_day: Generated<number | null>;
  sensitive_cap_per_session: Generated<number | null>;
  sensitive_break_minutes: Generated<number | null>;
}

/** a pod whose members (and lead) may work on a pod-scoped project (migration 0016) */
export interface ProjectPodsTable {
  project_id: string;
  pod_id: string;
  created_at: string;
}

/** a named user who may work on a pod-scoped project whatever their pod (migration 0016) */
export interface ProjectUsersTable {
  project_id: string;
  user_id: string;
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
  /** 1: the task is marked `sensitive` (its body says so; migration 0018) */
  sensitive: Generated<number>;
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

/** The bars metric flags use, per project ('' pod) or pod (docs/metrics.md, "Thresholds and flags"). */
export interface MetricThresholdsTable {
  project_id: string;
  /** '' = the whole project */
  pod_id: string;
  min_agreement: number;
  max_gold_error: number;
  max_position_bias: number;
  window_days: number;
  min_n: number;
  updated_at: string;
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

/** a remote wipe order (migration 0017): open until the workstation reports the wipe */
export interface DeviceWipesTable {
  id: string;
  device_id: string;
  ordered_at: string;
  wiped_at: string | null;
  /** unsent items the workstation deleted with the rest, as it reported them */
  unsent: number | null;
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

/** A sandbox course (docs/training.md): training material, keys included, shipped whole. */
export interface CoursesTable {
  id: string;
  title: string;
  /** the server's version counter: every import of the course makes a new one */
  version: string;
  /** the CourseDoc JSON (keys included) */
  body: string;
  updated_at: string;
}

export interface ExamsTable {
  id: string;
  title: string;
  skill: string;
  /** the guideline whose version a certificate records */
  guideline_id: string;
  /** items drawn per attempt */
  draw: number;
  pass_mark: number;
  max_attempts: number;
  cooldown_hours: number;
  time_limit_min: number | null;
  valid_days: number;
  /** days a certificate stays valid once a new major guideline version calls for re-certification */
  grace_days: number;
  /** dotted path in the item line whose value stratifies the draw (null = plain random draw) */
  stratify: string | null;
  /** 1 = a trainee who passes becomes a reviewer */
  promote: number;
  retired: number;
  created_at: string;
  updated_at: string;
}

/** An exam's bank: the items it draws from. Never sent to a non-admin before grading. */
export interface ExamItemsTable {
  exam_id: string;
  /** the bank task's own id */
  item_id: string;
  /** order in the bank file */
  position: number;
  /** TrainingItem JSON {task, key} */
  body: string;
  /** the item's value at the exam's stratify path (null without one) */
  stratum: string | null;
}

export interface ExamAttemptsTable {
  /** random: served task ids are `<id>.<n>` */
  id: string;
  exam_id: string;
  user_id: string;
  /** 1 for the first attempt of the certification cycle */
  number: number;
  started_at: string;
  /** null = no time limit */
  deadline: string | null;
  /** JSON ServedItem[] (server/training/serve.ts): the served tasks and their bank ids */
  served: string;
  state: 'open' | 'graded';
  score: number | null;
  passed: number | null;
  graded_at: string | null;
  /** AttemptResult JSON once graded */
  result: string | null;
}

export interface ExamAnswersTable {
  attempt_id: string;
  /** the served task id */
  task_id: string;
  user_id: string;
  device_id: string;
  /** the Label JSON as stored (session identity, bounded times) */
  label: string;
  received_at: string;
  /** 1 = received after the deadline and its grace: kept, scored 0 */
  late: number;
  /** what the item counts in the attempt's score (0 when late) */
  score: number;
  /** ItemFeedback JSON against the served task */
  feedback: string;
}

export interface CertificatesTable {
  id: string;
  user_id: string;
  skill: string;
  exam_id: string;
  /** the attempt that earned it; '' for one granted by an operator (`cert grant`) */
  attempt_id: string;
  guideline_id: string;
  /** the guideline version it was earned under ('' when none was known) */
  guideline_version: string;
  issued_at: string;
  expires_at: string;
  /** a new major guideline version asks for re-certification: valid until then */
  due_at: string | null;
  revoked_at: string | null;
}

/** Sandbox attempts, scored by the server: for progress and metrics, never in any export. */
export interface SandboxAnswersTable {
  id: Generated<number>;
  user_id: string;
  device_id: string;
  course_id: string;
  course_version: string;
  task_id: string;
  attempt: number;
  score: number;
  correct: number;
  active_ms: number;
  label: string;
  received_at: string;
}

/** A calibration round published to a pod (docs/training.md). */
export interface CalibrationRoundsTable {
  id: string;
  pod_id: string;
  title: string;
  /** the lead or admin who published it; null: the operator CLI */
  created_by: string | null;
  created_at: string;
  due_at: string;
  revealed_at: string | null;
  /** JSON string[]: the pod's trainees and reviewers at publication */
  members: string;
  /** JSON CalibrationItem[]: tasks served with ids `<roundId>.<n>`, keys (if any) in those ids */
  items: string;
}

export interface CalibrationAnswersTable {
  round_id: string;
  /** the served task id */
  task_id: string;
  user_id: string;
  /** the Label JSON as stored (session identity) */
  label: string;
  received_at: string;
}

export interface ShadowProjectsTable {
  project_id: string;
  set_size: number;
  opened_at: string;
  /** null while open */
  closed_at: string | null;
}

export interface ShadowSetsTable {
  id: string;
  user_id: string;
  project_id: string;
  created_at: string;
  /** JSON [{taskId, labelId}]: the tasks drawn and the certified reviewer label each is set beside */
  items: string;
}

/** A trainee's shadowing answers: for progress and metrics, never in any export. */
export interface ShadowAnswersTable {
  set_id: string;
  task_id: string;
  user_id: string;
  device_id: string;
  /** the Label JSON as stored (session identity) */
  label: string;
  score: number;
  correct: number;
  active_ms: number;
  /** ItemFeedback JSON: the answer beside the reference label */
  feedback: string;
  received_at: string;
}

/** A lead's ruling on an escalation (a task_events row of type 'escalate'): at most one each. */
export interface EscalationRulingsTable {
  escalation_id: number;
  task_id: string;
  project_id: string;
  /** the reviewer who escalated */
  reviewer_id: string;
  lead_user_id: string;
  decision: 'label' | 'return';
  /** decision 'label': the lead's label (a labels row, user_id the lead) */
  label_id: string | null;
  explanation: string;
  guidance: string | null;
  /** decision 'return': the token of the lease the reviewer got back */
  lease_token: number | null;
  ruled_at: string;
}

/** A lead's action on a reviewer (coaching note, restriction, re-certification), until lifted. */
export interface ReviewerActionsTable {
  id: string;
  user_id: string;
  /** the reviewer's pod when the action was taken */
  pod_id: string;
  kind: 'coaching' | 'restriction' | 'recertification';
  /** JSON: {note, taskIds} | {projects, note} | {skill, note, certificates: [{id, dueAt}]} */
  body: string;
  created_by: string;
  created_at: string;
  acknowledged_at: string | null;
  lifted_at: string | null;
  lifted_by: string | null;
}

/** Append-only: who did what, when, with the state before and after (JSON). */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  /** null: the operator CLI */
  actor_user_id: string | null;
  actor_role: string;
  action: string;
  target_type: string;
  target_id: string;
  before: string | null;
  after: string | null;
}

/** Quality settings of a project (docs/lead-workspace.md): silent gold and blind QA re-rating. */
export interface ProjectQualityTable {
  project_id: string;
  /** share (0..0.5) of each lease batch's slots given to gold tasks */
  gold_rate: number;
  /** share (0..0.5) of completed labels sampled for QA re-rating */
  qa_share: number;
  /** 1 = a QA re-rating replaces the original label in trl/openai exports (raw keeps both) */
  qa_replaces: number;
  /** the seed every sampling run of the project uses unless one is given (recorded per run) */
  qa_seed: string;
  updated_at: string;
}

/** A gold task's answer key, apart from the task (whose body is sent like any other): never sent. */
export interface GoldKeysTable {
  task_id: string;
  project_id: string;
  /** AnswerKey JSON */
  key: string;
  created_at: string;
}

/** A reviewer's label on a gold task, graded against its key on push. Never in any export. */
export interface GoldAnswersTable {
  task_id: string;
  user_id: string;
  project_id: string;
  label_id: string;
  /** the label revision graded (the latest) */
  revision: number;
  score: number;
  correct: number;
  /** ItemFeedback JSON (holds the key: for the server and the operator only) */
  feedback: string;
  received_at: string;
  updated_at: string;
}

/** One QA sampling run: its seed and share, how many labels it looked at and sampled. */
export interface QaRunsTable {
  id: string;
  project_id: string;
  seed: string;
  share: number;
  considered: number;
  sampled: number;
  /** null: the operator CLI; else the user whose QA lease ran it */
  created_by: string | null;
  created_at: string;
}

/** A completed label sampled for blind re-rating. */
export interface QaSamplesTable {
  id: string;
  run_id: string;
  project_id: string;
  label_id: string;
  task_id: string;
  /** the original label's author (never sent to a re-rater before they submit) */
  reviewer_id: string;
  /** order within the run (the seeded draw's order) */
  position: number;
  created_at: string;
  /** when its first re-rating arrived */
  rated_at: string | null;
}

/** The leases that are QA re-ratings: work pushed on them is a re-rating, not a production label. */
export interface QaLeasesTable {
  task_id: string;
  token: number;
  sample_id: string;
  rater_id: string;
  created_at: string;
}

/** A blind re-rating of a sampled label; `id` is the re-rater's label id. */
export interface QaRatingsTable {
  id: string;
  sample_id: string;
  task_id: string;
  rater_id: string;
  device_id: string;
  /** the Label JSON as stored (session identity) */
  label: string;
  revision: number;
  received_at: string;
  updated_at: string;
  /** when the re-rater first opened the comparison: the re-rating is locked from then on */
  revealed_at: string | null;
  /** QaClassification JSON (shared/qa.ts) */
  classification: string | null;
  classified_at: string | null;
}

/**
 * What the metrics judge of each label (server/metrics/label-facts.ts), written with the label in
 * the same transaction: the metrics read these narrow rows, never label bodies.
 */
export interface LabelFactsTable {
  label_id: string;
  project_id: string;
  task_id: string;
  user_id: string;
  /** the label's received_at (first arrival) */
  received_at: string;
  /** the label's revision: a newer one replaces the row */
  revision: number;
  kind: string;
  /** ranks or the pairwise choice, compact text (label-facts.ts); null when the label has none */
  judgement: string | null;
  /** presentedOrder joined by ',' */
  presented: string;
  /** `responseId tagId severity` joined by ',' */
  tags: string;
  active_ms: number;
  /** weekStart(received_at): the Monday the label's week begins (migration 0015) */
  week: string;
  /** what the label adds to position bias (shared/metrics/position-bias.ts positionCode; 0015) */
  position_code: string;
}

/**
 * What a task with two or more labels adds to agreement (server/metrics/task-summary.ts),
 * rewritten when one of its labels lands, in the same transaction (migration 0019).
 */
export interface TaskAgreementTable {
  project_id: string;
  task_id: string;
  /** the task's fact rows */
  labels: number;
  /** compact text (task-summary.ts encodeTaskSummary) */
  summary: string;
}

/** Permissions beyond a user's role (`qa`: may re-rate QA samples of any pod). */
export interface UserPermissionsTable {
  user_id: string;
  permission: string;
  granted_at: string;
}

/** A lead's draft of a guideline change (migration 0014), open until published or rejected. */
export interface GuidelineDraftsTable {
  id: Generated<number>;
  pod_id: string;
  guideline_id: string;
  base_version: string;
  summary: string;
  /** JSON: DraftSource (shared/guideline-draft.ts) */
  source: string;
  /** the guideline's whole text with the draft applied to its base version */
  markdown: string;
  /** JSON: SectionChange[] against the base version */
  changes: string;
  /** JSON: DraftLink[] */
  links: string;
  state: 'open' | 'published' | 'rejected';
  author_id: string;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  published_version: string | null;
  reject_reason: string | null;
}

export interface Database {
  server_meta: ServerMetaTable;
  users: UsersTable;
  pods: PodsTable;
  projects: ProjectsTable;
  project_pods: ProjectPodsTable;
  project_users: ProjectUsersTable;
  tasks: TasksTable;
  leases: LeasesTable;
  labels: LabelsTable;
  task_events: TaskEventsTable;
  devices: DevicesTable;
  device_wipes: DeviceWipesTable;
  sessions: SessionsTable;
  changes: ChangesTable;
  config_docs: ConfigDocsTable;
  metric_thresholds: MetricThresholdsTable;
  courses: CoursesTable;
  exams: ExamsTable;
  exam_items: ExamItemsTable;
  exam_attempts: ExamAttemptsTable;
  exam_answers: ExamAnswersTable;
  certificates: CertificatesTable;
  sandbox_answers: SandboxAnswersTable;
  calibration_rounds: CalibrationRoundsTable;
  calibration_answers: CalibrationAnswersTable;
  shadow_projects: ShadowProjectsTable;
  shadow_sets: ShadowSetsTable;
  shadow_answers: ShadowAnswersTable;
  escalation_rulings: EscalationRulingsTable;
  reviewer_actions: ReviewerActionsTable;
  audit_log: AuditLogTable;
  project_quality: ProjectQualityTable;
  gold_keys: GoldKeysTable;
  gold_answers: GoldAnswersTable;
  qa_runs: QaRunsTable;
  qa_samples: QaSamplesTable;
  qa_leases: QaLeasesTable;
  qa_ratings: QaRatingsTable;
  user_permissions: UserPermissionsTable;
  label_facts: LabelFactsTable;
  guideline_drafts: GuidelineDraftsTable;
  task_agreement: TaskAgreementTable;
}
