import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Guideline } from '../../../../shared/guideline';
import { markdownSections } from '../../../../shared/guideline-diff';
import type { DraftSource } from '../../../../shared/guideline-draft';
import type { EscalationItem } from '../../../../shared/lead';
import type { QaTask } from '../../../../shared/qa-workstation';
import { api } from '../../api';
import { Modal } from '../../components/Modal';
import { closeGuidelineDraft, draftSent, type DraftStart } from '../../state/guidelineDraftStore';
import { useLead } from '../../state/leadStore';
import { useLeadWorkspace } from '../../state/leadWorkspaceStore';
import { messageOf } from '../../state/transition';
import '../../styles/guideline-loop.css';

const NEW_SECTION = '__new__';

/** escalations the lead can draft from: the open ones and the ruled ones loaded, once each */
function useEscalations(): EscalationItem[] {
  const open = useLead((s) => s.inbox?.items);
  const ruled = useLeadWorkspace((s) => s.ruled);
  return useMemo(() => {
    const seen = new Set<string>();
    return [...(open ?? []), ...(ruled ?? [])].filter((e) => !seen.has(e.id) && seen.add(e.id));
  }, [open, ruled]);
}

/**
 * A lead's draft of a guideline change (guidelineDrafts.create): from an escalation, one section's
 * new text (or a new section), a summary for the admin, the linked tasks (prefilled with the
 * escalated task). Ctrl+Enter sends, Esc cancels; the server's refusal is shown in its words.
 */
export function DraftGuidelineDialog({ start }: { start: DraftStart }) {
  const id = useId();
  const escalations = useEscalations();
  // the source: "e:ID" (an escalation) or "q:ID" (my re-rating, classified: a QA finding)
  const [from, setFrom] = useState(() => {
    const id = start.escalationId ?? escalations[0]?.id;
    return id ? `e:${id}` : '';
  });
  const [qaTasks, setQaTasks] = useState<QaTask[]>([]);
  const [guideline, setGuideline] = useState<Guideline | null>(null);
  const [section, setSection] = useState('');
  const [heading, setHeading] = useState('');
  const [body, setBody] = useState('');
  const [summary, setSummary] = useState('');
  const [links, setLinks] = useState(start.taskId ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);

  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    // re-ratings this computer sent: a QA finding is one of them once classified (the server checks)
    api.qa
      .list({})
      .then(({ tasks }) => {
        const sent = tasks.filter((t) => t.labelId !== null && t.sent);
        setQaTasks(sent);
        // nothing escalated to start from: the first finding is
        if (sent[0]) setFrom((f) => f || `q:${sent[0]!.labelId}`);
      })
      .catch(() => setQaTasks([]));
  }, []);
  useEffect(() => {
    let live = true;
    api.guideline
      .get({ id: start.guidelineId })
      .then((g) => {
        if (!live) return;
        setGuideline(g);
        const firstSection = g ? markdownSections(g.markdown)[0] : undefined;
        setSection(firstSection?.heading ?? NEW_SECTION);
        setBody(firstSection?.body ?? '');
      })
      .catch((cause: unknown) => live && setProblem(messageOf(cause)));
    return () => {
      live = false;
    };
  }, [start.guidelineId]);

  const sections = useMemo(() => (guideline ? markdownSections(guideline.markdown) : []), [guideline]);
  const chooseSection = (value: string) => {
    setSection(value);
    setBody(value === NEW_SECTION ? '' : (sections.find((s) => s.heading === value)?.body ?? ''));
  };
  const chooseSource = (value: string) => {
    setFrom(value);
    const task = value.startsWith('e:')
      ? escalations.find((e) => `e:${e.id}` === value)?.task.id
      : qaTasks.find((t) => `q:${t.labelId}` === value)?.taskId;
    if (task && !links.split(/[\s,]+/).includes(task)) setLinks(links.trim() ? `${task}, ${links}` : task);
  };

  const send = async () => {
    if (busy || !guideline) return;
    const sectionHeading = section === NEW_SECTION ? heading.trim() : section;
    if (!from) return setProblem('Choose the escalation or QA finding this change comes from.');
    const source: DraftSource = from.startsWith('e:')
      ? { kind: 'escalation', id: from.slice(2) }
      : { kind: 'qa-rating', id: from.slice(2) };
    if (!sectionHeading) return setProblem('Give the new section a heading.');
    if (!summary.trim()) return setProblem('Say in a line what changes and why: the admin reads it.');
    const taskIds = links
      .split(/[\s,]+/)
      .map((t) => t.trim())
      .filter(Boolean);
    setBusy(true);
    try {
      const draft = await api.guidelineDrafts.create({
        draft: {
          guidelineId: guideline.id,
          baseVersion: guideline.version,
          summary: summary.trim(),
          source,
          sections: [{ heading: sectionHeading, body }],
          links: [...new Set(taskIds)].map((task) => ({ kind: 'task' as const, id: task })),
        },
      });
      draftSent(draft);
    } catch (cause) {
      setProblem(messageOf(cause));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDialogElement>) => {
    // the workspace's global keys stay out of the dialog
    e.stopPropagation();
    if (e.key === 'Enter' && e.ctrlKey) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <Modal
      title="Draft a guideline change"
      testId="guideline-draft-dialog"
      className="gl-draft-modal"
      onClose={closeGuidelineDraft}
      onKeyDown={onKeyDown}
      describedBy={`${id}-intro`}
    >
      <form
        className="gl-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <p id={`${id}-intro`} className="muted">
          {guideline
            ? `${guideline.title}, v${guideline.version}. An admin publishes it as a new version; reviewers see the changed section at their next sync.`
            : 'Loading the guideline…'}
        </p>
        <label htmlFor={`${id}-from`}>From escalation or QA finding</label>
        <select ref={first} id={`${id}-from`} value={from} onChange={(e) => chooseSource(e.target.value)}>
          {escalations.length + qaTasks.length === 0 && <option value="">No escalation loaded</option>}
          {escalations.map((e) => (
            <option key={e.id} value={`e:${e.id}`}>
              {e.task.id}: {e.reason.replace(/-/g, ' ')}, {e.reviewer.displayName || e.reviewer.username}
              {e.ruling ? ' (ruled)' : ''}
            </option>
          ))}
          {qaTasks.map((t) => (
            <option key={t.labelId} value={`q:${t.labelId}`}>
              QA finding: my re-rating of {t.taskId}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-section`}>Section</label>
        <select id={`${id}-section`} value={section} onChange={(e) => chooseSection(e.target.value)}>
          {sections.map((s, i) => (
            <option key={`${i}-${s.heading}`} value={s.heading}>
              {s.level > 1 ? '· '.repeat(s.level - 1) : ''}
              {s.heading}
            </option>
          ))}
          <option value={NEW_SECTION}>A new section…</option>
        </select>
        {section === NEW_SECTION && (
          <>
            <label htmlFor={`${id}-heading`}>Heading of the new section</label>
            <input
              id={`${id}-heading`}
              type="text"
              value={heading}
              onChange={(e) => setHeading(e.target.value)}
            />
          </>
        )}
        <label htmlFor={`${id}-body`}>
          New text of the section <span className="hint">(Markdown, without its heading)</span>
        </label>
        <textarea
          id={`${id}-body`}
          data-testid="guideline-draft-body"
          rows={9}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        <label htmlFor={`${id}-summary`}>
          Summary for the admin <span className="hint">(what changes and why)</span>
        </label>
        <textarea
          id={`${id}-summary`}
          rows={2}
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
        />
        <label htmlFor={`${id}-links`}>
          Linked examples <span className="hint">(task ids, separated by commas)</span>
        </label>
        <input id={`${id}-links`} type="text" value={links} onChange={(e) => setLinks(e.target.value)} />
        {problem && (
          <p className="t-problem" role="alert">
            {problem}
          </p>
        )}
        <div className="gl-form-actions">
          <button type="button" className="btn" onClick={closeGuidelineDraft}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !guideline}>
            Send to an admin <kbd>Ctrl+Enter</kbd>
          </button>
        </div>
      </form>
    </Modal>
  );
}
