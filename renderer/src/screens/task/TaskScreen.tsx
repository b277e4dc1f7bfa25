import { useLayoutEffect } from 'react';
import { isReadOnly } from '../../logic/trainingOverview';
import { focusResponseAfterPaint } from '../../state/focus';
import { followScrollers, resetScrollers } from '../../state/scrollers';
import { useSession } from '../../state/sessionStore';
import { JudgementPanel } from './JudgementPanel';
import { Instructions } from './Instructions';
import { PromptView } from './PromptView';
import { ResponsesArea } from './ResponsesArea';
import { BreakReminder } from './BreakReminder';
import { SensitiveNotice } from './SensitiveNotice';
import { TaskHeading } from './TaskHeading';

/**
 * One task: prompt and responses on the left (scrolling inside their cards), the judgement,
 * rationale and submit controls in a panel on the right that never scrolls away.
 */
export function TaskScreen() {
  const bundle = useSession((s) => s.bundle);
  const layout = useSession((s) => s.prefs.layout);
  const taskId = bundle?.task.id;
  const training = bundle?.training;
  const readOnly = isReadOnly(training);
  // a training item comes back as itself after submit (feedback, lock) and after a retry: each is a new view
  const view = training ? `${taskId}:${training.attempts}:${readOnly}` : taskId;

  useLayoutEffect(() => {
    if (!taskId) return;
    // The screen is reused from task to task (updating DOM is much cheaper than rebuilding it),
    // so every scroller starts the new task at its top: only those that moved are written to.
    followScrollers();
    resetScrollers();
    document.body.dataset.taskId = taskId;
    // an answered training item puts its feedback or lock note first (that panel takes the focus)
    if (!readOnly) focusResponseAfterPaint(0);
    return () => {
      delete document.body.dataset.taskId;
    };
  }, [view]);

  if (!bundle) return null;
  return (
    <main
      id="main"
      className={`task-screen layout-${layout}${training ? ' is-training' : ''}`}
      data-testid="task-screen"
      data-task-id={bundle.task.id}
      data-ready="true"
      data-training={training?.ref.kind}
      tabIndex={-1}
    >
      <div className="task-content" data-task-scroller>
        <TaskHeading bundle={bundle} />
        <PromptView prompt={bundle.task.prompt} />
        {bundle.task.instructions && <Instructions text={bundle.task.instructions} />}
        {bundle.task.sensitive && <SensitiveNotice />}
        <ResponsesArea bundle={bundle} />
      </div>
      <JudgementPanel bundle={bundle} />
      {!training && <BreakReminder taskId={bundle.task.id} sensitive={bundle.task.sensitive === true} />}
    </main>
  );
}
