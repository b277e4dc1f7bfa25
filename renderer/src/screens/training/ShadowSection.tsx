import { useId } from 'react';
import type { ShadowSummary } from '../../../../shared/training/workstation';
import { percent } from '../../logic/trainingFeedback';
import { useSession } from '../../state/sessionStore';
import { openTrainingItem, startShadow } from '../../state/trainingActions';
import { useTraining } from '../../state/trainingStore';

/** One project open for shadowing: the set in progress (Continue) or a new one (Start). */
function ShadowProject({ summary }: { summary: ShadowSummary }) {
  const id = useId();
  const { project, openSet } = summary;
  const key = `shadow:${project.id}`;
  const busy = useSession((s) => s.busy);
  const startError = useTraining((s) => s.startErrors[key] ?? '');
  return (
    <li className="t-round" data-testid={`shadow-${project.id}`}>
      <div className="t-round-row">
        <b>{project.name}</b>
        {openSet ? (
          <span>
            {openSet.answered} of {openSet.total} labeled
            {openSet.revealed < openSet.answered &&
              `, ${openSet.answered - openSet.revealed} waiting for sync`}
          </span>
        ) : (
          <span className="muted">sets of {project.setSize}</span>
        )}
        {summary.meanScore !== null && (
          <span className="muted" data-testid="shadow-agreement">
            {percent(summary.meanScore)} with reviewers so far
          </span>
        )}
        {openSet ? (
          <button
            type="button"
            className="btn btn-small"
            data-return-key={key}
            onClick={() => void openTrainingItem(openSet.first, key)}
          >
            Continue
          </button>
        ) : (
          project.open && (
            <button
              type="button"
              className="btn btn-small"
              data-return-key={key}
              aria-disabled={busy !== null}
              aria-describedby={`${id}-error`}
              onClick={() => void startShadow(project.id)}
            >
              {busy === 'start' ? 'Starting…' : summary.setsDone ? 'Start another set' : 'Start shadowing'}
            </button>
          )
        )}
      </div>
      <p id={`${id}-error`} className="t-error" role="alert" data-testid="shadow-start-error">
        {startError}
      </p>
    </li>
  );
}

/**
 * Shadowing: production projects a lead opened to trainees. A set holds tasks certified reviewers
 * already labeled; after each submit the reviewer's label comes back beside the trainee's own.
 */
export function ShadowSection({ shadowing }: { shadowing: readonly ShadowSummary[] }) {
  if (!shadowing.length) return null;
  return (
    <section className="t-section" aria-labelledby="t-shadow" data-testid="training-shadowing">
      <h2 id="t-shadow">Shadowing</h2>
      <p className="muted">
        Label real tasks certified reviewers already labeled; after each answer you see theirs beside yours.
        Practice only: never exported.
      </p>
      <ul className="t-rounds">
        {shadowing.map((summary) => (
          <ShadowProject key={summary.project.id} summary={summary} />
        ))}
      </ul>
    </section>
  );
}
