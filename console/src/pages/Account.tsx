import { useState } from 'preact/hooks';
import type { Api } from '../api';
import { ErrorLine, Page, messageOf } from '../ui';

export function Account({ api, onChanged }: { api: Api; onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (next !== again) {
      setError('The new password and its repetition differ.');
      return;
    }
    try {
      await api.changeOwnPassword(current, next);
      onChanged();
    } catch (e) {
      setError(`The password was not changed: ${messageOf(e)}.`);
    }
  };

  return (
    <Page title="Account">
      <h2>Change your password</h2>
      <p>Every sign-in you have ends when it changes, this one too.</p>
      <form onSubmit={submit} class="grid-form">
        <label for="current-password">Current password</label>
        <input id="current-password" type="password" required autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        <label for="next-password">New password (12 characters or more)</label>
        <input id="next-password" type="password" required minLength={12} autocomplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        <label for="again-password">New password again</label>
        <input id="again-password" type="password" required minLength={12} autocomplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
        <button type="submit">Change password</button>
      </form>
      <ErrorLine message={error} />
    </Page>
  );
}
