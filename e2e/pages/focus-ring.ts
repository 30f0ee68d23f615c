import type { Locator, Page } from '@playwright/test';

type Side = 'top' | 'right' | 'bottom' | 'left';

/** What Tab reached: how many controls were looked at, and which showed no ring or too faint a one. */
export interface RingReport {
  checked: number;
  /** Focused and blurred photos identical: the ring is not drawn where anyone can see it. */
  unseen: string[];
  /**
   * A ring is drawn, but less than half of a full one stands out (3:1) from what was there: fewer such pixels than
   * a 1.5px line round the box (a 3px ring has some 3px of them); or less than a 2px line along one of its sides.
   */
  faint: string[];
  /**
   * One of COVERED_REGIONS whose ring (drawn inside it) is painted over along a side by what it holds: seen on
   * its other sides. Told, not failed on; any other control with a side covered is `faint`.
   */
  regionSidesCovered: string[];
}

/**
 * Scrolling regions whose ring, drawn inside, is still painted over on a side by what scrolls in them (docs/
 * lecture.md): the Page bits table (its sticky header) and the object panel at 150% text.
 */
const COVERED_REGIONS = new Set(['div "Page bits table"', 'div "uvn flags, scrolling"']);

/**
 * Keyboard users follow the focus ring: every control Tab reaches must show one. A ring drawn outside a box
 * that its parent clips (a Timeline row cuts off a long step's text) is not seen at all, so each control is
 * photographed focused and again blurred: the two must differ. And a ring must stand out from what it sits on
 * (WCAG 1.4.11: 3:1): each changed pixel's colour is measured against the same pixel blurred, and the pixels
 * that contrast by 3:1 must add up to at least half a 3px ring round the box, and to a 2px line along each of its
 * sides (a side clipped by a scrolling parent, or painted over by a neighbour, leaves a ring that is hard to see).
 *
 * Tab is pressed `tabs` times from wherever focus is; controls are told apart by tag and name, so a control met
 * again (Tab wrapping round a dialog) is photographed once. With `within`, only controls inside it are looked
 * at; with `from`, Tab starts at that control (reached from the one before it by the keyboard, as a person would).
 */
export async function controlsWithoutRing(
  page: Page,
  tabs: number,
  { within, from }: { within?: Locator; from?: Locator } = {},
): Promise<RingReport> {
  const seen = new Set<string>();
  const unseen: string[] = [];
  const faint: string[] = [];
  const regionSidesCovered: string[] = [];
  if (from) {
    await from.focus();
    await page.keyboard.press('Shift+Tab');
  }
  for (let i = 0; i < tabs; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const r = el.getBoundingClientRect();
      const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 60);
      // Off screen, ring and all (the skip link before it is shown, a row scrolled away): nothing to look at.
      const shown =
        r.width > 0 &&
        r.height > 0 &&
        r.top >= 4 &&
        r.left >= 4 &&
        r.bottom + 4 <= innerHeight &&
        r.right + 4 <= innerWidth;
      const region = el.getAttribute('role') === 'region';
      return { key: `${el.tagName.toLowerCase()} "${name}"`, shown, region, x: r.x, y: r.y, w: r.width, h: r.height };
    });
    if (!focused || seen.has(focused.key) || !focused.shown) continue;
    if (within && !(await within.evaluate((root) => root.contains(document.activeElement)))) continue;
    seen.add(focused.key);
    const clip = {
      x: Math.max(0, focused.x - 5),
      y: Math.max(0, focused.y - 5),
      width: focused.w + 10,
      height: focused.h + 10,
    };
    const withRing = await page.screenshot({ clip, animations: 'disabled', caret: 'hide' });
    const handle = await page.evaluateHandle(() => document.activeElement as HTMLElement);
    await handle.evaluate((el) => el.blur());
    const without = await page.screenshot({ clip, animations: 'disabled', caret: 'hide' });
    // Back to where Tab left off, as a keyboard user would be.
    await handle.evaluate((el) => el.focus());
    if (withRing.equals(without)) {
      unseen.push(focused.key);
      continue;
    }
    const box = { x: focused.x - clip.x, y: focused.y - clip.y, w: focused.w, h: focused.h };
    const { total, sides } = await contrastingPixels(page, withRing, without, box);
    // Half a 3px ring in all; and along each side at least a 2px line (less: that side is clipped, or something
    // paints over it).
    const short = (Object.keys(sides) as Side[]).filter(
      (side) => sides[side] < 2 * (side === 'top' || side === 'bottom' ? focused.w : focused.h),
    );
    const why = short.length ? `; too few at its ${short.join(', ')}` : '';
    if (total < 1.5 * 2 * (focused.w + focused.h)) faint.push(`${focused.key} (${total} px at 3:1${why})`);
    else if (short.length && focused.region && COVERED_REGIONS.has(focused.key))
      regionSidesCovered.push(`${focused.key} (${short.join(', ')})`);
    else if (short.length) faint.push(`${focused.key} (${total} px at 3:1${why})`);
  }
  return { checked: seen.size, unseen, faint, regionSidesCovered };
}

/**
 * Which pixels of `focused` contrast by 3:1 or more with the same pixel of `blurred` (two PNGs of one size, the
 * control's `box` inside them): how many in all, and how many along each side of the box (in a band from 5px
 * outside it to 4px inside, where a ring drawn outside or inside lies).
 */
async function contrastingPixels(
  page: Page,
  focused: Buffer,
  blurred: Buffer,
  box: { x: number; y: number; w: number; h: number },
): Promise<{ total: number; sides: Record<Side, number> }> {
  return page.evaluate(
    async ([a, b, box]) => {
      const pixels = async (b64: string) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return {
          width: bitmap.width,
          height: bitmap.height,
          data: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data,
        };
      };
      const lum = (d: Uint8ClampedArray, i: number) => {
        const c = (v: number) => {
          const s = v / 255;
          return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * c(d[i]!) + 0.7152 * c(d[i + 1]!) + 0.0722 * c(d[i + 2]!);
      };
      const [f, u] = await Promise.all([pixels(a), pixels(b)]);
      const [x0, y0, x1, y1] = [
        Math.round(box.x),
        Math.round(box.y),
        Math.round(box.x + box.w),
        Math.round(box.y + box.h),
      ];
      const sides = { top: 0, right: 0, bottom: 0, left: 0 };
      let total = 0;
      for (let y = 0; y < f.height; y++)
        for (let x = 0; x < f.width; x++) {
          const i = (y * f.width + x) * 4;
          const [l1, l2] = [lum(f.data, i), lum(u.data, i)];
          if ((Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05) < 3) continue;
          total++;
          const along = x >= x0 && x < x1;
          const down = y >= y0 && y < y1;
          if (along && y >= y0 - 5 && y < y0 + 4) sides.top++;
          if (along && y >= y1 - 4 && y < y1 + 5) sides.bottom++;
          if (down && x >= x0 - 5 && x < x0 + 4) sides.left++;
          if (down && x >= x1 - 4 && x < x1 + 5) sides.right++;
        }
      return { total, sides };
    },
    [focused.toString('base64'), blurred.toString('base64'), box] as const,
  );
}
