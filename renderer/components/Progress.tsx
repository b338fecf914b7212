import { useId, type ReactNode } from 'react';

export interface ProgressProps {
  label: string;
  /** null: indeterminate (waiting for the first count). */
  value: number | null;
  max: number;
  detail: ReactNode;
  testId?: string;
}

/** A labelled <progress> with a line of detail under it, read as its description. */
export function Progress({ label, value, max, detail, testId }: ProgressProps) {
  const id = useId();
  const detailId = useId();
  const determinate = value !== null && max > 0;
  return (
    <div className="progress" data-testid={testId}>
      <label htmlFor={id} className="progress-label">
        {label}
      </label>
      <progress
        id={id}
        max={determinate ? max : undefined}
        value={determinate ? Math.min(value, max) : undefined}
        aria-describedby={detailId}
        data-value={determinate ? value : ''}
        data-max={determinate ? max : ''}
      />
      <div id={detailId} className="progress-detail">
        {detail}
      </div>
    </div>
  );
}
