import type { Label } from '../../shared/label';
import type { Task } from '../../shared/task';

/** Why a submitted label contradicts its task, or null when it fits. */
export function labelContradiction(label: Label, task: Task, mutationTaskId: string): string | null {
  if (label.taskId !== mutationTaskId)
    return `label.taskId "${label.taskId}" differs from the mutation's task "${mutationTaskId}"`;
  if (label.kind !== task.kind) return `label.kind "${label.kind}" but the task is ${task.kind}`;
  const ids = new Set(task.responses.map((r) => r.id));
  const unknown = (id: string) => !ids.has(id);
  if (task.kind === 'ranking') {
    if (!label.ranks) return 'label.ranks is required for a ranking task';
    const bad = Object.keys(label.ranks).find(unknown);
    if (bad) return `label.ranks names unknown response "${bad}"`;
  } else {
    if (!label.pairwise) return 'label.pairwise is required for a pairwise task';
    const preferred = label.pairwise.preferredResponseId;
    if (preferred !== null && unknown(preferred))
      return `label.pairwise.preferredResponseId names unknown response "${preferred}"`;
  }
  const badTag = label.tags.find((t) => unknown(t.responseId));
  if (badTag) return `label.tags names unknown response "${badTag.responseId}"`;
  const badOrder = label.presentedOrder.find(unknown);
  if (badOrder) return `label.presentedOrder names unknown response "${badOrder}"`;
  return null;
}
