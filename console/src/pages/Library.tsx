import { useEffect, useState } from 'preact/hooks';
import { type Api, type Image, problemOf } from '../api';
import { type Identity, hasAny } from '../auth';
import { bytes, when } from '../format';
import { CopyButton, ErrorLine, Page, Pager, StatusLine, messageOf, DataTable } from '../ui';

const PAGE = 50;

export function Library({ api, identity }: { api: Api; identity: Identity }) {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const [images, setImages] = useState<Image[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const mayDelete = hasAny(identity, 'admin', 'operator');

  // Typing waits a little before asking, so a search is one request, not one per key.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setQuery(search.trim());
      setOffset(0);
    }, 250);
    return () => window.clearTimeout(timer);
  }, [search]);

  useEffect(() => {
    let current = true;
    api
      .images(query, offset, PAGE)
      .then((page) => current && (setImages(page.items), setError(null)))
      .catch((e) => current && setError(`The library could not be read: ${messageOf(e)}.`));
    return () => {
      current = false;
    };
  }, [api, query, offset, reload]);

  const remove = async (image: Image) => {
    if (!window.confirm(`Delete ${image.name}? Its bytes are removed from the library for good.`)) {
      return;
    }
    try {
      await api.deleteImage(image.id!);
      setStatus(`${image.name} was deleted.`);
      setError(null);
      setReload((n) => n + 1);
    } catch (e) {
      setError(`${image.name} was not deleted: ${messageOf(e)}.`);
    }
  };

  const download = async (image: Image) => {
    setStatus(`Downloading ${image.name}…`);
    try {
      const response = await fetch(`/api/v1/images/${encodeURIComponent(image.id!)}/content`, {
        headers: { Authorization: api.authorization() },
      });
      if (!response.ok) {
        throw await problemOf(response);
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = image.name ?? 'image.iso';
      link.click();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setStatus(`${image.name} downloaded.`);
    } catch (e) {
      setError(`${image.name} could not be downloaded: ${messageOf(e)}.`);
    }
  };

  return (
    <Page title="Library">
      <div class="toolbar">
        <label for="image-search">Search by name</label>
        <input
          id="image-search"
          type="search"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
      </div>
      <ErrorLine message={error} />
      <StatusLine message={status} />
      {images === null ? (
        <p>Loading…</p>
      ) : images.length === 0 ? (
        <p>{query ? `No image's name contains “${query}”.` : 'The library is empty.'}</p>
      ) : (
        <DataTable label="Images" columns={['Name', 'Size', 'Volume', 'Bootable', 'SHA-256', 'Uploaded', 'In use', 'Actions']}>
              {images.map((image) => (
                <tr key={image.id}>
                  <th scope="row" class="name">
                    {image.name}
                  </th>
                  <td>{bytes(image.sizeBytes)}</td>
                  <td>{image.volumeId ?? '—'}</td>
                  <td>{image.bootable ? 'yes' : 'no'}</td>
                  <td class="digest">
                    <code title={image.sha256}>{image.sha256?.slice(0, 12)}…</code>
                    <CopyButton text={image.sha256 ?? ''} label={`Copy the SHA-256 of ${image.name}`} />
                  </td>
                  <td>
                    {when(image.createdAt)} by {image.createdBy}
                  </td>
                  <td>{image.activeSessions ? `${image.activeSessions} session(s)` : 'no'}</td>
                  <td class="actions">
                    <button type="button" onClick={() => download(image)} aria-label={`Download ${image.name}`}>
                      Download
                    </button>
                    {mayDelete && (
                      <button type="button" class="danger" onClick={() => remove(image)} aria-label={`Delete ${image.name}`}>
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
      )}
      <Pager offset={offset} limit={PAGE} shown={images?.length ?? 0} onPage={setOffset} label="Library" />
    </Page>
  );
}
