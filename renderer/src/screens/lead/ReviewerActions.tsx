import { useEffect, useId, useState } from 'react';
import type { ReviewerAction } from '../../../../shared/lead';
import type { PodReviewer } from '../../../../shared/lead-workstation';
import { api } from '../../api';
import { loadReviewers } from '../../state/leadWorkspaceStore';
import { messageOf } from '../../state/transition';
import { CoachingForm } from './CoachingForm';

const KIND_WORDS: Record<ReviewerAction['kind'], string> = {
  coaching: 'Coaching note',
  restriction: 'Restriction',
  recertification: 'Re-certification',
};

/** active / acknowledged / lifted: where the action stands, in one word */
export function actionStatus(action: ReviewerAction): 'active' | 'acknowledged' | 'lifted' {
  if (action.state === 'lifted') return 'lifted';
  return action.acknowledgedAt ? 'acknowledged' : 'active';
}

const day = (iso: string) => iso.slice(0, 10);

/** Every action on the reviewer, newest first, each active one with its Lift button. */
/** the reviewer and their pod (the lead's own, or the one an admin named) */
type Props = { reviewer: PodReviewer; podId: string };

function ActionList({ reviewer, podId }: Props) {
  const [status, setStatus] = useState('');
  const lift = async (action: ReviewerAction) => {
    try {
      await api.lead.lift({ podId, userId: reviewer.member.id, actionId: action.id });
      setStatus(`${KIND_WORDS[action.kind]} lifted: ${reviewer.member.username} is told at their next sync.`);
      await loadReviewers();
    } catch (cause) {
      setStatus(messageOf(cause));
    }
  };
  return (
    <>
      {reviewer.actions.length === 0 ? (
        <p className="muted">No actions on {reviewer.member.username} yet.</p>
      ) : (
        <table className="data-table" data-testid="reviewer-actions">
          <caption className="sr-only">Actions on {reviewer.member.username}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Status</th>
              <th scope="col">What it means for them</th>
              <th scope="col">Since</th>
              <th scope="col">
                <span className="sr-only">Lift</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {reviewer.actions.map((a) => (
              <tr key={a.id} data-testid={`action-${a.kind}`}>
                <th scope="row">{KIND_WORDS[a.kind]}</th>
                <td className={`action-${actionStatus(a)}`}>{actionStatus(a)}</td>
                <td>
                  {a.words}
                  {a.note && <span className="lead-prompt">Note: {a.note}</span>}
                </td>
                <td>
                  {day(a.createdAt)} by {a.lead}
                </td>
                <td>
                  {a.state === 'active' && (
                    <button type="button" className="btn btn-small" onClick={() => void lift(a)}>
                      Lift {KIND_WORDS[a.kind].toLowerCase()}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="m-item-status" role="status" data-testid="lift-status">
        {status}
      </p>
    </>
  );
}

/** Restrict to named production projects (none ticked: practice work only) until lifted. */
function RestrictionForm({ reviewer, podId }: Props) {
  const id = useId();
  const [projects, setProjects] = useState<{ id: string; name: string }[] | null>(null);
  const [allowed, setAllowed] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  useEffect(() => {
    api.metrics
      .projects({})
      .then((r) => setProjects(r.projects))
      .catch((cause: unknown) => setStatus(messageOf(cause)));
  }, []);
  const send = async () => {
    try {
      await api.lead.restrict({
        podId,
        userId: reviewer.member.id,
        restriction: { projects: allowed, ...(note.trim() ? { note } : {}) },
      });
      setStatus(
        allowed.length
          ? `${reviewer.member.username} may take work only from ${allowed.join(', ')} (and practice work) until you lift it.`
          : `${reviewer.member.username} may take practice (sandbox) work only until you lift it.`,
      );
      setNote('');
      setAllowed([]);
      await loadReviewers();
    } catch (cause) {
      setStatus(messageOf(cause));
    }
  };
  return (
    <fieldset className="lead-action-form" data-testid="restriction-form">
      <legend>Restrict to lower-impact work</legend>
      <p className="muted">Tick the production projects they may still work on; none ticked: sandbox only.</p>
      {projects?.map((p) => (
        <label key={p.id} className="lead-check">
          <input
            type="checkbox"
            checked={allowed.includes(p.id)}
            onChange={(e) =>
              setAllowed((a) => (e.target.checked ? [...a, p.id] : a.filter((x) => x !== p.id)))
            }
          />{' '}
          {p.name}
        </label>
      ))}
      <label htmlFor={`${id}-note`} className="ruling-label">
        Note to {reviewer.member.username} (optional)
      </label>
      <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      <button type="button" className="btn btn-small" onClick={() => void send()}>
        {allowed.length ? 'Restrict to the ticked projects' : 'Restrict to sandbox only'}
      </button>
      <p className="m-item-status" role="status" data-testid="restriction-status">
        {status}
      </p>
    </fieldset>
  );
}

/** Calls the reviewer's certificate for a skill in: production work needing it waits for a new pass. */
function RecertificationForm({ reviewer, podId }: Props) {
  const id = useId();
  const [skills, setSkills] = useState<string[]>([]);
  const [skill, setSkill] = useState('');
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  useEffect(() => {
    api.training
      .overview({})
      .then((o) => {
        const known = [
          ...new Set([...o.exams.map((e) => e.exam.skill), ...o.certificates.map((c) => c.skill)]),
        ];
        setSkills(known.sort());
        setSkill(known[0] ?? '');
      })
      .catch(() => setSkills([]));
  }, []);
  const send = async () => {
    if (!skill.trim()) return setStatus('Name the skill first.');
    try {
      await api.lead.recertify({
        podId,
        userId: reviewer.member.id,
        recertification: { skill: skill.trim(), ...(note.trim() ? { note } : {}) },
      });
      setStatus(
        `${reviewer.member.username} must pass the ${skill} exam again before production work needing it.`,
      );
      setNote('');
      await loadReviewers();
    } catch (cause) {
      setStatus(messageOf(cause));
    }
  };
  return (
    <fieldset className="lead-action-form" data-testid="recertification-form">
      <legend>Require re-certification</legend>
      <label htmlFor={`${id}-skill`} className="ruling-label">
        Skill
      </label>
      <input
        id={`${id}-skill`}
        type="text"
        list={`${id}-skills`}
        value={skill}
        onChange={(e) => setSkill(e.target.value)}
      />
      <datalist id={`${id}-skills`}>
        {skills.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <label htmlFor={`${id}-note`} className="ruling-label">
        Note to {reviewer.member.username} (optional)
      </label>
      <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      <button type="button" className="btn btn-small" onClick={() => void send()}>
        Require re-certification
      </button>
      <p className="m-item-status" role="status" data-testid="recertification-status">
        {status}
      </p>
    </fieldset>
  );
}

/** One reviewer: the actions on them and the forms to take a new one. */
export function ReviewerActions({ reviewer, podId }: Props) {
  const name = reviewer.member.displayName || reviewer.member.username;
  return (
    <section className="lead-reviewer" aria-labelledby="lead-reviewer-h" data-testid="reviewer-detail">
      <h2 id="lead-reviewer-h">{name}</h2>
      <ActionList reviewer={reviewer} podId={podId} />
      <div className="lead-action-forms">
        <fieldset className="lead-action-form">
          <legend>Coach</legend>
          <CoachingForm
            userId={reviewer.member.id}
            podId={podId}
            name={name}
            onSent={() => void loadReviewers()}
          />
        </fieldset>
        <RestrictionForm reviewer={reviewer} podId={podId} />
        <RecertificationForm reviewer={reviewer} podId={podId} />
      </div>
    </section>
  );
}
