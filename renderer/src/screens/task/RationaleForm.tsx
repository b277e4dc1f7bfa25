import { useShallow } from 'zustand/react/shallow';
import { rationaleRequired } from '../../../../shared/checks';
import type { TaskBundle } from '../../../../shared/queue';
import type { RationaleRule } from '../../../../shared/rationale';
import { keyHint } from '../../shortcuts/table';
import { useReadOnly } from '../../state/readOnly';
import { useWork } from '../../state/workStore';
import { RationaleField } from './RationaleField';

const WHY: Record<RationaleRule, string> = {
  always: 'this project always asks for one',
  criticalTag: 'a response carries a critical tag',
  anyTag: 'a failure tag was applied',
  strongPreference: 'you chose “significantly better”',
  tie: 'your judgement contains a tie',
};

/** The template's fields; whether a rationale is required is re-evaluated live from the judgement. */
export function RationaleForm({ bundle }: { bundle: TaskBundle }) {
  const { template, task } = bundle;
  const rules = useWork(useShallow((s) => rationaleRequired(task, s.work, template)));
  const required = rules.length > 0;
  const readOnly = useReadOnly();
  return (
    <section className="rationale" aria-labelledby="rationale-heading">
      <h2 id="rationale-heading" className="panel-heading">
        {/* once answered, R means Retry */}
        Rationale {!readOnly && <kbd>{keyHint('rationale')}</kbd>}
      </h2>
      <p className={`rationale-rule${required && !readOnly ? ' is-required' : ''}`} role="status">
        {readOnly
          ? 'As you submitted it.'
          : required
            ? `Required because ${rules.map((r) => WHY[r]).join(' and ')}.`
            : 'Optional for this judgement.'}
      </p>
      {template.fields.map((field, i) => (
        <RationaleField key={field.id} field={field} required={required && !field.optional} first={i === 0} />
      ))}
    </section>
  );
}
