import { useId, useState } from 'react';
import type { AttemptDoc } from '../../../../shared/training/docs';
import type { ExamSummary } from '../../../../shared/training/workstation';
import { percent } from '../../logic/trainingFeedback';
import { formatDay } from '../../logic/trainingTime';
import { openTrainingItem } from '../../state/trainingActions';
import { useTraining } from '../../state/trainingStore';
import { Mark } from './JudgementFeedback';

function GradedAttempt({ attempt, passMark }: { attempt: AttemptDoc; passMark: number }) {
  // coming back from one of its items: still unfolded, so that item takes the focus again
  const [open, setOpen] = useState(
    () => useTraining.getState().returnTo?.startsWith(`exam-item:${attempt.id}:`) ?? false,
  );
  const id = useId();
  const result = attempt.result!;
  return (
    <li className="t-attempt" data-testid={`attempt-${attempt.number}`}>
      <div className="t-attempt-row">
        <span>Attempt {attempt.number}</span>
        <b data-testid="attempt-score">{percent(result.score)}</b>
        <span
          className={`status-pill ${result.passed ? 'status-valid' : 'status-expired'}`}
          data-testid="attempt-verdict"
        >
          {result.passed ? 'Passed' : 'Not passed'}
        </span>
        <span className="muted">
          {formatDay(result.gradedAt)}, pass mark {percent(passMark)}
        </span>
        <button
          type="button"
          className="disclosure t-attempt-toggle"
          aria-expanded={open}
          aria-controls={`${id}-items`}
          onClick={() => setOpen(!open)}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> Feedback per item
        </button>
      </div>
      <ol id={`${id}-items`} className="t-attempt-items" hidden={!open}>
        {result.items.map((item, i) => {
          const key = `exam-item:${attempt.id}:${item.taskId}`;
          const feedback = item.feedback;
          return (
            <li key={item.taskId}>
              <button
                type="button"
                className="t-item"
                data-return-key={key}
                onClick={() =>
                  void openTrainingItem({ kind: 'exam', attemptId: attempt.id, taskId: item.taskId }, key)
                }
              >
                <span className="t-item-mark">
                  {feedback ? <Mark ok={feedback.correct} /> : <span aria-hidden="true">–</span>}
                </span>
                <span className="t-item-n">{i + 1}.</span>
                <span className="t-item-preview">
                  {!item.answered
                    ? 'Not answered'
                    : item.late
                      ? 'Answered after the time limit (counts 0)'
                      : feedback
                        ? `${percent(feedback.score)}${feedback.correct ? ', correct' : ''}`
                        : 'Answered'}
                </span>
                <span className="t-item-meta">Review</span>
              </button>
            </li>
          );
        })}
      </ol>
    </li>
  );
}

/** Graded attempts, newest first, each with its per-item feedback one click (or Enter) away. */
export function AttemptHistory({ summary }: { summary: ExamSummary }) {
  const graded = summary.attempts.filter((a) => a.state === 'graded' && a.result !== null);
  if (!graded.length) return null;
  return (
    <div className="t-history">
      <h4 className="t-subheading">Results</h4>
      <ul className="t-attempts">
        {graded.map((attempt) => (
          <GradedAttempt key={attempt.id} attempt={attempt} passMark={summary.exam.passMark} />
        ))}
      </ul>
    </div>
  );
}
