// Path mappings per server (optionally per library), with a live preview of what a mapping would do.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { LibrarySummary, PathMapping } from '../../../shared/domain.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { ErrorText } from '../../components/ErrorText.js';
import { ViewHeader } from '../../components/ViewHeader.js';
import { candidateOf } from '../../stores/mappings.js';
import { longJobRunning } from '../../stores/jobs.js';
import { useStores } from '../../stores-context.js';
import { MappingPreview } from './MappingPreview.js';

export function MappingsView() {
  const { servers: serversStore, ui, mappings: store, libraries: librariesStore } = useStores();
  const servers = useStore(serversStore, (state) => state.servers);
  const requested = useStore(ui, (state) => state.mappingsServerId);
  const allMappings = useStore(store, (state) => state.mappings);
  const loadError = useStore(store, (state) => state.loadError);
  const allLibraries = useStore(librariesStore, (state) => state.libraries);
  const [editing, setEditing] = useState<PathMapping | null>(null);
  const [removing, setRemoving] = useState<PathMapping | null>(null);
  const selectId = useId();

  const serverId = servers.some((server) => server.id === requested) ? requested : (servers[0]?.id ?? null);
  const mappings = allMappings.filter((mapping) => mapping.serverId === serverId);
  const libraries = allLibraries.filter((library) => library.serverId === serverId);
  const libraryTitle = (id: number | null) =>
    id === null ? 'All libraries' : (libraries.find((library) => library.id === id)?.title ?? `Library ${id}`);

  return (
    <section className="view" aria-labelledby="mappings-title" data-testid="mappings-view">
      <ViewHeader
        title="Path mappings"
        titleId="mappings-title"
        intro="Plex reports file paths as its own machine sees them. Map a Plex path prefix to where the same files are on this computer."
      />
      <ErrorText error={loadError} />
      {servers.length === 0 ? (
        <p className="empty">Add a server first: mappings belong to a server.</p>
      ) : (
        <>
          <div className="field inline">
            <label htmlFor={selectId}>Server</label>
            <select
              id={selectId}
              value={serverId ?? ''}
              onChange={(event) => {
                setEditing(null);
                ui.getState().showMappings(Number(event.target.value));
              }}
              data-testid="mappings-server"
            >
              {servers.map((server) => (
                <option key={server.id} value={server.id}>
                  {server.name}
                </option>
              ))}
            </select>
          </div>

          {mappings.length === 0 ? (
            <p className="empty">No mappings for this server: files keep their Plex paths and count as unmapped.</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="mappings-table">
                <caption className="visually-hidden">Mappings</caption>
                <thead>
                  <tr>
                    <th scope="col">Scope</th>
                    <th scope="col">Plex path prefix</th>
                    <th scope="col">Local path prefix</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {mappings.map((mapping) => (
                    <MappingRow
                      key={mapping.id}
                      mapping={mapping}
                      scope={libraryTitle(mapping.libraryId)}
                      editing={editing?.id === mapping.id}
                      onEdit={() => setEditing(mapping)}
                      onRemove={() => setRemoving(mapping)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}

          {serverId === null ? null : (
            <MappingEditor
              // A fresh form for each mapping edited (and for "add" on each server).
              key={editing === null ? `new-${serverId}` : `edit-${editing.id}`}
              serverId={serverId}
              libraries={libraries}
              editing={editing}
              onDone={() => setEditing(null)}
            />
          )}
        </>
      )}
      {removing === null ? null : (
        <ConfirmDialog
          title="Remove this mapping?"
          description={`${removing.plexPrefix} → ${removing.localPrefix}. Files under it become unmapped.`}
          confirmLabel="Remove mapping"
          testId="remove-mapping-dialog"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const target = removing;
            setRemoving(null);
            if (editing?.id === target.id) setEditing(null);
            void store.getState().remove(target.id);
          }}
        />
      )}
    </section>
  );
}

function MappingRow(props: { mapping: PathMapping; scope: string; editing: boolean; onEdit: () => void; onRemove: () => void }) {
  const { mappings } = useStores();
  const rowError = useStore(mappings, (state) => state.rowErrors[props.mapping.id] ?? null);
  return (
    <tr data-testid="mapping-row" aria-current={props.editing || undefined}>
      <td>{props.scope}</td>
      <td className="mono wrap">{props.mapping.plexPrefix}</td>
      <td className="mono wrap">
        {props.mapping.localPrefix}
        <ErrorText error={rowError} />
      </td>
      <td className="row-actions">
        <button type="button" className="button small" onClick={props.onEdit} data-testid="mapping-edit">
          Edit<span className="visually-hidden"> mapping {props.mapping.plexPrefix}</span>
        </button>
        <button type="button" className="button small danger" onClick={props.onRemove} data-testid="mapping-remove">
          Remove<span className="visually-hidden"> mapping {props.mapping.plexPrefix}</span>
        </button>
      </td>
    </tr>
  );
}

interface MappingEditorProps {
  serverId: number;
  libraries: LibrarySummary[];
  editing: PathMapping | null;
  onDone: () => void;
}

function MappingEditor({ serverId, libraries, editing, onDone }: MappingEditorProps) {
  const { mappings, jobs } = useStores();
  const saving = useStore(mappings, (state) => state.saving);
  // During a sync an edit waits for its next page (the job queue): say so rather than a bare "Saving…".
  const syncRuns = useStore(jobs, (state) => longJobRunning(state.jobs));
  const saveError = useStore(mappings, (state) => state.saveError);
  const [libraryId, setLibraryId] = useState<number | null>(editing?.libraryId ?? null);
  const [plexPrefix, setPlexPrefix] = useState(editing?.plexPrefix ?? '');
  const [localPrefix, setLocalPrefix] = useState(editing?.localPrefix ?? '');
  const id = useId();

  useEffect(() => {
    const candidate = candidateOf(plexPrefix, localPrefix);
    mappings.getState().requestPreview({ serverId, libraryId, candidate, ...(editing !== null ? { replacingId: editing.id } : {}) });
  }, [mappings, serverId, libraryId, plexPrefix, localPrefix, editing]);

  useEffect(() => {
    mappings.getState().clearSaveError();
    return () => mappings.getState().stopPreview();
  }, [mappings]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const draft = { libraryId, plexPrefix: plexPrefix.trim(), localPrefix: localPrefix.trim() };
    const saved =
      editing === null ? await mappings.getState().add({ serverId, ...draft }) : await mappings.getState().update(editing.id, draft);
    if (saved === null) return;
    setPlexPrefix('');
    setLocalPrefix('');
    onDone();
  };

  return (
    <div className="mapping-editor">
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>{editing === null ? 'Add a mapping' : 'Edit mapping'}</h2>
        <form className="form" onSubmit={(event) => void submit(event)} data-testid="mapping-form" noValidate>
          <div className="field">
            <label htmlFor={`${id}-scope`}>Applies to</label>
            <select
              id={`${id}-scope`}
              value={libraryId ?? ''}
              onChange={(event) => setLibraryId(event.target.value === '' ? null : Number(event.target.value))}
            >
              <option value="">All libraries of this server</option>
              {libraries.map((library) => (
                <option key={library.id} value={library.id}>
                  {library.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-plex`}>Plex path prefix</label>
            <input
              id={`${id}-plex`}
              className="mono"
              value={plexPrefix}
              onChange={(event) => setPlexPrefix(event.target.value)}
              placeholder="/data/media"
              autoComplete="off"
              spellCheck={false}
              data-testid="mapping-plex-prefix"
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-local`}>Local path prefix</label>
            <input
              id={`${id}-local`}
              className="mono"
              value={localPrefix}
              onChange={(event) => setLocalPrefix(event.target.value)}
              placeholder="/mnt/nas/media"
              autoComplete="off"
              spellCheck={false}
              data-testid="mapping-local-prefix"
            />
          </div>
          <ErrorText error={saveError} testId="mapping-save-error" />
          <div className="form-actions">
            {editing === null ? null : (
              <button type="button" className="button" onClick={onDone}>
                Cancel edit
              </button>
            )}
            <button type="submit" className="button primary" disabled={saving || plexPrefix.trim() === '' || localPrefix.trim() === ''}>
              {saving ? (syncRuns ? 'Waiting for the sync…' : 'Saving…') : editing === null ? 'Add mapping' : 'Save mapping'}
            </button>
          </div>
        </form>
      </section>
      <MappingPreview hasCandidate={candidateOf(plexPrefix, localPrefix) !== null} />
    </div>
  );
}
