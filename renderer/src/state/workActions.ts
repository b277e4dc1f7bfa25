import type { PairwiseChoice, PreferenceStrength, WorkState } from '../../../shared/label';
import type { Severity } from '../../../shared/taxonomy';
import { moveTo, setRank, tieWith } from '../logic/ranking';
import { isReadOnly } from '../logic/trainingOverview';
import { showNotice, useSession } from './sessionStore';
import { editWork } from './workStore';

/** The reviewer's edits to the open task. Every ranking change marks the ranking as touched. */

/** A locked training answer, or one showing its feedback, is not edited (the controls are disabled too). */
function edit(change: (work: WorkState) => WorkState): void {
  if (isReadOnly(useSession.getState().bundle?.training)) return;
  editWork(change);
}

const presented = () => useSession.getState().bundle?.presentedOrder ?? [];
const tiesAllowed = () => useSession.getState().bundle?.task.allowTies !== false;

export function rankResponse(responseId: string, rank: number): void {
  const order = presented();
  if (rank < 1 || rank > order.length) return;
  edit((w) => ({ ...w, ranks: setRank(w.ranks, order, responseId, rank), rankingTouched: true }));
}

export function tieResponse(responseId: string, rank: number): void {
  const order = presented();
  if (!tiesAllowed()) {
    showNotice({ kind: 'info', text: 'This task does not allow ties: give each response its own rank.' });
    return;
  }
  if (rank < 1 || rank > order.length) return;
  edit((w) => ({ ...w, ranks: tieWith(w.ranks, order, responseId, rank), rankingTouched: true }));
}

export function moveInRankList(responseId: string, index: number): void {
  const order = presented();
  edit((w) => ({
    ...w,
    ranks: moveTo(w.ranks, order, responseId, index, tiesAllowed()),
    rankingTouched: true,
  }));
}

export function choosePairwise(choice: PairwiseChoice): void {
  edit((w) => ({
    ...w,
    // a tie has no strength; keep the strength when switching between A and B
    pairwise: { choice, strength: choice === 'tie' ? null : w.pairwise.strength },
  }));
}

export function chooseStrength(strength: PreferenceStrength): void {
  edit((w) => (w.pairwise.choice === 'tie' ? w : { ...w, pairwise: { ...w.pairwise, strength } }));
}

export const DEFAULT_SEVERITY: Severity = 'major';

export function toggleTag(responseId: string, tagId: string): void {
  edit((w) => {
    const has = w.tags.some((t) => t.responseId === responseId && t.tagId === tagId);
    return {
      ...w,
      tags: has
        ? w.tags.filter((t) => !(t.responseId === responseId && t.tagId === tagId))
        : [...w.tags, { responseId, tagId, severity: DEFAULT_SEVERITY }],
    };
  });
}

/** Sets the severity, applying the tag if it was not applied yet. */
export function setTagSeverity(responseId: string, tagId: string, severity: Severity): void {
  edit((w) => {
    const has = w.tags.some((t) => t.responseId === responseId && t.tagId === tagId);
    return {
      ...w,
      tags: has
        ? w.tags.map((t) => (t.responseId === responseId && t.tagId === tagId ? { ...t, severity } : t))
        : [...w.tags, { responseId, tagId, severity }],
    };
  });
}

export function removeTag(responseId: string, tagId: string): void {
  edit((w) => ({
    ...w,
    tags: w.tags.filter((t) => !(t.responseId === responseId && t.tagId === tagId)),
  }));
}

export function setRationale(fieldId: string, text: string): void {
  edit((w) => ({ ...w, rationale: { ...w.rationale, [fieldId]: text } }));
}
