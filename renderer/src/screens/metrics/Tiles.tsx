import type { Figures } from '../../../../shared/metrics/report';
import { biasWords, coefficientWords, duration, interval, pct, proportion } from '../../logic/metricsFormat';

/** One figure: its name, the number, and what it rests on. */
export function Tile({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: string;
  detail?: string;
  testId?: string;
}) {
  return (
    <div className="tile" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        <span className="tile-value">{value}</span>
        {detail && <span className="tile-detail">{detail}</span>}
      </dd>
    </div>
  );
}

/**
 * The scope's headline figures. Raw agreement always stands beside the chance-corrected
 * coefficient, with n and the interval: kappa alone misleads when one answer dominates.
 */
export function FigureTiles({ figures }: { figures: Figures }) {
  const { agreement, positionBias, activeTime } = figures;
  return (
    <dl className="tiles" data-testid="figure-tiles">
      <Tile
        label="Labels"
        value={String(figures.labels)}
        detail={`${figures.tasks} tasks · ${figures.reviewers} reviewers · ${figures.overlapTasks} overlap`}
        testId="tile-labels"
      />
      <Tile
        label="Agreement (raw)"
        value={pct(agreement.pairwisePercent.observed)}
        detail={`${coefficientWords(agreement.alpha, 'α')} · n ${agreement.pairwisePercent.n.items} items${
          agreement.pairwisePercent.ci95 ? ` · 95% ${interval(agreement.pairwisePercent.ci95)}` : ''
        }`}
        testId="tile-agreement"
      />
      <Tile
        label="Kendall's W"
        value={agreement.kendallW.value === null ? '–' : agreement.kendallW.value.toFixed(2)}
        detail={`${agreement.kendallW.n.items} ranking tasks`}
        testId="tile-kendall"
      />
      <Tile
        label="Gold accuracy"
        value={figures.gold ? pct(figures.gold.share) : '–'}
        detail={figures.gold ? proportion(figures.gold) : (figures.missing.gold ?? 'no gold tasks')}
        testId="tile-gold"
      />
      <Tile
        label="QA agreement"
        value={figures.qa ? pct(figures.qa.tasks.share) : '–'}
        detail={figures.qa ? proportion(figures.qa.tasks) : (figures.missing.qa ?? 'no QA re-ratings')}
        testId="tile-qa"
      />
      <Tile
        label="Time per task"
        value={duration(activeTime.medianMs)}
        detail={`median · p90 ${duration(activeTime.p90Ms)} · n ${activeTime.n}`}
        testId="tile-time"
      />
      <Tile
        label="Escalated"
        value={pct(figures.escalation.share, 1)}
        detail={proportion(figures.escalation)}
        testId="tile-escalation"
      />
      <Tile
        label="Skipped"
        value={pct(figures.skip.share, 1)}
        detail={proportion(figures.skip)}
        testId="tile-skip"
      />
      <Tile
        label="Position bias"
        value={pct(positionBias.pairwiseFirst.share)}
        detail={`first shown chosen · ${biasWords(positionBias.pairwiseFirst.share)} · n ${positionBias.pairwiseFirst.total}`}
        testId="tile-bias"
      />
    </dl>
  );
}
