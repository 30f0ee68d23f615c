/**
 * The worker's teaching layer behind the protocol: lessons move the session
 * to their scenes and reveal answers judged on the engine's states (never
 * sent before), challenges refuse what their rules forbid and say at once
 * when the goal holds, exercises are checked as typed and play their
 * schedule as questions are answered.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../src/protocol/messages';
import type { Step } from '../src/protocol/scenario';
import { EXERCISE_KINDS, formatValue, makeExercise } from '../src/teaching';
import { SimHost } from '../src/worker/sim-host';

function harness() {
  const events: SimEvent[] = [];
  const host = new SimHost(
    (e) => events.push(e),
    () => import('../src/worker/tutor').then((m) => m.createTutor),
  );
  let id = 1;
  const send = async (cmd: Record<string, unknown>) => {
    await host.handle({ ...cmd, id: id++ } as never);
  };
  const last = <T extends SimEvent['type']>(type: T) =>
    events.filter((e) => e.type === type).at(-1) as Extract<SimEvent, { type: T }> | undefined;
  const since = (n: number) => events.slice(n);
  return { host, events, send, last, since };
}

const stepCommand = (s: Step): Record<string, unknown> => {
  if ('spawn' in s) return { type: 'sim.spawn', step: s };
  if ('run' in s) return { type: 'sim.run', thread: s.run };
  if ('step' in s) return { type: 'sim.step', thread: s.step };
  return { type: 'sim.complete', request: s.complete, result: s.result };
};

describe('the tutor in the worker', () => {
  it('lists the lessons, challenges and exercise kinds', async () => {
    const h = harness();
    await h.send({ type: 'teach.catalog' });
    const catalog = h.last('teach.catalog')!.catalog;
    // In a course's order, a uvn's life first; every shipped lesson listed.
    expect(catalog.lessons.map((l) => l.name)).toEqual([
      'uvn-life-cycle',
      'a-fault',
      'two-faults-one-page',
      'msync',
      'truncate-and-sync',
      'terminate-and-revoke',
      'freebsd-read-ahead',
      'freebsd-sendfile-async',
      'freebsd-vgone-drain',
    ]);
    const lesson = catalog.lessons.find((l) => l.name === 'two-faults-one-page')!;
    expect(lesson).toMatchObject({ pager: 'openbsd', title: 'Two faults on one page' });
    expect(lesson.questions).toBeGreaterThanOrEqual(3);
    expect(catalog.challenges.map((c) => c.name)).toEqual(
      expect.arrayContaining(['wanted-sleeper', 'cluster-panic', 'terminate-hang']),
    );
    expect(catalog.exercises.map((e) => e.kind)).toEqual(['state', 'block', 'reach', 'freebsd']);
    // Each lesson and challenge carries its kernel, which the menu groups by.
    expect(catalog.lessons.find((l) => l.name === 'freebsd-sendfile-async')).toMatchObject({
      pager: 'freebsd',
      title: "FreeBSD: sendfile's asynchronous reads",
      scenes: 10,
      questions: 3,
    });
    expect(catalog.challenges.find((c) => c.name === 'freebsd-sendfile-vmpfw')).toMatchObject({
      pager: 'freebsd',
      par: 8,
    });
  });

  it('plays a lesson: scenes move the cursor, a question is answered before the state is shown', async () => {
    const h = harness();
    await h.send({ type: 'teach.lesson', lesson: 'two-faults-one-page', scene: 2 });
    const opened = h.last('teach.opened')!;
    expect(opened.scene).toBe(2);
    if (opened.mode?.kind !== 'lesson') throw new Error('a lesson view');
    const scene = opened.mode.scenes[1]!;
    expect(h.last('sim.snapshot')!.cursor).toBe(scene.step + 1);
    // The question crosses the boundary without where its answer is read.
    for (const s of opened.mode.scenes)
      if (s.question) expect(Object.keys(s.question).sort()).toEqual(['ask', 'at', 'choices']);
    const q = scene.question!;
    expect(q.choices).toContain('uvn_get');

    await h.send({ type: 'teach.reveal', scene: 2, given: q.choices!.indexOf('vnlock:vn1') });
    let r = h.last('teach.revealed')!.reveal;
    expect(r).toMatchObject({ scene: 2, correct: false, answer: 'uvn_get' });
    expect(r.choices!.filter((c) => c.correct).map((c) => c.text)).toEqual(['uvn_get']);
    expect(r.changes.some((c) => c.startsWith('threads[id=t3]'))).toBe(true);
    expect(h.last('sim.snapshot')!.cursor).toBe(q.at + 1);

    await h.send({ type: 'teach.reveal', scene: 2, given: 'uvn_get' });
    r = h.last('teach.revealed')!.reveal;
    expect(r.correct).toBe(true);

    await h.send({ type: 'teach.scene', scene: 1 });
    expect(h.last('teach.scene')!.scene).toBe(1);
    expect(h.last('sim.snapshot')!.cursor).toBe(opened.mode.scenes[0]!.step + 1);

    await h.send({ type: 'teach.scene', scene: 99 });
    expect(h.last('teach.error')!.message).toMatch(/scenes 1 to \d+, not 99/);
  });

  it("keeps the learner's own branch: the next scene is shown on the lesson's branch, the learner's stays listed", async () => {
    const h = harness();
    await h.send({ type: 'teach.lesson', lesson: 'two-faults-one-page', scene: 1 });
    const lesson = h.last('teach.opened')!.mode;
    if (lesson?.kind !== 'lesson') throw new Error('a lesson opens');
    const scene = (k: number) => lesson.scenes[k - 1]!.step + 1;
    // Acting at scene 1's step, a past one, makes a branch of the learner's own.
    await h.send({ type: 'sim.spawn', step: { spawn: 'x', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } } });
    const mine = h.last('sim.snapshot')!;
    expect(mine.branches).toHaveLength(2);
    const n = h.events.length;
    await h.send({ type: 'teach.scene', scene: 3 });
    const shown = h.since(n).filter((e) => e.type === 'sim.snapshot');
    // Not loaded again: the lesson's branch (the first) at scene 3's step, both branches still there.
    expect(shown.some((e) => e.type === 'sim.snapshot' && e.loaded !== null)).toBe(false);
    const at3 = h.last('sim.snapshot')!;
    expect(at3.cursor).toBe(scene(3));
    expect(at3.branch).toBe(1);
    expect(at3.branches.map((b) => b.id)).toEqual([1, 2]);
    expect(h.last('teach.scene')!.scene).toBe(3);
  });

  it('loads the lesson again when no branch holds its steps (the lab was reset)', async () => {
    const h = harness();
    await h.send({ type: 'teach.lesson', lesson: 'two-faults-one-page', scene: 1 });
    await h.send({ type: 'sim.reset' });
    const n = h.events.length;
    await h.send({ type: 'teach.scene', scene: 3 });
    const snap = h.since(n).find((e) => e.type === 'sim.snapshot');
    expect(snap && snap.type === 'sim.snapshot' && snap.loaded !== null).toBe(true);
    expect(h.last('teach.scene')!.scene).toBe(3);
  });

  it.each(['wanted-sleeper', 'cluster-panic', 'terminate-hang', 'freebsd-bovlbx', 'freebsd-pbufs-exhausted'])(
    '%s: played step by step, solved at once with the solution to export',
    async (name) => {
      const h = harness();
      await h.send({ type: 'teach.challenge', challenge: name });
      const mode = h.last('teach.opened')!.mode;
      expect(mode).toMatchObject({ kind: 'challenge', name });
      expect(h.last('teach.goal')!.status).toMatchObject({ solved: false, steps: 0 });
      const reference = JSON.parse(readFileSync(`test/fixtures/solutions/${name}.solution.json`, 'utf8')) as {
        steps: Step[];
      };
      for (const [i, s] of reference.steps.entries()) {
        await h.send(stepCommand(s));
        const status = h.last('teach.goal')!.status;
        expect(status.steps).toBe(i + 1);
        expect(status.solved).toBe(i === reference.steps.length - 1);
      }
      const status = h.last('teach.goal')!.status;
      expect(status.solution).toEqual({ format: 'pager-solution/1', challenge: name, steps: reference.steps });
      expect(status.par).toBe(reference.steps.length);
      // A step after the goal held would make the solution invalid: refused, nothing changes.
      const n = h.events.length;
      await h.send({
        type: 'sim.spawn',
        step: { spawn: 'late', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } },
      });
      expect(h.since(n).map((e) => e.type)).toEqual(['sim.error', 'teach.goal']);
    },
  );

  it('a panic short of the goal is said as the grader says it: no "not yet", the panic named', async () => {
    const h = harness();
    await h.send({ type: 'teach.challenge', challenge: 'wanted-sleeper' });
    const panicking: Step[] = [
      { spawn: 't1', call: 'vrele', args: { vnode: 'vn1' } },
      { run: 't1' },
      { spawn: 't2', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } },
    ];
    for (const s of panicking) await h.send(stepCommand(s));
    expect(h.last('teach.goal')!.status).toMatchObject({ solved: false, steps: 3, panic: null });
    await h.send(stepCommand({ run: 't2' }));
    const status = h.last('teach.goal')!.status;
    expect(status).toMatchObject({ solved: false, steps: 4, panic: 'vref used where vget required' });
    expect(status.explain).toMatch(/; the kernel panicked: "vref used where vget required"$/);
    // Back a step, the kernel runs again.
    await h.send({ type: 'sim.seek', to: 3 });
    expect(h.last('teach.goal')!.status).toMatchObject({ steps: 3, panic: null });
  });

  it("refuses a step the challenge's rules forbid, before the engine sees it", async () => {
    const h = harness();
    await h.send({ type: 'teach.challenge', challenge: 'first-fault' });
    await h.send({ type: 'sim.spawn', step: { spawn: 't1', call: 'uvn_flush', args: { vnode: 'vn1', flags: [] } } });
    expect(h.last('sim.error')!.message).toMatch(/^Challenge rules: the challenge does not allow uvn_flush/);
    expect(h.last('teach.goal')!.status.steps).toBe(0);
  });

  it('opening another scenario leaves the challenge; a reset keeps it', async () => {
    const h = harness();
    await h.send({ type: 'teach.challenge', challenge: 'wanted-sleeper' });
    const scenario = h.last('sim.snapshot')!.loaded!;
    await h.send({ type: 'sim.load', scenario });
    expect(h.last('teach.opened')!.mode?.kind).toBe('challenge');
    await h.send({ type: 'sim.open', source: { kind: 'text', text: JSON.stringify(scenario) }, origin: 'Library' });
    expect(h.last('teach.opened')!.mode).toBeNull();
  });

  it('opens an exercise from its link, checks typed answers and plays the schedule to an answered step', async () => {
    const h = harness();
    await h.send({ type: 'teach.link', hash: '#exercise=state:7' });
    const mode = h.last('teach.opened')!.mode;
    if (mode?.kind !== 'exercise') throw new Error('an exercise view');
    const exercise = makeExercise(7, 'state');
    expect(mode.questions).toEqual(exercise.questions.map((q) => ({ ask: q.ask, step: q.step })));
    expect(JSON.stringify(mode)).not.toContain('"answer"');
    expect(h.last('sim.snapshot')!.length).toBe(0);

    const q = exercise.questions[2]!;
    await h.send({ type: 'teach.check', question: 2, text: 'certainly not this' });
    expect(h.last('teach.checked')).toMatchObject({ check: { correct: false, answer: null }, shownTo: -1 });
    await h.send({ type: 'teach.check', question: 2, text: formatValue(q.answer) });
    expect(h.last('teach.checked')).toMatchObject({ check: { correct: true }, shownTo: q.step });
    expect(h.last('sim.snapshot')!.cursor).toBe(q.step + 1);

    await h.send({ type: 'teach.show', question: 0 });
    expect(h.last('teach.checked')!.check.answer).toBe(formatValue(exercise.questions[0]!.answer));
  });

  it('refuses a link that is not a lesson or an exercise, and a lesson that does not exist', async () => {
    const h = harness();
    // Each says what is wrong with it.
    const said = async (hash: string) => {
      await h.send({ type: 'teach.link', hash });
      return h.last('teach.error')!.message;
    };
    expect(await said('#exercise=nope:1')).toBe(
      `Teaching link "#exercise=nope:1": there is no exercise kind "nope"; the kinds are ${EXERCISE_KINDS.join(', ')}.`,
    );
    for (const seed of ['4294967296', '-1', '1.5', '', '01'])
      expect(await said(`#exercise=state:${seed}`)).toBe(
        `Teaching link "#exercise=state:${seed}": the seed "${seed}" is not a whole number from 0 to 4294967295 (written without leading zeros).`,
      );
    expect(await said('#lesson=msync&scene=x')).toBe(
      'Teaching link "#lesson=msync&scene=x": scene "x" is not a scene number (1, 2, …).',
    );
    expect(await said('#lesson=../x')).toBe('Teaching link "#lesson=../x": "../x" is not a lesson\'s name.');
    expect(await said('#lesson=a&exercise=state:1')).toBe(
      'Teaching link "#lesson=a&exercise=state:1": it is not #lesson=NAME&scene=K or #exercise=KIND:SEED.',
    );
    await h.send({ type: 'teach.lesson', lesson: 'no-such-lesson', scene: 1 });
    expect(h.last('teach.error')!.message).toBe('There is no lesson "no-such-lesson".');
    expect(h.events.some((e: SimEvent) => e.type === 'sim.snapshot')).toBe(false);
  });

  it('opens a lesson link past its last scene at the last scene, and says so', async () => {
    const h = harness();
    await h.send({ type: 'teach.link', hash: '#lesson=two-faults-one-page&scene=99' });
    expect(h.last('teach.opened')!.scene).toBe(10);
    expect(h.last('teach.error')!.message).toBe('Lesson two-faults-one-page has 10 scenes, not 99: showing scene 10.');
    await h.send({ type: 'teach.link', hash: '#lesson=two-faults-one-page&scene=0' });
    expect(h.last('teach.opened')!.scene).toBe(1);
    expect(h.last('teach.error')!.message).toBe('Lesson two-faults-one-page has 10 scenes, not 0: showing scene 1.');
    await h.send({ type: 'teach.link', hash: '#lesson=two-faults-one-page&scene=3' });
    expect(h.last('teach.opened')!.scene).toBe(3);
    expect(h.events.filter((e: SimEvent) => e.type === 'teach.error')).toHaveLength(2);
  });
});
