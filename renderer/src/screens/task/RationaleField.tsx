import type { RationaleField as Field } from '../../../../shared/rationale';
import { useReadOnly } from '../../state/readOnly';
import { setRationale } from '../../state/workActions';
import { useWork } from '../../state/workStore';

/** One rationale field with its help text and a live character count against its minimum. */
export function RationaleField({
  field,
  required,
  first,
}: {
  field: Field;
  required: boolean;
  first: boolean;
}) {
  const value = useWork((s) => s.work.rationale[field.id] ?? '');
  const readOnly = useReadOnly();
  const id = `rationale-${field.id}`;
  const length = value.trim().length;
  const min = field.minLength;
  const short = required && length < Math.max(1, min);
  // a submitted answer is read, not written: no length counter
  const counted = min > 0 && !readOnly;
  const describedBy = [field.help ? `${id}-help` : null, counted ? `${id}-count` : null]
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    value,
    'aria-required': required,
    'aria-invalid': short && length > 0,
    'aria-describedby': describedBy || undefined,
    'data-rationale-field': first ? 'first' : undefined,
    readOnly,
    onChange: (e: React.ChangeEvent<HTMLTextAreaElement | HTMLInputElement>) =>
      setRationale(field.id, e.target.value),
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label}{' '}
        <span className={required ? 'req' : 'muted'}>{required ? '(required)' : '(optional)'}</span>
      </label>
      {field.help && (
        <p id={`${id}-help`} className="field-help">
          {field.help}
        </p>
      )}
      {field.multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}
      {counted && (
        <p id={`${id}-count`} className={`counter${short ? ' is-short' : ''}`}>
          {length} / {min} characters minimum{short && length > 0 ? ' — too short' : ''}
        </p>
      )}
    </div>
  );
}
