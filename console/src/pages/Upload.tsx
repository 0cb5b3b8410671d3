import { useEffect, useRef, useState } from 'preact/hooks';
import * as tus from 'tus-js-client';
import type { Api, Image } from '../api';
import { bytes, rate } from '../format';
import { ErrorLine, Page, StatusLine, messageOf } from '../ui';

/** Each PATCH carries this much: progress the server has recorded survives a pause or a reload. */
const CHUNK_BYTES = 8 * 1024 * 1024;

type Phase = 'uploading' | 'paused' | 'checking' | 'done' | 'refused';

interface Row {
  key: string;
  name: string;
  size: number;
  sent: number;
  speed: number;
  phase: Phase;
  note: string | null;
  image: Image | null;
}

/** The server's words for a refusal, from tus-js-client's error. */
function refusal(error: Error): string {
  const detailed = error as tus.DetailedError & { originalResponse?: tus.HttpResponse | null };
  const response = detailed.originalResponse;
  if (response) {
    try {
      const problem = JSON.parse(response.getBody()) as { detail?: string };
      if (problem.detail) {
        return problem.detail;
      }
    } catch {
      // Not problem+json.
    }
    return `the server answered ${response.getStatus()}`;
  }
  return 'the connection to the server was lost';
}

export function Upload({ api }: { api: Api }) {
  const [rows, setRows] = useState<Row[]>([]);
  const [unfinished, setUnfinished] = useState<tus.PreviousUpload[]>([]);
  const [error, setError] = useState<string | null>(null);
  const uploads = useRef(new Map<string, tus.Upload>());

  const update = (key: string, change: Partial<Row>) =>
    setRows((all) => all.map((r) => (r.key === key ? { ...r, ...change } : r)));

  const refreshUnfinished = () =>
    tus.defaultOptions.urlStorage
      .findAllUploads()
      .then(setUnfinished)
      .catch(() => setUnfinished([]));

  useEffect(() => {
    refreshUnfinished();
    const running = uploads.current;
    // Leaving the page pauses what runs; the server keeps it for resuming.
    return () => running.forEach((u) => u.abort());
  }, []);

  const begin = async (file: File) => {
    const key = `${file.name}:${file.size}:${file.lastModified}:${Math.random()}`;
    let lastAt = performance.now();
    let lastSent = 0;
    const upload = new tus.Upload(file, {
      endpoint: '/api/v1/uploads',
      chunkSize: CHUNK_BYTES,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      metadata: { name: file.name },
      headers: { Authorization: api.authorization() },
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => {
        const now = performance.now();
        if (now - lastAt >= 500) {
          const speed = ((sent - lastSent) * 1000) / (now - lastAt);
          lastAt = now;
          lastSent = sent;
          update(key, { sent, speed: Math.max(0, speed) });
        } else {
          update(key, { sent });
        }
        if (sent === total) {
          update(key, { phase: 'checking', note: 'The server is checking the disc…' });
        }
      },
      onError: (e) => {
        update(key, { phase: 'refused', note: `Refused: ${refusal(e)}.` });
        refreshUnfinished();
      },
      onSuccess: async ({ lastResponse }) => {
        uploads.current.delete(key);
        refreshUnfinished();
        const id = lastResponse.getHeader('Discs-Image-Id');
        try {
          const image = id ? await api.call<Image>('GET', `/images/${encodeURIComponent(id)}`) : null;
          update(key, { phase: 'done', sent: file.size, image, note: null });
        } catch (e) {
          update(key, { phase: 'done', note: `Stored; its record could not be read: ${messageOf(e)}.` });
        }
      },
    });
    uploads.current.set(key, upload);
    setRows((all) => [
      ...all,
      { key, name: file.name, size: file.size, sent: 0, speed: 0, phase: 'uploading', note: null, image: null },
    ]);
    const previous = await upload.findPreviousUploads();
    if (previous.length > 0) {
      upload.resumeFromPreviousUpload(previous[0]);
      update(key, { note: 'Resuming where the earlier upload of this file stopped.' });
    }
    upload.start();
  };

  const pause = (row: Row) => {
    uploads.current.get(row.key)?.abort();
    update(row.key, { phase: 'paused', speed: 0, note: 'Paused: the server keeps what it has.' });
  };

  const resume = (row: Row) => {
    update(row.key, { phase: 'uploading', note: null });
    uploads.current.get(row.key)?.start();
  };

  const forget = async (previous: tus.PreviousUpload) => {
    try {
      if (previous.uploadUrl) {
        await api.call<void>('DELETE', previous.uploadUrl.replace(/^.*\/api\/v1/, ''));
      }
    } catch (e) {
      setError(`The unfinished upload could not be removed from the server: ${messageOf(e)}.`);
    }
    await tus.defaultOptions.urlStorage.removeUpload(previous.urlStorageKey);
    refreshUnfinished();
  };

  const running = new Set(rows.filter((r) => r.phase !== 'done').map((r) => r.name));
  const waiting = unfinished.filter((u) => !running.has(u.metadata.name));

  return (
    <Page title="Upload">
      <p>
        ISO 9660 and UDF images. Several at once; each can be paused, and an upload cut off (a closed
        tab, a lost connection) resumes when you choose the same file again.
      </p>
      <label for="files">Choose disc images</label>
      <input
        id="files"
        type="file"
        multiple
        accept=".iso,.udf,.img,application/x-iso9660-image"
        onChange={(e) => {
          const input = e.currentTarget;
          Array.from(input.files ?? []).forEach((f) => begin(f).catch((x) => setError(messageOf(x))));
          input.value = '';
        }}
      />
      <ErrorLine message={error} />
      {waiting.length > 0 && (
        <section aria-labelledby="unfinished-title">
          <h2 id="unfinished-title">Unfinished uploads</h2>
          <p>Choose the same file again to resume one.</p>
          <ul class="unfinished">
            {waiting.map((u) => (
              <li key={u.urlStorageKey}>
                <span class="name">{u.metadata.name}</span> ({bytes(u.size ?? undefined)}), begun{' '}
                {new Date(u.creationTime).toLocaleString()}{' '}
                <button type="button" onClick={() => forget(u)} aria-label={`Discard the unfinished upload of ${u.metadata.name}`}>
                  Discard
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <ul class="uploads" aria-label="Uploads">
        {rows.map((row) => (
          <li key={row.key} class={`upload ${row.phase}`}>
            <div class="upload-head">
              <span class="name">{row.name}</span>
              <span>
                {bytes(row.sent)} of {bytes(row.size)}
                {row.phase === 'uploading' && row.speed > 0 ? ` at ${rate(row.speed)}` : ''}
              </span>
            </div>
            <progress max={row.size || 1} value={row.sent} aria-label={`${row.name} uploaded`} />
            <div class="upload-actions">
              {row.phase === 'uploading' && (
                <button type="button" onClick={() => pause(row)} aria-label={`Pause ${row.name}`}>
                  Pause
                </button>
              )}
              {row.phase === 'paused' && (
                <button type="button" onClick={() => resume(row)} aria-label={`Resume ${row.name}`}>
                  Resume
                </button>
              )}
              <span class="phase">{row.phase}</span>
            </div>
            {row.note && <p class={row.phase === 'refused' ? 'error' : 'note'}>{row.note}</p>}
            {row.image && (
              <p class="stored">
                Stored as {row.image.name}. SHA-256 computed by the server:{' '}
                <code class="sha256">{row.image.sha256}</code>
              </p>
            )}
          </li>
        ))}
      </ul>
      <StatusLine
        message={rows.length ? `${rows.filter((r) => r.phase === 'done').length} of ${rows.length} uploads done.` : null}
      />
    </Page>
  );
}
