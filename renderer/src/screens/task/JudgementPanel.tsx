import type { TaskBundle } from '../../../../shared/queue';
import { isReadOnly } from '../../logic/trainingOverview';
import { TrainingResult } from '../training/TrainingResult';
import { PairwiseControls } from './PairwiseControls';
import { RankList } from './RankList';
import { RationaleForm } from './RationaleForm';
import { RulingBar } from './RulingBar';
import { RulingContextPanel } from './RulingContextPanel';
import { RulingNote } from './RulingNote';
import { SubmitBar } from './SubmitBar';

/**
 * The reviewer's side of the task; its footer with Submit / Escalate / Skip is always visible.
 * An answered training item shows its feedback (or lock note) first, the answer read-only below.
 */
export function JudgementPanel({ bundle }: { bundle: TaskBundle }) {
  const training = bundle.training;
  return (
    <section className="judgement" aria-label="Your judgement">
      <div className="judgement-scroll" data-task-scroller>
        {training && isReadOnly(training) && <TrainingResult bundle={bundle} training={training} />}
        {bundle.ruling && <RulingContextPanel ruling={bundle.ruling} />}
        {!training && !bundle.ruling && <RulingNote taskId={bundle.task.id} order={bundle.presentedOrder} />}
        {bundle.task.kind === 'ranking' ? (
          <RankList order={bundle.presentedOrder} allowTies={bundle.task.allowTies !== false} />
        ) : (
          <PairwiseControls />
        )}
        <RationaleForm bundle={bundle} />
      </div>
      {bundle.ruling ? <RulingBar /> : <SubmitBar bundle={bundle} />}
    </section>
  );
}
