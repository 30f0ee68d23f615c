/**
 * The seed files the Source panel shows: one fetch per file for the app's lifetime, shared by every mount
 * (StrictMode mounts twice) and every lab, and the text kept once it is in, so a render can have it at once.
 * A link visit fetches its seed while the worker replays the link (main.tsx, from the open's progress): the
 * render that shows the link's state then shows its source too, rather than a second render and layout after it.
 */
const fetches = new Map<string, Promise<string>>();
const texts = new Map<string, string>();

/** Where the page fetches `path` (a profile's `seed.url`, relative to the app). */
const urlOf = (path: string) => `${import.meta.env.BASE_URL}${path}`;

export function fetchSeed(path: string): Promise<string> {
  const url = urlOf(path);
  let text = fetches.get(url);
  if (!text) {
    text = fetch(url).then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status} for ${url}`);
      return r.text();
    });
    fetches.set(url, text);
    text.then(
      (t) => texts.set(url, t),
      () => fetches.delete(url), // let a later mount retry
    );
  }
  return text;
}

/** The text of `path` if a fetch of it has come in, else undefined. */
export function fetchedSeed(path: string): string | undefined {
  return texts.get(urlOf(path));
}
