// Editing a server: name and URL; a new token only when one is typed (the current one is never shown).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { ServerSummary } from '../../../shared/domain.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorText } from '../../components/ErrorText.js';
import { longJobRunning } from '../../stores/jobs.js';
import { useStores } from '../../stores-context.js';

export interface EditServerDialogProps {
  server: ServerSummary;
  onClose: () => void;
  /** Opened to fix a refused token: start in the token field. */
  focusToken?: boolean;
}

export function EditServerDialog({ server, onClose, focusToken = false }: EditServerDialogProps) {
  const { servers, jobs } = useStores();
  const saving = useStore(servers, (state) => state.savingId === server.id);
  // During a sync an edit waits for its next page (the job queue): say so rather than a bare "Saving…".
  const syncRuns = useStore(jobs, (state) => longJobRunning(state.jobs));
  const error = useStore(servers, (state) => state.editError);
  const [name, setName] = useState(server.name);
  const [url, setUrl] = useState(server.url);
  const [token, setToken] = useState('');
  const id = useId();

  useEffect(() => {
    servers.getState().clearEditError();
    return () => servers.getState().clearEditError();
  }, [servers]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const edit = { name, url, token };
    setToken('');
    const saved = await servers.getState().update(server.id, edit);
    if (saved !== null) onClose();
  };

  return (
    <Dialog
      title={`Edit ${server.name}`}
      description={focusToken ? 'The server refused the saved token: paste a new one.' : undefined}
      onClose={onClose}
      testId="edit-server-dialog"
    >
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoComplete="off"
            data-autofocus={!focusToken || undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-url`}>URL</label>
          <input
            id={`${id}-url`}
            type="url"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-token`}>New token</label>
          <input
            id={`${id}-token`}
            type="password"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            autoComplete="off"
            aria-describedby={`${id}-token-help`}
            data-autofocus={focusToken || undefined}
          />
          <p id={`${id}-token-help`} className="hint">
            Leave empty to keep the current token.
          </p>
        </div>
        <ErrorText error={error} testId="edit-server-error" />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={saving || name.trim() === '' || url.trim() === ''}>
            {saving ? (syncRuns ? 'Waiting for the sync…' : 'Saving…') : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
