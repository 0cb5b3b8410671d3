// How numbers and times read in the console.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n: number | undefined): string {
  if (n === undefined || n === null) {
    return '—';
  }
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

export function when(iso: string | undefined | null): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** "12 s", "3 min 5 s", "2 h 1 min"; negative spans read as "over". */
export function span(ms: number): string {
  if (ms <= 0) {
    return 'over';
  }
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return `${s} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m} min ${s % 60} s`;
  }
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function ago(iso: string | undefined | null, now: number): string {
  if (!iso) {
    return '—';
  }
  const ms = now - new Date(iso).getTime();
  return ms < 1000 ? 'just now' : `${span(ms)} ago`;
}

export function rate(bytesPerSecond: number): string {
  return `${bytes(Math.round(bytesPerSecond))}/s`;
}
