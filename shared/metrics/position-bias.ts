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
    if (label.kind === 'pairwise') {
      if (!label.pairwise || label.presentedOrder.length < 2) return;
      const preferred = label.pairwise.preferredResponseId;
      if (preferred === null) this.ties++;
      else {
        this.decided++;
        if (preferred === label.presentedOrder[0]) this.firstShown++;
      }
      return;
    }
    const ranks = label.ranks;
    if (!ranks) return;
    const shown = label.presentedOrder.filter((id) => id in ranks);
    if (shown.length < 2) return;
    const mean = shown.reduce((sum, id) => sum + ranks[id]!, 0) / shown.length;
    shown.forEach((id, position) => {
      this.rankSum[position] = (this.rankSum[position] ?? 0) + ranks[id]!;
      this.expectedSum[position] = (this.expectedSum[position] ?? 0) + mean;
      this.counts[position] = (this.counts[position] ?? 0) + 1;
    });
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
