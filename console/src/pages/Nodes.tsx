import { useState } from 'preact/hooks';
import { type Api, type Nodes as NodeList, readiness } from '../api';
import { ago, when } from '../format';
import { ErrorLine, Page, messageOf, useNow, usePoll, DataTable } from '../ui';

export function Nodes({ api }: { api: Api }) {
  const [nodes, setNodes] = useState<NodeList | null>(null);
  const [ready, setReady] = useState<Awaited<ReturnType<typeof readiness>> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();

  usePoll(
    async () => {
      try {
        const [n, r] = await Promise.all([api.nodes(), readiness()]);
        setNodes(n);
        setReady(r);
        setError(null);
      } catch (e) {
        setError(`The nodes could not be read: ${messageOf(e)}.`);
      }
    },
    3000,
    [api],
  );

  return (
    <Page title="Nodes">
      <ErrorLine message={error} />
      <section aria-labelledby="ready-title">
        <h2 id="ready-title">This gateway's readiness</h2>
        {ready === null ? (
          <p>Loading…</p>
        ) : ready.status === 'elsewhere' ? (
          <p>Readiness is served on the management address, not here.</p>
        ) : (
          <>
            <p>{ready.status === 'UP' ? 'Ready: every service answers.' : `Not ready: ${ready.detail ?? ''}`}</p>
            <ul>
              {Object.entries(ready.checks ?? {}).map(([name, state]) => (
                <li key={name}>
                  {name}: {state === 'UP' ? 'answers' : 'does not answer'}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="target-nodes-title">
        <h2 id="target-nodes-title">Target nodes</h2>
        {nodes && nodes.targetNodes.length === 0 && <p>No target node has been heard from yet.</p>}
        {nodes && nodes.targetNodes.length > 0 && (
          <DataTable label="Target nodes list" columns={['Node', 'Portal', 'State', 'Sessions', 'Last heard']}>
                {nodes.targetNodes.map((n) => (
                  <tr key={n.node}>
                    <th scope="row">{n.node}</th>
                    <td>{n.portal}</td>
                    <td>
                      {n.state}
                      {n.restartedAt ? ` (restarted ${when(n.restartedAt)})` : ''}
                    </td>
                    <td>{n.targets}</td>
                    <td>{ago(n.lastHeardAt, now)}</td>
                  </tr>
                ))}
              </DataTable>
        )}
      </section>
      <section aria-labelledby="image-nodes-title">
        <h2 id="image-nodes-title">Image nodes</h2>
        {nodes && nodes.imageNodes.length === 0 && (
          <p>No image node announces a listener: uploads are served by the image service in this process.</p>
        )}
        <ul>
          {nodes?.imageNodes.map((n) => (
            <li key={n.listener}>{n.listener}: serving</li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
