// The Live screen: which mode each server is in, the feed of recent changes (added, updated, removed items with
// their library), and the settings that keep Marquee current when its window is closed.
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import type { LiveChange } from '../../../shared/ipc.js';
import { Badge } from '../../components/Badge.js';
import { ErrorText } from '../../components/ErrorText.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { describeLiveChange, formatAgo } from '../../format.js';
import { useStores } from '../../stores-context.js';
import { LiveBadge } from './LiveBadge.js';
import { useNow } from './useNow.js';

const CHANGE_TONES = { added: 'ok', updated: 'info', removed: 'failed' } as const;

export function LiveView() {
  return (
    <section className="view" aria-labelledby="live-title" data-testid="live-view">
      <ViewHeader
        title="Live"
        titleId="live-title"
        intro="Plex tells Marquee what changes on each server; the catalog follows by itself, without a sync."
      />
      <LiveServers />
      <ChangeFeed />
      <LiveSettings />
      <ArtworkCacheSetting />
      <DetailPassSettings />
    </section>
  );
}

function LiveServers() {
  const { servers: serversStore } = useStores();
  const servers = useStore(serversStore, (state) => state.servers);
  return (
    <section className="card" aria-labelledby="live-servers-title">
      <h2 id="live-servers-title">Servers</h2>
      {servers.length === 0 ? (
        <p className="empty">No servers yet: add one on the Servers screen.</p>
      ) : (
        <ul className="live-servers" data-testid="live-servers">
          {servers.map((server) => (
            <li key={server.id} data-server-name={server.name}>
              <span className="live-server-name">{server.name}</span>
              <LiveBadge serverId={server.id} active={server.active} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ChangeFeed() {
  const { live } = useStores();
  const recent = useStore(live, (state) => state.recent);
  const loadError = useStore(live, (state) => state.loadError);
  const now = useNow();
  return (
    <section className="card" aria-labelledby="live-feed-title">
      <h2 id="live-feed-title">Recent changes</h2>
      <ErrorText error={loadError} />
      {recent.length === 0 ? (
        <p className="empty" data-testid="live-feed-empty">
          Nothing has changed since Marquee started. New, edited and removed items appear here as Plex reports them.
        </p>
      ) : (
        <ol className="live-feed" data-testid="live-feed" aria-live="polite">
          {recent.map((change) => (
            <FeedEntry key={change.seq} change={change} now={now} />
          ))}
        </ol>
      )}
    </section>
  );
}

function FeedEntry({ change, now }: { change: LiveChange; now: number }) {
  const line = describeLiveChange(change);
  return (
    <li className="live-change" data-testid="live-change" data-change={change.change}>
      <Badge tone={CHANGE_TONES[change.change]}>{line.verb}</Badge>
      <span className="live-change-what">{line.what}</span>
      <span className="muted small live-change-where">{line.where}</span>
      <span className="muted small nowrap live-change-when">{formatAgo(change.at, now)}</span>
    </li>
  );
}

function LiveSettings() {
  const { live } = useStores();
  const settings = useStore(live, (state) => state.settings);
  const error = useStore(live, (state) => state.settingsError);
  const { setSetting } = live.getState();
  return (
    <section className="card" aria-labelledby="live-settings-title">
      <h2 id="live-settings-title">When the window closes</h2>
      <ErrorText error={error} />
      <div className="live-settings">
        <label className="switch">
          <input
            type="checkbox"
            checked={settings?.keepRunningInTray ?? false}
            disabled={settings === null}
            onChange={(event) => void setSetting('keepRunningInTray', event.target.checked)}
            data-testid="setting-tray"
          />
          <span>Keep running in the tray when the window closes, so the catalog stays current</span>
        </label>
        <label className="switch">
          <input
            type="checkbox"
            checked={settings?.startAtLogin ?? false}
            disabled={settings === null}
            onChange={(event) => void setSetting('startAtLogin', event.target.checked)}
            data-testid="setting-login"
          />
          <span>Start Marquee when I log in</span>
        </label>
      </div>
    </section>
  );
}

const ARTWORK_CACHE_MB = { min: 10, max: 100_000 };

/** The artwork cache's cap on disk (posters and backgrounds are kept for the next time they are shown). */
function ArtworkCacheSetting() {
  const { live } = useStores();
  const id = useId();
  const stored = useStore(live, (state) => state.settings?.artworkCacheMb ?? null);
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? (stored === null ? '' : String(stored));
  const value = Number(text);
  const invalid = draft !== null && !(Number.isInteger(value) && value >= ARTWORK_CACHE_MB.min && value <= ARTWORK_CACHE_MB.max);
  const save = (event?: FormEvent): void => {
    event?.preventDefault();
    if (draft === null || invalid) return;
    setDraft(null);
    if (value !== stored) void live.getState().setSetting('artworkCacheMb', value);
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Posters and backgrounds</h2>
      <form className="form" onSubmit={save} noValidate>
        <div className="field narrow">
          <label htmlFor={`${id}-mb`}>Disk space for artwork (MB)</label>
          <input
            id={`${id}-mb`}
            inputMode="numeric"
            value={text}
            disabled={stored === null}
            onChange={(event) => setDraft(event.target.value)}
            onBlur={() => save()}
            aria-invalid={invalid || undefined}
            aria-describedby={`${id}-hint`}
            autoComplete="off"
            data-testid="setting-artwork-cache"
          />
          <p className="hint" id={`${id}-hint`}>
            {invalid
              ? `A whole number from ${ARTWORK_CACHE_MB.min} to ${ARTWORK_CACHE_MB.max.toLocaleString('en')}.`
              : 'Images shown least recently are removed first when the cache is full.'}
          </p>
        </div>
      </form>
    </section>
  );
}

/** How often the card asks again while a pass runs: progress comes from the catalog, cheaply. */
const DETAIL_REFRESH_MS = 5_000;

function DetailPassSettings() {
  const { live } = useStores();
  const details = useStore(live, (state) => state.details);
  const error = useStore(live, (state) => state.detailsError);
  const { setDetailPass, loadDetails } = live.getState();
  const enabled = details?.enabled ?? false;
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => void loadDetails(), DETAIL_REFRESH_MS);
    return () => clearInterval(timer);
  }, [enabled, loadDetails]);
  const done = details?.servers.reduce((sum, server) => sum + server.done, 0) ?? 0;
  const total = details?.servers.reduce((sum, server) => sum + server.total, 0) ?? 0;
  return (
    <section className="card" aria-labelledby="detail-pass-title">
      <h2 id="detail-pass-title">HDR and languages</h2>
      <ErrorText error={error} />
      <div className="live-settings">
        <label className="switch">
          <input
            type="checkbox"
            checked={enabled}
            disabled={details === null}
            onChange={(event) => void setDetailPass(event.target.checked)}
            data-testid="setting-detail-pass"
          />
          <span>Ask Plex for HDR, Dolby Vision and audio and subtitle languages in the background</span>
        </label>
        {details !== null && (
          <>
            <p className="muted" data-testid="detail-pass-cost">
              {details.cost}
            </p>
            <p className="muted" data-testid="detail-pass-progress">
              {done.toLocaleString()} of {total.toLocaleString()} items detailed
              {details.running ? ' · running' : enabled ? '' : ' · off'}
            </p>
          </>
        )}
      </div>
    </section>
  );
}
