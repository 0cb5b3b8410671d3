// The console's only way to the server: the public /api/v1 API, typed from openapi.yaml.
import type { components } from '../generated/openapi';

export type Image = components['schemas']['Image'];
export type Session = components['schemas']['Session'];
export type AuditEntry = components['schemas']['AuditEntry'];
export type Problem = components['schemas']['Problem'];
export type Role = 'admin' | 'operator' | 'user' | 'auditor';
export const ROLES: Role[] = ['admin', 'operator', 'user', 'auditor'];

export interface User {
  username: string;
  roles: Role[];
  createdAt?: string;
  createdBy?: string;
}

export interface TargetNode {
  node: string;
  portal: string;
  incarnation: string;
  targets: number;
  state: 'serving' | 'gone';
  lastHeardAt: string;
  restartedAt?: string | null;
}

export interface Nodes {
  targetNodes: TargetNode[];
  imageNodes: { listener: string }[];
}

export interface Verdict {
  intact: boolean;
  checked: number;
  firstBrokenId?: number;
  reason?: string;
}

export interface Discovery {
  portals: string[];
  images: Image[];
}

export const BASE = '/api/v1';

/** A refusal from the server, in its own words (problem+json's detail). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a problem+json body, or says what the status means when there is none. */
export async function problemOf(response: Response): Promise<ApiError> {
  let detail = `the server answered ${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as Partial<Problem>;
    if (typeof body.detail === 'string' && body.detail) {
      detail = body.detail;
    }
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(response.status, detail);
}

type Unauthorized = (message: string) => void;

/** Calls with the signed-in token; a 401 signs out (through {@link onUnauthorized}). */
export class Api {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: Unauthorized,
  ) {}

  authorization(): string {
    return `Bearer ${this.token}`;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Authorization: this.authorization() };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    if (response.status === 401) {
      const problem = await problemOf(response);
      this.onUnauthorized(`You were signed out: ${problem.message}.`);
      throw problem;
    }
    if (!response.ok) {
      throw await problemOf(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }

  images(name: string, offset: number, limit: number) {
    const query = new URLSearchParams({
      offset: String(offset),
      limit: String(limit),
      include: 'activeSessions',
    });
    if (name) {
      query.set('name', name);
    }
    return this.call<{ items: Image[] }>('GET', `/images?${query}`);
  }

  deleteImage(id: string) {
    return this.call<void>('DELETE', `/images/${encodeURIComponent(id)}`);
  }

  discovery() {
    return this.call<Discovery>('GET', '/discovery');
  }

  sessions(state: string, offset: number, limit: number) {
    const query = new URLSearchParams({ offset: String(offset), limit: String(limit) });
    if (state) {
      query.set('state', state);
    }
    return this.call<{ items: Session[] }>('GET', `/sessions?${query}`);
  }

  endSession(id: string) {
    return this.call<void>('DELETE', `/sessions/${encodeURIComponent(id)}`);
  }

  users() {
    return this.call<{ items: User[] }>('GET', '/users');
  }

  createUser(username: string, password: string, roles: Role[]) {
    return this.call<void>('POST', '/users', { username, password, roles });
  }

  updateUser(username: string, change: { roles?: Role[]; password?: string }) {
    return this.call<void>('PATCH', `/users/${encodeURIComponent(username)}`, change);
  }

  deleteUser(username: string) {
    return this.call<void>('DELETE', `/users/${encodeURIComponent(username)}`);
  }

  changeOwnPassword(currentPassword: string, newPassword: string) {
    return this.call<void>('POST', '/users/me/password', { currentPassword, newPassword });
  }

  audit(filter: { actor?: string; type?: string; since?: string; before?: number; limit: number }) {
    const query = new URLSearchParams({ limit: String(filter.limit) });
    for (const key of ['actor', 'type', 'since'] as const) {
      const value = filter[key];
      if (value) {
        query.set(key, value);
      }
    }
    if (filter.before !== undefined) {
      query.set('before', String(filter.before));
    }
    return this.call<{ items: AuditEntry[] }>('GET', `/audit?${query}`);
  }

  verifyAudit() {
    return this.call<Verdict>('GET', '/audit/verify');
  }

  nodes() {
    return this.call<Nodes>('GET', '/nodes');
  }

  logout() {
    return this.call<void>('POST', '/auth/logout');
  }
}

/** Signs in; the token is the caller's to keep (in memory and sessionStorage only). */
export async function signIn(
  username: string,
  password: string,
): Promise<{ token: string; expiresIn: number }> {
  const response = await fetch(`${BASE}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
    cache: 'no-store',
  });
  if (!response.ok) {
    throw await problemOf(response);
  }
  const body = (await response.json()) as { access_token: string; expires_in: number };
  return { token: body.access_token, expiresIn: body.expires_in };
}

/** What /ready says, without a token. */
export async function readiness(): Promise<{ status: string; checks?: Record<string, string>; detail?: string }> {
  const response = await fetch('/ready', { cache: 'no-store' });
  if (response.status === 404) {
    return { status: 'elsewhere' };
  }
  return response.json();
}
