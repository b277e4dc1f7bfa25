import type { TaskBundle } from '../../../../shared/queue';
import { PairwiseControls } from './PairwiseControls';
import { RankList } from './RankList';
import { RationaleForm } from './RationaleForm';
import { SubmitBar } from './SubmitBar';

/** The reviewer's side of the task; its footer with Submit / Escalate / Skip is always visible. */
export function JudgementPanel({ bundle }: { bundle: TaskBundle }) {
  return (
    <section className="judgement" aria-label="Your judgement">
      <div className="judgement-scroll" data-task-scroller>
        {bundle.task.kind === 'ranking' ? (
          <RankList order={bundle.presentedOrder} allowTies={bundle.task.allowTies !== false} />
        ) : (
          <PairwiseControls />
        )}
        <RationaleForm bundle={bundle} />
      </div>
      <SubmitBar bundle={bundle} />
    </section>
  );
}
