import { type PairwiseChoice, type PreferenceStrength, STRENGTH_LABELS } from '../../../../shared/preference';
import { keyHint } from '../../shortcuts/table';
import { useReadOnly } from '../../state/readOnly';
import { chooseStrength, choosePairwise } from '../../state/workActions';
import { useWork } from '../../state/workStore';

const CHOICES: { value: PairwiseChoice; label: string; key: 'pickA' | 'pickTie' | 'pickB' }[] = [
  { value: 'A', label: 'A is better', key: 'pickA' },
  { value: 'B', label: 'B is better', key: 'pickB' },
  { value: 'tie', label: 'Tie: equally good', key: 'pickTie' },
];
const STRENGTHS = Object.keys(STRENGTH_LABELS) as PreferenceStrength[];

/** A / tie / B, then how much better, as two native radio groups (arrow keys work inside each). */
export function PairwiseControls() {
  const { choice, strength } = useWork((s) => s.work.pairwise);
  const strengthOff = choice === 'tie';
  const readOnly = useReadOnly();
  return (
    <div className="pairwise">
      <fieldset className="choice-group" disabled={readOnly}>
        <legend>Which response is better?</legend>
        <div className="segmented">
          {CHOICES.map((c) => (
            <label key={c.value} className={`segment${choice === c.value ? ' is-checked' : ''}`}>
              <input
                type="radio"
                name="pairwise-choice"
                value={c.value}
                checked={choice === c.value}
                onChange={() => choosePairwise(c.value)}
              />
              <span>{c.label}</span> <kbd>{keyHint(c.key)}</kbd>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="strength-group" disabled={strengthOff || readOnly}>
        <legend>
          How much better{choice === 'A' || choice === 'B' ? ` is ${choice}` : ''}?
          {strengthOff && <span className="muted"> (not needed for a tie)</span>}
        </legend>
        {STRENGTHS.map((s, i) => (
          <label key={s} className={`strength${strength === s ? ' is-checked' : ''}`}>
            <input
              type="radio"
              name="pairwise-strength"
              value={s}
              checked={strength === s}
              onChange={() => chooseStrength(s)}
            />
            <span>{STRENGTH_LABELS[s]}</span> <kbd>{i + 1}</kbd>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
