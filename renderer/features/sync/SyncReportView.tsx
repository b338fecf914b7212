// The end of a sync: a headline, then one row per library, with failures next to what can fix them.
import type { LibrarySyncReport, SyncReport } from '../../../shared/domain.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { Badge, type BadgeTone } from '../../components/Badge.js';
import { Remedy } from '../../components/Remedy.js';
import { formatCount, formatDuration, formatWhen, OUTCOME_LABELS, summarizeChanges, summarizeReport } from '../../format.js';

const OUTCOME_TONES: Record<LibrarySyncReport['outcome'], BadgeTone> = { ok: 'ok', failed: 'failed', cancelled: 'warn', skipped: 'muted' };

export function SyncReportView({ report, stale, cancelled }: { report: SyncReport; stale: boolean; cancelled: boolean }) {
  const summary = summarizeReport(report);
  const title = `${stale ? 'Previous sync' : 'Last sync'}${cancelled ? ' (cancelled)' : ''}`;
  return (
    <section className="card" aria-labelledby="sync-report-title" data-testid="sync-report" data-ok={report.ok} data-cancelled={cancelled}>
      <div className="card-header">
        <h2 id="sync-report-title">{title}</h2>
        <span className="muted small">
          {formatWhen(Math.floor(report.finishedAt / 1000))} · took {formatDuration((report.finishedAt - report.startedAt) / 1000)}
        </span>
      </div>
      <p className={report.ok ? 'report-headline' : 'report-headline warn-text'} data-testid="sync-report-headline">
        {summary.headline}
      </p>
      {report.serverErrors.length === 0 ? null : (
        <ul className="server-errors" data-testid="sync-server-errors">
          {report.serverErrors.map((entry) => (
            <li key={entry.serverName}>
              <Badge tone="failed">Not synced</Badge> <strong>{entry.serverName}</strong>:{' '}
              <span className="error-inline">{entry.error}</span> <Remedy serverName={entry.serverName} errorCode={entry.errorCode} />
            </li>
          ))}
        </ul>
      )}
      {report.libraries.length === 0 ? null : (
        <div className="table-wrap">
          <table className="table numeric" data-testid="sync-report-table">
            <caption className="visually-hidden">Libraries synced</caption>
            <thead>
              <tr>
                <th scope="col">Library</th>
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
                <th scope="col" className="num">
                  Unchanged
                </th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {report.libraries.map((library) => (
                <ReportRow key={`${library.serverName}/${library.sectionKey}`} library={library} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const REPORT_COLUMNS = 7;

function ReportRow({ library }: { library: LibrarySyncReport }) {
  return (
    <>
      <tr data-testid="sync-report-row" data-outcome={library.outcome}>
        <th scope="row">
          {library.libraryTitle}
          <div className="muted small">{library.serverName}</div>
        </th>
        <td>{library.mode}</td>
        <td className="num">{formatCount(library.added)}</td>
        <td className="num">{formatCount(library.updated)}</td>
        <td className="num">{formatCount(library.removed)}</td>
        <td className="num">{formatCount(library.unchanged)}</td>
        <OutcomeCell
          outcome={library.outcome}
          serverName={library.serverName}
          error={library.error ?? null}
          errorCode={library.errorCode}
          notes={library.notes}
          warnings={library.warnings}
        />
      </tr>
      <ChangesRow library={library} columns={REPORT_COLUMNS} />
    </>
  );
}

/** Under a library's numbers: what changed by kind ("8 shows, 12 seasons, 150 episodes added") and by name. */
export function ChangesRow({ library, columns }: { library: LibrarySyncReport; columns: number }) {
  const changes = summarizeChanges(library);
  if (changes.length === 0) return null;
  return (
    <tr className="report-changes" data-testid="sync-report-changes" data-library={library.libraryTitle}>
      <td colSpan={columns}>
        <ul className="change-list">
          {changes.map((change) => (
            <li key={change.change} data-change={change.change}>
              {change.names.length === 0 ? (
                <span data-testid="sync-change-headline">{change.headline}</span>
              ) : (
                <details>
                  <summary>
                    <span data-testid="sync-change-headline">{change.headline}</span>
                  </summary>
                  <ul className="change-names">
                    {change.names.map((name, index) => (
                      <li key={index}>{name}</li>
                    ))}
                    {change.more === null ? null : (
                      <li className="muted" data-testid="sync-change-more">
                        {change.more}
                      </li>
                    )}
                  </ul>
                </details>
              )}
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

export interface OutcomeCellProps {
  outcome: LibrarySyncReport['outcome'];
  serverName: string;
  error: string | null;
  errorCode?: ErrorCode | undefined;
  notes: string[];
  /** What the user should know about the data: shown, not folded away like the notes. */
  warnings: string[];
}

/** The outcome badge, the error with what can fix it, the data's warnings and the pass's notes. */
export function OutcomeCell({ outcome, serverName, error, errorCode, notes, warnings }: OutcomeCellProps) {
  return (
    <td className="outcome">
      <Badge tone={OUTCOME_TONES[outcome]}>{OUTCOME_LABELS[outcome]}</Badge>
      {/* "cancelled" says nothing the badge does not; other reasons do. */}
      {error === null || error === 'cancelled' ? null : (
        <div className="small">
          <span className="error-inline" data-testid="sync-report-error">
            {error}
          </span>{' '}
          <Remedy serverName={serverName} errorCode={errorCode} />
        </div>
      )}
      {warnings.map((warning, index) => (
        <div key={index} className="small warning-inline" data-testid="sync-report-warning">
          {warning}
        </div>
      ))}
      {notes.length === 0 ? null : (
        <details className="notes">
          <summary>Notes</summary>
          <ul>
            {notes.map((note, index) => (
              <li key={index}>{note}</li>
            ))}
          </ul>
        </details>
      )}
    </td>
  );
}
