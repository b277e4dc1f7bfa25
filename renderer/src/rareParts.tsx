import { type ComponentType, lazy } from 'react';

/**
 * The screens a reviewer's first task does not need, each in a chunk of its own (issue 12: less
 * JavaScript before the first task): lead, QA, audit, training, dashboards. `preloadRareParts`
 * fetches and evaluates them in idle time once the first task is on screen. The dialogs and the
 * guidelines panel stay in the entry chunk (~12 kB): their shortcuts are followed at once by more
 * keys (E, then a reason digit and the note; G, then a search), which a dialog still loading
 * would lose (the lead e2e lost its escalation note that way).
 */
const loaders = {
  lead: () => import('./screens/lead/LeadScreen'),
  qa: () => import('./screens/qa/QaScreen'),
  audit: () => import('./screens/admin/AuditScreen'),
  training: () => import('./screens/training/TrainingScreen'),
  metrics: () => import('./screens/metrics/MetricsScreen'),
};

/** A lazy component from a named export of a chunk. */
const part = <M,>(load: () => Promise<M>, pick: (module: M) => ComponentType) =>
  lazy(async () => ({ default: pick(await load()) }));

export const LeadScreen = part(loaders.lead, (m) => m.LeadScreen);
export const QaScreen = part(loaders.qa, (m) => m.QaScreen);
export const AuditScreen = part(loaders.audit, (m) => m.AuditScreen);
export const TrainingScreen = part(loaders.training, (m) => m.TrainingScreen);
// the dashboards and their chart library load when first opened, never before a task
export const MetricsScreen = lazy(loaders.metrics);

/** training first: a trainee's next stop */
const PRELOAD_ORDER = ['training', 'lead', 'qa', 'audit'] as const;

let preloading = false;

/** Loads the rare parts one per idle slice (the metrics and their charts stay on demand). */
export function preloadRareParts(): void {
  if (preloading) return;
  preloading = true;
  const next = (i: number) => {
    const name = PRELOAD_ORDER[i];
    if (!name) return;
    const run = () =>
      void loaders[name]().then(
        () => next(i + 1),
        () => next(i + 1), // a failed preload is retried when the part is opened
      );
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(run, { timeout: 2000 });
    else window.setTimeout(run, 50);
  };
  next(0);
}
