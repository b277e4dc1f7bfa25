import type { TaskBundle } from '../../../../shared/queue';
import { TrainingHeading } from '../training/TrainingHeading';

const STATE_NOTE: Partial<Record<TaskBundle['state'], string>> = {
  draft: 'Draft restored',
  submitted: 'Submitted: editing the label',
  escalated: 'Reopened from escalated',
  skipped: 'Reopened from skipped',
};

export function TaskHeading({ bundle }: { bundle: TaskBundle }) {
  if (bundle.training) return <TrainingHeading bundle={bundle} training={bundle.training} />;
  const { task } = bundle;
  // a lead's ruling starts from the reviewer's work: not a draft of the lead's own
  const note = bundle.ruling
    ? 'Ruling on an escalation'
    : bundle.qa
      ? 'Blind QA re-rating'
      : STATE_NOTE[bundle.state];
  return (
    <div className="task-heading">
      <h1>{task.kind === 'ranking' ? `Rank ${task.responses.length} responses` : 'Compare 2 responses'}</h1>
      <span className="muted task-id">Task {task.id}</span>
      {note && <span className="state-pill">{note}</span>}
    </div>
  );
}
