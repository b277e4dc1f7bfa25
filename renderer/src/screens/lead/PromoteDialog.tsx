import { useEffect, useId, useRef, useState } from 'react';
import type { EscalationItem, PromoteRequest, PromoteTarget } from '../../../../shared/lead';
import type { Guideline } from '../../../../shared/guideline';
import type { TrainingOverview } from '../../../../shared/training/workstation';
import { api } from '../../api';
import { Modal } from '../../components/Modal';
import { promoteRefusalWords, promotedWords } from '../../logic/promoteWords';
import { useLead } from '../../state/leadStore';
import { loadRuled, useLeadWorkspace } from '../../state/leadWorkspaceStore';
import { messageOf } from '../../state/transition';
import '../../styles/lead.css';

const DESTINATIONS: { to: PromoteTarget; words: string }[] = [
  { to: 'golden-example', words: 'Golden example of the guideline' },
  { to: 'course', words: 'Item of a training course' },
  { to: 'exam-bank', words: "Item of an exam's bank" },
];

const close = () => useLeadWorkspace.setState({ promoting: null });

/**
 * Promotes a ruled task in one step (lead.promote): a golden example published as the guideline's
 * next minor version, or an answer-key item of a course module or an exam bank. Digits pick the
 * destination, Enter (or Ctrl+Enter) promotes, Esc cancels; a refusal says what to change.
 */
export function PromoteDialog({ item }: { item: EscalationItem }) {
  const id = useId();
  const [to, setTo] = useState<PromoteTarget>('golden-example');
  const [guidelineId, setGuidelineId] = useState(item.task.guideline ?? 'default');
  const [guideline, setGuideline] = useState<Guideline | null>(null);
  const [title, setTitle] = useState(`Ruling on ${item.task.id}`);
  const [training, setTraining] = useState<TrainingOverview | null>(null);
  const [courseId, setCourseId] = useState('');
  const [moduleId, setModuleId] = useState('');
  const [examId, setExamId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    let live = true;
    api.guideline
      .get({ id: guidelineId })
      .then((g) => live && setGuideline(g && g.id === guidelineId ? g : null))
      .catch(() => live && setGuideline(null));
    return () => {
      live = false;
    };
  }, [guidelineId]);
  useEffect(() => {
    api.training
      .overview({})
      .then((o) => {
        setTraining(o);
        setCourseId(o.courses[0]?.id ?? '');
        setModuleId(o.courses[0]?.modules.at(-1)?.id ?? '');
        setExamId(o.exams[0]?.exam.id ?? '');
      })
      .catch(() => setTraining(null));
  }, []);

  const course = training?.courses.find((c) => c.id === courseId);
  const exam = training?.exams.find((e) => e.exam.id === examId)?.exam;

  const promote = async () => {
    if (busy) return;
    let promotion: PromoteRequest;
    let targetTitle: string;
    if (to === 'golden-example') {
      if (!title.trim()) return setProblem('Give the example a title.');
      promotion = { to, targetId: guidelineId.trim(), title: title.trim() };
      targetTitle = `guideline "${guideline?.title ?? guidelineId}"`;
    } else if (to === 'course') {
      if (!course) return setProblem('Choose a course (sync first if none is listed).');
      promotion = { to, targetId: course.id, ...(moduleId ? { moduleId } : {}) };
      targetTitle = `"${course.title}"`;
    } else {
      if (!exam) return setProblem('Choose an exam (sync first if none is listed).');
      promotion = { to, targetId: exam.id };
      targetTitle = `"${exam.title}"`;
    }
    setBusy(true);
    try {
      const result = await api.lead.promote({ escalationId: item.id, promotion });
      useLead.setState({ status: promotedWords(result, targetTitle), error: null, ruled: null });
      close();
      void loadRuled();
    } catch (cause) {
      setProblem(promoteRefusalWords(messageOf(cause)));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDialogElement>) => {
    // the workspace's global keys stay out of the dialog (it is not one of the task's dialogs)
    e.stopPropagation();
    const target = e.target as HTMLElement;
    const typing = target instanceof HTMLInputElement && target.type === 'text';
    const digit = Number(e.key);
    if (!typing && !e.ctrlKey && !e.altKey && !e.metaKey && digit >= 1 && digit <= DESTINATIONS.length) {
      e.preventDefault();
      setTo(DESTINATIONS[digit - 1]!.to);
      setProblem(null);
      document.getElementById(`${id}-to-${digit - 1}`)?.focus();
    } else if (e.key === 'Enter' && (e.ctrlKey || !(target instanceof HTMLButtonElement))) {
      e.preventDefault();
      void promote();
    }
  };

  return (
    <Modal
      title={`Promote the ruling on ${item.task.id}`}
      testId="promote-dialog"
      onClose={close}
      onKeyDown={onKeyDown}
      describedBy={`${id}-intro`}
    >
      <p id={`${id}-intro`}>
        Your judgement on {item.task.id} and why, as training material for everyone. The task goes without its
        operator fields.
      </p>
      <fieldset className="reasons">
        <legend>Promote to</legend>
        {DESTINATIONS.map((d, i) => (
          <label key={d.to} className={`reason${to === d.to ? ' is-checked' : ''}`}>
            <input
              ref={i === 0 ? first : undefined}
              id={`${id}-to-${i}`}
              type="radio"
              name={`${id}-to`}
              checked={to === d.to}
              onChange={() => {
                setTo(d.to);
                setProblem(null);
              }}
            />
            <kbd>{i + 1}</kbd> {d.words}
          </label>
        ))}
      </fieldset>
      {to === 'golden-example' && (
        <div className="promote-fields">
          <label htmlFor={`${id}-guideline`}>Guideline</label>
          <input
            id={`${id}-guideline`}
            type="text"
            value={guidelineId}
            onChange={(e) => setGuidelineId(e.target.value)}
            aria-describedby={`${id}-guideline-now`}
          />
          <span id={`${id}-guideline-now`} className="muted">
            {guideline
              ? `${guideline.title}, now v${guideline.version}: it becomes the next minor version`
              : 'not on this computer: the server decides'}
          </span>
          <label htmlFor={`${id}-title`}>Example title</label>
          <input id={`${id}-title`} type="text" value={title} onChange={(e) => setTitle(e.target.value)} />
        </div>
      )}
      {to === 'course' && (
        <div className="promote-fields">
          <label htmlFor={`${id}-course`}>Course</label>
          <select
            id={`${id}-course`}
            value={courseId}
            onChange={(e) => {
              setCourseId(e.target.value);
              const c = training?.courses.find((x) => x.id === e.target.value);
              setModuleId(c?.modules.at(-1)?.id ?? '');
            }}
          >
            {training?.courses.length ? null : <option value="">No course on this computer</option>}
            {training?.courses.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-module`}>Module</label>
          <select id={`${id}-module`} value={moduleId} onChange={(e) => setModuleId(e.target.value)}>
            {course?.modules.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </div>
      )}
      {to === 'exam-bank' && (
        <div className="promote-fields">
          <label htmlFor={`${id}-exam`}>Exam</label>
          <select id={`${id}-exam`} value={examId} onChange={(e) => setExamId(e.target.value)}>
            {training?.exams.length ? null : <option value="">No exam on this computer</option>}
            {training?.exams.map((e) => (
              <option key={e.exam.id} value={e.exam.id}>
                {e.exam.title} ({e.exam.skill})
              </option>
            ))}
          </select>
        </div>
      )}
      {problem && (
        <p className="t-problem" role="alert" data-testid="promote-problem">
          {problem}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" className="btn btn-primary" aria-disabled={busy} onClick={() => void promote()}>
          Promote <kbd>Enter</kbd>
        </button>
        <button type="button" className="btn" onClick={close}>
          Cancel <kbd>Esc</kbd>
        </button>
      </div>
    </Modal>
  );
}
