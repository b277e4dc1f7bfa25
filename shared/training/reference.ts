import type { Label, PreferenceStrength } from '../label';
import type { AnswerKey, TagExpectation } from './key';

/**
 * Shadowing (docs/training.md, "Shadowing"): a certified reviewer's production label turned into an
 * answer key, so a trainee's answer is set beside it with the same scoring and the same feedback
 * screen as a sandbox item. What the reviewer did becomes what the key expects:
 *
 * - ranking: their ranks; their rank-1 responses must match; tau-b >= the default 0.6;
 * - pairwise: their preferred response (or tie) and a strength band of their strength and its
 *   neighbours (one step either way: two careful people rarely name the same step);
 * - tags: each tag they gave is required at the severity they gave it; nothing is forbidden (a tag
 *   they did not give is shown as "not mentioned", not counted wrong);
 * - explanation: their rationale, field by field.
 */

/** Strengths in order of conviction; `unsure` stands apart (it says nothing about the step). */
const STEPS: readonly PreferenceStrength[] = ['significantly', 'better', 'slightly', 'negligibly'];

/** The reviewer's strength and the steps next to it; anything firm when they gave none or `unsure`. */
export function strengthBand(strength: PreferenceStrength | null): PreferenceStrength[] {
  const at = strength === null ? -1 : STEPS.indexOf(strength);
  if (at < 0) return ['significantly', 'better', 'slightly'];
  return STEPS.slice(Math.max(0, at - 1), at + 2);
}

/** The rationale as Markdown: each field's text under its label (the template's, else its id). */
export function rationaleText(
  label: Pick<Label, 'rationale'>,
  fieldLabels: Readonly<Record<string, string>> = {},
): string {
  const fields = Object.entries(label.rationale?.fields ?? {}).filter(([, text]) => text.trim() !== '');
  if (!fields.length) return 'The reviewer wrote no rationale for this task.';
  return fields.map(([id, text]) => `**${fieldLabels[id] ?? id}:** ${text.trim()}`).join('\n\n');
}

/** A certified reviewer's label as the key a shadowing trainee's answer is scored against. */
export function referenceKey(
  label: Pick<Label, 'kind' | 'ranks' | 'pairwise' | 'tags' | 'rationale'>,
  fieldLabels: Readonly<Record<string, string>> = {},
): AnswerKey {
  const tags: TagExpectation[] = label.tags.map((t) => ({
    responseId: t.responseId,
    tagId: t.tagId,
    expect: 'required',
    minSeverity: t.severity,
  }));
  const common = { tags, explanation: rationaleText(label, fieldLabels), responseNotes: {} };
  if (label.kind === 'ranking')
    return { kind: 'ranking', ranks: { ...(label.ranks ?? {}) }, topMustMatch: true, minTau: 0.6, ...common };
  const preferred = label.pairwise?.preferredResponseId ?? null;
  return {
    kind: 'pairwise',
    preferred,
    strengths: strengthBand(label.pairwise?.strength ?? null),
    ...common,
  };
}
