// The first screen with no server: "Sign in with Plex" first, "Add a server by address and token" as the
// advanced path (it shows the address form, which the Servers view renders below).
import { useEffect, useId } from 'react';
import { useStore } from 'zustand';
import { useStores } from '../../stores-context.js';

export function FirstRun({ manual, onManual }: { manual: boolean; onManual: () => void }) {
  const { account } = useStores();
  const signedIn = useStore(account, (state) => state.info?.signedIn ?? false);
  const starting = useStore(account, (state) => state.signIn !== null);
  const discoveryIdle = useStore(account, (state) => state.discovery.status === 'idle');
  const id = useId();

  // Signed in already (an earlier session) but no server yet: look for the account's servers straight away.
  useEffect(() => {
    if (signedIn && discoveryIdle) void account.getState().discover();
  }, [account, signedIn, discoveryIdle]);
  return (
    <section className="card first-run" aria-labelledby={`${id}-title`} data-testid="first-run">
      <h2 id={`${id}-title`}>Connect Marquee to Plex</h2>
      <p>
        {signedIn
          ? 'You are signed in with Plex: pick the servers to import below.'
          : 'Sign in with your Plex account: Marquee then lists your servers and finds the best way to reach each one. No token to copy.'}
      </p>
      <div className="first-run-actions">
        {signedIn ? null : (
          <button
            type="button"
            className="button primary large"
            onClick={() => void account.getState().startSignIn()}
            disabled={starting}
            data-testid="first-run-signin"
          >
            Sign in with Plex
          </button>
        )}
        <button type="button" className="button" aria-expanded={manual} onClick={onManual} data-testid="first-run-manual">
          Add a server by address and token
        </button>
      </div>
    </section>
  );
}
