import { useEffect, useRef, useState } from 'react';
import type { WellbeingStatus } from '../../../../shared/wellbeing';
import '../../styles/wellbeing.css';
import { api } from '../../api';

/** while a sensitive task shows, the screen tells the services so once a minute (a pause of 5 is a break) */
const HEARTBEAT_MS = 60_000;

const minutesWords = (n: number) => (n < 1 ? 'for a while' : `for ${n} minute${n === 1 ? '' : 's'}`);

/**
 * The break reminder (docs/wellbeing.md): after the project's stretch of continuous sensitive work,
 * a calm note on the task screen. It takes no focus, so typing in the rationale goes on undisturbed
 * and nothing of the draft changes; it is announced politely (role=status). Its Dismiss button
 * (Tab to it, Enter) or Esc inside it closes it; the next one comes after another full stretch.
 */
export function BreakReminder({ taskId, sensitive }: { taskId: string; sensitive: boolean }) {
  const [status, setStatus] = useState<WellbeingStatus['breakReminder'] | null>(null);
  const timers = useRef<number[]>([]);
  /** reads the status now and plans the next read (the effect's, for the dismiss button) */
  const recheck = useRef<() => void>(() => {});

  useEffect(() => {
    if (!sensitive) return;
    let live = true;
    const clear = () => {
      for (const t of timers.current) window.clearTimeout(t);
      timers.current = [];
    };
    const check = () => {
      clear();
      // a hidden window is not work: the heartbeat stops, and a long enough absence is a break
      if (document.visibilityState === 'hidden') return;
      api.wellbeing
        .status({ workingOn: taskId })
        .then(({ breakReminder }) => {
          if (!live) return;
          setStatus(breakReminder);
          const wait = breakReminder.dueAt ? Date.parse(breakReminder.dueAt) - Date.now() : Infinity;
          const next = breakReminder.due ? HEARTBEAT_MS : Math.min(HEARTBEAT_MS, Math.max(wait, 0) + 50);
          timers.current.push(window.setTimeout(check, next));
        })
        .catch(() => {
          // a reminder is a kindness, not a gate: a failed read only waits for the next heartbeat
          if (live) timers.current.push(window.setTimeout(check, HEARTBEAT_MS));
        });
    };
    recheck.current = check;
    check();
    document.addEventListener('visibilitychange', check);
    return () => {
      live = false;
      clear();
      document.removeEventListener('visibilitychange', check);
    };
  }, [taskId, sensitive]);

  if (!sensitive || !status?.due) return null;
  const dismiss = () => {
    void api.wellbeing
      .dismissBreak({})
      .then(({ breakReminder }) => setStatus(breakReminder))
      .catch(() => setStatus(null))
      // the next reminder is due after another stretch: plan the read for then
      .finally(() => recheck.current());
  };
  return (
    <section
      className="break-reminder"
      data-testid="break-reminder"
      role="status"
      aria-label="Break reminder"
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        dismiss();
      }}
    >
      <p>
        <b>Time for a short break?</b> You have been working on sensitive tasks {minutesWords(status.minutes)}
        . A few minutes away from the screen helps. Your work on this task is saved and will be here when you
        come back.
      </p>
      <button type="button" className="btn btn-small" onClick={dismiss}>
        Dismiss
      </button>
    </section>
  );
}
