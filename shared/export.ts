import type { Label, PreferenceStrength } from './label';
import type { ChatMessage, Prompt, Task } from './task';

/**
 * Training-data rows from stored labels (docs/exports.md). Pure: the server streams
 * tasks and labels through these one at a time. Rows of one label share nested objects
 * (the prompt messages) with each other and with the task: treat them as read-only.
 */

/** What the server knows about a label beyond the label itself. */
export interface LabelReceipt {
  /** the reviewer's username */
  reviewer: string;
  projectId: string;
  /** when the server first accepted the label */
  receivedAt: string;
  /** accepted on a lease that had been lost or had expired; kept, marked for a lead */
  flagged: string | null;
  /** a lead's ruling on an escalation (docs/lead-workspace.md), not a reviewer's own label */
  ruling?: boolean;
}

export interface TrlOptions {
  /** conversational format: prompt and answers as message lists */
  messages: boolean;
  /** add a numeric `margin` column (see strengthMargin and rankingToPairs) */
  margin: boolean;
}

/** [better response id, worse response id, rank gap] */
export type RankedPair = [better: string, worse: string, gap: number];

/**
 * Every strictly ordered pair of a ranking (rank 1 = best): K distinct ranks give K(K-1)/2
 * pairs; responses sharing a rank form no pair. Order: by the better response's rank, then
 * the worse one's, ties broken by the ranking's key order, so output is deterministic.
 */
export function rankingToPairs(ranks: Readonly<Record<string, number>>): RankedPair[] {
  const sorted = Object.entries(ranks)
    .map(([id, rank], index) => ({ id, rank, index }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index);
  const pairs: RankedPair[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const better = sorted[i]!;
      const worse = sorted[j]!;
      if (better.rank < worse.rank) pairs.push([better.id, worse.id, worse.rank - better.rank]);
    }
  }
  return pairs;
}

/**
 * Pairwise strength as a reward-model margin: significantly 3, better 2, slightly 1,
 * negligibly 0.5, unsure 0. A missing strength counts as unsure (no confidence recorded).
 */
export const STRENGTH_MARGIN: Record<PreferenceStrength, number> = {
  significantly: 3,
  better: 2,
  slightly: 1,
  negligibly: 0.5,
  unsure: 0,
};

export function strengthMargin(strength: PreferenceStrength | null): number {
  return strength === null ? 0 : STRENGTH_MARGIN[strength];
}

/** One preference the label expresses: response ids and its margin. */
export interface Preference {
  chosen: string;
  rejected: string;
  margin: number;
}

/**
 * All preferences of a label: a ranking gives every strictly ordered pair (margin = rank
 * gap); a pairwise choice gives one (margin from strength); a tie gives none.
 */
export function labelPreferences(task: Task, label: Label): Preference[] {
  if (label.ranks) {
    return rankingToPairs(label.ranks).map(([chosen, rejected, gap]) => ({ chosen, rejected, margin: gap }));
  }
  const pairwise = label.pairwise;
  if (!pairwise || pairwise.preferredResponseId === null) return [];
  const other = task.responses.find((r) => r.id !== pairwise.preferredResponseId);
  if (!other) throw new Error(`label ${label.id}: task ${task.id} has no second response`);
  return [
    {
      chosen: pairwise.preferredResponseId,
      rejected: other.id,
      margin: strengthMargin(pairwise.strength),
    },
  ];
}

function responseText(task: Task, label: Label, responseId: string): string {
  const response = task.responses.find((r) => r.id === responseId);
  if (!response) throw new Error(`label ${label.id}: task ${task.id} has no response "${responseId}"`);
  return response.text;
}

export function promptMessages(prompt: Prompt): ChatMessage[] {
  return typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
}

const SPEAKER: Record<ChatMessage['role'], string> = {
  system: 'System',
  user: 'Human',
  assistant: 'Assistant',
};

/**
 * A chat prompt as one string, the hh-rlhf way: `\n\nHuman: …\n\nAssistant: …` turns ending
 * in `\n\nAssistant:`; answers then start with a space, so prompt + chosen is the transcript.
 * A string prompt is kept as it is and its answers unchanged.
 */
export function flattenPrompt(prompt: Prompt): string {
  if (typeof prompt === 'string') return prompt;
  return prompt.map((m) => `\n\n${SPEAKER[m.role]}: ${m.content}`).join('') + '\n\nAssistant:';
}

export type TrlRow =
  | { prompt: string; chosen: string; rejected: string; margin?: number }
  | {
      prompt: ChatMessage[];
      chosen: [{ role: 'assistant'; content: string }];
      rejected: [{ role: 'assistant'; content: string }];
      margin?: number;
    };

/** TRL preference rows (standard, or conversational with `messages`), one per strict preference. */
export function toTrlRows(task: Task, label: Label, options: TrlOptions): TrlRow[] {
  const messages = options.messages ? promptMessages(task.prompt) : [];
  const flat = options.messages ? '' : flattenPrompt(task.prompt);
  return labelPreferences(task, label).map(({ chosen, rejected, margin }) => {
    const chosenText = responseText(task, label, chosen);
    const rejectedText = responseText(task, label, rejected);
    const extra = options.margin ? { margin } : {};
    if (options.messages) {
      return {
        prompt: messages,
        chosen: [{ role: 'assistant', content: chosenText }],
        rejected: [{ role: 'assistant', content: rejectedText }],
        ...extra,
      };
    }
    const lead = typeof task.prompt === 'string' ? '' : ' ';
    return {
      prompt: flat,
      chosen: lead + chosenText,
      rejected: lead + rejectedText,
      ...extra,
    };
  });
}

export interface OpenAiRow {
  input: { messages: ChatMessage[] };
  preferred_output: [{ role: 'assistant'; content: string }];
  non_preferred_output: [{ role: 'assistant'; content: string }];
}

/** OpenAI preference fine-tuning (DPO) rows, one per strict preference. */
export function toOpenAiRows(task: Task, label: Label): OpenAiRow[] {
  const input = { messages: promptMessages(task.prompt) };
  return labelPreferences(task, label).map(({ chosen, rejected }) => ({
    input,
    preferred_output: [{ role: 'assistant', content: responseText(task, label, chosen) }],
    non_preferred_output: [{ role: 'assistant', content: responseText(task, label, rejected) }],
  }));
}

export interface RawRow {
  labelId: string;
  projectId: string;
  taskId: string;
  kind: Task['kind'];
  prompt: Prompt;
  responses: Task['responses'];
  reviewer: string;
  deviceId: string;
  /** ranking: response id -> rank (ties share a rank) and the same as tiers, best first */
  ranking: { ranks: Record<string, number>; tiers: string[][] } | null;
  pairwise: {
    preferredResponseId: string | null;
    choice: 'A' | 'B' | 'tie';
    strength: PreferenceStrength | null;
    margin: number;
  } | null;
  /** response id -> its tags with severity */
  tags: Record<string, { tagId: string; severity: string }[]>;
  rationale: Label['rationale'];
  activeMs: number;
  guidelineVersion: string | null;
  taxonomyVersion: string | null;
  presentedOrder: string[];
  orderSeed: string;
  acknowledgedWarnings: string[];
  revision: number;
  createdAt: string;
  updatedAt: string;
  receivedAt: string;
  flagged: string | null;
  /** true: a lead's ruling on an escalation, attributed to the lead (`reviewer`) */
  ruling: boolean;
  taskMeta: Record<string, unknown> | null;
}

/** Every field of a label, with the task's prompt and responses so a row stands on its own. */
export function toRawRow(task: Task, label: Label, receipt: LabelReceipt): RawRow {
  const tags: RawRow['tags'] = Object.fromEntries(task.responses.map((r) => [r.id, []]));
  for (const tag of label.tags) {
    (tags[tag.responseId] ??= []).push({ tagId: tag.tagId, severity: tag.severity });
  }
  return {
    labelId: label.id,
    projectId: receipt.projectId,
    taskId: label.taskId,
    kind: label.kind,
    prompt: task.prompt,
    responses: task.responses,
    reviewer: receipt.reviewer,
    deviceId: label.deviceId,
    ranking: label.ranks ? { ranks: label.ranks, tiers: rankTiers(label.ranks) } : null,
    pairwise: label.pairwise
      ? {
          ...label.pairwise,
          margin: label.pairwise.choice === 'tie' ? 0 : strengthMargin(label.pairwise.strength),
        }
      : null,
    tags,
    rationale: label.rationale,
    activeMs: label.activeMs,
    guidelineVersion: label.guidelineVersion,
    taxonomyVersion: label.taxonomyVersion,
    presentedOrder: label.presentedOrder,
    orderSeed: label.orderSeed,
    acknowledgedWarnings: label.acknowledgedWarnings,
    revision: label.revision,
    createdAt: label.createdAt,
    updatedAt: label.updatedAt,
    receivedAt: receipt.receivedAt,
    flagged: receipt.flagged,
    ruling: receipt.ruling ?? false,
    taskMeta: task.meta ?? null,
  };
}

/** Ranks as tiers, best first: {a:1, b:2, c:1} -> [[a, c], [b]]. */
export function rankTiers(ranks: Readonly<Record<string, number>>): string[][] {
  const byRank = new Map<number, string[]>();
  for (const [id, rank] of Object.entries(ranks)) {
    const tier = byRank.get(rank);
    if (tier) tier.push(id);
    else byRank.set(rank, [id]);
  }
  return [...byRank.entries()].sort((a, b) => a[0] - b[0]).map(([, ids]) => ids);
}
