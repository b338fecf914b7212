// The account menu in the sidebar: who is signed in, and sign out; or "Sign in with Plex" when nobody is.
// A disclosure button and a small panel: Escape closes it (focus back on the button), and so does a click or
// the focus moving elsewhere.
import { useEffect, useId, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { ErrorText } from '../../components/ErrorText.js';
import { initialsOf } from '../../format.js';
import { useStores } from '../../stores-context.js';

export function AccountMenu() {
  const { account } = useStores();
  const info = useStore(account, (state) => state.info);
  const signingOut = useStore(account, (state) => state.signingOut);
  const signOutError = useStore(account, (state) => state.signOutError);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (rootRef.current !== null && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      const inside = rootRef.current?.contains(document.activeElement) === true;
      setOpen(false);
      if (inside) buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (info === null) return null;
  const user = info.signedIn ? info.account : null;
  if (user === null) {
    return (
      <div className="account-menu">
        <button
          type="button"
          className="button small account-button"
          onClick={() => void account.getState().startSignIn()}
          data-testid="account-signin"
        >
          Sign in with Plex
        </button>
      </div>
    );
  }

  return (
    <div
      className="account-menu"
      ref={rootRef}
      onBlur={(event) => {
        // Tabbing out of the menu closes it, as a click elsewhere does.
        if (open && !event.currentTarget.contains(event.relatedTarget)) setOpen(false);
      }}
    >
      <button
        type="button"
        ref={buttonRef}
        className="account-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
        data-testid="account-menu-button"
        title={`Signed in to Plex as ${user.username}`}
      >
        <span className="avatar" aria-hidden="true">
          {initialsOf(user.username).slice(0, 1)}
        </span>
        <span className="account-name">
          <span className="visually-hidden">Plex account: </span>
          {user.username}
        </span>
      </button>
      {open ? (
        <div id={panelId} className="account-panel" data-testid="account-panel">
          <p className="account-who">
            Signed in to Plex as <strong>{user.username}</strong>
          </p>
          {user.email === null ? null : <p className="muted small wrap">{user.email}</p>}
          <p className="hint">Signing out forgets the account’s sign-in; its servers stay, with their own access.</p>
          <ErrorText error={signOutError} />
          <button
            type="button"
            className="button small"
            disabled={signingOut}
            onClick={() =>
              void account
                .getState()
                .signOut()
                .then(() => setOpen(false))
            }
            data-testid="account-signout"
          >
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
