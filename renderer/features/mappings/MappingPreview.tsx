// What the mapping being typed would do: how many files stay unmapped, and sample paths resolved.
import { useStore } from 'zustand';
import { Badge } from '../../components/Badge.js';
import { ErrorText } from '../../components/ErrorText.js';
import { formatCount } from '../../format.js';
import { useStores } from '../../stores-context.js';

export function MappingPreview({ hasCandidate }: { hasCandidate: boolean }) {
  const { mappings } = useStores();
  const preview = useStore(mappings, (state) => state.preview);
  const result = preview.result;

  return (
    <section
      className="card preview"
      aria-labelledby="mapping-preview-title"
      data-testid="mapping-preview"
      aria-busy={preview.status === 'pending'}
    >
      <div className="card-header">
        <h2 id="mapping-preview-title">Preview</h2>
        {preview.status === 'pending' ? <span className="muted small">updating…</span> : null}
      </div>
      <ErrorText error={preview.error} />
      {result === null ? (
        <p className="muted">{preview.status === 'error' ? '' : 'Loading preview…'}</p>
      ) : (
        <>
          <p className="preview-summary" role="status" data-testid="mapping-preview-summary">
            {result.files === 0 ? (
              'No files of this scope are in the catalog yet: sync first to preview against real paths.'
            ) : (
              <>
                <strong data-testid="mapping-preview-unmapped">
                  {formatCount(result.unmapped)} of {formatCount(result.files)}
                </strong>{' '}
                files stay unmapped
                {hasCandidate && result.candidateError === null ? (
                  <>
                    {' '}
                    (now {formatCount(result.unmappedBefore)}; this mapping applies to {formatCount(result.mappedByCandidate)})
                  </>
                ) : null}
                .
              </>
            )}
          </p>
          {result.candidateError === null ? null : (
            <p className="error-text" data-testid="mapping-candidate-error">
              {result.candidateError}
            </p>
          )}
          {result.samples.length === 0 ? null : (
            <div className="table-wrap">
              <table className="table compact" data-testid="mapping-samples">
                <caption className="visually-hidden">Sample paths</caption>
                <thead>
                  <tr>
                    <th scope="col">Plex path</th>
                    <th scope="col">Local path</th>
                  </tr>
                </thead>
                <tbody>
                  {result.samples.map((sample) => (
                    <tr
                      key={sample.plexPath}
                      className={sample.mapped ? (sample.byCandidate ? 'row-new' : undefined) : 'row-unmapped'}
                      data-testid="mapping-sample"
                      data-mapped={sample.mapped}
                    >
                      <td className="mono wrap">{sample.plexPath}</td>
                      <td className="mono wrap">
                        {sample.mapped ? (
                          <>
                            {sample.localPath}
                            {sample.byCandidate ? (
                              <>
                                {' '}
                                <Badge tone="info">this mapping</Badge>
                              </>
                            ) : null}
                          </>
                        ) : (
                          <Badge tone="warn">unmapped</Badge>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
