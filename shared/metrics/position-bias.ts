import type { Label } from '../label';
import { wilsonInterval } from './wilson';

export type ShownLabel = Pick<Label, 'kind' | 'ranks' | 'pairwise' | 'presentedOrder'>;

export interface PairwisePositionBias {
  /** decided choices (not ties) for the response shown first */
  firstShown: number;
  /** decided choices (ties are left out: they favour neither position) */
  decided: number;
  ties: number;
  /** firstShown / decided; 0.5 means no position bias. Null with no decided choice */
  share: number | null;
  ci95: [number, number] | null;
}

export interface RankPosition {
  /** 1 = shown first */
  position: number;
  /** rankings that had a response in this position */
  n: number;
  meanRank: number;
  /** the mean rank with no position bias: mean over the same rankings of their mean rank */
  expectedMeanRank: number;
}

/**
 * What one label adds to position bias, as short text: pairwise 'F' (the decided choice went to
 * the response shown first), 'S' (decided, not the first shown), 'T' (a tie); ranking the ranks
 * in shown order ('2,1,3', responses shown and ranked only); '' when the label adds nothing (no
 * judgement, fewer than two responses shown or ranked). Ids never appear, so labels of different
 * tasks share codes: label_facts keeps it (server/metrics/label-facts.ts) for counting in the database.
 */
export function positionCode(label: ShownLabel): string {
  if (label.kind === 'pairwise') {
    if (!label.pairwise || label.presentedOrder.length < 2) return '';
    const preferred = label.pairwise.preferredResponseId;
    if (preferred === null) return 'T';
    return preferred === label.presentedOrder[0] ? 'F' : 'S';
  }
  const ranks = label.ranks;
  if (!ranks) return '';
  const shown = label.presentedOrder.filter((id) => id in ranks);
  if (shown.length < 2) return '';
  return shown.map((id) => String(ranks[id])).join(',');
}

/**
 * Position bias from presentedOrder. Pairwise: the share of decided choices that went to the
 * response shown first, with a Wilson 95% interval. Ranking: the mean rank given to the response
 * in each shown position, beside the mean rank expected without bias (a lower mean rank than
 * expected at position 1 means the first shown is favoured). Streams: add labels one by one.
 */
export class PositionBias {
  private firstShown = 0;
  private decided = 0;
  private ties = 0;
  private readonly rankSum: number[] = [];
  private readonly expectedSum: number[] = [];
  private readonly counts: number[] = [];

  add(label: ShownLabel): void {
    this.addCode(positionCode(label), 1);
  }

  /**
   * `times` labels with the same position code (positionCode): the database can count labels by
   * code, so the project metrics add each distinct code once instead of each label.
   */
  addCode(code: string, times: number): void {
    if (code === '' || times <= 0) return;
    if (code === 'T') this.ties += times;
    else if (code === 'F' || code === 'S') {
      this.decided += times;
      if (code === 'F') this.firstShown += times;
    } else {
      const { ranks, mean } = rankingCode(code);
      ranks.forEach((rank, position) => {
        this.rankSum[position] = (this.rankSum[position] ?? 0) + rank * times;
        this.expectedSum[position] = (this.expectedSum[position] ?? 0) + mean * times;
        this.counts[position] = (this.counts[position] ?? 0) + times;
      });
    }
  }

  pairwise(): PairwisePositionBias {
    return {
      firstShown: this.firstShown,
      decided: this.decided,
      ties: this.ties,
      share: this.decided ? this.firstShown / this.decided : null,
      ci95: wilsonInterval(this.firstShown, this.decided),
    };
  }

  ranking(): RankPosition[] {
    return this.counts.map((n, i) => ({
      position: i + 1,
      n,
      meanRank: this.rankSum[i]! / n,
      expectedMeanRank: this.expectedSum[i]! / n,
    }));
  }
}

/** Ranking codes read so far: a report adds the same few dozen codes thousands of times. */
const rankingCodes = new Map<string, { ranks: number[]; mean: number }>();

/** A ranking position code's ranks in shown order and their mean (kept: the answer never changes). */
function rankingCode(code: string): { ranks: number[]; mean: number } {
  let read = rankingCodes.get(code);
  if (!read) {
    const ranks = code.split(',').map(Number);
    read = { ranks, mean: ranks.reduce((sum, rank) => sum + rank, 0) / ranks.length };
    if (rankingCodes.size < 10_000) rankingCodes.set(code, read);
  }
  return read;
}
