/**
 * The teaching layer in the lab: a lesson walked to its end with a question
 * answered wrongly then rightly; the three named challenges played in the
 * panels and their exported solutions passed by the grader; an exercise
 * opened from its link and answered as typed; the embedded viewer.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Step } from '../src/protocol/scenario';
import { formatValue, makeExercise } from '../src/teaching';
import { expect, test } from './fixtures';
import { Lab } from './pages/Lab';
import { playStep, TeachPane } from './pages/TeachPane';

const run = promisify(execFile);

test('a lesson walked to its end: a prediction answered wrongly, then rightly, and progress kept', async ({
  lab,
  page,
}) => {
  test.setTimeout(180_000); // ten scenes and four questions, each a round trip to the worker
  const teach = new TeachPane(page);
  await teach.open();
  await teach.lessonItem('Two faults on one page').click();
  await expect(teach.sceneCount).toHaveText('Scene 1 of 10');
  await expect(page).toHaveURL(/#lesson=two-faults-one-page&scene=1$/);
  // The lab stays in view beside the lesson, at the scene's step.
  await expect(lab.timeline.status).toHaveText('Step 2 of 12');
  await expect(lab.threads.card('t1')).toBeVisible();

  await teach.button('Next').click();
  await expect(teach.sceneCount).toHaveText('Scene 2 of 10');
  await expect(lab.timeline.status).toHaveText('Step 4 of 12');
  // A question stands before the next scene: Next waits for an answer.
  await expect(teach.button('Next')).toBeDisabled();
  await expect(teach.question).toContainText('Thread t3 now faults the same page');
  await expect(teach.where).toHaveText(/^The lab shows step 4; thread t\d, seed line \d+\.$/);

  // Wrong first: t3 does not wait for the vnode lock.
  await teach.answer('vnlock:vn1');
  await expect(teach.reveal).toContainText('Not quite.');
  await expect(teach.reveal).toContainText('The engine says: uvn_get');
  await expect(teach.choiceLine('uvn_get')).toContainText('✓ right');
  await expect(teach.choiceLine('vnlock:vn1')).toContainText('✗');
  // The reveal shows the step that answers it: t3 asleep on the page.
  await expect(lab.timeline.status).toHaveText('Step 6 of 12');
  await expect(lab.threads.status('t3')).toHaveText('sleep');
  await expect(teach.reveal).toContainText('threads[id=t3]');
  // The narration is still the scene's, and the line above it says the lab has moved on.
  await expect(teach.where).toHaveText(
    /^This scene is set at step 4 \(thread t\d, seed line \d+\); the lab now shows step 6\.$/,
  );

  // Then right.
  await teach.button('Try again').click();
  await expect(lab.timeline.status).toHaveText('Step 4 of 12');
  await expect(teach.where).toHaveText(/^The lab shows step 4; /);
  await teach.answer('uvn_get');
  await expect(teach.reveal).toContainText('Right!');

  // Walk to the end, answering the later questions (scenes 4, 5 and 8 of two-faults-one-page.md); a wrong
  // guess is retried with the engine's answer.
  const asked = [4, 5, 8];
  for (let k = 3; k <= 10; k++) {
    await teach.button('Next').click();
    await expect(teach.sceneCount).toHaveText(`Scene ${k} of 10`);
    if (!asked.includes(k)) {
      await expect(teach.question).toHaveCount(0);
      continue;
    }
    await expect(teach.question).toBeVisible();
    const [first] = await teach.choices();
    await teach.answer(first!);
    if ((await teach.reveal.textContent())!.includes('Not quite.')) {
      const truth = await teach.revealedAnswer();
      await teach.button('Try again').click();
      await teach.answer(truth);
    }
    await expect(teach.reveal).toContainText('Right!');
  }
  await expect(teach.button('Next')).toBeDisabled();
  await expect(teach.pane).toContainText('End of the lesson.');
  await expect(page).toHaveURL(/#lesson=two-faults-one-page&scene=10$/);

  // Progress survives a reload: the menu marks the lesson done.
  await teach.button('← Menu').click();
  await page.reload();
  await teach.open();
  await expect(teach.lessonItem('Two faults on one page')).toContainText('done');
});

test('a scene says so when the lab has moved off its step, and takes it back', async ({ lab, page }) => {
  const teach = new TeachPane(page);
  await page.goto('/#lesson=a-fault&scene=2');
  await expect(teach.sceneCount).toHaveText('Scene 2 of 17');
  await expect(lab.timeline.status).toHaveText('Step 14 of 69');
  await expect(teach.where).toHaveText('The lab shows step 14; thread t2, seed line 960.');
  const back = (n: number) => teach.pane.getByRole('button', { name: `Show step ${n}`, exact: true });
  await expect(back(14)).toHaveCount(0);

  // A step forward in the timeline: the narration is still step 14's, and the line above it says so.
  await lab.timeline.forward();
  await expect(lab.timeline.status).toHaveText('Step 15 of 69');
  await expect(teach.where).toHaveText(
    'This scene is set at step 14 (thread t2, seed line 960); the lab has moved to step 15.',
  );
  // By keyboard: the button goes with the move, and focus stays in the pane (on the scene's title).
  await back(14).focus();
  await page.keyboard.press('Enter');
  await expect(lab.timeline.status).toHaveText('Step 14 of 69');
  await expect(teach.where).toHaveText('The lab shows step 14; thread t2, seed line 960.');
  await expect(teach.pane.getByRole('heading', { name: 'Nothing resident' })).toBeFocused();

  // A call of one's own starts a branch; the scene's step is the lesson's again, its whole history back.
  await lab.threads.start('uvn_attach', { thread: 't9' });
  await expect(lab.timeline.status).toHaveText('Step 15 of 15');
  await expect(teach.where).toHaveText(/^This scene is set at step 14 \(.*\); the lab has moved to step 15\.$/);
  await back(14).click();
  await expect(lab.timeline.status).toHaveText('Step 14 of 69');
  await expect(lab.threads.card('t9')).toHaveCount(0);

  // After a reveal, the answer's step is the one to come back to.
  await teach.button('Next').click();
  await expect(teach.sceneCount).toHaveText('Scene 3 of 17');
  await teach.answer('PG_BUSY|PG_CLEAN|PG_FAKE');
  await expect(lab.timeline.status).toHaveText('Step 29 of 69');
  await expect(teach.where).toHaveText(
    'This scene is set at step 19 (thread t2, seed line 996); the lab now shows step 29.',
  );
  await expect(teach.reveal).not.toContainText('The lab now shows');
  await lab.timeline.back();
  await expect(teach.where).toHaveText(
    'This scene is set at step 19 (thread t2, seed line 996) and answered at step 29; the lab has moved to step 28.',
  );
  await back(29).click();
  await expect(lab.timeline.status).toHaveText('Step 29 of 69');
  await expect(teach.where).toHaveText(/; the lab now shows step 29\.$/);

  // Previous back to the revealed scene shows its step, and says where the answer is.
  await teach.button('Next').click();
  await expect(teach.sceneCount).toHaveText('Scene 4 of 17');
  await teach.button('Previous').click();
  await expect(teach.sceneCount).toHaveText('Scene 3 of 17');
  await expect(lab.timeline.status).toHaveText('Step 19 of 69');
  await expect(teach.where).toHaveText('The lab shows step 19; thread t2, seed line 996. The answer is at step 29.');
  await back(29).click();
  await expect(lab.timeline.status).toHaveText('Step 29 of 69');
});

test('a lesson link opens its scene, and the lesson breaks none of the security policy', async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const lab = new Lab(page);
  await lab.open('/#lesson=two-faults-one-page&scene=4');
  const teach = new TeachPane(page);
  await expect(teach.sceneCount).toHaveText('Scene 4 of 10');
  await expect(teach.pane.getByRole('heading', { name: 'uvm_pagewait: PG_WANTED, then sleep' })).toBeVisible();
  await expect(lab.timeline.status).toHaveText('Step 6 of 12');
  // The scene's seed lines are marked in the Source panel.
  await expect(lab.source.region.locator('.src-line[data-line="1057"]')).toHaveCSS(
    'background-color',
    'rgb(255, 241, 201)',
  );
  // The lesson's Markdown, its marks (a style element) and the tutor's chunk in the worker: all within the policy.
  await teach.answer('ready');
  await expect(teach.reveal).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);

  // Another scenario opened from the library ends the lesson, and its address goes with it: a reload shows
  // the scenario chosen, not the lesson.
  await lab.bar.openLibrary('fault-write-then-msync');
  await expect(teach.sceneCount).toHaveCount(0);
  await expect(page).not.toHaveURL(/#lesson=/);
});

const solutions = ['wanted-sleeper', 'cluster-panic', 'terminate-hang'];
for (const name of solutions) {
  test(`challenge ${name}: solved by playing it, and its exported solution passes the grader`, async ({
    lab,
    page,
  }) => {
    // Up to 20 steps played by hand, then the grader's own process: longer than a plain test on a busy machine.
    test.setTimeout(240_000);
    const reference = JSON.parse(readFileSync(`test/fixtures/solutions/${name}.solution.json`, 'utf8')) as {
      steps: Step[];
    };
    const challenge = JSON.parse(readFileSync(`challenges/${name}.json`, 'utf8')) as { title: string; par: number };
    const teach = new TeachPane(page);
    await teach.open();
    await teach.challengeItem(challenge.title).click();
    await expect(teach.standing).toContainText(`Steps used: 0 (par ${challenge.par})`);
    await expect(teach.standing).toContainText('Not yet:');

    for (const [i, step] of reference.steps.entries()) {
      await playStep(lab, step);
      await expect(lab.timeline.status).toHaveText(`Step ${i + 1} of ${i + 1}`);
      if (i < reference.steps.length - 1) await expect(teach.standing).toContainText(`Steps used: ${i + 1}`);
    }
    const n = reference.steps.length;
    await expect(teach.standing).toContainText(`Solved in ${n} steps (par ${challenge.par})`);

    // One step more would spoil the solution: the lab refuses it (a panicked kernel takes no step anyway).
    if (name !== 'cluster-panic') {
      await lab.threads.form.getByRole('combobox', { name: 'call', exact: true }).selectOption('uvn_attach');
      await lab.threads.startButton.click();
      await expect(lab.error).toContainText('The goal already holds');
    }

    const file = await teach.exportSolution();
    expect(file.name).toBe(`${name}.solution.json`);
    expect(JSON.parse(file.text)).toMatchObject({ format: 'pager-solution/1', challenge: name });
    const graded = await run('npm', ['run', '--silent', 'grade', '--', `challenges/${name}.json`, file.path]);
    expect(graded.stdout.trim()).toBe(`PASS ${name} steps=${n}`);

    // Solved challenges are marked in the menu.
    await teach.button('← Menu').click();
    await expect(teach.challengeItem(challenge.title)).toContainText(`solved in ${n}`);
  });
}

test('an exercise opened from its link is checked as the answer is typed, then its steps are shown', async ({
  page,
}) => {
  const lab = new Lab(page);
  await lab.open('/#exercise=state:7');
  const teach = new TeachPane(page);
  await expect(teach.pane.getByRole('heading', { name: 'Exercise state:7' })).toBeVisible();
  // Only the setup is shown until a question is answered.
  await expect(lab.timeline.status).toHaveText('Step 0 of 0');

  const exercise = makeExercise(7, 'state');
  const q = exercise.questions[1]!;
  await expect(teach.exerciseQuestion(2)).toContainText(q.ask);
  await teach.answerBox(2).fill('this is not it');
  // Not a number, where the answer is one: it says how one is written.
  await expect(teach.exerciseQuestion(2)).toContainText('not yet (a number: decimal or 0x hex)');
  await expect(lab.timeline.status).toHaveText('Step 0 of 0');

  await teach.answerBox(2).fill(formatValue(q.answer));
  await expect(teach.exerciseQuestion(2)).toContainText('✓ right');
  await expect(teach.pane.getByText(/^1 of \d+ answered right/)).toBeVisible();
  await expect(lab.timeline.status).toHaveText(`Step ${q.step + 1} of ${q.step + 1}`);

  // Giving up shows the engine's answer (and the steps), after a wrong guess too: nothing is left "checking".
  await teach.answerBox(1).fill('a guess');
  await expect(teach.exerciseQuestion(1)).toContainText('not yet');
  await teach.exerciseQuestion(1).getByRole('button', { name: 'Show answer' }).click();
  await expect(teach.exerciseQuestion(1)).toContainText(`Answer: ${formatValue(exercise.questions[0]!.answer)}`);
  await expect(teach.exerciseQuestion(1)).not.toContainText('checking');
  await expect(teach.exerciseQuestion(1)).not.toContainText('not yet');
  // A later question answered, then an earlier one again: the lab goes back to the earlier one's state, and
  // says where it is.
  const later = exercise.questions[2]!;
  expect(later.step).toBeGreaterThan(q.step);
  await teach.answerBox(3).fill(formatValue(later.answer));
  await expect(lab.timeline.status).toHaveText(`Step ${later.step + 1} of ${later.step + 1}`);
  await teach.answerBox(2).fill('');
  await teach.answerBox(2).fill(formatValue(q.answer));
  await expect(teach.exerciseQuestion(2)).toContainText('✓ right');
  await expect(lab.timeline.status).toHaveText(`Step ${q.step + 1} of ${later.step + 1}`);
  await expect(teach.pane.getByText(/answered right/)).toContainText(`the lab shows the state after step ${q.step}`);
  // A step of the learner's own is not called the schedule's.
  await lab.threads.start('uvn_attach', { vnode: 'vn1', prot: 'rw' });
  await expect(teach.pane.getByText(/answered right/)).toContainText('the lab has left the schedule');
});

test('an exercise reloaded has its answers back, checked again; the menu lists it with its count', async ({ page }) => {
  const lab = new Lab(page);
  await lab.open('/#exercise=state:7');
  const teach = new TeachPane(page);
  const exercise = makeExercise(7, 'state');
  const [first, second] = exercise.questions;
  await teach.answerBox(2).fill(formatValue(second!.answer));
  await expect(teach.exerciseQuestion(2)).toContainText('✓ right');
  // An answer typed after it was shown is right, but not counted as the learner's.
  await teach.exerciseQuestion(1).getByRole('button', { name: 'Show answer' }).click();
  await teach.answerBox(1).fill(formatValue(first!.answer));
  await expect(teach.exerciseQuestion(1)).toContainText('✓ right');
  const count = teach.pane.getByText(/answered right/);
  await expect(count).toContainText(`1 of ${exercise.questions.length} answered right (1 answer shown)`);

  await page.reload();

  await expect(teach.pane.getByRole('heading', { name: 'Exercise state:7' })).toBeVisible();
  await expect(teach.answerBox(2)).toHaveValue(formatValue(second!.answer));
  await expect(teach.exerciseQuestion(2)).toContainText('✓ right');
  await expect(teach.answerBox(1)).toHaveValue(formatValue(first!.answer));
  await expect(count).toContainText(`1 of ${exercise.questions.length} answered right (1 answer shown)`);
  await expect(lab.timeline.status).not.toHaveText('Step 0 of 0');

  await teach.button('← Menu').click();
  await expect(teach.pane.getByRole('button', { name: 'Exercise state:7' })).toContainText(
    `1 of ${exercise.questions.length} right · 1 shown`,
  );
});

test('keyboard: focus follows the learner through the pane, never dropping to the page', async ({ lab, page }) => {
  const teach = new TeachPane(page);
  await expect(lab.timeline.status).toBeVisible();
  await teach.learnButton.focus();
  await page.keyboard.press('Enter');
  await expect(teach.pane.getByRole('heading', { name: 'Lessons', exact: true })).toBeFocused();
  await teach.lessonItem('Two faults on one page').focus();
  await page.keyboard.press('Enter');
  await expect(teach.sceneCount).toHaveText('Scene 1 of 10');
  const sceneHeading = teach.pane.getByRole('article').getByRole('heading');
  await expect(sceneHeading).toBeFocused();
  // Next, at a scene whose question disables it: focus goes to the new scene, not to the page.
  await teach.button('Next').focus();
  await page.keyboard.press('Enter');
  await expect(teach.sceneCount).toHaveText('Scene 2 of 10');
  await expect(teach.button('Next')).toBeDisabled();
  await expect(sceneHeading).toBeFocused();
  await teach.choice('uvn_get').focus();
  await page.keyboard.press('Space');
  await teach.button('Reveal').focus();
  await page.keyboard.press('Enter');
  await expect(teach.reveal).toBeFocused();
  await expect(teach.reveal).toContainText('Right!');
  await teach.button('← Menu').focus();
  await page.keyboard.press('Enter');
  await expect(teach.pane.getByRole('heading', { name: 'Lessons', exact: true })).toBeFocused();
  // Hidden with ×: focus goes back to Learn.
  await teach.pane.getByRole('button', { name: 'Hide the teaching pane' }).focus();
  await page.keyboard.press('Enter');
  await expect(teach.learnButton).toBeFocused();
});

test('a challenge played into a panic says the goal is out of reach on that path, not "not yet"', async ({
  lab,
  page,
}) => {
  const teach = new TeachPane(page);
  await teach.open();
  await teach.challengeItem('Wanted: a sleeper on a page under read').click();
  // vn1's one use dropped, then attached: the DIAGNOSTIC vref panics (uvm_vnode.c line 253).
  await lab.threads.start('vrele', { thread: 't1' });
  await lab.threads.run('t1');
  await lab.threads.start('uvn_attach', { thread: 't2', prot: 'r' });
  await lab.threads.run('t2');
  await expect(lab.panic).toContainText('panic: vref used where vget required');
  await expect(teach.standing).toContainText('Steps used: 4 (par 6)');
  await expect(teach.standing).toContainText(
    /Out of reach on this path: no thread has status sleep and wait uvn_get \(.*\); .*; the kernel panicked: "vref used where vget required"\. A panicked kernel takes no more steps: go back in the timeline, or start over\./,
  );
  await expect(teach.standing).not.toContainText('Not yet');
  // One step back the kernel runs again, and the goal is only not yet met.
  await lab.timeline.back();
  await expect(teach.standing).toContainText('Steps used: 3 (par 6)');
  await expect(teach.standing).toContainText('Not yet: ');
});

test('hiding the pane keeps a challenge open and its rules in force; "← Menu" leaves it', async ({ lab, page }) => {
  const teach = new TeachPane(page);
  await teach.open();
  await teach.challengeItem('Your first page').click();
  await expect(teach.standing).toContainText('Steps used: 0');
  await teach.pane.getByRole('button', { name: 'Hide the teaching pane' }).click();
  await expect(teach.pane).toBeHidden();
  // Still the challenge's lab: a call it forbids is refused.
  await lab.threads.form.getByRole('combobox', { name: 'call', exact: true }).selectOption('uvn_flush');
  await lab.threads.startButton.click();
  await expect(lab.error).toContainText('uvn_flush');
  await expect(lab.timeline.status).toHaveText('Step 0 of 0');
  await teach.learnButton.click();
  await expect(teach.standing).toContainText('Steps used: 0');
  await teach.button('← Menu').click();
  await expect(teach.challengeItem('Your first page')).toBeVisible();
});

test('the embedded viewer: a read-only lab following a lesson', async ({ page }) => {
  // The iframe size the README suggests.
  await page.setViewportSize({ width: 1000, height: 640 });
  await page.goto('/?embed=1#lesson=two-faults-one-page&scene=2');
  const lab = new Lab(page);
  const teach = new TeachPane(page);
  // A cold start: the worker, the embed's chunk, the tutor's and the pane's (with its Markdown renderer)
  // all load before the scene shows; allow them as Lab.open allows a first state on a busy machine.
  await expect(teach.sceneCount).toHaveText('Scene 2 of 10', { timeout: 30_000 });
  await expect(lab.timeline.status).toHaveText('Step 4 of 12');
  await expect(page.getByText('read-only')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open in Pager Lab ↗' })).toHaveAttribute(
    'href',
    /#lesson=two-faults-one-page&scene=2$/,
  );
  // Nothing that acts is offered: no "Start a call", no Run, no Complete, no debugger (Step, Run, Run to line).
  await expect(lab.threads.form).toBeHidden();
  await expect(page.getByRole('toolbar', { name: 'Debugger' })).toBeHidden();
  await expect(lab.threads.runButton('t2')).toBeHidden();
  await expect(lab.io.completeButton(1)).toBeHidden();
  await expect(page.getByRole('toolbar', { name: 'Scenario' })).toHaveCount(0);
  // Laid out in the frame: every panel inside it, side by side, and the followed line in view.
  for (const name of ['Threads', 'Source', 'Page bits', 'uvn flags', 'I/O in flight', 'Timeline']) {
    const box = (await page.getByRole('region', { name, exact: true }).boundingBox())!;
    expect(box.y + box.height, `${name} ends inside the frame`).toBeLessThanOrEqual(640);
    expect(box.x + box.width, `${name} ends inside the frame`).toBeLessThanOrEqual(1000);
  }
  const line = Number(/ · line (\d+)$/.exec((await lab.source.following.textContent())!)![1]);
  await expect(lab.source.line(line)).toBeInViewport();
  // Page bits' flag headers stand on their side, taller than its table's view here: scrolled to, a page row is
  // seen, not left under a header that stays on top of it.
  const cell = lab.bits.cell('0x0', 'offset');
  await cell.scrollIntoViewIfNeeded();
  const hit = await cell.evaluate((td) => {
    const r = td.getBoundingClientRect();
    return td.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
  });
  expect(hit, "the page row's offset cell is what shows at its place").toBe(true);
  // The lesson itself still plays.
  await teach.answer('uvn_get');
  await expect(teach.reveal).toContainText('Right!');
  await expect(lab.timeline.status).toHaveText('Step 6 of 12');
});

test('browser Back out of a lesson link leaves the lesson, as "← Menu" does', async ({ lab, page }) => {
  const teach = new TeachPane(page);
  // Followed from the lab (a link in the notes, a typed address): a history entry of its own.
  await page.goto('/#lesson=two-faults-one-page&scene=4');
  await expect(teach.sceneCount).toHaveText('Scene 4 of 10');
  await expect(lab.timeline.status).toHaveText('Step 6 of 12');
  await page.goBack();
  await expect(page).not.toHaveURL(/#lesson=/);
  await expect(teach.sceneCount).toHaveCount(0);
  await expect(teach.lessonItem('Two faults on one page')).toBeVisible();
  // Forward opens it again: the address and the pane agree both ways.
  await page.goForward();
  await expect(teach.sceneCount).toHaveText('Scene 4 of 10');
});
