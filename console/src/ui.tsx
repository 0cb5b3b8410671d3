// Small pieces every page uses.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/** A refusal or failure, read out when it appears. */
export function ErrorLine({ message }: { message: string | null }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}

/** A quiet confirmation, read out politely. */
export function StatusLine({ message }: { message: string | null }) {
  return (
    <p class="status" role="status" aria-live="polite">
      {message ?? ''}
    </p>
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs {@code task} now and every {@code everyMs} while the page is shown. */
export function usePoll(task: () => Promise<void>, everyMs: number, deps: unknown[]) {
  const latest = useRef(task);
  latest.current = task;
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const run = async () => {
      try {
        await latest.current();
      } finally {
        if (!stopped) {
          timer = window.setTimeout(run, everyMs);
        }
      }
    };
    run();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, deps);
}

/** A ticking "now", for countdowns. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · discs`;
    heading.current?.focus();
  }, [title]);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </section>
  );
}

/** Previous / next for offset paging; "next" is offered while a page comes back full. */
export function Pager(props: {
  offset: number;
  limit: number;
  shown: number;
  onPage: (offset: number) => void;
  label: string;
}) {
  const { offset, limit, shown, onPage, label } = props;
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        Previous
      </button>
      <span>
        {shown === 0 ? 'none' : `${offset + 1}–${offset + shown}`}
      </span>
      <button type="button" disabled={shown < limit} onClick={() => onPage(offset + limit)}>
        Next
      </button>
    </nav>
  );
}

/** Copies text and says so. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="copy"
      aria-label={label}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setDone(true);
          window.setTimeout(() => setDone(false), 1500);
        } catch {
          setDone(false);
        }
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  );
}

/** A table in a scrolling region of its own (keyboard-scrollable), with column headers. */
export function DataTable(props: { label: string; columns: string[]; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={props.label}>
      <table>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
