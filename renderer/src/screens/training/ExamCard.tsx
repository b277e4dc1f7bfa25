import { useId } from 'react';
import type { ExamSummary } from '../../../../shared/training/workstation';
import { examRules, resumeRef } from '../../logic/trainingOverview';
import { formatMoment, humanizeTimes, untilWords } from '../../logic/trainingTime';
import { useSession } from '../../state/sessionStore';
import { openTrainingItem, startExam } from '../../state/trainingActions';
import { useTraining } from '../../state/trainingStore';
import { AttemptHistory } from './AttemptHistory';
import { useNow } from './useNow';

function OpenAttempt({ summary, now }: { summary: ExamSummary; now: number }) {
  const open = summary.openAttempt!;
  const lastSeen = useTraining((s) => s.lastExamItem[open.id]);
  const ref = resumeRef(summary, lastSeen);
  const key = `exam:${summary.exam.id}`;
  const timeUp = open.deadline !== null && Date.parse(open.deadline) <= now;
  return (
    <div className="t-open-attempt" data-testid="open-attempt">
      <p>
        <b>Attempt in progress:</b> {open.answered} of {open.total} answered
        {open.unsent > 0 && (
          <>
            , <span data-testid="unsent">{open.unsent} not sent yet</span> (they go with the next sync)
          </>
        )}
        .
      </p>
      {open.deadline && (
        <p className={timeUp ? 'text-block' : undefined}>
          {timeUp
            ? 'Time is up: answers given now count as late.'
            : `Ends ${formatMoment(open.deadline)} (${untilWords(open.deadline, now).replace(/^in /, '')} left).`}
        </p>
      )}
      {open.answered >= open.total && (
        <p className="muted">All answered: the result comes with a sync once the server has graded it.</p>
      )}
      {!ref && open.answered < open.total && (
        <p className="t-blocked">This attempt’s items are not on this computer yet: sync, then try again.</p>
      )}
      {ref && open.answered < open.total && (
        <button
          type="button"
          className="btn btn-primary"
          data-return-key={key}
          data-autofocus
          onClick={() => void openTrainingItem(ref, key)}
        >
          Resume the exam
        </button>
      )}
    </div>
  );
}

/** One exam: its rules in plain words, attempts and cool-down, Start or Resume, and past results. */
export function ExamCard({ summary, certified }: { summary: ExamSummary; certified: boolean }) {
  const id = useId();
  const now = useNow(15_000);
  const { exam } = summary;
  const busy = useSession((s) => s.busy);
  const startError = useTraining((s) => s.startErrors[exam.id] ?? '');
  return (
    <article className="t-card" aria-labelledby={`${id}-title`} data-testid={`exam-${exam.id}`}>
      <header className="t-card-head">
        <h3 id={`${id}-title`}>{exam.title}</h3>
        <span className="skill-pill">{exam.skill}</span>
      </header>
      <p className="t-rules">{examRules(exam).join(' · ')}</p>
      {!certified && (
        <p data-testid="attempts-left">
          Attempts: {summary.attemptsLeft} of {exam.maxAttempts} left
          {summary.nextAttemptAt &&
            `; the next can start ${formatMoment(summary.nextAttemptAt)} (${untilWords(summary.nextAttemptAt, now)})`}
          .
        </p>
      )}
      {summary.openAttempt ? (
        <OpenAttempt summary={summary} now={now} />
      ) : (
        <div className="t-start">
          {certified && (
            <p className="t-done" data-testid="exam-certified">
              <span aria-hidden="true">✓ </span>
              {summary.blockedReason ?? 'You hold a valid certificate for this skill.'}
            </p>
          )}
          {/* a cool-down is in the attempts line already, with its time in local words */}
          {summary.blockedReason && !summary.nextAttemptAt && !certified && (
            <p className="t-blocked">{humanizeTimes(summary.blockedReason)}</p>
          )}
          {!certified && (
            <>
              <button
                type="button"
                className={`btn ${summary.blockedReason ? '' : 'btn-primary'}`}
                data-return-key={`exam:${exam.id}`}
                data-autofocus={summary.blockedReason ? undefined : true}
                aria-disabled={busy !== null}
                aria-describedby={`${id}-start-error`}
                onClick={() => void startExam(exam.id)}
              >
                {busy === 'start' ? 'Starting…' : 'Start the exam'}
              </button>
              <p id={`${id}-start-error`} className="t-error" role="alert" data-testid="start-error">
                {humanizeTimes(startError)}
              </p>
            </>
          )}
        </div>
      )}
      <AttemptHistory summary={summary} />
    </article>
  );
}
