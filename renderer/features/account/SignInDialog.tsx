// The sign-in dialog: the code large, a button that opens Plex's page in the browser (main opens it through the
// allow-listed opener; the renderer never names a URL), a spinner with the time left, and Cancel. Escape
// cancels too. It closes by itself once plex.tv approves the code.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { Dialog } from '../../components/Dialog.js';
import { ErrorText } from '../../components/ErrorText.js';
import { formatClock, formatDuration } from '../../format.js';
import { useStores } from '../../stores-context.js';

/** The time now, refreshed every second while mounted (for the countdown). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function SignInDialog() {
  const { account } = useStores();
  const signIn = useStore(account, (state) => state.signIn);
  const status = signIn?.status ?? null;
  // The focused button may vanish as the state changes (Open plex.tv → Get a new code): focus the new one.
  useEffect(() => {
    document.querySelector<HTMLElement>('[data-testid="signin-dialog"] [data-autofocus]')?.focus();
  }, [status]);
  if (signIn === null || signIn.status === 'approved') return null;
  const { cancelSignIn, closeSignIn } = account.getState();
  const ended = signIn.status === 'expired' || signIn.status === 'failed';
  return (
    <Dialog title="Sign in with Plex" onClose={() => void (ended ? closeSignIn() : cancelSignIn())} testId="signin-dialog">
      {signIn.status === 'starting' ? (
        <p className="signin-wait" role="status">
          <span className="spinner" aria-hidden="true" /> Asking plex.tv for a code…
        </p>
      ) : null}
      {signIn.status === 'waiting' && signIn.started !== null ? <Waiting /> : null}
      {signIn.status === 'expired' ? (
        <p className="warn-text" role="alert" data-testid="signin-expired">
          The code expired before it was approved. Get a new one to try again.
        </p>
      ) : null}
      <ErrorText error={signIn.error} testId="signin-error" />
      <div className="dialog-actions">
        {ended ? (
          <>
            <button type="button" className="button" onClick={closeSignIn}>
              Close
            </button>
            <button type="button" className="button primary" onClick={() => void account.getState().startSignIn()} data-autofocus>
              {signIn.status === 'expired' ? 'Get a new code' : 'Try again'}
            </button>
          </>
        ) : (
          <button type="button" className="button" onClick={() => void cancelSignIn()} data-testid="signin-cancel">
            Cancel
          </button>
        )}
      </div>
    </Dialog>
  );
}

function Waiting() {
  const { account } = useStores();
  const signIn = useStore(account, (state) => state.signIn);
  const now = useNow();
  if (signIn?.started == null) return null;
  const { code, authUrl, expiresAt } = signIn.started;
  const secondsLeft = Math.max(0, (expiresAt - now) / 1000);
  return (
    <div className="signin-body">
      <p>Approve this code at plex.tv to let Marquee read your servers. Marquee never sees your Plex password.</p>
      <p className="signin-code" data-testid="signin-code" aria-label={`Code ${code.split('').join(' ')}`}>
        {code}
      </p>
      <div className="signin-open">
        <button
          type="button"
          className="button primary"
          onClick={() => void account.getState().openSignInPage()}
          data-autofocus
          data-testid="signin-open"
        >
          Open plex.tv
        </button>
        {signIn.opened === true ? (
          <span className="hint" role="status">
            Opened in your browser: sign in there and approve Marquee.
          </span>
        ) : null}
      </div>
      {signIn.opened === false ? (
        <p className="hint" role="status" data-testid="signin-manual">
          The browser could not be opened. Open this address yourself: <span className="mono wrap">{authUrl}</span>
        </p>
      ) : null}
      <div className="signin-wait">
        <span
          className="spinner"
          role="progressbar"
          aria-label="Waiting for approval at plex.tv"
          aria-valuetext={`${formatDuration(secondsLeft)} left`}
          data-testid="signin-waiting"
        />
        <span>
          Waiting for approval · <span className="tabular">{formatClock(secondsLeft)}</span> left
        </span>
      </div>
    </div>
  );
}
