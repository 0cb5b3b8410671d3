import { useState } from 'preact/hooks';
import { signIn } from '../api';
import { type Identity, identityOf } from '../auth';
import { ErrorLine, Page, StatusLine, messageOf } from '../ui';

export function SignIn(props: { farewell: string | null; onSignedIn: (identity: Identity) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { token } = await signIn(username, password);
      const identity = identityOf(token);
      if (!identity) {
        throw new Error('the server answered with a token the console cannot read');
      }
      setPassword('');
      props.onSignedIn(identity);
    } catch (e) {
      setError(`Not signed in: ${messageOf(e)}.`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <Page title="Sign in to discs">
        <StatusLine message={props.farewell} />
        <form onSubmit={submit}>
          <label for="username">User name</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
        <ErrorLine message={error} />
      </Page>
    </main>
  );
}
