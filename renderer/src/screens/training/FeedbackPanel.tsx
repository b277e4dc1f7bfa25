import { useEffect, useRef } from 'react';
import { focusInNextFrame } from '../../state/focus';
import type { TaskBundle } from '../../../../shared/queue';
import type { ItemFeedback } from '../../../../shared/training/score';
import { notesByLetter, percent, referenceWords } from '../../logic/trainingFeedback';
import type { TrainingMode } from '../../../../shared/training/ref';
import { Markdown } from '../../markdown/Markdown';
import { openGuidelineSection } from '../../state/uiStore';
import { JudgementFeedback } from './JudgementFeedback';
import { TagFeedback } from './TagFeedback';

/**
 * What was right and what was not, beside the key: sandbox items right after submit, exam items
 * once graded, calibration items once revealed; beside a certified reviewer's label for shadowing. Its heading takes the focus when it appears, so a
 * keyboard or screen-reader user reads it at once; the key's texts are Markdown kept inert.
 */
export function FeedbackPanel({
  bundle,
  feedback,
  mode,
}: {
  bundle: TaskBundle;
  feedback: ItemFeedback;
  mode: TrainingMode;
}) {
  const words = referenceWords(mode);
  const heading = useRef<HTMLHeadingElement>(null);
  // no scroll-into-view: the panel is first in its scroller, which starts at the top
  useEffect(() => focusInNextFrame(() => heading.current), [feedback]);
  const order = bundle.presentedOrder;
  const labelOf = (tagId: string) => bundle.taxonomy.tags.find((t) => t.id === tagId)?.label ?? tagId;
  const notes = notesByLetter(feedback.responseNotes, order);
  return (
    <section
      className={`feedback ${feedback.correct ? 'is-correct' : 'is-wrong'}`}
      aria-labelledby="feedback-heading"
      data-testid="training-feedback"
      data-correct={feedback.correct}
    >
      <h2 id="feedback-heading" ref={heading} tabIndex={-1} className="feedback-heading">
        <span aria-hidden="true">{feedback.correct ? '✓' : '✕'}</span>
        {feedback.correct ? 'Correct' : 'Not quite'}
        <span className="feedback-score" data-testid="feedback-score">
          {percent(feedback.score)}
        </span>
      </h2>
      <JudgementFeedback judgement={feedback.judgement} order={order} words={words} />
      <TagFeedback tags={feedback.tags} order={order} labelOf={labelOf} words={words} />
      <section className="feedback-part" aria-labelledby="feedback-why">
        <h3 id="feedback-why">{words.explanation}</h3>
        <Markdown text={feedback.explanation} />
        {notes.map((note) => (
          <div key={note.responseId} className="feedback-note">
            <p className="feedback-tag-response">Response {note.letter}</p>
            <Markdown text={note.text} />
          </div>
        ))}
      </section>
      {feedback.guidelineSection && (
        <button
          type="button"
          className="linklike feedback-guideline"
          onClick={() => openGuidelineSection(feedback.guidelineSection!)}
        >
          Read the guideline section: {feedback.guidelineSection}
        </button>
      )}
    </section>
  );
}
