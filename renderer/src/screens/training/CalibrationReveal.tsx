import { useEffect, useRef } from 'react';
import type { TaskBundle } from '../../../../shared/queue';
import type { CalibrationItemReveal } from '../../../../shared/training/docs';
import { answerInLetters, percent } from '../../logic/trainingFeedback';
import { Markdown } from '../../markdown/Markdown';

/**
 * A revealed calibration item: how the pod answered (the trainee's answer marked), the reference
 * (key or lead) and its explanation. Shared by the Training area and the labeling screen; on the
 * labeling screen `order` turns response ids into the letters the member saw.
 */
export function RevealDetails({
  reveal,
  order,
  headingLevel = 3,
}: {
  reveal: CalibrationItemReveal;
  order: readonly string[];
  headingLevel?: 3 | 4;
}) {
  const H = headingLevel === 3 ? 'h3' : 'h4';
  const words = (answer: string) => answerInLetters(answer, order);
  const most = Math.max(1, ...reveal.distribution.map((d) => d.count));
  return (
    <div className="reveal" data-testid="calibration-reveal">
      <H className="reveal-heading">
        How the pod answered{' '}
        <span className="muted">
          {reveal.answers} answer{reveal.answers === 1 ? '' : 's'}
          {reveal.agreement !== null && `, your agreement ${percent(reveal.agreement)}`}
        </span>
      </H>
      <ul className="distribution">
        {reveal.distribution.map((entry, i) => (
          <li key={i} className={entry.mine ? 'is-mine' : undefined}>
            <span className="distribution-answer">{words(entry.answer)}</span>
            <span className="distribution-bar" aria-hidden="true">
              <span style={{ width: `${(entry.count / most) * 100}%` }} />
            </span>
            <span className="distribution-count">
              {entry.count}
              {entry.mine && <span className="mine-pill">yours</span>}
            </span>
          </li>
        ))}
      </ul>
      {reveal.reference !== null && (
        <p className="reveal-reference">
          <b>{reveal.referenceSource === 'lead' ? 'Lead’s answer' : 'Key'}:</b> {words(reveal.reference)}
        </p>
      )}
      {reveal.referenceSource === null && <p className="muted">No key and no lead answer for this item.</p>}
      {reveal.explanation && <Markdown text={reveal.explanation} />}
    </div>
  );
}

/** On the labeling screen: the reveal of this item (focused first when no graded feedback comes with it). */
export function CalibrationRevealPanel({
  bundle,
  reveal,
  focus,
}: {
  bundle: TaskBundle;
  reveal: CalibrationItemReveal;
  focus: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus, reveal]);
  return (
    <section className="feedback reveal-panel" aria-labelledby="reveal-panel-heading">
      <h2 id="reveal-panel-heading" ref={heading} tabIndex={-1} className="feedback-heading">
        Round revealed
      </h2>
      <RevealDetails reveal={reveal} order={bundle.presentedOrder} />
    </section>
  );
}
