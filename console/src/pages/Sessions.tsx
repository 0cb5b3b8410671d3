import { useRef, useState } from 'preact/hooks';
import type { Api, Image, Session } from '../api';
import type { Identity } from '../auth';
import { ago, span } from '../format';
import { ErrorLine, Page, Pager, StatusLine, messageOf, useNow, usePoll, DataTable } from '../ui';

const PAGE = 100;
const REFRESH_MS = 1500;

export function Sessions({ api, identity }: { api: Api; identity: Identity }) {
  const [state, setState] = useState('ACTIVE');
  const [offset, setOffset] = useState(0);
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const names = useRef(new Map<string, string>());
  const now = useNow();

  // Image names for the page shown: asked once per image, remembered while the page is open.
  const nameImages = async (page: Session[]) => {
    const unknown = [...new Set(page.map((s) => s.imageId!).filter((id) => !names.current.has(id)))];
    await Promise.all(
      unknown.map((id) =>
        api
          .call<Image>('GET', `/images/${encodeURIComponent(id)}`)
          .then((image) => names.current.set(id, image.name ?? id))
          .catch(() => names.current.set(id, '(deleted image)')),
      ),
    );
  };

  usePoll(
    async () => {
      try {
        const page = await api.sessions(state, offset, PAGE);
        await nameImages(page.items);
        setSessions(page.items);
        setError(null);
      } catch (e) {
        setError(`Sessions could not be read: ${messageOf(e)}.`);
      }
    },
    REFRESH_MS,
    [api, state, offset],
  );

  const end = async (session: Session) => {
    const who = session.owner === identity.username ? 'your' : `${session.owner}'s`;
    if (!window.confirm(`End ${who} session of ${names.current.get(session.imageId!)}? The disc goes away from their machine.`)) {
      return;
    }
    try {
      await api.endSession(session.id!);
      setStatus(`The session of ${session.owner} was ended.`);
      setSessions((all) => all?.map((s) => (s.id === session.id ? { ...s, state: 'ENDED' } : s)) ?? null);
    } catch (e) {
      setError(`The session was not ended: ${messageOf(e)}.`);
    }
  };

  return (
    <Page title="Sessions">
      <p>Updated every {REFRESH_MS / 1000} seconds.</p>
      <div class="toolbar">
        <label for="session-state">Show</label>
        <select
          id="session-state"
          value={state}
          onChange={(e) => {
            setState(e.currentTarget.value);
            setOffset(0);
          }}
        >
          <option value="ACTIVE">active and preparing</option>
          <option value="">all, newest first</option>
          <option value="ENDED">ended</option>
          <option value="EXPIRED">expired</option>
          <option value="FAILED">failed</option>
        </select>
      </div>
      <ErrorLine message={error} />
      <StatusLine message={status} />
      {sessions === null ? (
        <p>Loading…</p>
      ) : sessions.length === 0 ? (
        <p>No sessions.</p>
      ) : (
        <DataTable label="Sessions list" columns={['User', 'Image', 'Initiator', 'Node', 'State', 'Connected', 'Last heartbeat', 'Lease left', 'Actions']}>
              {sessions.map((s) => {
                const live = s.state === 'ACTIVE' || s.state === 'PREPARING';
                return (
                  <tr key={s.id} data-session={s.id}>
                    <th scope="row">{s.owner}</th>
                    <td class="name">{names.current.get(s.imageId!) ?? s.imageId}</td>
                    <td class="iqn">{s.initiatorIqn}</td>
                    <td>{s.target?.portal ?? '—'}</td>
                    <td>
                      {s.state?.toLowerCase()}
                      {s.reason ? ` (${s.reason})` : ''}
                    </td>
                    <td>{live ? ((s.connections?.length ?? 0) > 0 ? 'yes' : 'no') : '—'}</td>
                    <td>{live ? ago(s.lastHeartbeatAt, now) : '—'}</td>
                    <td>{live && s.leaseExpiresAt ? span(new Date(s.leaseExpiresAt).getTime() - now) : '—'}</td>
                    <td>
                      {live && (
                        <button type="button" class="danger" onClick={() => end(s)} aria-label={`End the session of ${s.owner}`}>
                          End
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </DataTable>
      )}
      <Pager offset={offset} limit={PAGE} shown={sessions?.length ?? 0} onPage={setOffset} label="Sessions" />
    </Page>
  );
}
