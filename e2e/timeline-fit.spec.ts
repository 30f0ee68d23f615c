import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { Lab } from './pages/Lab';

/**
 * The Timeline once the history has branches, on a lecture hall's screens in the default layout: every control
 * of its Branches bar lies whole inside the panel, the Branch picker is wide enough for the branch it shows,
 * and the step list under the bar still shows enough steps to click (five at 1024x768, four at 1280x720).
 */
const SIZES = [
  { name: '1024x768', viewport: { width: 1024, height: 768 }, rows: 5 },
  { name: '1280x720', viewport: { width: 1280, height: 720 }, rows: 4 },
] as const;

/**
 * The controls that lie outside what the panel shows of them, as they are (nothing scrolled): the panel's body
 * clips what does not fit it, and the window what is below it.
 */
function cutOff(controls: Locator): Promise<string[]> {
  return controls.evaluateAll((els) =>
    els.flatMap((el) => {
      const body = el.closest('.panel-body')!;
      const b = body.getBoundingClientRect();
      const box = {
        left: Math.max(0, b.left + body.clientLeft),
        top: Math.max(0, b.top + body.clientTop),
        right: Math.min(document.documentElement.clientWidth, b.left + body.clientLeft + body.clientWidth),
        bottom: Math.min(innerHeight, b.top + body.clientTop + body.clientHeight),
      };
      const r = el.getBoundingClientRect();
      const inside =
        r.width > 0 &&
        r.left >= box.left - 1 &&
        r.right <= box.right + 1 &&
        r.top >= box.top - 1 &&
        r.bottom <= box.bottom + 1;
      const name = el.getAttribute('aria-label') ?? el.textContent!.trim();
      return inside
        ? []
        : [
            `${name} at [${[r.left, r.top, r.right, r.bottom].map(Math.round).join(', ')}] outside [${[box.left, box.top, box.right, box.bottom].map(Math.round).join(', ')}]`,
          ];
    }),
  );
}

/**
 * How many pixels the picker is narrower than it would be holding only the option it shows (its text cut by
 * that much): measured on a hidden copy of it, beside it so the same styles apply, sized by its content.
 */
function textCut(picker: Locator): Promise<number> {
  return picker.evaluate((select: HTMLSelectElement) => {
    const probe = select.cloneNode(false) as HTMLSelectElement;
    probe.removeAttribute('aria-label');
    probe.append(new Option(select.selectedOptions[0]!.text));
    Object.assign(probe.style, {
      position: 'absolute',
      visibility: 'hidden',
      width: 'auto',
      minWidth: '0',
      maxWidth: 'none',
      flex: 'none',
    });
    select.parentElement!.append(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    return needed - select.getBoundingClientRect().width;
  });
}

/** The step list's height in rows: how many steps show at once. */
function rowsShown(timeline: Locator): Promise<number> {
  return timeline
    .getByRole('list', { name: 'Steps' })
    .evaluate(
      (list) =>
        list.closest('.timeline-scroll')!.clientHeight / list.querySelector('li')!.getBoundingClientRect().height,
    );
}

for (const size of SIZES)
  test.describe(`at ${size.name}`, () => {
    test.use({ viewport: size.viewport });

    test(`the Branches bar fits whole, its picker shows its branch, and the list keeps ${size.rows} rows`, async ({
      page,
    }) => {
      const lab = await Lab.openAt(page, 'two-threads-fault-same-page', 6);
      // The library's step 7 completes request 1: failing it instead acts on a past step, and starts Branch 2.
      await lab.io.fail(1);
      const { timeline } = lab;
      await expect(timeline.branchPicker).toHaveValue('2');
      await expect(timeline.branchPicker.locator('option:checked')).toHaveText('Branch 2 (7 steps)');
      await expect(timeline.current).toHaveText('7. request 1 completes eio: t2 can run');

      const controls = timeline.branches.locator('select, button');
      await expect(controls.first()).toBeVisible();
      // Soft: each of the three is said when it fails, not only the first.
      const soft = expect.configure({ soft: true });
      await soft.poll(() => cutOff(controls), 'Branches controls cut off').toEqual([]);
      await soft.poll(() => textCut(timeline.branchPicker), 'px of the Branch picker’s text cut off').toBeLessThan(1);
      await soft
        .poll(() => rowsShown(timeline.region), 'rows of the step list shown')
        .toBeGreaterThanOrEqual(size.rows);

      // The last row shown is whole and in the window: the current step, with the step that parts above it.
      await expect(timeline.row(6).getByRole('button', { name: '↪ Branch 1' })).toBeInViewport({ ratio: 1 });
      await expect(timeline.current).toBeInViewport({ ratio: 1 });
    });
  });
