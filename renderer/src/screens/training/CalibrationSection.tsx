import { useId, useState } from 'react';
import type { CalibrationItemReveal } from '../../../../shared/training/docs';
import type { Task } from '../../../../shared/task';
import type { TrainingOverview } from '../../../../shared/training/workstation';
import { percent } from '../../logic/trainingFeedback';
import { calibrationRef, promptPreview } from '../../logic/trainingOverview';
import { formatDay, formatMoment, untilWords } from '../../logic/trainingTime';
import { openTrainingItem } from '../../state/trainingActions';
import { useTraining } from '../../state/trainingStore';
import { RevealDetails } from './CalibrationReveal';
import { useNow } from './useNow';

type Round = TrainingOverview['calibration'][number];

function OpenRound({ summary, now }: { summary: Round; now: number }) {
  const { round } = summary;
  const ref = calibrationRef(round, summary.answered);
  const key = `calibration:${round.id}`;
  const late = Date.parse(round.dueAt) <= now;
  return (
    <li className="t-round" data-testid={`round-${round.id}`}>
      <div className="t-round-row">
        <b>{round.title}</b>
        <span className={late ? 'text-block' : 'muted'}>
          due {formatMoment(round.dueAt)}
          {!late && ` (${untilWords(round.dueAt, now)})`}
        </span>
        <span>
          {summary.answered} of {summary.total} answered
        </span>
        {ref && summary.answered < summary.total && (
          <button
            type="button"
            className="btn btn-small"
            data-return-key={key}
            onClick={() => void openTrainingItem(ref, key)}
          >
            {summary.answered ? 'Continue' : 'Open'}
          </button>
        )}
      </div>
    </li>
  );
}

function RevealedItem({
  task,
  reveal,
  roundId,
  n,
}: {
  task: Task;
  reveal: CalibrationItemReveal;
  roundId: string;
  n: number;
}) {
  const key = `calibration-item:${roundId}:${task.id}`;
  // coming back from this item: still unfolded, so its button takes the focus again
  const [open, setOpen] = useState(() => useTraining.getState().returnTo === key);
  const id = useId();
  return (
    <li className="t-reveal-item">
      <div className="t-round-row">
        <button
          type="button"
          className="disclosure"
          aria-expanded={open}
          aria-controls={`${id}-body`}
          onClick={() => setOpen(!open)}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> Item {n}
        </button>
        <span className="t-item-preview">{promptPreview(task.prompt, 90)}</span>
        <span className="muted">{percent(reveal.disagreement)} disagree</span>
      </div>
      <div id={`${id}-body`} className="t-reveal-body" hidden={!open}>
        {/* the labeling screen shows the same in the letters the member saw, beside their answer */}
        <RevealDetails reveal={reveal} order={[]} headingLevel={4} />
        <button
          type="button"
          className="btn btn-small"
          data-return-key={key}
          onClick={() => void openTrainingItem({ kind: 'calibration', roundId, taskId: task.id }, key)}
        >
          Review beside your answer
        </button>
      </div>
    </li>
  );
}

function RevealedRound({ summary }: { summary: Round }) {
  const { round } = summary;
  const reveal = round.reveal!;
  const tasks = new Map(round.items.map((t) => [t.id, t]));
  return (
    <li className="t-round" data-testid={`round-${round.id}`}>
      <div className="t-round-row">
        <b>{round.title}</b>
        <span className="muted">
          revealed {formatDay(reveal.revealedAt)}, {reveal.submitted} of {reveal.members} members answered
        </span>
        {reveal.agreement !== null && (
          <span data-testid="round-agreement">Your agreement with the pod: {percent(reveal.agreement)}</span>
        )}
      </div>
      <ol className="t-reveal-items">
        {reveal.items.map((item, i) => {
          const task = tasks.get(item.taskId);
          return task ? (
            <RevealedItem key={item.taskId} task={task} reveal={item} roundId={round.id} n={i + 1} />
          ) : null;
        })}
      </ol>
    </li>
  );
}

/** Calibration rounds of the member's pod: open ones to answer, revealed ones to learn from. */
export function CalibrationSection({ rounds }: { rounds: Round[] }) {
  const now = useNow(30_000);
  const open = rounds.filter((r) => r.round.state === 'open');
  const revealed = rounds.filter((r) => r.round.state === 'revealed' && r.round.reveal);
  return (
    <section className="t-section" aria-labelledby="t-calibration" data-testid="training-calibration">
      <h2 id="t-calibration">Calibration</h2>
      {rounds.length === 0 && <p className="muted">No calibration rounds for your pod.</p>}
      {open.length > 0 && (
        <>
          <h3 className="t-subheading">Open rounds</h3>
          <ul className="t-rounds">
            {open.map((r) => (
              <OpenRound key={r.round.id} summary={r} now={now} />
            ))}
          </ul>
        </>
      )}
      {revealed.length > 0 && (
        <>
          <h3 className="t-subheading">Revealed</h3>
          <ul className="t-rounds">
            {revealed.map((r) => (
              <RevealedRound key={r.round.id} summary={r} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
