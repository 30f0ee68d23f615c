/**
 * The first state, prerendered at build (issue 12: first state painted <= 500 ms after navigation). A plain
 * first visit always opens the library's blank start at step 0, so `vite build` runs the real engine and the
 * real components on it in Node (tools/prerender-first-state.ts) and writes their markup into dist/index.html,
 * one `<template>` per screen size the layout tells apart. A classic inline script right after `#root` (it runs
 * while the HTML is parsed, before the first paint) copies the right one into `#root` only on a plain visit; on
 * any other (a saved session, a link, `?embed=1`, changed preferences) it does nothing, so a returning visitor
 * never sees a state that is not theirs. The copy is inert and aria-busy until React mounts and takes it over
 * (src/app/mount.tsx hydrates it; a mismatch makes React render the root afresh).
 */
import { createHash } from 'node:crypto';
import { runnerImport, type Plugin, type PluginOption } from 'vite';
import type { renderFirstState } from './prerender-first-state';

/** The screen size, as src/app/layout.ts `screenSize` tells them apart (test/prerender.test.ts checks it does). */
const SIZE = `innerWidth>=1500&&innerHeight>=760?'wide':innerWidth>=1150?'medium':'narrow'`;

/**
 * Runs while the HTML is parsed. Plain visit: no `#...` (link, compare, lesson), no `?embed=1`, no saved session
 * (src/app/persistence.ts), preferences absent or at their defaults (src/store/prefs.ts): anything else, or any
 * error (storage disabled), shows nothing until React mounts, as before.
 */
export const FIRST_STATE_SCRIPT =
  `(function(){try{var s=localStorage,p=s.getItem('pager-lab/prefs/v1'),q=p===null?{}:JSON.parse(p);` +
  `if(location.hash||new URLSearchParams(location.search).get('embed')==='1'||` +
  `s.getItem('pager-lab/session/v1')!==null||!q||typeof q!=='object'||` +
  `(q.theme!==undefined&&q.theme!=='system')||(q.fontScale!==undefined&&q.fontScale!==1)||` +
  `(q.layout!==undefined&&q.layout!=='full')||(q.maximised!==undefined&&q.maximised!==null)||` +
  `(q.collapsed!==undefined&&!(Array.isArray(q.collapsed)&&q.collapsed.length===0)))return;` +
  `var t=document.getElementById('first-state-'+(${SIZE}));` +
  `if(!t)return;var r=document.getElementById('root');r.appendChild(t.content.cloneNode(true));` +
  // The bands' height is the screen's less the header's, which App measures once mounted: measured here too
  // (the stylesheets are in, as they are before any inline script runs), or the panels would move at the mount.
  `var a=r.firstElementChild,h=a&&a.querySelector('header');` +
  `if(h)requestAnimationFrame(function(){a.style.setProperty('--chrome-height',h.getBoundingClientRect().height+'px')})` +
  `}catch(e){}})()`;

/** The script's hash, for the Content-Security-Policy (no other inline script is allowed). */
export const FIRST_STATE_SCRIPT_HASH = `'sha256-${createHash('sha256').update(FIRST_STATE_SCRIPT).digest('base64')}'`;

/**
 * Runs while the head is parsed, before any stylesheet (a classic script after a pending stylesheet would wait for
 * it): starts the simulation worker from the URL the build wrote in `<meta name="pager-lab-worker">`, so its
 * thread, script and module compile overlap the entry's fetch and run instead of following them (a link's
 * replay, and a plain visit's first answer, begin that much sooner). src/client/sim-client.ts `simWorker` takes
 * it once; a worker that failed to load before that (`pagerLabFailed`) is replaced by a new one.
 */
export const EARLY_WORKER_SCRIPT =
  `(function(){try{var m=document.querySelector('meta[name="pager-lab-worker"]');` +
  `if(!m||typeof Worker!=='function')return;var w=new Worker(m.content,{type:'module',name:'pager-engine'});` +
  `w.addEventListener('error',function(e){w.pagerLabFailed=e.message||'error'});window.pagerLabWorker=w` +
  `}catch(e){}})()`;

/** The script's hash, for the Content-Security-Policy. */
export const EARLY_WORKER_SCRIPT_HASH = `'sha256-${createHash('sha256').update(EARLY_WORKER_SCRIPT).digest('base64')}'`;

/** The marks on the prerendered copy's root: not usable until React replaces it, and said so. */
export const PRERENDERED_ATTRS = 'data-prerendered="" inert="" aria-busy="true"';

/** CSS imports are styles for the browser; rendering to a string needs none of them. */
function noCss(): Plugin {
  return {
    name: 'pager-lab-prerender-no-css',
    enforce: 'pre',
    resolveId: (source) => (/\.css(\?|$)/.test(source) ? '\0prerender-no-css' : null),
    load: (id) => (id === '\0prerender-no-css' ? 'export {};' : null),
  };
}

/** `plugins`: what the app's modules need to load in Node besides Vite's own (the library's `?library-meta`). */
export function prerenderFirstState(plugins: () => PluginOption[]): Plugin {
  let root = process.cwd();
  let base = '/';
  return {
    name: 'pager-lab-prerender-first-state',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      async handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const { module } = await runnerImport<{ renderFirstState: typeof renderFirstState }>(
          '/tools/prerender-first-state.ts',
          { root, configFile: false, plugins: [noCss(), ...plugins()], logLevel: 'warn' },
        );
        const markup = await module.renderFirstState();
        // The styles of the chunk React mounts with (the panels'), linked now: the prerendered copy is painted
        // before that chunk is fetched. Vite's loader finds the links there and does not add them again.
        const css = new Set<string>();
        const visit = (fileName: string, seen: Set<string>) => {
          const chunk = bundle[fileName];
          if (!chunk || chunk.type !== 'chunk' || seen.has(fileName)) return;
          seen.add(fileName);
          for (const file of chunk.viteMetadata?.importedCss ?? []) css.add(file);
          for (const imported of chunk.imports) visit(imported, seen);
        };
        const mountChunk = Object.values(bundle).find(
          (c) => c.type === 'chunk' && c.facadeModuleId?.replace(/\\/g, '/').endsWith('/src/app/mount.tsx'),
        );
        if (!mountChunk) throw new Error('prerender: no chunk for src/app/mount.tsx in the bundle');
        visit(mountChunk.fileName, new Set());
        const links = [...css]
          .filter((file) => !html.includes(`${base}${file}`))
          .map((file) => `<link rel="stylesheet" crossorigin href="${base}${file}">`)
          .join('');
        const templates = Object.entries(markup)
          .map(([size, body]) => {
            if (!body.startsWith('<div class="app"')) throw new Error(`prerender: unexpected markup for ${size}`);
            const marked = `<div ${PRERENDERED_ATTRS}${body.slice('<div'.length)}`;
            return `<template id="first-state-${size}">${marked}</template>`;
          })
          .join('');
        // The entry starts the worker: `async`, it runs as soon as it is fetched, not after the whole document
        // (the prerendered copies) has been parsed and the copy laid out, so the worker's start is not delayed
        // by the first paint. src/main.tsx waits for the document itself before React mounts.
        const entry = /<script type="module" crossorigin src="([^"]+)"><\/script>/;
        if (!entry.test(html)) throw new Error('prerender: no entry script in index.html');
        html = html.replace(entry, '<script type="module" async crossorigin src="$1"></script>');
        const worker = Object.values(bundle).find((c) => /(^|\/)sim\.worker-[^/]*\.js$/.test(c.fileName));
        if (!worker) throw new Error('prerender: no simulation worker in the bundle');
        const charset = '<meta charset="UTF-8" />';
        if (!html.includes(charset)) throw new Error('prerender: index.html has no charset meta');
        html = html.replace(
          charset,
          `${charset}<meta name="pager-lab-worker" content="${base}${worker.fileName}"><script>${EARLY_WORKER_SCRIPT}</script>`,
        );
        const rootDiv = '<div id="root"></div>';
        if (!html.includes(rootDiv) || !html.includes('</head>'))
          throw new Error('prerender: index.html has no empty #root');
        return html
          .replace('</head>', `${links}</head>`)
          .replace(rootDiv, `${rootDiv}${templates}<script>${FIRST_STATE_SCRIPT}</script>`);
      },
    },
  };
}
