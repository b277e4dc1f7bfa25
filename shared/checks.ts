import type { CheckLevel, CheckPolicy } from './check-policy';
import type { CheckId, WorkState } from './label';
import type { RationaleRule, RationaleTemplate } from './rationale';
import type { Task } from './task';

// the submit checks: plain logic without zod, run by the renderer before a submit and by the
// services at it (the policy's schema is in check-policy.ts)
export type { CheckLevel, CheckPolicy } from './check-policy';

export interface CheckResult {
  id: CheckId;
  level: 'block' | 'warn';
  message: string;
}

export interface CheckInput {
  task: Task;
  work: WorkState;
  presentedOrder: readonly string[];
  template: RationaleTemplate;
  policy: CheckPolicy;
}

/** Ids of the best-ranked (or preferred) responses; empty when there is none (tie or incomplete). */
export function topResponseIds(task: Task, work: WorkState, presentedOrder: readonly string[]): string[] {
  if (task.kind === 'pairwise') {
    const { choice } = work.pairwise;
    if (choice === 'A') return [presentedOrder[0]!];
    if (choice === 'B') return [presentedOrder[1]!];
    return [];
  }
  const ranks = Object.values(work.ranks);
  if (ranks.length === 0) return [];
  const best = Math.min(...ranks);
  return Object.entries(work.ranks)
    .filter(([, r]) => r === best)
    .map(([id]) => id);
}

function hasTie(task: Task, work: WorkState): boolean {
  if (task.kind === 'pairwise') return work.pairwise.choice === 'tie';
  const ranks = Object.values(work.ranks);
  return new Set(ranks).size !== ranks.length;
}

export function rationaleRequired(task: Task, work: WorkState, template: RationaleTemplate): RationaleRule[] {
  const triggered = template.requiredWhen.filter((rule) => {
    switch (rule) {
      case 'always':
        return true;
      case 'criticalTag':
        return work.tags.some((t) => t.severity === 'critical');
      case 'anyTag':
        return work.tags.length > 0;
      case 'strongPreference':
        return task.kind === 'pairwise' && work.pairwise.strength === 'significantly';
      case 'tie':
        return hasTie(task, work);
    }
  });
  return triggered;
}

const RULE_REASON: Record<RationaleRule, string> = {
  always: 'this project always asks for one',
  criticalTag: 'a response carries a critical tag',
  anyTag: 'a failure tag was applied',
  strongPreference: 'the preference is "significantly better"',
  tie: 'the judgement contains a tie',
};

/** Missing or too-short rationale fields, with the reason. */
export function rationaleProblems(work: WorkState, template: RationaleTemplate): string[] {
  const problems: string[] = [];
  for (const field of template.fields) {
    if (field.optional) continue;
    const text = (work.rationale[field.id] ?? '').trim();
    const min = Math.max(1, field.minLength);
    if (text.length < min) {
      problems.push(
        text.length === 0
          ? `"${field.label}" is empty`
          : `"${field.label}" needs at least ${min} characters (has ${text.length})`,
      );
    }
  }
  return problems;
}

/** Runs every submit check. Pure: the renderer runs it for feedback, services again before storing. */
export function runChecks({ task, work, presentedOrder, template, policy }: CheckInput): CheckResult[] {
  const results: CheckResult[] = [];
  const add = (id: CheckId, level: CheckLevel, message: string) => {
    if (level !== 'off') results.push({ id, level, message });
  };

  if (task.kind === 'ranking') {
    const unranked = task.responses.filter((r) => work.ranks[r.id] === undefined).length;
    if (unranked > 0)
      add('incomplete', 'block', `${unranked} response${unranked > 1 ? 's are' : ' is'} not ranked yet`);
    const extra = Object.keys(work.ranks).filter((id) => !task.responses.some((r) => r.id === id));
    if (extra.length > 0) add('incomplete', 'block', `ranking names unknown responses: ${extra.join(', ')}`);
    if (task.allowTies === false && hasTie(task, work))
      add('tiesNotAllowed', 'block', 'this task does not allow ties');
    if (unranked === 0 && !work.rankingTouched) {
      add(
        'untouchedOrder',
        policy.untouchedOrder,
        'the ranking was left in the presented order without changes',
      );
    }
  } else {
    if (work.pairwise.choice === null) add('incomplete', 'block', 'choose A, B or tie');
    else if (work.pairwise.choice !== 'tie' && work.pairwise.strength === null) {
      add('incomplete', 'block', 'choose how much better the preferred response is');
    }
  }

  const top = topResponseIds(task, work, presentedOrder);
  const criticalTop = work.tags.filter((t) => t.severity === 'critical' && top.includes(t.responseId));
  if (criticalTop.length > 0) {
    add(
      'topRankedCritical',
      policy.topRankedCritical,
      'the preferred response carries a critical failure tag',
    );
  }

  const required = rationaleRequired(task, work, template);
  if (required.length > 0) {
    const problems = rationaleProblems(work, template);
    if (problems.length > 0) {
      add(
        'rationaleMissing',
        policy.rationaleMissing,
        `a rationale is required (${required.map((r) => RULE_REASON[r]).join('; ')}): ${problems.join('; ')}`,
      );
    }
  }
  return results;
}

/** Submit may proceed when nothing blocks and every warning was acknowledged. */
export function submitAllowed(results: readonly CheckResult[], acknowledged: readonly CheckId[]): boolean {
  return results.every((r) => r.level === 'warn' && acknowledged.includes(r.id));
}
