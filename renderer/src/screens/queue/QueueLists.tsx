import { useEffect, useRef, useState } from 'react';
import type { TaskState } from '../../../../shared/task';
import { QUEUE_LIST_EVENT } from '../../shortcuts/useGlobalKeys';
import { QueueList } from './QueueList';

const TABS: { state: TaskState; label: string }[] = [
  { state: 'pending', label: 'Pending' },
  { state: 'draft', label: 'Drafts' },
  { state: 'submitted', label: 'Submitted' },
  { state: 'escalated', label: 'Escalated' },
  { state: 'skipped', label: 'Skipped' },
];

/** The tasks in each state, as ARIA tabs (arrow keys between tabs, digits 1–5 from anywhere on the screen). */
export function QueueLists() {
  const [active, setActive] = useState(0);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    const onPick = (e: Event) => {
      const index = (e as CustomEvent<number>).detail;
      setActive(index);
      tabs.current[index]?.focus();
    };
    window.addEventListener(QUEUE_LIST_EVENT, onPick);
    return () => window.removeEventListener(QUEUE_LIST_EVENT, onPick);
  }, []);

  const onTabKey = (e: React.KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = (active + step + TABS.length) % TABS.length;
    setActive(next);
    tabs.current[next]?.focus();
  };

  const current = TABS[active]!;
  return (
    <section className="queue-lists" aria-labelledby="lists-heading">
      <h2 id="lists-heading" className="sr-only">
        Tasks by state
      </h2>
      <div role="tablist" aria-label="Task state" className="tabs" onKeyDown={onTabKey}>
        {TABS.map((tab, i) => (
          <button
            key={tab.state}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.state}`}
            aria-selected={i === active}
            aria-controls={`panel-${tab.state}`}
            tabIndex={i === active ? 0 : -1}
            className="tab"
            // the key is announced as a shortcut, not read into the name ("Drafts 2" sounds like a count)
            aria-keyshortcuts={String(i + 1)}
            title={`Shortcut: ${i + 1}`}
            onClick={() => setActive(i)}
          >
            {tab.label}
            <kbd className="tab-key" aria-hidden="true">
              {i + 1}
            </kbd>
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${current.state}`}
        aria-labelledby={`tab-${current.state}`}
        className="tabpanel"
      >
        <QueueList key={current.state} state={current.state} />
      </div>
    </section>
  );
}
