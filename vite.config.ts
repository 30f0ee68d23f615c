import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { firstSentence } from './src/protocol/format';
import { EARLY_WORKER_SCRIPT_HASH, FIRST_STATE_SCRIPT_HASH, prerenderFirstState } from './tools/prerender-plugin';

/**
 * The built app's Content-Security-Policy: scripts, workers and connections from our own origin only, no
 * inline script but the one that shows the prerendered first state and the one that starts the worker
 * early (tools/prerender-plugin.ts, by their hashes), no eval. Styles may be inline (React sets style attributes). No frame-ancestors: the lab
 * is meant to be embedded in course pages. The dev server needs inline scripts for hot reload, so the
 * policy is added at build time (a meta tag) and sent as a header by `vite preview`.
 */
export const CSP = [
  "default-src 'self'",
  `script-src 'self' ${FIRST_STATE_SCRIPT_HASH} ${EARLY_WORKER_SCRIPT_HASH}`,
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'pager-lab-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * `scenarios/x.json?library-meta`: what the library's picker needs of a scenario (its pager, its title's
 * first sentence and its first thread) without the scenario itself, so the first page holds the list and fetches a scenario's
 * text (its own chunk) when it is opened.
 */

export function libraryMeta(): Plugin {
  return {
    name: 'pager-lab-library-meta',
    enforce: 'pre',
    load(id) {
      const [file, query] = id.split('?');
      if (query !== 'library-meta' || !file) return null;
      const s = JSON.parse(readFileSync(file, 'utf8')) as { pager?: unknown; title?: unknown; steps?: unknown };
      const steps = Array.isArray(s.steps) ? (s.steps as { spawn?: unknown }[]) : [];
      const spawn = steps.find((x) => typeof x?.spawn === 'string')?.spawn ?? null;
      // The picker's tooltip needs only the title's first sentence; the whole explanation comes with the text.
      const title = typeof s.title === 'string' ? firstSentence(s.title) : null;
      return `export default ${JSON.stringify({ pager: s.pager, title, firstThread: spawn })};`;
    },
  };
}

/**
 * The simulation worker's build takes src/engine/built-in.lazy.ts for built-in.ts: each kernel is then a
 * chunk of its own, fetched when a scenario of it is first opened, so a plain load compiles OpenBSD's model
 * only. Node (tests, tools) and the explorer's worker keep built-in.ts, both models at once.
 */
export function lazyPagers(): Plugin {
  let simWorker = false;
  return {
    name: 'pager-lab-lazy-pagers',
    enforce: 'pre',
    buildStart(options) {
      const input = options.input;
      const entries = Array.isArray(input) ? input : Object.values(input);
      simWorker = entries.some((entry) => /[\\/]sim\.worker\.ts$/.test(entry));
    },
    async resolveId(source, importer, options) {
      if (!simWorker || source !== './built-in' || !importer?.endsWith('/src/engine/registry.ts')) return null;
      return this.resolve('./built-in.lazy', importer, { ...options, skipSelf: true });
    },
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), libraryMeta(), prerenderFirstState(() => [libraryMeta()])],
  worker: { format: 'es', plugins: () => [lazyPagers()] },
  build: { target: 'es2022', sourcemap: true },
  preview: { port: 4173, strictPort: true, headers: { 'Content-Security-Policy': CSP } },
});
