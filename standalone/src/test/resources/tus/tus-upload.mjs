// Drives tus-js-client (the reference tus client) against discs, as a browser or Node app would.
//   node tus-upload.mjs half   ENDPOINT TOKEN_FILE FILE NAME SHA256   -> uploads about half, aborts
//   node tus-upload.mjs resume UPLOAD_URL TOKEN_FILE FILE              -> resumes and finishes
// Prints one JSON line: {"url":...,"accepted":...} or {"url":...,"imageId":...}.
import * as fs from 'node:fs';
import * as tus from 'tus-js-client';

const [mode, where, tokenFile, file, name, sha256] = process.argv.slice(2);
const token = fs.readFileSync(tokenFile, 'utf8').trim();
const bytes = fs.readFileSync(file);
const common = {
  chunkSize: 4 * 1024 * 1024,
  retryDelays: [0, 500, 1000, 2000],
  headers: { Authorization: `Bearer ${token}` },
  onError: (error) => {
    console.log(JSON.stringify({ error: String(error) }));
    process.exit(1);
  },
};

if (mode === 'half') {
  const upload = new tus.Upload(bytes, {
    ...common,
    endpoint: where,
    metadata: { name, sha256 },
    onChunkComplete: (chunk, accepted, total) => {
      if (accepted >= total / 2) {
        upload.abort().then(() => {
          console.log(JSON.stringify({ url: upload.url, accepted }));
          process.exit(0);
        });
      }
    },
  });
  upload.start();
} else if (mode === 'resume') {
  const upload = new tus.Upload(bytes, {
    ...common,
    uploadUrl: where,
    onSuccess: (payload) => {
      const imageId = payload && payload.lastResponse
        ? payload.lastResponse.getHeader('Discs-Image-Id') : null;
      console.log(JSON.stringify({ url: upload.url, imageId }));
      process.exit(0);
    },
  });
  upload.start();
} else {
  console.log(JSON.stringify({ error: `unknown mode ${mode}` }));
  process.exit(2);
}
