import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The built app's Content-Security-Policy: scripts, workers and connections from our own origin only, no
 * inline script, no eval. Styles may be inline (React sets style attributes). No frame-ancestors: the lab
 * is meant to be embedded in course pages. The dev server needs inline scripts for hot reload, so the
 * policy is added at build time (a meta tag) and sent as a header by `vite preview`.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
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
 * The first state's scripts, asked for by the page itself: the entry (src/main.tsx) starts the worker and
 * then imports the mount chunk (React and the panels, ~97 KB gzip) and its CSS, so without these links that
 * chunk is requested only once the entry has been fetched and run. `modulepreload` fetches and compiles it
 * in parallel with the entry (the CSP allows it: same origin). The worker's script is preloaded too
 * (`as="worker"`, where the browser supports it), so its fetch does not wait for the entry either.
 */
function preloadFirstState(): Plugin {
  return {
    name: 'pager-lab-preload-first-state',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const files = Object.values(ctx.bundle ?? {});
        const mount = files.find((f) => f.type === 'chunk' && f.facadeModuleId?.endsWith('/src/app/mount.tsx'));
        if (!mount || mount.type !== 'chunk') throw new Error('preloadFirstState: no mount chunk in the bundle');
        // The entry imports itself; the mount chunk's other static imports (shared chunks) come with it.
        const entries = new Set(files.filter((f) => f.type === 'chunk' && f.isEntry).map((f) => f.fileName));
        const scripts = [mount.fileName, ...mount.imports.filter((f) => !entries.has(f))];
        const css = [...(mount.viteMetadata?.importedCss ?? [])];
        const worker = files.find((f) => /(^|\/)sim\.worker-[^/]*\.js$/.test(f.fileName));
        if (!worker) throw new Error('preloadFirstState: no sim.worker script in the bundle');
        const link = (attrs: Record<string, string>) => ({ tag: 'link', attrs, injectTo: 'head' as const });
        return [
          ...scripts.map((f) => link({ rel: 'modulepreload', crossorigin: '', href: `/${f}` })),
          ...css.map((f) => link({ rel: 'preload', as: 'style', crossorigin: '', href: `/${f}` })),
          link({ rel: 'modulepreload', as: 'worker', crossorigin: '', href: `/${worker.fileName}` }),
        ];
      },
    },
  };
}

/**
 * `scenarios/x.json?library-meta`: what the library's picker needs of a scenario (its pager, its title's
 * first sentence and its first thread) without the scenario itself, so the first page holds the list and fetches a scenario's
 * text (its own chunk) when it is opened.
 */
/** The first sentence of `text` (of at least 40 characters), at most 140 (cut at a word, with an ellipsis). */
function firstSentence(text: string): string {
  const end = text.slice(40).search(/[.;](\s|$)/);
  const sentence = end < 0 ? text : text.slice(0, 40 + end + 1);
  return sentence.length <= 140 ? sentence : `${sentence.slice(0, sentence.lastIndexOf(' ', 139))}…`;
}

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

export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), libraryMeta(), preloadFirstState()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { port: 4173, strictPort: true, headers: { 'Content-Security-Policy': CSP } },
});
