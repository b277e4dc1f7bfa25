import type { Label } from '../../shared/label';
import { positionCode } from '../../shared/metrics/position-bias';
import { weekStart } from '../../shared/metrics/weeks';
import type { LabelFactsTable } from '../db/schema';
import type { MetricLabel } from './read-labels';

/**
 * label_facts: the few fields of a label the metrics judge, in plain columns, written with the
 * label in the same transaction (docs/metrics.md, "Reading"), so metrics never parse label bodies.
 *
 * Compact text (ids never contain ' ', ',' or '=': shared/task.ts Id):
 * - judgement, ranking: `id=rank,id=rank` in the ranks' key order ('' = {}; NULL = ranks null);
 *   pairwise: `choice,strength,preferredId` ('' for a null strength or a tie; NULL = pairwise null)
 * - presented: presentedOrder joined by ','
 * - tags: `responseId tagId severity` joined by ','
 * - week (the Monday of received_at) and position_code (positionCode): what the metrics count in
 *   the database without reading each label (docs/metrics.md, "Reading")
 */
export type LabelFactRow = LabelFactsTable;

export interface LabelPlace {
  projectId: string;
  taskId: string;
  userId: string;
  receivedAt: string;
}

export function labelFact(label: Label, place: LabelPlace): LabelFactRow {
  return {
    label_id: label.id,
    project_id: place.projectId,
    task_id: place.taskId,
    user_id: place.userId,
    received_at: place.receivedAt,
    revision: label.revision,
    kind: label.kind,
    judgement: encodeJudgement(label),
    presented: label.presentedOrder.join(','),
    tags: label.tags.map((t) => `${t.responseId} ${t.tagId} ${t.severity}`).join(','),
    active_ms: label.activeMs,
    week: weekStart(place.receivedAt),
    position_code: positionCode(label),
  };
}

function encodeJudgement(label: Label): string | null {
  if (label.kind === 'ranking') {
    if (!label.ranks) return null;
    return Object.entries(label.ranks)
      .map(([id, rank]) => `${id}=${rank}`)
      .join(',');
  }
  if (!label.pairwise) return null;
  const p = label.pairwise;
  return `${p.choice},${p.strength ?? ''},${p.preferredResponseId ?? ''}`;
}

/** What the metrics read of a label, rebuilt from its fact row's columns. */
export function decodeFact(
  kind: string,
  judgement: string | null,
  presented: string,
  tags: string,
  activeMs: number,
): MetricLabel {
  let ranks: MetricLabel['ranks'] = null;
  let pairwise: MetricLabel['pairwise'] = null;
  if (kind === 'ranking') {
    if (judgement !== null) {
      ranks = {};
      if (judgement !== '')
        for (const part of judgement.split(',')) {
          const eq = part.indexOf('=');
          ranks[part.slice(0, eq)] = Number(part.slice(eq + 1));
        }
    }
  } else if (judgement !== null) {
    const [choice, strength, preferred] = judgement.split(',') as [string, string, string];
    pairwise = {
      choice: choice as NonNullable<MetricLabel['pairwise']>['choice'],
      strength: strength === '' ? null : (strength as NonNullable<MetricLabel['pairwise']>['strength']),
      preferredResponseId: preferred === '' ? null : preferred,
    };
  }
  return {
    kind: kind as MetricLabel['kind'],
    ranks,
    pairwise,
    presentedOrder: presented === '' ? [] : presented.split(','),
    tags:
      tags === ''
        ? []
        : tags.split(',').map((t) => {
            const [responseId, tagId, severity] = t.split(' ') as [string, string, string];
            return { responseId, tagId, severity: severity as MetricLabel['tags'][number]['severity'] };
          }),
    activeMs,
  };
}
