import {
  breakDueAt,
  capMessage,
  capReached,
  continueStretch,
  localDayStart,
  ProjectWellbeing,
  type CapReached,
  type Stretch,
  type WellbeingStatus,
} from '../../shared/wellbeing';
import { z } from 'zod';
import type { Settings } from './settings';
import type { Store } from './store';

/** the projects' wellbeing settings from the last lease reply (erased with the rest of sync.*) */
export const WELLBEING_KEY = 'sync.wellbeing';

const SettingsList = z.array(ProjectWellbeing);
const NO_CAPS: ReadonlyMap<string, CapReached> = new Map();

export interface WellbeingDeps {
  store: Store;
  settings: Settings;
  clock: () => Date;
}

/**
 * Reviewer wellbeing on the workstation (docs/wellbeing.md), offline: the sensitive tasks labelled
 * today (the reviewer's local day) and since sign-in, counted per project from the local labels
 * (first submission time; a re-edit is not a second exposure), against the caps the last sync
 * brought; and the stretch of continuous sensitive work behind the break reminder.
 *
 * The count needs no sync of its own: the labels carry it. Each label names its task, the server
 * knows which tasks are sensitive and keeps the label's client time, so it derives the same count
 * from what is pushed (server/sync/wellbeing.ts), late pushes included, and a reinstall that
 * starts from an empty local database cannot reset what the server leases.
 */
export class Wellbeing {
  private readonly sql;
  private cached: { raw: string | undefined; list: ProjectWellbeing[] } = { raw: undefined, list: [] };
  /** the last answer of `capped()` and what it depended on (it runs on every task.next) */
  private cappedMemo: { key: string; value: ReadonlyMap<string, CapReached> } | null = null;
  /** kept in memory: a restart of the app takes long enough to be a pause of its own */
  private stretch: (Stretch & { projectId: string }) | null = null;

  constructor(private readonly deps: WellbeingDeps) {
    const { stmt } = deps.store;
    this.sql = {
      sensitiveSince: stmt(
        `SELECT count(*) AS n FROM labels l
           JOIN leases s ON s.task_id = l.task_id
           JOIN tasks t ON t.id = l.task_id
         WHERE l.created_at >= ? AND t.sensitive = 1 AND s.project_id = ?`,
      ),
      signedInAt: stmt('SELECT signed_in_at FROM session WHERE id = 1'),
      // grows with every first submission (a re-edit updates its row in place)
      lastLabel: stmt('SELECT max(rowid) AS m FROM labels'),
      sensitiveProject: stmt(
        `SELECT s.project_id FROM tasks t JOIN leases s ON s.task_id = t.id WHERE t.id = ? AND t.sensitive = 1`,
      ),
    };
  }

  /** the list of the last lease reply replaces the one before (a project left out has no settings now) */
  storeSettings(list: readonly ProjectWellbeing[]): void {
    this.deps.store.light(() => this.deps.settings.set(WELLBEING_KEY, JSON.stringify(list)));
  }

  /** the settings the last sync brought, per project (a damaged value counts as none) */
  projects(): ProjectWellbeing[] {
    const raw = this.deps.settings.get(WELLBEING_KEY);
    if (raw !== this.cached.raw) {
      let list: ProjectWellbeing[] = [];
      try {
        const parsed = SettingsList.safeParse(raw === undefined ? [] : JSON.parse(raw));
        if (parsed.success) list = parsed.data;
      } catch {
        // unreadable: no caps until the next sync writes them again
      }
      this.cached = { raw, list };
    }
    return this.cached.list;
  }

  /** sensitive tasks of the project labelled today (local day) and since the last sign-in */
  counts(projectId: string): { today: number; session: number } {
    const now = this.deps.clock();
    const today = this.countSince(localDayStart(now).toISOString(), projectId);
    const signedIn = this.signedInAt();
    return { today, session: signedIn === null ? 0 : this.countSince(signedIn, projectId) };
  }

  /** the projects whose caps hold their sensitive tasks back now, each with the cap reached */
  capped(): ReadonlyMap<string, CapReached> {
    const projects = this.projects().filter((p) => p.perDay !== null || p.perSession !== null);
    if (projects.length === 0) return NO_CAPS;
    // the counts change only with a new label, a new day, a new sign-in or new settings: between
    // those, task.next reuses the answer instead of counting the day's labels again
    const key = [
      this.deps.settings.get(WELLBEING_KEY) ?? '',
      localDayStart(this.deps.clock()).toISOString(),
      this.signedInAt() ?? '',
      (this.sql.lastLabel.get() as { m: number | null }).m ?? 0,
    ].join('|');
    if (this.cappedMemo?.key === key) return this.cappedMemo.value;
    const out = new Map<string, CapReached>();
    for (const project of projects) {
      const reached = capReached(project, this.counts(project.projectId));
      if (reached) out.set(project.projectId, reached);
    }
    this.cappedMemo = { key, value: out };
    return out;
  }

  /**
   * Sensitive work on a task now (opened, shown, autosaved, submitted): continues the stretch, or
   * starts one after a real break. Tasks that are not sensitive or not from a project are ignored.
   */
  touch(taskId: string): void {
    const row = this.sql.sensitiveProject.get(taskId) as { project_id: string } | undefined;
    if (!row) return;
    const at = this.deps.clock().getTime();
    this.stretch = { ...continueStretch(this.stretch, at), projectId: row.project_id };
  }

  /** The reviewer dismissed the reminder: the next one comes after another full stretch of work. */
  dismissBreak(): WellbeingStatus {
    const at = this.deps.clock().getTime();
    if (this.stretch) this.stretch = { ...this.stretch, startedAt: at, lastAt: at };
    return this.status();
  }

  /** what the screens show: the cap that holds sensitive tasks back, the break reminder */
  status(workingOn?: string): WellbeingStatus {
    if (workingOn !== undefined) this.touch(workingOn);
    const [first] = this.capped().values();
    const now = this.deps.clock().getTime();
    const setting = this.stretch
      ? (this.projects().find((p) => p.projectId === this.stretch!.projectId)?.breakAfterMinutes ?? null)
      : null;
    const dueAt = breakDueAt(this.stretch, setting, now);
    return {
      capNotice: first ? capMessage(first) : null,
      breakReminder: {
        due: dueAt !== null && dueAt <= now,
        dueAt: dueAt === null ? null : new Date(dueAt).toISOString(),
        minutes: this.stretch && dueAt !== null ? Math.floor((now - this.stretch.startedAt) / 60_000) : 0,
      },
    };
  }

  private countSince(sinceIso: string, projectId: string): number {
    return (this.sql.sensitiveSince.get(sinceIso, projectId) as { n: number }).n;
  }

  private signedInAt(): string | null {
    return (this.sql.signedInAt.get() as { signed_in_at: string } | undefined)?.signed_in_at ?? null;
  }
}
