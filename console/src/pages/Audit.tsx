import { useEffect, useState } from 'preact/hooks';
import type { Api, AuditEntry, Verdict } from '../api';
import { when } from '../format';
import { ErrorLine, Page, messageOf, DataTable } from '../ui';

const PAGE = 50;

function verdictInWords(verdict: Verdict): string {
  if (verdict.intact) {
    return `The chain is intact: all ${verdict.checked} rows match their content and links.`;
  }
  return `The chain is broken at row ${verdict.firstBrokenId}: ${verdict.reason ?? 'its content or link does not match'} (${verdict.checked} rows checked).`;
}

export function Audit({ api }: { api: Api }) {
  const [actor, setActor] = useState('');
  const [type, setType] = useState('');
  const [since, setSince] = useState('');
  const [filter, setFilter] = useState({ actor: '', type: '', since: '' });
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [verdict, setVerdict] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const before = cursors[cursors.length - 1];

  useEffect(() => {
    api
      .audit({
        actor: filter.actor || undefined,
        type: filter.type || undefined,
        since: filter.since ? new Date(filter.since).toISOString() : undefined,
        before,
        limit: PAGE,
      })
      .then((page) => (setEntries(page.items), setError(null)))
      .catch((e) => setError(`The audit log could not be read: ${messageOf(e)}.`));
  }, [api, filter, before]);

  const apply = (event: Event) => {
    event.preventDefault();
    setFilter({ actor: actor.trim(), type: type.trim(), since });
    setCursors([undefined]);
  };

  const verify = async () => {
    setVerdict('Checking the chain…');
    try {
      setVerdict(verdictInWords(await api.verifyAudit()));
    } catch (e) {
      setVerdict(`The chain could not be checked: ${messageOf(e)}.`);
    }
  };

  return (
    <Page title="Audit">
      <section aria-labelledby="chain-title">
        <h2 id="chain-title">Chain</h2>
        <button type="button" onClick={verify}>
          Check the chain
        </button>
        <p class="verdict" role="status" aria-live="polite">
          {verdict ?? ''}
        </p>
      </section>
      <form onSubmit={apply} class="filters" aria-label="Filters">
        <label for="audit-actor">Actor</label>
        <input id="audit-actor" value={actor} onInput={(e) => setActor(e.currentTarget.value)} />
        <label for="audit-type">Action</label>
        <input id="audit-type" placeholder="session.started" value={type} onInput={(e) => setType(e.currentTarget.value)} />
        <label for="audit-since">Since</label>
        <input id="audit-since" type="datetime-local" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
        <button type="submit">Filter</button>
      </form>
      <ErrorLine message={error} />
      {entries && entries.length === 0 && <p>No rows.</p>}
      {entries && entries.length > 0 && (
        <DataTable label="Audit rows" columns={['#', 'When', 'Actor', 'Action', 'Resource', 'Outcome', 'From']}>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{e.id}</td>
                  <td>{when(e.at)}</td>
                  <th scope="row">{e.actor}</th>
                  <td>{e.type}</td>
                  <td class="name">{e.resource ?? '—'}</td>
                  <td>{e.outcome}</td>
                  <td>{e.sourceIp ?? '—'}</td>
                </tr>
              ))}
            </DataTable>
      )}
      <nav class="pager" aria-label="Audit pages">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={!entries || entries.length < PAGE}
          onClick={() => setCursors((c) => [...c, entries![entries!.length - 1].id])}
        >
          Older
        </button>
      </nav>
    </Page>
  );
}
