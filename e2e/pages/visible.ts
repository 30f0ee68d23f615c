import type { Locator } from '@playwright/test';
import { expect } from '@playwright/test';

/**
 * Whether elements can be read where it is: brought into view by VERTICAL
 * scrolling only (every scrolling ancestor, then the page, each scrolled back
 * to its left edge), it must lie inside the visible box that its panel and
 * every clipping ancestor leave, and inside the viewport. Horizontal clipping
 * therefore fails: a column that needs a sideways scroll is not readable.
 */
export async function visibleBoxProblems(locator: Locator): Promise<(string | null)[]> {
  return locator.evaluateAll((els) =>
    els.map((el) => {
      const clips: Element[] = [];
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX !== 'visible' || s.overflowY !== 'visible') clips.push(a);
      }
      for (const a of clips) a.scrollLeft = 0;
      window.scrollTo({ left: 0, top: window.scrollY, behavior: 'instant' });
      // Innermost first: centre the element vertically in each scroller, then in the page.
      for (const a of clips) {
        if (a.scrollHeight <= a.clientHeight) continue;
        const e = el.getBoundingClientRect();
        const b = a.getBoundingClientRect();
        a.scrollTop += e.top - b.top - (a.clientHeight - e.height) / 2;
      }
      const e0 = el.getBoundingClientRect();
      window.scrollTo({ left: 0, top: window.scrollY + e0.top - (innerHeight - e0.height) / 2, behavior: 'instant' });
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return `"${(el.textContent ?? '').trim().slice(0, 60)}" has no size`;
      let box = { left: 0, top: 0, right: document.documentElement.clientWidth, bottom: innerHeight };
      for (const a of clips) {
        const b = a.getBoundingClientRect();
        const s = getComputedStyle(a);
        // The padding box clips; a scrollbar takes room from it.
        const left = b.left + a.clientLeft;
        const top = b.top + a.clientTop;
        box = {
          left: Math.max(box.left, left),
          top: Math.max(box.top, top),
          right: Math.min(box.right, left + (s.overflowX === 'visible' ? b.width : a.clientWidth)),
          bottom: Math.min(box.bottom, top + (s.overflowY === 'visible' ? b.height : a.clientHeight)),
        };
      }
      const tol = 1;
      if (r.left < box.left - tol || r.right > box.right + tol || r.top < box.top - tol || r.bottom > box.bottom + tol)
        return (
          `"${(el.textContent ?? '').trim().slice(0, 60)}" at [${Math.round(r.left)}, ${Math.round(r.top)}, ` +
          `${Math.round(r.right)}, ${Math.round(r.bottom)}] is outside its visible box [${Math.round(box.left)}, ` +
          `${Math.round(box.top)}, ${Math.round(box.right)}, ${Math.round(box.bottom)}]`
        );
      return null;
    }),
  );
}

/** Every element `locator` matches is readable where it is (see visibleBoxProblems). */
export async function expectAllReadable(locator: Locator, what: string): Promise<number> {
  const problems = await visibleBoxProblems(locator);
  expect(problems.length, `${what}: nothing to check`).toBeGreaterThan(0);
  expect(
    problems.filter((p) => p !== null),
    `${what} cut off`,
  ).toEqual([]);
  return problems.length;
}
