import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Api } from './api';
import { type Identity, forget, keep, storedIdentity } from './auth';
import { allowed, pageFromHash, type PageId } from './routes';
import { SignIn } from './pages/SignIn';
import { Library } from './pages/Library';
import { Upload } from './pages/Upload';
import { Sessions } from './pages/Sessions';
import { Mount } from './pages/Mount';
import { People } from './pages/People';
import { Audit } from './pages/Audit';
import { Nodes } from './pages/Nodes';
import { Account } from './pages/Account';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

export function App() {
  const [identity, setIdentity] = useState<Identity | null>(storedIdentity);
  const [farewell, setFarewell] = useState<string | null>(null);
  const hash = useHash();

  const signOut = useCallback((message: string | null) => {
    forget();
    setIdentity(null);
    setFarewell(message);
  }, []);

  // A token ends on its own: sign out then, saying why, rather than fail the next click.
  useEffect(() => {
    if (!identity) {
      return;
    }
    const timer = window.setTimeout(
      () => signOut('Your sign-in expired. Sign in again to go on.'),
      Math.max(0, identity.expiresAt - Date.now()),
    );
    return () => window.clearTimeout(timer);
  }, [identity, signOut]);

  const api = useMemo(
    () => (identity ? new Api(identity.token, (message) => signOut(message)) : null),
    [identity, signOut],
  );

  if (!identity || !api) {
    return (
      <SignIn
        farewell={farewell}
        onSignedIn={(signedIn) => {
          keep(signedIn);
          setFarewell(null);
          setIdentity(signedIn);
        }}
      />
    );
  }

  const pages = allowed(identity.roles);
  const requested = pageFromHash(hash);
  const current: PageId = pages.some((p) => p.id === requested) ? requested! : pages[0]?.id ?? 'account';

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header>
        <span class="brand">discs</span>
        <nav aria-label="Pages">
          <ul>
            {pages.map((p) => (
              <li key={p.id}>
                <a href={`#/${p.id}`} aria-current={p.id === current ? 'page' : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          {identity.username} ({identity.roles.join(', ')})
        </span>
        <button
          type="button"
          onClick={() => {
            api.logout().catch(() => undefined).finally(() => signOut('You signed out.'));
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {current === 'library' && <Library api={api} identity={identity} />}
        {current === 'upload' && <Upload api={api} />}
        {current === 'sessions' && <Sessions api={api} identity={identity} />}
        {current === 'mount' && <Mount api={api} identity={identity} />}
        {current === 'people' && <People api={api} identity={identity} />}
        {current === 'audit' && <Audit api={api} />}
        {current === 'nodes' && <Nodes api={api} />}
        {current === 'account' && <Account api={api} onChanged={() => signOut('Your password changed: sign in with the new one.')} />}
      </main>
    </>
  );
}
