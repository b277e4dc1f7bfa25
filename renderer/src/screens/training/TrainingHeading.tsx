import type { TaskBundle } from '../../../../shared/queue';
import type { TrainingContext } from '../../../../shared/training/workstation';
import { MODE_WORDS } from '../../logic/trainingOverview';
import { ExamTimer } from './ExamTimer';

/** A training item's heading: mode, course / exam / round title, module, position and the exam timer. */
export function TrainingHeading({ bundle, training }: { bundle: TaskBundle; training: TrainingContext }) {
  const mode = training.ref.kind;
  const { task } = bundle;
  return (
    <div className="task-heading training-heading" data-testid="training-heading" data-mode={mode}>
      <h1>
        <span className={`mode-pill mode-${mode}`}>{MODE_WORDS[mode]}</span>
        <span className="sr-only">: </span>
        {training.title}
      </h1>
      {training.section && <span className="training-section">{training.section}</span>}
      <span className="training-position" data-testid="training-position">
        Item {training.position.index} of {training.position.count}
      </span>
      <span className="muted task-id">
        {task.kind === 'ranking' ? `Rank ${task.responses.length} responses` : 'Compare 2 responses'}
      </span>
      {mode === 'sandbox' && training.attempts > 0 && (
        <span className="muted">
          {training.attempts} attempt{training.attempts === 1 ? '' : 's'} so far
        </span>
      )}
      {mode === 'exam' && training.deadline && training.feedback === null && (
        <ExamTimer deadline={training.deadline} />
      )}
    </div>
  );
}
