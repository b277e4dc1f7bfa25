import type { TaskBundle } from '../../../../shared/queue';
import type { TrainingContext } from '../../../../shared/training/workstation';
import { useTraining } from '../../state/trainingStore';
import { CalibrationRevealPanel } from './CalibrationReveal';
import { FeedbackPanel } from './FeedbackPanel';
import { LockedNote } from './LockedNote';

/** Above the (read-only) controls of an answered training item: its feedback, reveal or lock note. */
export function TrainingResult({ bundle, training }: { bundle: TaskBundle; training: TrainingContext }) {
  const ref = training.ref;
  const reveal = useTraining((s) => {
    if (ref.kind !== 'calibration') return null;
    const round = s.overview?.calibration.find((c) => c.round.id === ref.roundId)?.round;
    return round?.reveal?.items.find((item) => item.taskId === ref.taskId) ?? null;
  });
  return (
    <>
      {training.feedback ? (
        <FeedbackPanel bundle={bundle} feedback={training.feedback} mode={ref.kind} />
      ) : (
        !reveal && training.locked && <LockedNote training={training} />
      )}
      {reveal && <CalibrationRevealPanel bundle={bundle} reveal={reveal} focus={!training.feedback} />}
    </>
  );
}
