/**
 * The first state, prerendered at build (issue 12: first state painted <= 500 ms after navigation). A plain
 * first visit always opens the library's blank start at step 0, so `vite build` runs the real engine and the
 * real components on it in Node (tools/prerender-first-state.ts) and writes their markup into dist/index.html,
 * as text (`<script type="text/html">`, not parsed until chosen), one copy per group of screen sizes whose markup
 * differs only in attribute values (`shareCopies`). A classic inline script right after `#root` (it runs while
 * the HTML is parsed, before the first paint) parses the right one into `#root` only on a plain visit; on
 * any other (a saved session, a link, `?embed=1`, changed preferences) it does nothing, so a returning visitor
 * never sees a state that is not theirs. The copy is inert and aria-busy until React mounts and takes it over
 * (src/app/mount.tsx hydrates it; a mismatch makes React render the root afresh).
 */
import { createHash } from 'node:crypto';
import { runnerImport, type Plugin, type PluginOption } from 'vite';
import type { renderFirstState } from './prerender-first-state';

/** On each copy's `<script type="text/html">`: the screen sizes it is for, space-separated. */
export const COPY_ATTR = 'data-first-state';
/** On an element of a shared copy: `{size: {attribute: value}}` for the sizes whose attributes differ there. */
export const SIZE_ATTRS = 'data-first-state-attrs';

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
  // The copy is text (parsed here, once, for this size only); a copy shared by sizes carries, on the few
  // elements where they differ, each other size's attributes (see `shareCopies`).
  `var z=${SIZE},t=document.querySelector('script[${COPY_ATTR}~="'+z+'"]');` +
  `if(!t)return;var r=document.getElementById('root');r.innerHTML=t.text;` +
  `for(var d=r.querySelectorAll('[${SIZE_ATTRS}]'),i=0;i<d.length;i++){` +
  `var e=d[i],v=JSON.parse(e.getAttribute('${SIZE_ATTRS}'))[z];e.removeAttribute('${SIZE_ATTRS}');` +
  `if(v)for(var k in v)e.setAttribute(k,v[k])}` +
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

/** One start tag and the text after it, or null for anything else (an end tag, a comment). */
function startTag(segment: string): { name: string; attrs: [string, string][]; rest: string } | null {
  const m = /^<([a-zA-Z][\w-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)(\/?>)([\s\S]*)$/.exec(segment);
  if (!m) return null;
  const attrs = [...m[2]!.matchAll(/\s+([^\s=/>]+)(?:="([^"]*)")?/g)].map((a): [string, string] => [a[1]!, a[2] ?? '']);
  return { name: m[1]!, attrs, rest: `${m[3]}${m[4]}` };
}

/**
 * `b`'s markup as attributes to set on `a`'s elements, or null when they differ in more than that: the same
 * elements and text, differing only in the values of attributes both have (and no value with an entity in it,
 * so that the value set is the value written). Keyed by the index of the segment (split before each `<`).
 */
function attributeDifferences(a: string, b: string): Map<number, Record<string, string>> | null {
  const as = a.split(/(?=<)/);
  const bs = b.split(/(?=<)/);
  if (as.length !== bs.length) return null;
  const out = new Map<number, Record<string, string>>();
  for (let i = 0; i < as.length; i++) {
    if (as[i] === bs[i]) continue;
    const ta = startTag(as[i]!);
    const tb = startTag(bs[i]!);
    if (!ta || !tb || ta.name !== tb.name || ta.rest !== tb.rest || ta.attrs.length !== tb.attrs.length) return null;
    const set: Record<string, string> = {};
    for (let j = 0; j < ta.attrs.length; j++) {
      const [name, value] = tb.attrs[j]!;
      if (ta.attrs[j]![0] !== name || value.includes('&') || name === SIZE_ATTRS) return null;
      if (ta.attrs[j]![1] !== value) set[name] = value;
    }
    out.set(i, set);
  }
  return out;
}

/**
 * Copies that differ only in a few attribute values (medium and narrow differ in the root's `data-size` and one
 * column's flex) become one: the page parses a third less markup before its first paint, and the inline
 * script sets the other size's values where they differ (`SIZE_ATTRS` on those elements, removed there).
 */
export function shareCopies(copies: { sizes: string[]; body: string }[]): { sizes: string[]; body: string }[] {
  const out: { sizes: string[]; body: string; patches: Map<number, Record<string, Record<string, string>>> }[] = [];
  for (const copy of copies) {
    let shared = false;
    for (const group of out) {
      const diff = attributeDifferences(group.body, copy.body);
      if (!diff) continue;
      for (const [i, set] of diff) {
        const patch = group.patches.get(i) ?? {};
        for (const size of copy.sizes) patch[size] = set;
        group.patches.set(i, patch);
      }
      group.sizes.push(...copy.sizes);
      shared = true;
      break;
    }
    if (!shared) out.push({ ...copy, sizes: [...copy.sizes], patches: new Map() });
  }
  return out.map(({ sizes, body, patches }) => {
    const segments = body.split(/(?=<)/);
    for (const [i, patch] of patches) {
      const json = JSON.stringify(patch).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
      segments[i] = segments[i]!.replace(/^<[a-zA-Z][\w-]*/, (tag) => `${tag} ${SIZE_ATTRS}="${json}"`);
    }
    return { sizes, body: segments.join('') };
  });
}

/** CSS imports are styles for the browser; rendering to a string needs none of them. */
function noCss(): Plugin {
  return {
    name: 'pager-lab-prerender-no-css',
    enforce: 'pre',
    resolveId: (source) => (/\.css(\?|$)/.test(source) ? '\0prerender-no-css' : null),
    load: (id) => (id === '\0prerender-no-css' ? 'export {};' : null),
  };
}

/**
 * The page's stylesheets (the entry's and React's chunk's, ~35 KB, ~7 KB gzip), written into the page: the first
 * paint waits for every stylesheet in the head, and so does the inline script that shows the copy (a script
 * after a stylesheet waits for it), so a fetch of each from the server was on the first state's path. Each
 * keeps a `disabled` link to its file, which the browser does not fetch: Vite's loader finds it there when
 * React's chunk is imported and does not fetch that chunk's styles again. A stylesheet that refers to anything
 * (`url(`, `@import`: relative to its own address) stays linked.
 */
function inlineStylesheets(html: string, base: string, bundle: Record<string, { type: string }>): string {
  return html.replace(/<link rel="stylesheet" crossorigin href="([^"]+)">/g, (link, href: string) => {
    const asset = bundle[href.slice(base.length)] as { type: string; source?: string | Uint8Array } | undefined;
    if (!href.startsWith(base) || asset?.type !== 'asset' || asset.source === undefined) return link;
    const css = typeof asset.source === 'string' ? asset.source : new TextDecoder().decode(asset.source);
    if (/url\(|@import|<\/style/i.test(css)) return link;
    return `<style>${css}</style><link rel="stylesheet" crossorigin href="${href}" disabled>`;
  });
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
        const copies = shareCopies(
          Object.entries(markup).map(([size, body]) => {
            if (!body.startsWith('<div class="app"')) throw new Error(`prerender: unexpected markup for ${size}`);
            return { sizes: [size], body: `<div ${PRERENDERED_ATTRS}${body.slice('<div'.length)}` };
          }),
        )
          .map(({ sizes, body }) => {
            // Script data ends at the first `</script`; React escapes `<` in text and attributes, so none is there.
            if (/<\/?script/i.test(body)) throw new Error(`prerender: a <script> in the markup for ${sizes}`);
            return `<script type="text/html" ${COPY_ATTR}="${sizes.join(' ')}">${body}</script>`;
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
        html = html
          .replace('</head>', `${links}</head>`)
          .replace(rootDiv, `${rootDiv}${copies}<script>${FIRST_STATE_SCRIPT}</script>`);
        return inlineStylesheets(html, base, bundle);
      },
    },
  };
}
