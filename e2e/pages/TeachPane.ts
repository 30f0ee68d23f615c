import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { Step } from '../../src/protocol/scenario';
import type { Lab } from './Lab';
import type { StartArgs } from './ThreadsPanel';

/** The teaching pane ("Learn"): the menu, a lesson's scenes and questions, a challenge's standing, an exercise. */
export class TeachPane {
  readonly pane: Locator;
  readonly learnButton: Locator;

  constructor(readonly page: Page) {
    this.pane = page.getByRole('complementary', { name: 'Learn' });
    this.learnButton = page.getByRole('button', { name: 'Learn', exact: true });
  }

  async open(): Promise<void> {
    await this.learnButton.click();
    await expect(this.pane.getByRole('heading', { name: 'Lessons', exact: true })).toBeVisible();
  }

  lessonItem(title: string): Locator {
    return this.pane.getByRole('button', { name: `Lesson: ${title}` });
  }

  challengeItem(title: string): Locator {
    return this.pane.getByRole('button', { name: `Challenge: ${title}` });
  }

  /** "Scene K of N". */
  get sceneCount(): Locator {
    return this.pane.getByText(/^Scene \d+ of \d+$/);
  }

  button(name: 'Next' | 'Previous' | 'Reveal' | 'Try again' | 'Export solution' | 'Start over' | '← Menu'): Locator {
    return this.pane.getByRole('button', { name, exact: true });
  }

  /** Where the scene stands: "The lab shows step N; thread …", or after a reveal "This scene is set at step N …". */
  get where(): Locator {
    return this.pane.getByText(/^(The lab shows step|This scene is set at step) /);
  }

  /** The scene's "Predict, then reveal" question. */
  get question(): Locator {
    return this.pane.getByRole('form').filter({ hasText: 'Predict, then reveal' });
  }

  choice(text: string): Locator {
    return this.question.getByRole('radio', { name: text, exact: true });
  }

  /** A choice's line, with its mark once revealed ("uvn_get ✓ right"). */
  choiceLine(text: string): Locator {
    return this.question.locator('label').filter({
      has: this.page.locator('.mono', { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
    });
  }

  /** The offered choices' texts. */
  async choices(): Promise<string[]> {
    return (await this.question.locator('label .mono').allTextContents()).map((t) => t.trim());
  }

  /** The reveal: "Right!" or "Not quite.", then "The engine says: ANSWER". */
  get reveal(): Locator {
    return this.question.getByRole('status');
  }

  /** The engine's answer, as the reveal prints it. */
  async revealedAnswer(): Promise<string> {
    return (await this.reveal.locator('.teach-verdict strong').textContent())!.trim();
  }

  /** Choose `text` and press Reveal. */
  async answer(text: string): Promise<void> {
    await this.choice(text).check();
    await this.button('Reveal').click();
    await expect(this.reveal).toBeVisible();
  }

  /** The challenge's standing: steps used against par, then "Not yet: …" or "Solved in N steps…". */
  get standing(): Locator {
    return this.pane.getByRole('status', { name: 'Challenge status' });
  }

  /** Press "Export solution"; resolves to the downloaded file's path and text. */
  async exportSolution(): Promise<{ name: string; path: string; text: string }> {
    const download = this.page.waitForEvent('download');
    await this.button('Export solution').click();
    const file = await download;
    const path = await file.path();
    return { name: file.suggestedFilename(), path, text: await readFile(path, 'utf8') };
  }

  /** The answer box of exercise question `n` (from 1). */
  answerBox(n: number): Locator {
    return this.pane.getByRole('textbox', { name: `Answer ${n}`, exact: true });
  }

  /** The exercise's schedule, a line a step: `spawn t3: fault mapping=t2 offset=0x5000 …`. */
  async exerciseSteps(): Promise<string[]> {
    const list = this.pane
      .getByRole('group')
      .filter({ hasText: /^Steps \(\d+\)/ })
      .getByRole('list');
    return (await list.getByRole('listitem').allTextContents()).map((t) => t.trim());
  }

  /** The exercise's "Machine: …" line. */
  get exerciseMachine(): Locator {
    return this.pane.getByText(/^Machine: /);
  }

  /** The exercise question `n` (from 1): its text, box, verdict and "Show answer". */
  exerciseQuestion(n: number): Locator {
    return this.pane
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('textbox', { name: `Answer ${n}`, exact: true }) });
  }
}

const hex = (n: unknown) => `0x${(n as number).toString(16)}`;

/** Play one scenario step the way a person does: the "Start a call" form, Run/Step buttons, the disk's buttons. */
export async function playStep(lab: Lab, step: Step): Promise<void> {
  if ('spawn' in step) {
    const a = step.args;
    const args: StartArgs = { thread: step.spawn };
    if (typeof a.vnode === 'string') args.vnode = a.vnode;
    if (a.prot === 'r' || a.prot === 'rw') args.prot = a.prot;
    if (typeof a.shared === 'boolean') args.shared = a.shared;
    if (a.access === 'read' || a.access === 'write') args.access = a.access;
    if (typeof a.offset === 'number') args.offset = hex(a.offset);
    if (typeof a.size === 'number') args.size = String(a.size);
    if (typeof a.start === 'number') args.start = hex(a.start);
    if (typeof a.stop === 'number') args.stop = hex(a.stop);
    if (Array.isArray(a.flags)) args.flags = a.flags as string[];
    if (typeof a.mapping === 'string') args.mapping = a.mapping;
    if (typeof a.length === 'number') args.length = hex(a.length);
    if (typeof a.end === 'number') args.end = hex(a.end);
    for (const key of ['behind', 'ahead', 'rahead', 'pindex'] as const)
      if (typeof a[key] === 'number') args[key] = String(a[key]);
    await lab.threads.start(step.call, args);
  } else if ('run' in step) await lab.threads.run(step.run);
  else if ('step' in step) await lab.threads.step(step.step);
  else if (step.result === 'ok') await lab.io.complete(step.complete);
  else if (step.result === 'eio') await lab.io.fail(step.complete);
  else await lab.io.short(step.complete, Number(step.result.slice('short:'.length)));
}
