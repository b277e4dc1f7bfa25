import { formatIssues } from '../contract';
import type { ChatMessage } from '../task';
import { PreferenceRow } from '../task';

/** Hex SHA-256 of a UTF-8 string; injected because shared/ may not import node:crypto. */
export type Sha256Hex = (text: string) => string;

export interface Issue {
  path: string;
  message: string;
}

/** A `{prompt?, chosen, rejected}` row: an object with both answers and no task `kind`. */
export function isPreferenceRow(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !('kind' in value) &&
    'chosen' in value &&
    'rejected' in value
  );
}

const ROLE_ALIASES: Record<string, ChatMessage['role']> = {
  system: 'system',
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  gpt: 'assistant',
  bot: 'assistant',
  model: 'assistant',
};

const ASSISTANT = '\n\nAssistant:';

type Turns = { role: string; content: string }[];
interface Split {
  /** turns before the final answer; null when the field was a bare answer */
  context: ChatMessage[] | null;
  answer: string;
}

/**
 * Converts a preference row to a pairwise task (still to be validated as a Task).
 * Response ids are neutral ('a', 'b'); which one the source preferred is kept in
 * `meta.sourcePreferred`, assigned by a content hash so it carries no position signal.
 * The id is stable across imports: the given id or `pref-<sha256 of the content>`.
 */
export function preferenceRowToTask(
  value: unknown,
  sha256Hex: Sha256Hex,
): { task: unknown } | { issues: Issue[] } {
  const parsed = PreferenceRow.safeParse(value);
  if (!parsed.success) return { issues: formatIssues(parsed.error) };
  const row = parsed.data;
  const issues: Issue[] = [];

  let chosen: Split | null;
  let rejected: Split | null;
  if (row.prompt === undefined && typeof row.chosen === 'string' && typeof row.rejected === 'string') {
    const split = splitTranscripts(row.chosen, row.rejected);
    if ('issue' in split) return { issues: [split.issue] };
    ({ chosen, rejected } = split);
  } else {
    chosen = splitAnswer(row.chosen, 'chosen', issues);
    rejected = splitAnswer(row.rejected, 'rejected', issues);
  }
  const given = row.prompt === undefined ? null : toPrompt(row.prompt, issues);
  if (!chosen || !rejected || issues.length) return { issues };

  let prompt: string | ChatMessage[];
  if (given !== null) {
    prompt = chosen.context?.length ? [...asMessages(given), ...chosen.context] : given;
  } else if (chosen.context?.length) {
    if (JSON.stringify(chosen.context) !== JSON.stringify(rejected.context)) {
      return {
        issues: [
          {
            path: 'rejected',
            message:
              'the conversation before the final assistant turn differs from "chosen"; give "prompt" explicitly',
          },
        ],
      };
    }
    prompt = chosen.context;
  } else {
    return {
      issues: [
        {
          path: 'prompt',
          message:
            'missing: give "prompt", or make "chosen" and "rejected" full conversations ending in the assistant\'s answer',
        },
      ],
    };
  }

  const digest = sha256Hex(JSON.stringify([row.prompt ?? null, row.chosen, row.rejected]));
  const chosenId = parseInt(digest.slice(0, 2), 16) % 2 === 0 ? 'a' : 'b';
  const responses =
    chosenId === 'a'
      ? [
          { id: 'a', text: chosen.answer },
          { id: 'b', text: rejected.answer },
        ]
      : [
          { id: 'a', text: rejected.answer },
          { id: 'b', text: chosen.answer },
        ];
  return {
    task: {
      id: row.id ?? `pref-${digest.slice(0, 16)}`,
      kind: 'pairwise',
      prompt,
      responses,
      meta: { source: 'preference-row', sourcePreferred: chosenId },
    },
  };
}

function asMessages(prompt: string | ChatMessage[]): ChatMessage[] {
  return typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
}

function toPrompt(prompt: string | Turns, issues: Issue[]): string | ChatMessage[] {
  return typeof prompt === 'string' ? prompt : normalizeTurns(prompt, 'prompt', issues);
}

function normalizeTurns(turns: Turns, field: string, issues: Issue[]): ChatMessage[] {
  return turns.map((turn, i) => {
    const role = ROLE_ALIASES[turn.role.toLowerCase()];
    if (!role) {
      issues.push({
        path: `${field}.${i}.role`,
        message: `unknown role "${turn.role}" (expected system, user/human or assistant)`,
      });
    }
    return { role: role ?? 'user', content: turn.content };
  });
}

/** A bare answer string, or a conversation whose last turn is the assistant's answer. */
function splitAnswer(value: string | Turns, field: string, issues: Issue[]): Split | null {
  if (typeof value === 'string') return { context: null, answer: value };
  const turns = normalizeTurns(value, field, issues);
  const last = turns[turns.length - 1]!;
  if (last.role !== 'assistant') {
    issues.push({
      path: `${field}.${turns.length - 1}.role`,
      message: "the last turn must be the assistant's answer",
    });
    return null;
  }
  return { context: turns.slice(0, -1), answer: last.content };
}

/**
 * hh-rlhf rows: two whole `\n\nHuman: … \n\nAssistant: …` transcripts that share the
 * conversation up to the final assistant turn. The split point is the last
 * "\n\nAssistant:" inside their common prefix, because some answers themselves
 * contain a made-up "\n\nAssistant:" turn.
 */
function splitTranscripts(
  chosen: string,
  rejected: string,
): { chosen: Split; rejected: Split } | { issue: Issue } {
  const chosenIsTranscript = chosen.includes(ASSISTANT);
  const rejectedIsTranscript = rejected.includes(ASSISTANT);
  if (!chosenIsTranscript && !rejectedIsTranscript) {
    return {
      issue: {
        path: 'prompt',
        message:
          'missing: give "prompt", or make "chosen" and "rejected" "\\n\\nHuman: … \\n\\nAssistant: …" transcripts',
      },
    };
  }
  if (!chosenIsTranscript || !rejectedIsTranscript) {
    return {
      issue: {
        path: chosenIsTranscript ? 'rejected' : 'chosen',
        message:
          'is not a "\\n\\nHuman: … \\n\\nAssistant: …" transcript like the other answer; give "prompt" explicitly',
      },
    };
  }
  let common = 0;
  const max = Math.min(chosen.length, rejected.length);
  while (common < max && chosen.charCodeAt(common) === rejected.charCodeAt(common)) common++;
  const cut = common >= ASSISTANT.length ? chosen.lastIndexOf(ASSISTANT, common - ASSISTANT.length) : -1;
  if (cut < 0) {
    return {
      issue: {
        path: 'rejected',
        message: '"chosen" and "rejected" do not share a conversation before the final answer',
      },
    };
  }
  const context = parseTranscript(chosen.slice(0, cut));
  return {
    chosen: { context, answer: chosen.slice(cut + ASSISTANT.length).trim() },
    rejected: { context, answer: rejected.slice(cut + ASSISTANT.length).trim() },
  };
}

function parseTranscript(text: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const marker = /\n\n(Human|Assistant):/g;
  let role: ChatMessage['role'] | null = null;
  let start = 0;
  const push = (end: number) => {
    const content = text.slice(start, end).trim();
    if (role) messages.push({ role, content });
    else if (content) messages.push({ role: 'system', content }); // text before the first turn
  };
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    push(match.index);
    role = match[1] === 'Human' ? 'user' : 'assistant';
    start = match.index + match[0].length;
  }
  push(text.length);
  return messages;
}
