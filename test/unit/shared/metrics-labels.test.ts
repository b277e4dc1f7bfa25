import { describe, expect, it } from 'vitest';
import type { Label, TagAssignment } from '../../../shared/label';
import { PositionBias } from '../../../shared/metrics/position-bias';
import {
  preferenceAgreement,
  preferencesFromRanks,
  preferencesOfLabel,
} from '../../../shared/metrics/preferences';
import { qaAgreement } from '../../../shared/metrics/rates';
import { TagPresence } from '../../../shared/metrics/tags';

type Judged = Pick<
  Label,
  'taskId' | 'reviewerId' | 'kind' | 'ranks' | 'pairwise' | 'presentedOrder' | 'tags'
>;

const ranking = (
  taskId: string,
  reviewerId: string,
  ranks: Record<string, number>,
  tags: TagAssignment[] = [],
) =>
  ({
    taskId,
    reviewerId,
    kind: 'ranking',
    ranks,
    pairwise: null,
    presentedOrder: Object.keys(ranks),
    tags,
  }) satisfies Judged;

const pairwise = (taskId: string, reviewerId: string, shown: [string, string], preferred: string | null) =>
  ({
    taskId,
    reviewerId,
    kind: 'pairwise',
    ranks: null,
    pairwise: {
      preferredResponseId: preferred,
      choice: preferred === null ? 'tie' : preferred === shown[0] ? 'A' : 'B',
      strength: preferred === null ? null : 'better',
    },
    presentedOrder: shown,
    tags: [],
  }) satisfies Judged;

describe('preferences implied by labels', () => {
  it('a ranking implies every pair, ties included', () => {
    expect(preferencesFromRanks({ r2: 1, r1: 2, r3: 2 })).toEqual([
      { a: 'r1', b: 'r2', outcome: 'b' },
      { a: 'r1', b: 'r3', outcome: 'tie' },
      { a: 'r2', b: 'r3', outcome: 'a' },
    ]);
  });

  it('a pairwise label states one pair, whatever order it was shown in', () => {
    expect(preferencesOfLabel(pairwise('t', 'u', ['b', 'a'], 'b'))).toEqual([
      { a: 'a', b: 'b', outcome: 'b' },
    ]);
    expect(preferencesOfLabel(pairwise('t', 'u', ['b', 'a'], null))).toEqual([
      { a: 'a', b: 'b', outcome: 'tie' },
    ]);
  });

  it('agreement on the implied pairs across reviewers', () => {
    // task t1: u1 and u2 rank r1 > r2 > r3 alike; u3 swaps r2 and r3.
    // pairs (r1,r2): a,a,a; (r1,r3): a,a,a; (r2,r3): a,a,b -> shares 1, 1, 1/3: mean 7/9
    const agreement = preferenceAgreement(
      [
        ranking('t1', 'u1', { r1: 1, r2: 2, r3: 3 }),
        ranking('t1', 'u2', { r1: 1, r2: 2, r3: 3 }),
        ranking('t1', 'u3', { r1: 1, r2: 3, r3: 2 }),
        pairwise('t2', 'u1', ['x', 'y'], 'y'),
        pairwise('t2', 'u2', ['y', 'x'], 'y'),
      ],
      { bootstrap: false },
    );
    // (x,y) item: both "b": share 1 -> mean over 4 pairs = (1 + 1 + 1/3 + 1) / 4
    expect(agreement.percent.value).toBeCloseTo((3 + 1 / 3) / 4, 12);
    expect(agreement.percent.n).toEqual({ items: 4, raters: 3, pairable: 11 });
    expect(agreement.alpha.n.pairable).toBe(11);
    // Krippendorff's raw agreement: exact-match pairs / (m - 1) per item: 3 + 3 + 1 + 2 of 11 values
    expect(agreement.alpha.observed).toBeCloseTo(9 / 11, 12);
  });
});

describe('TagPresence', () => {
  it('per tag: present or absent on each response, by each reviewer of the task', () => {
    const tags = new TagPresence();
    const tag = (responseId: string, tagId: string): TagAssignment => ({
      responseId,
      tagId,
      severity: 'major',
    });
    tags.add(ranking('t1', 'u1', { r1: 1, r2: 2 }, [tag('r1', 'halluc'), tag('r2', 'verbose')]));
    tags.add(ranking('t1', 'u2', { r1: 1, r2: 2 }, [tag('r1', 'halluc')]));
    tags.add(ranking('t2', 'u1', { r1: 1, r2: 2 }, []));
    tags.add(ranking('t2', 'u2', { r1: 2, r2: 1 }, [tag('r2', 'halluc'), tag('r2', 'halluc')]));
    const [halluc, verbose] = tags.result(undefined, { bootstrap: false });
    // halluc: t1/r1 both present, t1/r2 both absent, t2/r1 both absent, t2/r2 split -> 3 of 4 items agree
    expect(halluc).toMatchObject({ tagId: 'halluc', prevalence: 3 / 8 });
    expect(halluc!.percent.value).toBeCloseTo(3 / 4, 12);
    expect(halluc!.alpha.n).toEqual({ items: 4, raters: 2, pairable: 8 });
    expect(verbose).toMatchObject({ tagId: 'verbose', prevalence: 1 / 8 });
    expect(verbose!.percent.value).toBeCloseTo(3 / 4, 12);
    // a taxonomy tag nobody used: everyone agrees it is absent, alpha undefined (no variation)
    const [unused] = tags.result(['refusal']);
    expect(unused!.percent.value).toBe(1);
    expect(unused!.alpha.value).toBeNull();
  });
});

describe('PositionBias', () => {
  it('pairwise: share of decided choices for the response shown first, with a Wilson interval', () => {
    const bias = new PositionBias();
    bias.add(pairwise('t1', 'u', ['a', 'b'], 'a'));
    bias.add(pairwise('t2', 'u', ['b', 'a'], 'b'));
    bias.add(pairwise('t3', 'u', ['a', 'b'], 'b'));
    bias.add(pairwise('t4', 'u', ['a', 'b'], null));
    const result = bias.pairwise();
    expect(result).toMatchObject({ firstShown: 2, decided: 3, ties: 1, share: 2 / 3 });
    expect(result.ci95![0]).toBeLessThan(2 / 3);
  });

  it('ranking: mean rank by shown position beside the unbiased expectation', () => {
    const bias = new PositionBias();
    bias.add({ ...ranking('t1', 'u', { a: 1, b: 2, c: 3 }), presentedOrder: ['a', 'b', 'c'] });
    bias.add({ ...ranking('t2', 'u', { a: 1, b: 1, c: 2 }), presentedOrder: ['c', 'a', 'b'] });
    expect(bias.ranking()).toEqual([
      { position: 1, n: 2, meanRank: 1.5, expectedMeanRank: (2 + 4 / 3) / 2 },
      { position: 2, n: 2, meanRank: 1.5, expectedMeanRank: (2 + 4 / 3) / 2 },
      { position: 3, n: 2, meanRank: 2, expectedMeanRank: (2 + 4 / 3) / 2 },
    ]);
  });
});

describe('qaAgreement', () => {
  it('tasks judged the same, implied pairs shared, and mean tau-b with the re-rater', () => {
    const result = qaAgreement([
      {
        original: ranking('t1', 'u', { r1: 1, r2: 2, r3: 3 }),
        rerate: ranking('t1', 'qa', { r1: 1, r2: 2, r3: 3 }),
      },
      {
        original: ranking('t2', 'u', { r1: 1, r2: 2, r3: 3 }),
        rerate: ranking('t2', 'qa', { r1: 1, r2: 3, r3: 2 }),
      },
      { original: pairwise('t3', 'u', ['a', 'b'], 'a'), rerate: pairwise('t3', 'qa', ['b', 'a'], 'b') },
    ]);
    expect(result.tasks).toMatchObject({ successes: 1, total: 3 });
    expect(result.pairs).toMatchObject({ successes: 5, total: 7 });
    // tau-b: 1 and (2 - 1) / 3
    expect(result.meanTauB).toBeCloseTo((1 + 1 / 3) / 2, 12);
  });
});
