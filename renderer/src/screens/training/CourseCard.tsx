import { useId, useState } from 'react';
import { trainingRefKey } from '../../../../shared/training/ref-key';
import type { CourseSummary } from '../../../../shared/training/workstation';
import { percent } from '../../logic/trainingFeedback';
import { continueRef } from '../../logic/trainingOverview';
import { Markdown } from '../../markdown/Markdown';
import { openTrainingItem } from '../../state/trainingActions';

type Module = CourseSummary['modules'][number];
type Item = Module['items'][number];

function itemState(item: Item): string {
  if (item.correct) return 'Correct';
  return item.attempts ? 'Not yet correct' : 'Not tried';
}

function ItemRow({ item, n }: { item: Item; n: number }) {
  const key = trainingRefKey(item.ref);
  return (
    <li>
      <button
        type="button"
        className={`t-item${item.correct ? ' is-correct' : ''}`}
        data-return-key={key}
        data-testid={`course-item-${item.ref.taskId}`}
        onClick={() => void openTrainingItem(item.ref, key)}
      >
        <span className="t-item-mark" aria-hidden="true">
          {item.correct ? '✓' : item.attempts ? '○' : ''}
        </span>
        <span className="t-item-n">{n}.</span>
        <span className="t-item-preview">{item.promptPreview}</span>
        <span className="t-item-meta">
          <span className="sr-only">{itemState(item)}. </span>
          {item.attempts
            ? `${item.attempts} attempt${item.attempts === 1 ? '' : 's'}, best ${percent(item.bestScore ?? 0)}`
            : 'not tried'}
        </span>
      </button>
    </li>
  );
}

function ModuleBlock({ module, lessonOpen }: { module: Module; lessonOpen: boolean }) {
  const [open, setOpen] = useState(lessonOpen);
  const id = useId();
  const correct = module.items.filter((i) => i.correct).length;
  return (
    <section className="t-module" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="t-module-title">
        {module.title}
        <span className="muted">
          {' '}
          {correct} of {module.items.length} correct
        </span>
      </h4>
      {module.lesson.trim() && (
        <>
          <button
            type="button"
            className="disclosure t-lesson-toggle"
            aria-expanded={open}
            aria-controls={`${id}-lesson`}
            onClick={() => setOpen(!open)}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> Lesson
          </button>
          <div id={`${id}-lesson`} className="t-lesson" hidden={!open}>
            <Markdown text={module.lesson} />
          </div>
        </>
      )}
      <ol className="t-items" aria-label={`${module.title}: items`}>
        {module.items.map((item, i) => (
          <ItemRow key={trainingRefKey(item.ref)} item={item} n={i + 1} />
        ))}
      </ol>
    </section>
  );
}

/** A course: progress, a "Continue" button, and its modules with lessons and items. */
export function CourseCard({ course }: { course: CourseSummary }) {
  const id = useId();
  const next = continueRef(course);
  const nextKey = next ? trainingRefKey(next) : null;
  const { done, total } = course.progress;
  return (
    <article className="t-card" aria-labelledby={`${id}-title`} data-testid={`course-${course.id}`}>
      <header className="t-card-head">
        <h3 id={`${id}-title`}>{course.title}</h3>
        <span className="t-progress">
          <progress max={Math.max(total, 1)} value={done} aria-label={`${course.title}: progress`} />
          <span data-testid="course-progress">
            {done} of {total} correct
          </span>
        </span>
      </header>
      {course.description.trim() && (
        <div className="t-description">
          <Markdown text={course.description} />
        </div>
      )}
      {next ? (
        <button
          type="button"
          className="btn btn-primary t-continue"
          data-return-key={`continue:${course.id}`}
          data-autofocus
          onClick={() => void openTrainingItem(next, `continue:${course.id}`)}
        >
          {done === 0 ? 'Start the course' : 'Continue the course'}
        </button>
      ) : (
        <p className="t-done">
          <span aria-hidden="true">✓ </span>Every item answered correctly.
        </p>
      )}
      {course.modules.map((module) => (
        <ModuleBlock
          key={module.id}
          module={module}
          // the lesson of the module the trainee is in starts open; the others stay folded
          lessonOpen={nextKey !== null && module.items.some((i) => trainingRefKey(i.ref) === nextKey)}
        />
      ))}
    </article>
  );
}
