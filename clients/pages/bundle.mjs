// Bundles each page's script (src/ts/<page>.ts, with the client library from ../js/src) for browsers, and copies
// the pages' HTML and CSS (web/) beside them, into the directory given (the jar's class path when Maven runs it).
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const out = resolve(process.argv[2] ?? 'target/classes/io/switchboard/pages/web');
mkdirSync(out, { recursive: true });
cpSync('web', out, { recursive: true });
await build({
  entryPoints: ['src/ts/chat.ts', 'src/ts/agent.ts', 'src/ts/admin.ts'],
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: 'linked',
  // The client loads `ws` only where there is no WebSocket (Node); browsers have one.
  external: ['ws'],
  logLevel: 'warning',
});
