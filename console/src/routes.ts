// The pages, who may see them, and where they live (the part of the URL after '#').
import type { Role } from './api';

export type PageId =
  | 'library'
  | 'upload'
  | 'sessions'
  | 'mount'
  | 'people'
  | 'audit'
  | 'nodes'
  | 'account';

export interface PageEntry {
  id: PageId;
  title: string;
  roles: Role[];
}

export const PAGES: PageEntry[] = [
  { id: 'library', title: 'Library', roles: ['admin', 'operator', 'user'] },
  { id: 'upload', title: 'Upload', roles: ['admin', 'operator'] },
  { id: 'sessions', title: 'Sessions', roles: ['admin', 'operator', 'user'] },
  { id: 'mount', title: 'Mount a disc', roles: ['admin', 'operator', 'user'] },
  { id: 'people', title: 'People', roles: ['admin'] },
  { id: 'audit', title: 'Audit', roles: ['admin', 'auditor'] },
  { id: 'nodes', title: 'Nodes', roles: ['admin', 'operator'] },
  { id: 'account', title: 'Account', roles: ['admin', 'operator', 'user', 'auditor'] },
];

export function pageFromHash(hash: string): PageId | null {
  const id = hash.replace(/^#\/?/, '');
  return PAGES.some((p) => p.id === id) ? (id as PageId) : null;
}

export function allowed(roles: Role[]): PageEntry[] {
  return PAGES.filter((p) => p.roles.some((r) => roles.includes(r)));
}
