import type { ItemFeedback } from '../../../../shared/training/score';
import { pairwiseRows, rankRows, tauHeld, tauWords, type ReferenceWords } from '../../logic/trainingFeedback';

type Judgement = ItemFeedback['judgement'];

/** ✓ / ✕ beside a fact, with the word for screen readers (never colour alone). */
export function Mark({ ok }: { ok: boolean }) {
  return (
    <span className={`mark ${ok ? 'mark-ok' : 'mark-miss'}`}>
      <span aria-hidden="true">{ok ? '✓' : '✕'}</span>
      <span className="sr-only">{ok ? 'Right: ' : 'Wrong: '}</span>
    </span>
  );
}

function RankingFeedback({
  result,
  order,
  words: ref,
}: {
  result: Extract<Judgement, { kind: 'ranking' }>;
  order: readonly string[];
  words: ReferenceWords;
}) {
  const rows = rankRows(result, order);
  return (
    <>
      <table className="feedback-table" data-testid="feedback-ranking">
        <caption className="sr-only">Your ranking beside {ref.the}’s, by rank</caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">You</th>
            <th scope="col">{ref.column}</th>
            <th scope="col">
              <span className="sr-only">Same</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.rank} className={row.same ? undefined : 'differs'}>
              <th scope="row">{row.rank}</th>
              <td>{row.yours.join(' = ') || '–'}</td>
              <td>{row.key.join(' = ') || '–'}</td>
              <td>
                <Mark ok={row.same} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="feedback-facts">
        {result.topMatches !== null && (
          <li>
            <Mark ok={result.topMatches} />
            {result.topMatches
              ? `Your best response is ${ref.the}’s`
              : `Your best response is not ${ref.the}’s`}
          </li>
        )}
        <li>
          <Mark ok={tauHeld(result)} />
          Kendall tau {tauWords(result.tau)}, needs {result.minTau.toFixed(2)} or more
        </li>
      </ul>
    </>
  );
}

function PairwiseFeedback({
  result,
  order,
  words: ref,
}: {
  result: Extract<Judgement, { kind: 'pairwise' }>;
  order: readonly string[];
  words: ReferenceWords;
}) {
  const words = pairwiseRows(result, order);
  return (
    <>
      <dl className="feedback-compare" data-testid="feedback-pairwise">
        <div>
          <dt>You</dt>
          <dd>{words.yours}</dd>
        </div>
        <div>
          <dt>{ref.column}</dt>
          <dd>{words.key}</dd>
        </div>
        {words.band.length > 0 && (
          <div>
            <dt>Accepted strength</dt>
            <dd>{words.band.join(', ')}</dd>
          </div>
        )}
      </dl>
      <ul className="feedback-facts">
        <li>
          <Mark ok={result.directionCorrect} />
          {result.directionCorrect
            ? 'You preferred the same response'
            : `${ref.the.charAt(0).toUpperCase()}${ref.the.slice(1)} prefers another answer`}
        </li>
        {result.strengthInBand !== null && result.directionCorrect && (
          <li>
            <Mark ok={result.strengthInBand} />
            {result.strengthInBand
              ? 'Strength within the accepted band'
              : 'Strength outside the accepted band'}
          </li>
        )}
      </ul>
    </>
  );
}

/** The trainee's ranking or choice beside the key's (or the reviewer's), in the letters they saw. */
export function JudgementFeedback({
  judgement,
  order,
  words,
}: {
  judgement: Judgement;
  order: readonly string[];
  words: ReferenceWords;
}) {
  return (
    <section className="feedback-part" aria-labelledby="feedback-judgement">
      <h3 id="feedback-judgement">
        {judgement.kind === 'ranking' ? 'Ranking' : 'Preference'}
        <span className="muted">
          : {judgement.correct ? 'right' : judgement.score > 0 ? 'partly right' : 'wrong'}
        </span>
      </h3>
      {judgement.kind === 'ranking' ? (
        <RankingFeedback result={judgement} order={order} words={words} />
      ) : (
        <PairwiseFeedback result={judgement} order={order} words={words} />
      )}
    </section>
  );
}
