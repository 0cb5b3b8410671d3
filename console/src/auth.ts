// Who is signed in. The token lives in memory and sessionStorage (this tab only, gone when it
// closes), never in a URL or localStorage.
import type { Role } from './api';

const KEY = 'discs.token';

export interface Identity {
  token: string;
  username: string;
  roles: Role[];
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Reads the claims the console needs; the server checks the token, the console only reads it. */
export function identityOf(token: string): Identity | null {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return null;
  }
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { sub?: unknown; roles?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles) || typeof claims.exp !== 'number') {
      return null;
    }
    return {
      token,
      username: claims.sub,
      roles: claims.roles.filter((r): r is Role => typeof r === 'string') as Role[],
      expiresAt: claims.exp * 1000,
    };
  } catch {
    return null;
  }
}

export function storedIdentity(): Identity | null {
  const token = sessionStorage.getItem(KEY);
  const identity = token ? identityOf(token) : null;
  if (!identity || identity.expiresAt <= Date.now()) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return identity;
}

export function keep(identity: Identity): void {
  sessionStorage.setItem(KEY, identity.token);
}

export function forget(): void {
  sessionStorage.removeItem(KEY);
}

export function hasAny(identity: Identity, ...roles: Role[]): boolean {
  return identity.roles.some((r) => roles.includes(r));
}
