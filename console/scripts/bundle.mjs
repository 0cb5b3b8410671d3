// Bundles the console into target/classes/io/discs/console/ (the jar's resources): one script,
// one style sheet, the page. Minified, no source maps in the jar, hashes left out so the page
// names fixed files (the gateway serves them with ETags instead).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const out = process.env.CONSOLE_OUT ?? 'target/classes/io/discs/console';
const budgetBytes = 150 * 1024;

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: ['src/main.tsx'],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  outfile: path.join(out, 'console.js'),
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of fs.readdirSync('static')) {
  fs.copyFileSync(path.join('static', file), path.join(out, file));
}
const script = fs.readFileSync(path.join(out, 'console.js'));
const gzipped = zlib.gzipSync(script, { level: 9 }).length;
if (gzipped > budgetBytes) {
  console.error(`console.js is ${gzipped} bytes gzipped, over the ${budgetBytes}-byte budget`);
  process.exit(1);
}
const files = fs.readdirSync(out).sort();
fs.writeFileSync(path.join(out, 'files.txt'), files.filter((f) => f !== 'files.txt').join('\n') + '\n');
console.log(`console: ${files.length} files, console.js ${script.length} bytes (${gzipped} gzipped)`);
