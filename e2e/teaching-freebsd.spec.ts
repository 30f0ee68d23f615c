/**
 * FreeBSD in the teaching pane: the menu groups lessons and challenges by
 * kernel; a FreeBSD lesson's scene is walked with a prediction answered
 * wrongly, then rightly, and the FreeBSD panels show what the lesson says;
 * a FreeBSD challenge is solved by playing it, and its exported solution
 * passes the grader; a FreeBSD exercise opens from its link.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Step } from '../src/protocol/scenario';
import { formatValue, makeExercise } from '../src/teaching';
import { expect, test } from './fixtures';
import { FreeBsdBitsPanel, VmObjectPanel } from './pages/FreeBsdPanels';
import { Lab } from './pages/Lab';
import { SourcePanel } from './pages/SourcePanel';
import { playStep, TeachPane } from './pages/TeachPane';

const run = promisify(execFile);

test('the menu groups both kernels; a FreeBSD lesson scene with a prediction, checked in the FreeBSD panels', async ({
  lab,
  page,
}) => {
  test.setTimeout(180_000);
  const teach = new TeachPane(page);
  await teach.open();
  const freebsdLessons = teach.pane.getByRole('list', { name: 'FreeBSD (vnode_pager.c) lessons' });
  const openbsdLessons = teach.pane.getByRole('list', { name: 'OpenBSD (uvm_vnode.c) lessons' });
  await expect(freebsdLessons.getByRole('button')).toHaveText([
    /FreeBSD: a fault with read-behind and read-ahead/,
    /FreeBSD: sendfile's asynchronous reads/,
    /FreeBSD: two faults on one page, then vgone drains the object/,
  ]);
  await expect(openbsdLessons.getByRole('button', { name: /FreeBSD/ })).toHaveCount(0);
  await expect(openbsdLessons.getByRole('button', { name: 'Lesson: Two faults on one page' })).toBeVisible();
  await expect(
    teach.pane
      .getByRole('list', { name: 'FreeBSD (vnode_pager.c) challenges' })
      .getByRole('button', { name: "Challenge: FreeBSD: a fault that waits for another's read" }),
  ).toBeVisible();

  await teach.lessonItem("FreeBSD: sendfile's asynchronous reads").click();
  await expect(teach.sceneCount).toHaveText('Scene 1 of 10');
  await expect(page).toHaveURL(/#lesson=freebsd-sendfile-async&scene=1$/);
  // Scene 1 is digest step 7: t3's synchronous fault has read page 1.
  await expect(lab.timeline.status).toHaveText('Step 8 of 15');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('FreeBSD sys/vm/vnode_pager.c');
  const bits = new FreeBsdBitsPanel(page);
  const object = new VmObjectPanel(page);
  await expect(bits.strip('obj1[1]', 'valid')).toHaveAccessibleName(/^valid 0xff/);
  await expect(bits.cell('obj1[1]', 'queue')).toHaveText('active');
  await expect(object.counter('free pbufs')).toHaveText('129');
  // The scene's seed line (1110, where the done function made the page valid) is marked in the source.
  const source = new SourcePanel(page, page, 'vnode_pager.c');
  await source.scrollTo(1110);
  await expect(source.line(1110)).toHaveCSS('background-color', 'rgb(255, 241, 201)');

  // Predict: does sendfile wait for its reads? Wrong first ("io", as a fault would), then right.
  await expect(teach.button('Next')).toBeDisabled();
  await expect(teach.question.locator('label .mono')).toHaveText(['io', 'sleep', 'done']);
  await teach.answer('io');
  await expect(teach.reveal).toContainText('Not quite.');
  await expect(teach.reveal).toContainText('The engine says: done');
  // The reveal shows the state that answers it: t4 done, two asynchronous reads on the disk.
  await expect(lab.timeline.status).toHaveText('Step 10 of 15');
  await expect(lab.threads.status('t4')).toHaveText('done');
  await expect(lab.io.requests).toHaveCount(2);
  await expect(object.counter('free async pbufs')).toHaveText('126');
  await teach.button('Try again').click();
  await teach.answer('done');
  await expect(teach.reveal).toContainText('Right!');

  // Scene 2: sendfile grabbed pages 0-3; page 1, already valid, was unbusied; the others wait for the disk.
  await teach.button('Next').click();
  await expect(teach.sceneCount).toHaveText('Scene 2 of 10');
  await expect(lab.timeline.status).toHaveText('Step 10 of 15');
  await expect(bits.cell('obj1[0]', 'xbusy')).toHaveText(/yes$/);
  await expect(bits.cell('obj1[1]', 'xbusy')).toHaveText('');
  await expect(bits.cell('obj1[1]', 'queue')).toHaveText('inactive');
  await expect(bits.strip('obj1[0]', 'valid')).toHaveAccessibleName('valid 0x00: no chunk');
});

test('a FreeBSD challenge solved by playing it, and its exported solution passes the grader', async ({ lab, page }) => {
  test.setTimeout(240_000);
  const name = 'freebsd-vmpfw';
  const reference = JSON.parse(readFileSync(`test/fixtures/solutions/${name}.solution.json`, 'utf8')) as {
    steps: Step[];
  };
  const challenge = JSON.parse(readFileSync(`challenges/${name}.json`, 'utf8')) as { title: string; par: number };
  const teach = new TeachPane(page);
  await teach.open();
  await teach.challengeItem(challenge.title).click();
  await expect(teach.standing).toContainText(`Steps used: 0 (par ${challenge.par})`);
  await expect(teach.standing).toContainText('Not yet:');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('FreeBSD sys/vm/vnode_pager.c');

  for (const [i, step] of reference.steps.entries()) {
    await playStep(lab, step);
    await expect(lab.timeline.status).toHaveText(`Step ${i + 1} of ${i + 1}`);
    if (i < reference.steps.length - 1) await expect(teach.standing).toContainText(`Steps used: ${i + 1}`);
  }
  const n = reference.steps.length;
  await expect(teach.standing).toContainText(`Solved in ${n} steps (par ${challenge.par})`);
  // The goal as the panels show it: t4 asleep on the page t3's read holds busy.
  await expect(lab.threads.status('t4')).toHaveText('sleep');
  await expect(lab.io.requests).toHaveCount(1);

  const file = await teach.exportSolution();
  expect(file.name).toBe(`${name}.solution.json`);
  expect(JSON.parse(file.text)).toMatchObject({ format: 'pager-solution/1', challenge: name });
  const graded = await run('npm', ['run', '--silent', 'grade', '--', `challenges/${name}.json`, file.path]);
  expect(graded.stdout.trim()).toBe(`PASS ${name} steps=${n}`);

  await teach.button('← Menu').click();
  await expect(teach.challengeItem(challenge.title)).toContainText(`solved in ${n}`);
});

test('a FreeBSD exercise opened from its link: the FreeBSD lab, an answer checked as typed', async ({ page }) => {
  const lab = new Lab(page);
  await page.goto('/#exercise=freebsd:2026');
  const teach = new TeachPane(page);
  await expect(teach.pane.getByRole('heading', { name: 'Exercise freebsd:2026' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('heading', { level: 1 })).toContainText('FreeBSD sys/vm/vnode_pager.c');
  await expect(lab.timeline.status).toHaveText('Step 0 of 0');

  const exercise = makeExercise(2026, 'freebsd');
  const q = exercise.questions[0]!;
  await expect(teach.exerciseQuestion(1)).toContainText(q.ask);
  await teach.answerBox(1).fill('not this');
  await expect(teach.exerciseQuestion(1)).toContainText('not yet');
  await teach.answerBox(1).fill(formatValue(q.answer));
  await expect(teach.exerciseQuestion(1)).toContainText('✓ right');
  // A right answer plays the schedule up to the question's step.
  await expect(lab.timeline.status).toHaveText(`Step ${q.step + 1} of ${q.step + 1}`);
});

test("a FreeBSD exercise's steps and machine read in the pane as the exercise tool prints them", async ({ page }) => {
  await page.goto('/#exercise=freebsd:3');
  const teach = new TeachPane(page);
  await expect(teach.pane.getByRole('heading', { name: 'Exercise freebsd:3' })).toBeVisible({ timeout: 20_000 });
  const { stdout } = await run('npx', ['tsx', 'tools/exercise.ts', '--seed', '3', '--kind', 'freebsd']);
  const lines = stdout.split('\n');
  const printed = lines
    .slice(lines.indexOf('Steps:') + 1, lines.indexOf('Questions:'))
    .map((l) => l.replace(/^ *\d+ {2}/, ''));
  // Page counts in decimal as the Threads panel shows them (behind=1, pindex=1), no flags said as "none".
  expect(printed).toContain('spawn t3: fault mapping=t2 offset=0x5000 access=read behind=1 ahead=0');
  expect(await teach.exerciseSteps()).toEqual(printed);
  // The pbuf counters the questions may ask about, and the mount's block size, as the tool says them.
  await expect(teach.exerciseMachine).toHaveText(lines.find((l) => l.startsWith('Machine: '))!);
});

test('a scene on a line its thread only went through says where the thread stands now', async ({ page }) => {
  const lab = new Lab(page);
  // Scene 5 reads VOP_BMAP at line 797, which t3's run went through on its way to sleep on the read at 1047.
  await page.goto('/#lesson=freebsd-read-ahead&scene=5');
  const teach = new TeachPane(page);
  await expect(teach.sceneCount).toHaveText('Scene 5 of 13', { timeout: 20_000 });
  await expect(lab.source.region).toContainText('line 1047');
  await expect(teach.where).toHaveText(
    'The lab shows step 6; seed line 797 ran during it, for thread t3, which now stands at line 1047.',
  );
  // A scene whose thread stands on its line says so as before.
  await page.goto('/#lesson=freebsd-read-ahead&scene=9');
  await expect(teach.sceneCount).toHaveText('Scene 9 of 13');
  await expect(teach.where).toHaveText(/^The lab shows step \d+; thread t\d, seed line \d+\.$/);
});
