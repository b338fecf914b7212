// Before any sync in this session: each library's last sync as the catalog remembers it (time, outcome,
// error and, when stored, the numbers and what changed), instead of "no sync has run".
import type { PastLibrarySync } from '../../../shared/ipc.js';
import { formatCount, formatWhen } from '../../format.js';
import { ChangesRow, OutcomeCell } from './SyncReportView.js';

const PAST_COLUMNS = 7;

export function PastSyncsView({ history }: { history: PastLibrarySync[] }) {
  return (
    <section className="card" aria-labelledby="past-syncs-title" data-testid="past-syncs">
      <div className="card-header">
        <h2 id="past-syncs-title">Last sync of each library</h2>
      </div>
      <div className="table-wrap">
        <table className="table numeric" data-testid="past-syncs-table">
          <caption className="visually-hidden">Each library's last sync</caption>
          <thead>
            <tr>
              <th scope="col">Library</th>
              <th scope="col">Synced</th>
              <th scope="col">Mode</th>
              <th scope="col" className="num">
                Added
              </th>
              <th scope="col" className="num">
                Updated
              </th>
              <th scope="col" className="num">
                Removed
              </th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {history.map((entry) => (
              <PastRow key={entry.libraryId} entry={entry} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PastRow({ entry }: { entry: PastLibrarySync }) {
  const { report } = entry;
  const unknown = <span className="muted">—</span>;
  return (
    <>
      <tr data-testid="past-sync-row" data-outcome={entry.outcome}>
        <th scope="row">
          {entry.libraryTitle}
          <div className="muted small">{entry.serverName}</div>
        </th>
        <td className="nowrap" data-testid="past-sync-when">
          {formatWhen(entry.syncedAt)}
        </td>
        <td>{report === null ? unknown : report.mode}</td>
        <td className="num">{report === null ? unknown : formatCount(report.added)}</td>
        <td className="num">{report === null ? unknown : formatCount(report.updated)}</td>
        <td className="num">{report === null ? unknown : formatCount(report.removed)}</td>
        <OutcomeCell
          outcome={entry.outcome}
          serverName={entry.serverName}
          error={entry.error}
          errorCode={report?.errorCode}
          notes={report?.notes ?? []}
          warnings={report?.warnings ?? []}
        />
      </tr>
      {report === null ? null : <ChangesRow library={report} columns={PAST_COLUMNS} />}
    </>
  );
}
