import type { Transaction } from 'kysely';
import type { Label } from '../../shared/label';
import { formatLabelProblems, labelProblems } from '../../shared/label-validity';
import type { MutationOutcome, RejectReason, TaskMutation } from '../../shared/sync';
import type { Task } from '../../shared/task';
import type { Caller } from '../context';
import { chunks } from '../db/batch';
import type { Database, LabelsTable, LeaseState, TaskEventsTable } from '../db/schema';
import { OccupancyDelta } from '../db/occupancy';
import type { LeaseProofCheck } from './lease-proof';
import { docIdsOf, LabelDocs } from './label-config';
import { boundTimes } from './label-times';
import { QualityBatch } from '../quality/push';
import { ProjectAccess } from '../auth/project-access';
import { labelFact, writeLabelFacts } from '../metrics/label-facts';
import type { LabelFactRow } from '../metrics/label-facts';

type Trx = Transaction<Database>;
type TaskRow = {
  id: string;
  project_id: string;
  body: string;
  revoked_at: string | null;
  lease_counter: number;
  production: number;
  taxonomy_id: string | null;
  template_id: string | null;
  pod_scoped: number;
};
type LeaseRow = {
  id: number;
  task_id: string;
  user_id: string;
  token: number;
  expires_at: string;
  state: LeaseState;
  created_at: string;
};
type LabelRow = LabelsTable;
/** what a push needs of a label already stored (not its body) */
type StoredLabel = Pick<LabelsTable, 'id' | 'task_id' | 'user_id' | 'revision' | 'flagged' | 'received_at'>;
type Flag = MutationOutcome['flagged'];

const accepted = (m: TaskMutation, flagged: Flag = null): MutationOutcome => ({
  mutationId: m.id,
  status: 'accepted',
  reason: null,
  message: null,
  flagged,
});
const rejected = (m: TaskMutation, reason: RejectReason, message: string): MutationOutcome => ({
  mutationId: m.id,
  status: 'rejected',
  reason,
  message,
  flagged: null,
});

/**
 * The mutations of one or more pushes (several callers): loads everything they touch in two set
 * queries, applies them in memory in order, then writes back in a few set statements. Round trips,
 * not rows, are what a push pays for, so pushes that arrive together share them (push-groups.ts).
 */
export class PushBatch {
  private tasks = new Map<string, TaskRow & { parsed?: Task }>();
  private leases = new Map<string, LeaseRow[]>();
  private labels = new Map<string, StoredLabel>();
  /** `${userId} ${taskId}` -> the id of that user's label on that task */
  private labelOfUser = new Map<string, string>();
  /** labels to write (new ones and newer revisions), by id */
  private writeLabels = new Map<string, LabelRow>();
  /** what the metrics read of each written label (label_facts), written with it */
  private writeFacts = new Map<string, LabelFactRow>();
  private leaseStates = new Map<number, LeaseState>();
  /** tasks whose lease counter must rise to a proven token the server forgot giving (restore) */
  private counters = new Map<string, number>();
  private events: Omit<TaskEventsTable, 'id'>[] = [];
  private occupancy = new OccupancyDelta();
  private newLabels = 0;
  /** the taxonomies and rationale templates the submitted labels are checked against */
  private docs = new LabelDocs();
  /** gold grading and QA re-ratings (server/quality/push.ts) */
  private quality: QualityBatch;
  /** which projects each pushing user may see (docs/server.md, "Projects and pods") */
  private access = new Map<string, ProjectAccess>();

  constructor(
    private readonly trx: Trx,
    private readonly nowIso: string,
    /** checks a lease proof the server signed (lease-proof.ts) */
    private readonly proofHolds: LeaseProofCheck,
  ) {
    this.quality = new QualityBatch(trx, nowIso);
  }

  async load(mutations: TaskMutation[]): Promise<void> {
    const taskChunks = chunks([...new Set(mutations.map((m) => m.taskId))]);
    const labelChunks = chunks([
      ...new Set(mutations.flatMap((m) => (m.type === 'label.submit' ? [m.label.id] : []))),
    ]);
    for (const ids of taskChunks) {
      const rows = await this.trx
        .selectFrom('tasks as t')
        .innerJoin('projects as p', 'p.id', 't.project_id')
        .leftJoin('leases as l', 'l.task_id', 't.id')
        .select(['t.id', 't.project_id', 't.body', 't.revoked_at', 't.lease_counter', 'p.production'])
        .select(['p.taxonomy_id', 'p.template_id', 'p.pod_scoped'])
        .select(['l.id as lease_id', 'l.user_id', 'l.token', 'l.expires_at', 'l.state'])
        .select('l.created_at as lease_created_at')
        .where('t.id', 'in', ids)
        .execute();
      for (const r of rows) {
        if (!this.tasks.has(r.id))
          this.tasks.set(r.id, {
            id: r.id,
            project_id: r.project_id,
            body: r.body,
            revoked_at: r.revoked_at,
            lease_counter: r.lease_counter,
            production: r.production,
            taxonomy_id: r.taxonomy_id,
            template_id: r.template_id,
            pod_scoped: r.pod_scoped,
          });
        if (r.lease_id === null) continue;
        const lease = {
          id: r.lease_id,
          task_id: r.id,
          user_id: r.user_id!,
          token: r.token!,
          expires_at: r.expires_at!,
          state: r.state!,
          created_at: r.lease_created_at!,
        };
        this.leases.set(r.id, [...(this.leases.get(r.id) ?? []), lease]);
      }
    }
    // every label on these tasks (labels_task index; a user_id condition would make SQLite scan all
    // of a user's labels) and the labels these ids already name, in one query
    for (let i = 0; i < Math.max(taskChunks.length, labelChunks.length); i++) {
      const taskIds = taskChunks[i] ?? [];
      const labelIds = labelChunks[i] ?? [];
      const rows = await this.trx
        .selectFrom('labels')
        .select(['id', 'task_id', 'user_id', 'revision', 'flagged', 'received_at'])
        .where((eb) =>
          eb.or([
            ...(taskIds.length ? [eb('task_id', 'in', taskIds)] : []),
            ...(labelIds.length ? [eb('id', 'in', labelIds)] : []),
          ]),
        )
        .execute();
      for (const r of rows) {
        this.labels.set(r.id, r);
        this.labelOfUser.set(`${r.user_id} ${r.task_id}`, r.id);
      }
    }
    // the taxonomies and templates of the submitted labels' tasks, in one query
    const ids = { taxonomy: new Set<string>(), template: new Set<string>() };
    for (const m of mutations) {
      const row = this.tasks.get(m.taskId);
      if (m.type !== 'label.submit' || !row) continue;
      const docIds = docIdsOf(this.task(m.taskId)!, row);
      ids.taxonomy.add(docIds.taxonomy);
      ids.template.add(docIds.template);
    }
    if (ids.taxonomy.size) await this.docs.load(this.trx, ids);
    await this.quality.load([...this.tasks.keys()], labelChunks.flat());
  }

  /** the project access of the users pushing in this batch: one small query each */
  async loadAccess(callers: readonly Caller[]): Promise<void> {
    for (const caller of callers)
      if (!this.access.has(caller.userId))
        this.access.set(caller.userId, await ProjectAccess.load(this.trx, caller));
  }

  private task(id: string): Task | undefined {
    const row = this.tasks.get(id);
    if (!row) return undefined;
    row.parsed ??= JSON.parse(row.body) as Task;
    return row.parsed;
  }

  /**
   * Checks shared by every mutation type; returns a rejection or the caller's standing on the task.
   * Work on a lease this server has no record of is `not-assigned`, unless the mutation carries the
   * server's own proof of that lease (lease-proof.ts): a server restored from a backup forgets the
   * leases it gave after the backup, and the work re-sent on them is kept, flagged `lease-lost`.
   */
  private standing(
    m: TaskMutation,
    caller: Caller,
  ): MutationOutcome | { lease: LeaseRow | null; flagged: Flag } {
    const row = this.tasks.get(m.taskId);
    // a task of a project the caller may not (or no longer) see answers as an unknown one
    if (!row || !this.access.get(caller.userId)!.allows({ id: row.project_id, pod_scoped: row.pod_scoped }))
      return rejected(m, 'invalid', `unknown task "${m.taskId}"`);
    if (row.revoked_at) return rejected(m, 'task-revoked', `task "${m.taskId}" was withdrawn`);
    if (caller.role === 'trainee' && row.production)
      return rejected(m, 'forbidden', 'trainees may not submit production work');
    const all = this.leases.get(m.taskId) ?? [];
    const lease = all.find((l) => l.token === m.leaseToken && l.user_id === caller.userId) ?? null;
    const lostTo = all.some((l) => l.token > m.leaseToken && l.user_id !== caller.userId);
    if (!lease) {
      const everHeld = all.some((l) => l.user_id === caller.userId);
      const proven = this.proofHolds(m.taskId, m.leaseToken, caller.userId, m.leaseProof);
      if (!everHeld && !this.labelOfUser.has(`${caller.userId} ${m.taskId}`) && !proven)
        return rejected(m, 'not-assigned', `you hold no lease on task "${m.taskId}"`);
      // a proven token the server forgot giving must not be given again to someone else
      if (proven && m.leaseToken > row.lease_counter)
        this.counters.set(m.taskId, Math.max(this.counters.get(m.taskId) ?? 0, m.leaseToken));
      return { lease: null, flagged: 'lease-lost' };
    }
    const state = this.leaseStates.get(lease.id) ?? lease.state;
    if (state === 'completed' || state === 'escalated') return { lease, flagged: null };
    if (state === 'released') return { lease, flagged: 'lease-lost' };
    if (state === 'expired' || lease.expires_at <= this.nowIso)
      return { lease, flagged: lostTo ? 'lease-lost' : 'lease-expired' };
    return { lease, flagged: null };
  }

  private moveLease(lease: LeaseRow, to: LeaseState): void {
    this.occupancy.leaseMoved(lease.task_id, this.leaseStates.get(lease.id) ?? lease.state, to);
    this.leaseStates.set(lease.id, to);
  }

  apply(m: TaskMutation, caller: Caller, deviceId: string): MutationOutcome {
    const s = this.standing(m, caller);
    if ('status' in s) return s;
    const row = this.tasks.get(m.taskId)!;
    if (m.type === 'label.submit') return this.submit(m, m.label, caller, row, s.lease, s.flagged, deviceId);
    if (s.lease && (this.leaseStates.get(s.lease.id) ?? s.lease.state) === 'active')
      this.moveLease(s.lease, m.type === 'task.skip' ? 'released' : 'escalated');
    this.events.push({
      task_id: m.taskId,
      project_id: row.project_id,
      user_id: caller.userId,
      device_id: deviceId,
      type: m.type === 'task.skip' ? 'skip' : 'escalate',
      reason: m.reason,
      note: m.note,
      work: m.type === 'task.escalate' && m.work ? JSON.stringify(m.work) : null,
      lease_token: m.leaseToken,
      created_at: this.nowIso,
    });
    return accepted(m, s.flagged);
  }

  private submit(
    m: TaskMutation,
    label: Label,
    caller: Caller,
    row: TaskRow,
    lease: LeaseRow | null,
    flagged: Flag,
    deviceId: string,
  ): MutationOutcome {
    // the label must fit its task, taxonomy and template (shared/label-validity.ts, as at submit)
    const problems = labelProblems(label, this.docs.contextOf(this.task(m.taskId)!, row));
    if (problems.length) return rejected(m, 'invalid', formatLabelProblems(problems));
    const sampleId = this.quality.qaSample(m.taskId, m.leaseToken, caller.userId);
    if (sampleId) return this.submitRating(m, label, caller, lease, flagged, deviceId, sampleId);
    const existing = this.writeLabels.get(label.id) ?? this.labels.get(label.id);
    if (existing && (existing.task_id !== m.taskId || existing.user_id !== caller.userId))
      return rejected(m, 'label-conflict', `label id ${label.id} belongs to another task or reviewer`);
    const other = this.labelOfUser.get(`${caller.userId} ${m.taskId}`);
    if (!existing && other && other !== label.id)
      return rejected(m, 'label-conflict', `you already labeled task "${m.taskId}" as label ${other}`);
    if (lease && (this.leaseStates.get(lease.id) ?? lease.state) === 'active')
      this.moveLease(lease, 'completed');
    // identity is the session's; client times are kept within the caller's first lease and now
    const { times, clamped } = boundTimes(
      label,
      this.nowIso,
      this.firstLeaseCreated(m.taskId, caller.userId),
    );
    const stored: Label = { ...label, reviewerId: caller.userId, deviceId, ...times };
    const next: LabelRow = {
      id: label.id,
      task_id: m.taskId,
      project_id: row.project_id,
      user_id: caller.userId,
      device_id: deviceId,
      body: JSON.stringify(stored),
      revision: label.revision,
      lease_token: m.leaseToken,
      flagged: flagged ?? existing?.flagged ?? null,
      client_times: clamped ? JSON.stringify(clamped) : null,
      created_at: stored.createdAt,
      received_at: existing?.received_at ?? this.nowIso,
      updated_at: this.nowIso,
    };
    const fact = () =>
      labelFact(stored, {
        projectId: row.project_id,
        taskId: m.taskId,
        userId: caller.userId,
        receivedAt: next.received_at,
      });
    if (!existing) {
      this.writeLabels.set(label.id, next);
      this.writeFacts.set(label.id, fact());
      this.labelOfUser.set(`${caller.userId} ${m.taskId}`, label.id);
      this.occupancy.add(m.taskId, 1);
      this.newLabels += 1;
      this.quality.grade(row.project_id, stored, caller.userId);
    } else if (label.revision > existing.revision) {
      // an edit: same label id, higher revision; an equal or older revision changes nothing
      this.writeLabels.set(label.id, next);
      this.writeFacts.set(label.id, fact());
      this.quality.grade(row.project_id, stored, caller.userId);
    }
    return accepted(m, flagged);
  }

  /**
   * Work on a QA lease is a blind re-rating (docs/lead-workspace.md): checked like a label, kept
   * in qa_ratings (never a production label), and it completes the lease.
   */
  private submitRating(
    m: TaskMutation,
    label: Label,
    caller: Caller,
    lease: LeaseRow | null,
    flagged: Flag,
    deviceId: string,
    sampleId: string,
  ): MutationOutcome {
    if (this.writeLabels.has(label.id) || this.labels.has(label.id))
      return rejected(m, 'label-conflict', `label id ${label.id} belongs to another task or reviewer`);
    const { times } = boundTimes(label, this.nowIso, this.firstLeaseCreated(m.taskId, caller.userId));
    const stored: Label = { ...label, reviewerId: caller.userId, deviceId, ...times };
    const refusal = this.quality.rate(sampleId, stored, caller.userId, deviceId);
    if (refusal) return rejected(m, refusal.reason, refusal.message);
    if (lease && (this.leaseStates.get(lease.id) ?? lease.state) === 'active')
      this.moveLease(lease, 'completed');
    return accepted(m, flagged);
  }

  /** when the caller first held a lease on the task (an edit may come under a later lease), if ever */
  private firstLeaseCreated(taskId: string, userId: string): string | null {
    let first: string | null = null;
    for (const l of this.leases.get(taskId) ?? [])
      if (l.user_id === userId && (first === null || l.created_at < first)) first = l.created_at;
    return first;
  }

  async flush(): Promise<void> {
    // new labels and edits in one statement per chunk (500 wide rows stay far under the parameter
    // limits). An edit takes the DO UPDATE branch, guarded so only the owner's newer revision lands.
    for (const batch of chunks([...this.writeLabels.values()]))
      await this.trx
        .insertInto('labels')
        .values(batch)
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({
              body: eb.ref('excluded.body'),
              revision: eb.ref('excluded.revision'),
              lease_token: eb.ref('excluded.lease_token'),
              flagged: eb.ref('excluded.flagged'),
              device_id: eb.ref('excluded.device_id'),
              client_times: eb.ref('excluded.client_times'),
              updated_at: eb.ref('excluded.updated_at'),
            }))
            .where((eb) =>
              eb.and([
                eb('labels.revision', '<', eb.ref('excluded.revision')),
                eb('labels.user_id', '=', eb.ref('excluded.user_id')),
                eb('labels.task_id', '=', eb.ref('excluded.task_id')),
              ]),
            ),
        )
        .execute();
    await writeLabelFacts(this.trx, [...this.writeFacts.values()]);
    const byState = new Map<LeaseState, number[]>();
    for (const [id, state] of this.leaseStates) byState.set(state, [...(byState.get(state) ?? []), id]);
    for (const [state, ids] of byState)
      for (const batch of chunks(ids))
        await this.trx.updateTable('leases').set({ state }).where('id', 'in', batch).execute();
    for (const batch of chunks(this.events)) await this.trx.insertInto('task_events').values(batch).execute();
    await this.occupancy.apply(this.trx);
    for (const [taskId, token] of this.counters)
      await this.trx
        .updateTable('tasks')
        .set({ lease_counter: token })
        .where('id', '=', taskId)
        .where('lease_counter', '<', token)
        .execute();
    await this.quality.flush();
  }

  /** rows this batch added, by table (for the planner statistics; edits change no row counts) */
  added() {
    return { labels: this.newLabels, task_events: this.events.length };
  }
}
