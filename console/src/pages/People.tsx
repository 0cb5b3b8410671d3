import { useEffect, useState } from 'preact/hooks';
import { type Api, ROLES, type Role, type User } from '../api';
import type { Identity } from '../auth';
import { when } from '../format';
import { ErrorLine, Page, StatusLine, messageOf, DataTable } from '../ui';

function RoleBoxes(props: { idPrefix: string; roles: Role[]; onChange: (roles: Role[]) => void; legend: string }) {
  return (
    <fieldset class="roles">
      <legend>{props.legend}</legend>
      {ROLES.map((role) => (
        <label key={role} for={`${props.idPrefix}-${role}`}>
          <input
            id={`${props.idPrefix}-${role}`}
            type="checkbox"
            checked={props.roles.includes(role)}
            onChange={(e) =>
              props.onChange(
                e.currentTarget.checked ? [...props.roles, role] : props.roles.filter((r) => r !== role),
              )
            }
          />
          {role}
        </label>
      ))}
    </fieldset>
  );
}

export function People({ api, identity }: { api: Api; identity: Identity }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>(['user']);
  const [editing, setEditing] = useState<string | null>(null);
  const [editRoles, setEditRoles] = useState<Role[]>([]);
  const [newPassword, setNewPassword] = useState('');

  useEffect(() => {
    api
      .users()
      .then((u) => setUsers(u.items))
      .catch((e) => setError(`People could not be read: ${messageOf(e)}.`));
  }, [api, reload]);

  const act = async (what: () => Promise<void>, done: string, failed: string) => {
    try {
      await what();
      setStatus(done);
      setError(null);
      setReload((n) => n + 1);
      return true;
    } catch (e) {
      setError(`${failed}: ${messageOf(e)}.`);
      return false;
    }
  };

  const create = async (event: Event) => {
    event.preventDefault();
    if (await act(() => api.createUser(name, password, roles), `${name} was created.`, `${name} was not created`)) {
      setName('');
      setPassword('');
      setRoles(['user']);
    }
  };

  const startEdit = (user: User) => {
    setEditing(user.username);
    setEditRoles(user.roles);
    setNewPassword('');
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const change: { roles: Role[]; password?: string } = { roles: editRoles };
    if (newPassword) {
      change.password = newPassword;
    }
    if (await act(() => api.updateUser(editing!, change), `${editing} was changed; their sign-ins ended.`, `${editing} was not changed`)) {
      setEditing(null);
    }
  };

  const remove = (user: User) => {
    if (window.confirm(`Delete ${user.username}? Their sign-ins end at once; their sessions run out with their leases.`)) {
      act(() => api.deleteUser(user.username), `${user.username} was deleted.`, `${user.username} was not deleted`);
    }
  };

  return (
    <Page title="People">
      <ErrorLine message={error} />
      <StatusLine message={status} />
      <section aria-labelledby="create-title">
        <h2 id="create-title">Add someone</h2>
        <form onSubmit={create} class="grid-form">
          <label for="new-username">User name</label>
          <input id="new-username" required value={name} autocomplete="off" onInput={(e) => setName(e.currentTarget.value)} />
          <label for="new-password">Password (12 characters or more)</label>
          <input
            id="new-password"
            type="password"
            required
            minLength={12}
            autocomplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <RoleBoxes idPrefix="new-role" roles={roles} onChange={setRoles} legend="Roles" />
          <button type="submit">Add</button>
        </form>
      </section>
      <section aria-labelledby="people-title">
        <h2 id="people-title">Everyone</h2>
        <p>Changing someone's roles or password, or deleting them, ends every sign-in they have now.</p>
        {users && (
          <DataTable label="People list" columns={['User', 'Roles', 'Created', 'Actions']}>
                {users.map((user) => (
                  <tr key={user.username}>
                    <th scope="row" class="name">{user.username}</th>
                    <td>{user.roles.join(', ')}</td>
                    <td>
                      {when(user.createdAt)}
                      {user.createdBy ? ` by ${user.createdBy}` : ''}
                    </td>
                    <td class="actions">
                      <button type="button" onClick={() => startEdit(user)} aria-label={`Change ${user.username}`}>
                        Change
                      </button>
                      {user.username !== identity.username && (
                        <button type="button" class="danger" onClick={() => remove(user)} aria-label={`Delete ${user.username}`}>
                          Delete
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </DataTable>
        )}
      </section>
      {editing && (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">Change {editing}</h2>
          <form onSubmit={save} class="grid-form">
            <RoleBoxes idPrefix="edit-role" roles={editRoles} onChange={setEditRoles} legend="Roles" />
            <label for="reset-password">New password (leave empty to keep theirs)</label>
            <input
              id="reset-password"
              type="password"
              minLength={12}
              autocomplete="new-password"
              value={newPassword}
              onInput={(e) => setNewPassword(e.currentTarget.value)}
            />
            <div class="buttons">
              <button type="submit">Save</button>
              <button type="button" onClick={() => setEditing(null)}>
                Cancel
              </button>
            </div>
          </form>
        </section>
      )}
    </Page>
  );
}
