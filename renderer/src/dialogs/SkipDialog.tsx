import { SKIP_REASON_LABELS, type SkipReason } from '../../../shared/reasons';
import { skipTask } from '../state/actions';
import { ReasonDialog } from './ReasonDialog';

export function SkipDialog() {
  return (
    <ReasonDialog<SkipReason>
      title="Skip this task"
      intro="The task moves to Skipped; you can reopen it from the queue. Your entries so far are kept."
      testId="skip-dialog"
      labels={SKIP_REASON_LABELS}
      confirmLabel="Skip"
      onConfirm={(reason, note) => void skipTask(reason, note)}
    />
  );
}
