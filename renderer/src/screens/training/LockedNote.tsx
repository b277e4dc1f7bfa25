import { useEffect, useRef } from 'react';
import { focusInNextFrame } from '../../state/focus';
import type { TrainingContext } from '../../../../shared/training/workstation';

const WHAT_NEXT: Record<TrainingContext['ref']['kind'], string> = {
  exam: 'It is sent with the attempt and graded on the server; the feedback comes once the attempt is graded.',
  calibration: 'You see the pod’s answers and the reference once the round is revealed.',
  shadow:
    'The certified reviewer’s label appears here beside yours once your answer reaches the server (it syncs in the background).',
  sandbox: '',
};

/** A submitted exam, calibration or shadowing answer: shown read-only, with what happens to it next. */
export function LockedNote({ training }: { training: TrainingContext }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => focusInNextFrame(() => heading.current), [training.ref.taskId]);
  return (
    <section className="locked-note" aria-labelledby="locked-heading" data-testid="training-locked">
      <h2 id="locked-heading" ref={heading} tabIndex={-1}>
        Answer locked
      </h2>
      <p>
        Your answer below is saved on this computer and can no longer be changed.{' '}
        {WHAT_NEXT[training.ref.kind]}
      </p>
    </section>
  );
}
