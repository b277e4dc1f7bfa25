import type { Handlers } from '../../shared/contract';
import type { Guideline } from '../../shared/guideline';
import { Preferences } from '../../shared/queue';
import type { Config } from './config';
import { DEFAULT_ID } from './config';
import type { Identity } from './identity';
import type { ImportRunner } from './import';
import type { Queue } from './queue';
import type { Settings } from './settings';
import type { Store } from './store';
import type { SessionManager } from './auth/session';
import type { SyncEngine } from './sync/engine';
import type { Outbox } from './sync/outbox';
import type { MetricsService } from './metrics/service';
import type { GuidelineService } from './lead/guideline-service';
import type { LeadService } from './lead/service';
import type { QaService } from './lead/qa-service';
import type { TrainingService } from './training/service';
import type { Wellbeing } from './wellbeing';

export interface HandlerDeps {
  store: Store;
  settings: Settings;
  config: Config;
  identity: Identity;
  queue: Queue;
  host: 'electron' | 'browser';
  appVersion: string;
  dataDir: string;
  session: SessionManager;
  sync: SyncEngine;
  outbox: Outbox;
  training: TrainingService;
  lead: LeadService;
  guidelines: GuidelineService;
  qa: QaService;
  metrics: MetricsService;
  /** exposure caps and break reminder (docs/wellbeing.md) */
  wellbeing: Wellbeing;
  /** task imports, one at a time, in slices that let other calls run */
  imports: ImportRunner;
  clock: () => Date;
}

const PREFS = 'prefs';

/** One handler per contract channel. Inputs arrive already validated by dispatch. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { queue, settings, store, config, identity, training } = deps;

  const readPrefs = (): Preferences => {
    const raw = settings.get(PREFS);
    let stored: unknown = {};
    try {
      stored = raw === undefined ? {} : JSON.parse(raw);
    } catch {
      // unreadable preferences are not worth failing over: defaults apply
    }
    const parsed = Preferences.safeParse(stored);
    return parsed.success ? parsed.data : Preferences.parse({});
  };

  return {
    'app.info': () => ({
      version: deps.appVersion,
      host: deps.host,
      dataDir: deps.dataDir,
      reviewerId: identity.reviewerId,
      deviceId: identity.deviceId,
    }),
    'app.boot': async () => {
      const summary = queue.summary();
      return {
        auth: await deps.session.status(),
        sync: await deps.sync.status(),
        prefs: readPrefs(),
        summary,
        resume: summary.currentTaskId !== null ? await queue.next() : null,
      };
    },
    'queue.summary': () => queue.summary(),
    'queue.list': ({ state, limit, offset }) => queue.list(state, limit, offset),
    'task.next': () => queue.next(),
    'task.peekNext': ({ after, also }) =>
      after !== undefined && also.length ? queue.peekAhead(after, also) : queue.peekNext(after),
    'task.open': ({ taskId }) => queue.open(taskId),
    'draft.save': ({ taskId, work }) => queue.saveDraft(taskId, work),
    'label.submit': ({ taskId, work, acknowledgedWarnings }) =>
      queue.submit(taskId, work, acknowledgedWarnings),
    'task.skip': ({ taskId, reason, note, work }) => queue.skip(taskId, reason, note, work),
    'task.escalate': ({ taskId, reason, note, work }) => queue.escalate(taskId, reason, note, work),
    'tasks.import': ({ text, fileName }) => deps.imports.run(text, fileName),
    'guideline.get': ({ id }): Guideline | null => {
      if (id !== undefined) return config.guidelines.get(id) ?? null;
      return config.guidelines.get(DEFAULT_ID) ?? config.guidelines.values().next().value ?? null;
    },
    'prefs.get': () => readPrefs(),
    'prefs.set': (changes) => {
      const given = Object.entries(changes).filter(([, value]) => value !== undefined);
      const merged = Preferences.parse({ ...readPrefs(), ...Object.fromEntries(given) });
      store.light(() => settings.set(PREFS, JSON.stringify(merged)));
      return merged;
    },
    'auth.status': () => deps.session.status(),
    'auth.signIn': async (input) => {
      const status = await deps.session.signIn(input);
      deps.sync.resume();
      return status;
    },
    'auth.signOut': async () => {
      deps.sync.stop();
      return deps.session.signOut();
    },
    'sync.status': () => deps.sync.status(),
    'sync.now': () => deps.sync.syncNow(),
    'sync.quarantine': () => deps.outbox.list(),
    'training.overview': () => training.overview(),
    'training.open': ({ ref }) => training.open(ref),
    'training.save': ({ ref, work }) => training.save(ref, work),
    'training.submit': ({ ref, work, acknowledgedWarnings }) =>
      training.submit(ref, work, acknowledgedWarnings),
    'training.retry': ({ ref }) => training.retry(ref),
    'training.startExam': ({ examId }) => training.startExam(examId),
    'training.startShadow': ({ projectId }) => training.startShadow(projectId),
    'lead.inbox': (input) => deps.lead.inbox(input),
    'lead.rule': (input) => deps.lead.rule(input),
    'lead.open': (input) => deps.lead.open(input),
    'lead.submitRuling': (input) => deps.lead.submitRuling(input),
    'lead.promote': (input) => deps.lead.promote(input),
    'lead.coach': (input) => deps.lead.coach(input),
    'lead.restrict': (input) => deps.lead.restrict(input),
    'lead.recertify': (input) => deps.lead.recertify(input),
    'lead.lift': (input) => deps.lead.lift(input),
    'lead.reviewers': (input) => deps.lead.reviewers(input),
    'admin.audit': (input) => deps.lead.audit(input),
    'notices.list': () => deps.lead.listNotices(),
    'notices.acknowledge': (input) => deps.lead.acknowledge(input),
    'qa.lease': (input) => deps.qa.lease(input),
    'qa.list': () => deps.qa.list(),
    'qa.open': ({ taskId }) => deps.qa.open(taskId),
    'qa.comparison': ({ taskId }) => deps.qa.comparison(taskId),
    'qa.classify': (input) => deps.qa.classify(input),
    'guidelines.updates': () => deps.guidelines.updates(),
    'guidelines.markRead': (input) => deps.guidelines.markRead(input),
    'guidelineDrafts.list': (input) => deps.guidelines.drafts(input),
    'guidelineDrafts.create': (input) => deps.guidelines.create(input),
    'guidelineDrafts.publish': (input) => deps.guidelines.publish(input),
    'guidelineDrafts.reject': (input) => deps.guidelines.reject(input),
    'wellbeing.status': ({ workingOn }) => deps.wellbeing.status(workingOn),
    'wellbeing.dismissBreak': () => deps.wellbeing.dismissBreak(),
    'metrics.projects': () => deps.metrics.projects(),
    'metrics.dashboard': ({ projectId, podId }) => deps.metrics.dashboard(projectId, podId),
    'metrics.taskLabels': ({ projectId, taskId }) => deps.metrics.taskLabels(projectId, taskId),
    'metrics.toCalibration': ({ projectId, taskId, podId }) =>
      deps.metrics.toCalibration(projectId, taskId, podId),
  };
}
