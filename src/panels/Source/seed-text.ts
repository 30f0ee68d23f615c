/**
 * The seed files the Source shows, fetched once for the app's lifetime and shared by every mount (StrictMode
 * mounts twice) and every lab. Its own module, outside React's chunk: the entry (src/main.tsx) starts the
 * fetch of the prerendered first state's seed and waits for it before React takes that copy over, so the
 * Source's first render has the text, as the copy the build rendered has it (tools/prerender-first-state.ts).
 */
const seedTexts = new Map<string, Promise<string>>();
/** The texts that have arrived, for a first render that needs no wait. */
const arrived = new Map<string, string>();

/** The text at `url` (the page's base included), fetched once; a failed fetch is tried again next time. */
export function loadSeed(url: string): Promise<string> {
  let text = seedTexts.get(url);
  if (!text) {
    text = fetch(url).then(async (r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status} for ${url}`);
      const body = await r.text();
      arrived.set(url, body);
      return body;
    });
    seedTexts.set(url, text);
    text.catch(() => seedTexts.delete(url)); // let a later mount retry
  }
  return text;
}

/** The text at `url` if it has arrived (or was given by `seedArrived`), else null. */
export function seedText(url: string): string | null {
  return arrived.get(url) ?? null;
}

/** Build time: the seed read from disk, so the prerendered Source shows its code as the page's first render will. */
export function seedArrived(url: string, text: string): void {
  arrived.set(url, text);
  seedTexts.set(url, Promise.resolve(text));
}

/** Where the app fetches a profile's seed (`profile.seed.url` is relative to the page's base). */
export function seedUrl(path: string): string {
  return `${import.meta.env.BASE_URL}${path}`;
}
