import { expect, test } from './fixtures';
import { Lab } from './pages/Lab';
import { libraryText, linkTo, scenarioText } from './scenarios';

const ATTACH = [{ spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } }, { run: 't1' }];

/** Malformed files: each is rejected whole, with a message naming the step (as the timeline numbers it: the file's steps[2] is step 3) and the field. */
const MALFORMED: readonly { what: string; name: string; text: string; message: string }[] = [
  {
    what: 'an offset written 4096.0',
    name: 'float-offset.json',
    text: scenarioText([...ATTACH, { spawn: 't2', call: 'fault', args: { vnode: 'vn1', offset: 1, access: 'write' } }])
      // JSON.stringify cannot write 4096.0; put it in by hand.
      .replace('"offset": 1', '"offset": 4096.0'),
    message:
      'Import of float-offset.json: step 3: args.offset: expected a non-negative integer written in plain digits (no fraction or exponent), got 4096.0',
  },
  {
    what: 'an unknown key in a step',
    name: 'unknown-key.json',
    text: scenarioText([...ATTACH, { run: 't1', speed: 2 }]),
    message: 'Import of unknown-key.json: step 3: speed: unknown key',
  },
  {
    what: 'an offset that is not page-aligned',
    name: 'unaligned.json',
    text: scenarioText([
      ...ATTACH,
      { spawn: 't2', call: 'fault', args: { vnode: 'vn1', offset: 100, access: 'read' } },
    ]),
    message: 'Import of unaligned.json: step 3: args.offset: must be page-aligned (a multiple of 4096)',
  },
  {
    what: 'invalid JSON (a step cut short)',
    name: 'truncated.json',
    text: '{"format":"pager-scenario/1","pager":"openbsd","vnodes":[{"name":"vn1","size":4096}],"steps":[{"run":',
    message:
      'Import of truncated.json: step 1: run: invalid JSON at line 1, column 102: the text ends where a value should be',
  },
];

/**
 * The session every test starts from: the library's two-threads race, moved
 * back to step 6 (t3 asleep on the page t2 has busy under its read).
 */
async function openRaceAtStep6(lab: Lab): Promise<void> {
  await lab.bar.openLibrary('two-threads-fault-same-page');
  await expect(lab.timeline.status).toHaveText('Step 0 of 12');
  await lab.timeline.jump(6);
  await expectRaceAtStep6(lab);
}

async function expectRaceAtStep6(lab: Lab): Promise<void> {
  await expect(lab.timeline.status).toHaveText('Step 6 of 12');
  await expect(lab.timeline.entries).toHaveCount(13);
  await expect(lab.threads.cards).toHaveCount(3);
  await expect(lab.threads.status('t2')).toHaveText('io');
  await expect(lab.threads.status('t3')).toHaveText('sleep');
  await expect(lab.io.request(1)).toHaveText(['1', 't2', 'vn1', 'read', '0x0', '4096', '0x0']);
  await lab.bits.expectPage('0x0', {
    bits: ['PG_BUSY', 'PG_WANTED', 'PG_CLEAN', 'PG_FAKE'],
    queue: 'none',
    mapped: false,
    modified: false,
    owner: 't2',
  });
  await expect(lab.bar.toolbar.getByText(/^Two threads fault the same page/)).toBeVisible();
}

test.describe('importing scenario files', () => {
  test('a file that is not UTF-8, or starts with a byte order mark, is refused as the runner refuses it', async ({
    lab,
  }) => {
    await openRaceAtStep6(lab);
    const text = scenarioText([], { title: 'caf\u00e9' });
    const latin1 = Buffer.from(text, 'latin1');
    await lab.bar.importFile({ name: 'latin1.json', contents: latin1 });
    const at = latin1.indexOf(0xe9);
    await expect(lab.error).toHaveText(`Import of latin1.json: the file is not valid UTF-8 at byte ${at} (0xe9)`);
    await expectRaceAtStep6(lab);
    await lab.bar.importFile({ name: 'bom.json', contents: `\ufeff${scenarioText([])}` });
    await expect(lab.error).toContainText('Import of bom.json: ');
    await expect(lab.error).toContainText('byte order mark');
    await expectRaceAtStep6(lab);
  });

  for (const bad of MALFORMED) {
    test(`a file with ${bad.what} is refused with its step and field, and the session is kept`, async ({ lab }) => {
      await openRaceAtStep6(lab);
      await lab.bar.importFile({ name: bad.name, contents: bad.text });
      await expect(lab.error).toHaveText(bad.message);
      await expectRaceAtStep6(lab);
      // The kept session still works: forward to the later steps it had.
      await lab.timeline.forward();
      await expect(lab.timeline.status).toHaveText('Step 7 of 12');
    });
  }

  test('a file with an impossible step is refused with its name, and the session is kept', async ({ lab }) => {
    await openRaceAtStep6(lab);
    await lab.bar.importFile({ name: 'never-started.json', contents: scenarioText([...ATTACH, { run: 't1' }]) });
    await expect(lab.error).toHaveText('Import of never-started.json: step 3: thread t1 is done');
    await expectRaceAtStep6(lab);
  });

  test('a valid file loads and stands at its last step', async ({ lab }) => {
    await openRaceAtStep6(lab);
    await lab.bar.importWithChooser('scenarios/lecture-walkthrough.json');
    await expect(lab.timeline.status).toHaveText('Step 12 of 12');
    await expect(lab.timeline.entries).toHaveCount(13);
    await expect(lab.bar.toolbar.getByText(/^Lecture walk-through: attach, a write fault/)).toBeVisible();
    await expect(lab.threads.cards).toHaveCount(4);
    await expect(lab.threads.returned('t3')).toHaveText('→ returned true');
    await expect(lab.bits.count).toHaveText('0 resident pages of vn1');
    await expect(lab.errorBanner).toHaveCount(0);
  });

  test('an exported session imports back to the same state', async ({ lab }) => {
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'r' });
    await lab.threads.run('t1');
    await lab.threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x3000', access: 'read' });
    await lab.threads.run('t2');
    await lab.io.short(1, 512);
    await expect(lab.threads.status('t2')).toHaveText('ready');

    const exported = await lab.bar.exportFile();
    expect(exported.name).toBe('pager-lab-scenario.json');
    expect(JSON.parse(exported.text)).toMatchObject({
      format: 'pager-scenario/1',
      pager: 'openbsd',
      steps: [
        { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } },
        { run: 't1' },
        { spawn: 't2', call: 'fault', args: { vnode: 'vn1', offset: 12288, access: 'read' } },
        { run: 't2' },
        { complete: 1, result: 'short:512' },
      ],
    });

    await lab.bar.reset();
    await expect(lab.timeline.status).toHaveText('Step 0 of 0');
    await expect(lab.threads.cards).toHaveCount(0);

    await lab.bar.importFile({ name: exported.name, contents: exported.text });
    await expect(lab.timeline.status).toHaveText('Step 5 of 5');
    await expect(lab.threads.status('t2')).toHaveText('ready');
    await expect(lab.flags.setFlags()).toHaveText(['UVM_VNODE_VALID', 'UVM_VNODE_CANPERSIST']);
    await lab.bits.expectPage('0x3000', {
      bits: ['PG_BUSY', 'PG_CLEAN', 'PG_FAKE'],
      queue: 'none',
      mapped: false,
      modified: false,
      owner: 't2',
    });
  });
});

test.describe('malformed #scenario= links', () => {
  test('a link whose data is not a compressed scenario shows an error and keeps the saved session', async ({
    lab,
    context,
  }) => {
    await openRaceAtStep6(lab);
    // The same browser profile (the session is saved there), a new tab opening a broken link.
    const other = new Lab(await context.newPage());
    await other.open('/#scenario=garbage');
    await expect(other.error).toHaveText('Shared link: the #scenario= data is not a valid compressed scenario');
    await expectRaceAtStep6(other);
  });

  test('a link to an invalid scenario names the step and field, and the open session stays', async ({ lab }) => {
    await openRaceAtStep6(lab);
    const bad = scenarioText([
      ...ATTACH,
      { spawn: 't1', call: 'fault', args: { vnode: 'vn1', offset: 0, access: 'read' } },
    ]);
    await lab.page.goto(linkTo(bad));
    await expect(lab.error).toHaveText('Shared link: step 3: spawn: thread name t1 already used');
    await expectRaceAtStep6(lab);
  });

  test('a link to a scenario with an impossible step, opened in a new tab, keeps the saved session', async ({
    lab,
    context,
  }) => {
    await openRaceAtStep6(lab);
    const other = new Lab(await context.newPage());
    // Well-formed, but request 5 was never started: the worker refuses the step.
    await other.open(linkTo(scenarioText([{ complete: 5, result: 'ok' }])));
    await expect(other.error).toHaveText('Shared link: step 1: request 5 is not in flight');
    await expectRaceAtStep6(other);
  });

  test('a valid link replaces the session with the linked one', async ({ lab }) => {
    await openRaceAtStep6(lab);
    await lab.page.goto(linkTo(libraryText('lecture-walkthrough')));
    await expect(lab.timeline.status).toHaveText('Step 12 of 12');
    await expect(lab.threads.cards).toHaveCount(4);
    await expect(lab.errorBanner).toHaveCount(0);
  });
});
