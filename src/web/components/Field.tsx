import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

/** What a form control needs to be tied to its label, hint and error. */
export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** The label, hint and inline error around one form control, wired for screen readers. */
export function FieldFrame({
  label,
  error,
  hint,
  className = '',
  control,
}: {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
  control: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  // The hint is shown only while there is no error: describe the control by whichever is shown.
  const describedBy = error ? errorId : hint ? hintId : undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''} ${className}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {control({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && !error && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error" data-testid="error-message">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input with its inline error. */
export function Field({
  label,
  error,
  hint,
  className,
  ...input
}: {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>) {
  return <FieldFrame label={label} error={error} hint={hint} className={className} control={(c) => <input className="input" {...c} {...input} />} />;
}
