// The shell: a sidebar of sections, the current view, and a banner when tokens are not OS-encrypted.
import { useEffect, useRef, type ComponentType } from 'react';
import { useStore } from 'zustand';
import { AccountMenu } from './features/account/AccountMenu.js';
import { SignInDialog } from './features/account/SignInDialog.js';
import { BrowseView } from './features/browse/BrowseView.js';
import { DiscoverView } from './features/discovery/DiscoverView.js';
import { LibrariesView } from './features/libraries/LibrariesView.js';
import { LiveView } from './features/live/LiveView.js';
import { MappingsView } from './features/mappings/MappingsView.js';
import { ServersView } from './features/servers/ServersView.js';
import { SyncStatus } from './features/sync/SyncStatus.js';
import { SyncView } from './features/sync/SyncView.js';
import { useStores } from './stores-context.js';
import { VIEWS, type View } from './stores/ui.js';

const TITLES: Record<View, string> = {
  servers: 'Servers',
  libraries: 'Libraries',
  mappings: 'Mappings',
  sync: 'Sync',
  discover: 'Discover',
  browse: 'Browse',
  live: 'Live',
};

const SCREENS: Record<View, ComponentType> = {
  servers: ServersView,
  libraries: LibrariesView,
  mappings: MappingsView,
  sync: SyncView,
  discover: DiscoverView,
  browse: BrowseView,
  live: LiveView,
};

export function App() {
  const { ui } = useStores();
  const view = useStore(ui, (state) => state.view);
  const navigate = useStore(ui, (state) => state.navigate);
  const version = useStore(ui, (state) => state.appVersion);
  const secretWarning = useStore(ui, (state) => state.secretStorage?.warning ?? null);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    document.title = `${TITLES[view]} · Marquee`;
    // After a switch, start keyboard and screen-reader users at the new view's heading.
    if (firstRender.current) firstRender.current = false;
    else mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [view]);

  const Screen = SCREENS[view];
  return (
    <div className="app">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-name">Marquee</span>
          {version === null ? null : <span className="brand-version">v{version}</span>}
        </div>
        <nav aria-label="Sections">
          <ul className="nav-list">
            {VIEWS.map((entry) => (
              <li key={entry}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={entry === view ? 'page' : undefined}
                  data-testid={`nav-${entry}`}
                  onClick={() => navigate(entry)}
                >
                  {TITLES[entry]}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <SyncStatus />
        <AccountMenu />
      </aside>
      <main className="content" ref={mainRef}>
        {secretWarning === null ? null : (
          <p className="banner banner-warn" role="status" data-testid="secret-storage-warning">
            {secretWarning}
          </p>
        )}
        <Screen />
      </main>
      <SignInDialog />
    </div>
  );
}
