// Adding a server: main tests the URL and token before anything is saved. The token lives in this
// form's state only until the form is submitted; name and URL stay after a refusal so they can be fixed.
import { useId, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { ErrorText } from '../../components/ErrorText.js';
import { useStores } from '../../stores-context.js';

export function AddServerForm() {
  const { servers } = useStores();
  const adding = useStore(servers, (state) => state.adding);
  const error = useStore(servers, (state) => state.addError);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const tokenRef = useRef<HTMLInputElement>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const errorId = `${id}-error`;
  const tokenRefused = error?.code === 'UNAUTHORIZED';
  const urlProblem = error !== null && !tokenRefused;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const submitted = { name, url, token };
    // The token leaves the form's state now, whatever main answers.
    setToken('');
    setAdded(null);
    const server = await servers.getState().add(submitted);
    if (server === null) {
      const failed = servers.getState().addError;
      (failed?.code === 'UNAUTHORIZED' ? tokenRef : urlRef).current?.focus();
      return;
    }
    setName('');
    setUrl('');
    setAdded(server.name);
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add a server</h2>
      <form className="form" onSubmit={(event) => void submit(event)} data-testid="add-server-form" noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            name="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="Living room"
            required
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-url`}>URL</label>
          <input
            id={`${id}-url`}
            ref={urlRef}
            name="url"
            type="url"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="http://192.168.1.10:32400"
            required
            autoComplete="off"
            spellCheck={false}
            aria-invalid={urlProblem || undefined}
            aria-describedby={urlProblem ? errorId : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-token`}>Token</label>
          <input
            id={`${id}-token`}
            ref={tokenRef}
            name="token"
            type="password"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            required
            autoComplete="off"
            spellCheck={false}
            aria-invalid={tokenRefused || undefined}
            aria-describedby={`${id}-token-help${tokenRefused ? ` ${errorId}` : ''}`}
          />
          <p id={`${id}-token-help`} className="hint">
            Your X-Plex-Token. It is tested against the server, then stored encrypted by the app; it is never shown again.
          </p>
        </div>
        <div className="form-actions">
          <button
            type="submit"
            className="button primary"
            disabled={adding || name.trim() === '' || url.trim() === '' || token.trim() === ''}
          >
            {adding ? 'Testing…' : 'Test and add server'}
          </button>
        </div>
        <ErrorText error={error} id={errorId} testId="add-server-error" />
        {added === null ? null : (
          <p className="success-text" role="status" data-testid="add-server-success">
            Added {added}. Its libraries are listed under Libraries.
          </p>
        )}
      </form>
    </section>
  );
}
