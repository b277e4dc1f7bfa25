import { type KeyTest, ctrlEnter, digitIn, exactKey, letter, noModifiers } from './keys';

/**
 * Every keyboard shortcut, in one table. The global key handler dispatches on it and the `?`
 * dialog lists it, so the two cannot drift apart. Entries without `test` document keys that a
 * component or the browser handles itself (drag and drop, dialogs' buttons).
 */
export type Scope =
  | 'Anywhere'
  | 'Queue'
  | 'Training item'
  | 'Task'
  | 'Ranking'
  | 'Pairwise'
  | 'Tag picker'
  | 'Rank list'
  | 'Dialogs';

export interface Shortcut {
  id: string;
  scope: Scope;
  /** alternatives, as written in the help dialog ("Ctrl+Enter" is one chord) */
  keys: string[];
  description: string;
  test?: KeyTest;
  /** still active while the focus is in a text field */
  whileTyping?: boolean;
}

export const SHORTCUTS = [
  {
    id: 'help',
    scope: 'Anywhere',
    keys: ['?'],
    description: 'Show this list of shortcuts',
    test: exactKey('?'),
  },
  {
    id: 'guidelines',
    scope: 'Anywhere',
    keys: ['G'],
    description: 'Open or close the guidelines panel',
    test: letter('g'),
  },
  {
    id: 'guidelineSearch',
    scope: 'Anywhere',
    keys: ['/'],
    description: 'Search the guidelines',
    test: exactKey('/'),
  },
  {
    id: 'escape',
    scope: 'Anywhere',
    keys: ['Esc'],
    description: 'Close the dialog, panel or message; leave a text field',
    test: (e) => e.key === 'Escape',
    whileTyping: true,
  },

  {
    id: 'start',
    scope: 'Queue',
    keys: ['Enter'],
    description: 'Start or resume reviewing',
    test: (e) => noModifiers(e) && e.key === 'Enter',
  },
  {
    id: 'import',
    scope: 'Queue',
    keys: ['I'],
    description: 'Import tasks from a JSONL file',
    test: letter('i'),
  },
  {
    id: 'queueList',
    scope: 'Queue',
    keys: ['1…5'],
    description: 'Show pending, drafts, submitted, escalated or skipped tasks',
    test: digitIn(1, 5, false),
  },
  {
    id: 'syncNow',
    scope: 'Anywhere',
    keys: ['Y'],
    description: 'Sync now (sign in first if needed)',
    test: letter('y'),
  },
  {
    id: 'backToQueue',
    scope: 'Anywhere',
    keys: ['Q'],
    description: 'Back to the queue (draft is kept)',
    test: letter('q'),
  },
  {
    id: 'training',
    scope: 'Anywhere',
    keys: ['C'],
    description: 'Training: courses, exams, certificates, calibration',
    test: letter('c'),
  },
  {
    id: 'lead',
    scope: 'Anywhere',
    keys: ['W'],
    description: 'Lead workspace: the pod’s escalations (leads and admins)',
    test: letter('w'),
  },
  {
    id: 'audit',
    scope: 'Anywhere',
    keys: ['H'],
    description: 'Audit log: the history of lead and admin actions (admins)',
    test: letter('h'),
  },
  {
    id: 'metrics',
    scope: 'Anywhere',
    keys: ['M'],
    description: 'Quality dashboards: agreement, gold, time, flags',
    test: letter('m'),
  },
  {
    id: 'qa',
    scope: 'Anywhere',
    keys: ['U'],
    description: 'QA re-rating: re-rate sampled labels blind, compare, classify (leads, qa permission)',
    test: letter('u'),
  },

  // before the Task keys: on a training item showing its feedback (or locked), R and N mean these
  {
    id: 'retry',
    scope: 'Training item',
    keys: ['R'],
    description: 'After the feedback on a practice item: try it again',
    test: letter('r'),
  },
  {
    id: 'nextItem',
    scope: 'Training item',
    keys: ['N', 'Enter'],
    description: 'Once answered: the next item of the course, exam or round',
    test: (e) => letter('n')(e) || (noModifiers(e) && !e.shiftKey && e.key === 'Enter'),
  },
  {
    id: 'backToTraining',
    scope: 'Training item',
    keys: ['Esc'],
    description: 'Back to the Training area',
  },

  {
    id: 'nextResponse',
    scope: 'Task',
    keys: ['J', '→'],
    description: 'Focus the next response',
    test: (e) => letter('j')(e) || exactKey('ArrowRight')(e),
  },
  {
    id: 'prevResponse',
    scope: 'Task',
    keys: ['K', '←'],
    description: 'Focus the previous response',
    test: (e) => letter('k')(e) || exactKey('ArrowLeft')(e),
  },
  {
    id: 'tags',
    scope: 'Task',
    keys: ['T'],
    description: 'Tag failure modes on the focused response',
    test: letter('t'),
  },
  {
    id: 'rationale',
    scope: 'Task',
    keys: ['R'],
    description: 'Write the rationale (first field)',
    test: letter('r'),
  },
  {
    id: 'instructions',
    scope: 'Task',
    keys: ['I'],
    description: 'Show or hide the instructions',
    test: letter('i'),
  },
  {
    id: 'layout',
    scope: 'Task',
    keys: ['L'],
    description: 'Switch responses side by side / stacked',
    test: letter('l'),
  },
  {
    id: 'reveal',
    scope: 'Task',
    keys: ['V'],
    description: 'Reveal responses of a sensitive task',
    test: letter('v'),
  },
  { id: 'escalate', scope: 'Task', keys: ['E'], description: 'Escalate as an edge case', test: letter('e') },
  { id: 'skip', scope: 'Task', keys: ['S'], description: 'Skip with a reason', test: letter('s') },
  {
    id: 'submit',
    scope: 'Task',
    keys: ['Ctrl+Enter'],
    description: 'Submit (checks run first)',
    test: ctrlEnter,
    whileTyping: true,
  },

  {
    id: 'rank',
    scope: 'Ranking',
    keys: ['1…9'],
    description: 'Give the focused response that rank (the others move down)',
    test: digitIn(1, 9, false),
  },
  {
    id: 'tie',
    scope: 'Ranking',
    keys: ['Shift+1…9'],
    description: 'Tie the focused response with the response(s) at that rank',
    test: digitIn(1, 9, true),
  },

  { id: 'pickA', scope: 'Pairwise', keys: ['A'], description: 'Response A is better', test: letter('a') },
  { id: 'pickB', scope: 'Pairwise', keys: ['B'], description: 'Response B is better', test: letter('b') },
  {
    id: 'pickTie',
    scope: 'Pairwise',
    keys: ['='],
    description: 'Tie: both are equally good',
    test: exactKey('='),
  },
  {
    id: 'strength',
    scope: 'Pairwise',
    keys: ['1…5'],
    description: 'Strength: significantly, better, slightly, negligibly, unsure',
    test: digitIn(1, 5, false),
  },

  { id: 'pickerTag', scope: 'Tag picker', keys: ['letter'], description: 'Toggle the tag with that key' },
  { id: 'pickerMove', scope: 'Tag picker', keys: ['↑', '↓'], description: 'Move between tags' },
  { id: 'pickerToggle', scope: 'Tag picker', keys: ['Space'], description: 'Toggle the focused tag' },
  {
    id: 'pickerSeverity',
    scope: 'Tag picker',
    keys: ['1', '2', '3'],
    description: 'Severity of the focused tag: minor, major, critical',
  },
  { id: 'pickerDone', scope: 'Tag picker', keys: ['Enter'], description: 'Done' },
  {
    id: 'chipRemove',
    scope: 'Tag picker',
    keys: ['Del'],
    description: 'On a tag chip of a response: remove that tag',
  },

  {
    id: 'dragPick',
    scope: 'Rank list',
    keys: ['Space'],
    description: 'Pick up the focused item, then ↑ ↓ to move, Space to drop, Esc to cancel',
  },

  { id: 'dialogReason', scope: 'Dialogs', keys: ['1…6'], description: 'Escalate / skip: choose a reason' },
  {
    id: 'dialogConfirm',
    scope: 'Dialogs',
    keys: ['Enter'],
    description: 'Confirm (“Submit anyway” when only warnings remain); Ctrl+Enter from the note',
  },
] as const satisfies readonly Shortcut[];

export type ShortcutId = (typeof SHORTCUTS)[number]['id'];

const byId = new Map<string, Shortcut>(SHORTCUTS.map((s) => [s.id, s]));

export function shortcut(id: ShortcutId): Shortcut {
  return byId.get(id)!;
}

/** "Ctrl+Enter", "J / →": the key hint shown on buttons. */
export function keyHint(id: ShortcutId): string {
  return shortcut(id).keys.join(' / ');
}
