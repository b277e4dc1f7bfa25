import { ESCALATION_REASON_LABELS, type EscalationReason } from '../../../shared/reasons';
import { escalateTask } from '../state/actions';
import { ReasonDialog } from './ReasonDialog';

export function EscalateDialog() {
  return (
    <ReasonDialog<EscalationReason>
      title="Escalate as an edge case"
      intro="A lead will look at this task. Your entries so far are kept with it."
      testId="escalate-dialog"
      labels={ESCALATION_REASON_LABELS}
      confirmLabel="Escalate"
      onConfirm={(reason, note) => void escalateTask(reason, note)}
    />
  );
}
