import type { UiError } from '../api.js';

/** An error where the user acts on it; announced when it appears. */
export function ErrorText({ error, id, testId }: { error: UiError | null; id?: string; testId?: string }) {
  if (error === null) return null;
  return (
    <p className="error-text" role="alert" id={id} data-testid={testId}>
      {error.message}
    </p>
  );
}
