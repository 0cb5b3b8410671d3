import { useEffect, useState } from 'preact/hooks';
import type { Api, Discovery } from '../api';
import type { Identity } from '../auth';
import { bytes } from '../format';
import { CopyButton, ErrorLine, Page, messageOf } from '../ui';

/** Single-quotes a word for a POSIX shell, so what is pasted is what was shown. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function Mount({ api, identity }: { api: Api; identity: Identity }) {
  const [discovery, setDiscovery] = useState<Discovery | null>(null);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .discovery()
      .then((d) => {
        setDiscovery(d);
        setChosen((c) => c || d.images[0]?.id || '');
      })
      .catch((e) => setError(`The images you may mount could not be read: ${messageOf(e)}.`));
  }, [api]);

  const image = discovery?.images.find((i) => i.id === chosen);
  const companion = 'discs-companion';
  const login = [companion, 'login', '--server', location.origin, '--user', identity.username]
    .map(shellWord)
    .join(' ');
  const mount = image ? ['sudo', companion, 'mount', image.id!].map(shellWord).join(' ') : '';
  const details = image ? [companion, 'mount', image.id!, '--attach', 'none'].map(shellWord).join(' ') : '';

  return (
    <Page title="Mount a disc">
      <ErrorLine message={error} />
      {discovery && discovery.images.length === 0 && <p>There is no image to mount yet.</p>}
      {discovery && discovery.images.length > 0 && (
        <>
          <label for="mount-image">Image</label>
          <select id="mount-image" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
            {discovery.images.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name} ({bytes(i.sizeBytes)})
              </option>
            ))}
          </select>
          {image && (
            <>
              <h2>Linux</h2>
              <p>
                Install the companion (it needs Java 17 and open-iscsi), sign in once, then mount. The disc
                stays while the command runs; Ctrl-C gives it back.
              </p>
              <div class="command">
                <code id="login-command">{login}</code>
                <CopyButton text={login} label="Copy the sign-in command" />
              </div>
              <div class="command">
                <code id="mount-command">{mount}</code>
                <CopyButton text={mount} label="Copy the mount command" />
              </div>
              <h2>Windows</h2>
              <p>
                Run <code>{details}</code> in a terminal: it prints the portal, the target's IQN and the CHAP
                user and secret, and keeps the session alive while it runs. In the iSCSI Initiator
                (<code>iscsicpl</code>), add the portal under Discovery, then connect to the target under
                Targets with Advanced, “Enable CHAP log on”, and the user and secret printed. Disconnect
                there before you stop the companion.
              </p>
              <h2>macOS</h2>
              <p>
                macOS has no iSCSI initiator of its own. With a third-party one, use the same{' '}
                <code>--attach none</code> command and enter what it prints; otherwise mount the disc in a
                Linux virtual machine.
              </p>
            </>
          )}
        </>
      )}
    </Page>
  );
}
