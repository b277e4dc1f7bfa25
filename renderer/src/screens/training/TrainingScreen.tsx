import { useEffect, useRef } from 'react';
import { LeaseRefusal } from '../../components/LeaseRefusal';
import { isEmptyOverview } from '../../logic/trainingOverview';
import { refreshTraining, useTraining } from '../../state/trainingStore';
import { CalibrationSection } from './CalibrationSection';
import { CertificatesSection } from './CertificatesSection';
import { CourseCard } from './CourseCard';
import { ExamCard } from './ExamCard';
import { ShadowSection } from './ShadowSection';
import { useSync } from '../../state/syncStore';

/**
 * Once the overview is on screen: back to the control that opened the last item, else the first
 * next step, else the heading. An overview that fills in later (the first sync) may still move
 * the focus on, as long as the user has not moved it themselves.
 */
function useArrivalFocus(overview: unknown, error: unknown) {
  const settled = useRef(false);
  const root = useRef<HTMLElement>(null);
  useEffect(() => {
    const main = root.current;
    if (settled.current || !main || (overview === null && error === null)) return;
    const active = document.activeElement;
    const untouched = active === document.body || active === main || active === main.querySelector('h1');
    if (!untouched) {
      settled.current = true;
      return;
    }
    const returnTo = useTraining.getState().returnTo;
    const back = returnTo
      ? [...main.querySelectorAll<HTMLElement>('[data-return-key]')].find(
          (el) => el.dataset.returnKey === returnTo && !el.closest('[hidden]'),
        )
      : undefined;
    const target = back ?? main.querySelector<HTMLElement>('[data-autofocus]');
    settled.current = target !== undefined && target !== null;
    (target ?? main.querySelector<HTMLElement>('h1'))?.focus();
  }, [overview, error]);
  return root;
}

/**
 * The Training area: notices, courses with progress, exams with attempts and cool-down,
 * certificates, calibration rounds, shadowing. A plain tab order through buttons, headings for each part.
 */
export function TrainingScreen() {
  const overview = useTraining((s) => s.overview);
  const error = useTraining((s) => s.error);
  const loading = useTraining((s) => s.loading);
  const root = useArrivalFocus(overview, error);
  // the server opens shadowing to trainees only
  const trainee = useSync((s) => s.auth?.user?.role === 'trainee');
  return (
    <main id="main" ref={root} className="training-screen" data-testid="training-screen" tabIndex={-1}>
      <div className="t-head">
        <h1 tabIndex={-1}>Training</h1>
        <span className="muted" role="status">
          {loading && !overview ? 'Loading…' : ''}
        </span>
      </div>
      {error && (
        <div className="t-problem" role="alert">
          <p>Training could not be read: {error}</p>
          <button type="button" className="btn btn-small" onClick={() => void refreshTraining()}>
            Try again
          </button>
        </div>
      )}
      <LeaseRefusal offerTraining={false} />
      {overview && overview.notices.length > 0 && (
        <ul className="t-notices" aria-label="Notices" data-testid="training-notices">
          {overview.notices.map((notice, i) => (
            <li key={i}>{notice}</li>
          ))}
        </ul>
      )}
      {overview && isEmptyOverview(overview) && (
        <p className="t-empty">
          No training material yet. Courses, exams and calibration rounds arrive with a sync once you are
          signed in.
        </p>
      )}
      {overview && !isEmptyOverview(overview) && (
        <div className="t-columns">
          <section className="t-section t-courses" aria-labelledby="t-courses" data-testid="training-courses">
            <h2 id="t-courses">Courses</h2>
            {overview.courses.length === 0 && <p className="muted">No courses for you yet.</p>}
            {overview.courses.map((course) => (
              <CourseCard key={course.id} course={course} />
            ))}
          </section>
          <div className="t-side">
            <section className="t-section" aria-labelledby="t-exams" data-testid="training-exams">
              <h2 id="t-exams">Exams</h2>
              {overview.exams.length === 0 && <p className="muted">No certification exams for you.</p>}
              {overview.exams.map((summary) => (
                <ExamCard
                  key={summary.exam.id}
                  summary={summary}
                  certified={overview.certificates.some(
                    (c) => c.skill === summary.exam.skill && c.status === 'valid',
                  )}
                />
              ))}
            </section>
            <CertificatesSection certificates={overview.certificates} />
            <CalibrationSection rounds={overview.calibration} />
            {trainee && <ShadowSection shadowing={overview.shadowing} />}
          </div>
        </div>
      )}
    </main>
  );
}
