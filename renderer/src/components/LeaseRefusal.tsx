import { keyHint } from '../shortcuts/table';
import { useSync } from '../state/syncStore';
import { goToTraining } from '../state/trainingActions';

/**
 * Why the server gives this account no production work ("Certification required: take the …
 * exam"), in its words, with the way to the exam. Nothing when leases are granted.
 */
export function LeaseRefusal({ offerTraining }: { offerTraining: boolean }) {
  const refusal = useSync((s) => s.sync?.leaseRefusal ?? null);
  if (!refusal) return null;
  return (
    <div className="lease-refusal" data-testid="lease-refusal">
      <p>
        <b>No production work yet.</b> {refusal.replace(/\.$/, '')}.
      </p>
      {offerTraining && (
        <button type="button" className="btn btn-small" onClick={() => void goToTraining()}>
          Open Training <kbd>{keyHint('training')}</kbd>
        </button>
      )}
    </div>
  );
}
