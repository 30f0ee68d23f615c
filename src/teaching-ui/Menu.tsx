/** The teaching menu: lessons and challenges with the learner's progress, and exercises by kind and seed. */
import { useState } from 'react';
import type { Catalog } from '../protocol/teach';
import { useDispatch } from '../store/context';
import { useProgress } from './progress';
import { FOCUS_TARGET } from './useFocusKept';

const MAX_SEED = 2 ** 32 - 1;

const KERNELS: Readonly<Record<string, string>> = {
  openbsd: 'OpenBSD (uvm_vnode.c)',
  freebsd: 'FreeBSD (vnode_pager.c)',
};

/** Items grouped by pager, OpenBSD first (the lab's default), in their catalog order within a group. */
function byPager<T extends { pager: string }>(items: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const pager of ['openbsd', 'freebsd', ...items.map((i) => i.pager)]) groups.set(pager, []);
  for (const item of items) groups.get(item.pager)!.push(item);
  return [...groups].filter(([, list]) => list.length > 0);
}

export function Menu({ catalog }: { catalog: Catalog }) {
  const dispatch = useDispatch();
  const progress = useProgress();
  const [kind, setKind] = useState(catalog.exercises[0]?.kind ?? 'state');
  const [seed, setSeed] = useState('1');
  const seedOk = /^(0|[1-9]\d{0,9})$/.test(seed) && Number(seed) <= MAX_SEED;

  return (
    <div className="teach-menu">
      <section aria-labelledby="teach-lessons">
        <h2 id="teach-lessons" {...FOCUS_TARGET}>
          Lessons
        </h2>
        {byPager(catalog.lessons).map(([pager, lessons]) => (
          <div key={pager}>
            <h3 className="teach-group">{KERNELS[pager] ?? pager}</h3>
            <ul className="teach-list" aria-label={`${KERNELS[pager] ?? pager} lessons`}>
              {lessons.map((l) => {
                const p = progress.lessons[l.name];
                const status = p?.done ? 'done' : p ? `scene ${p.scene} of ${l.scenes}` : `${l.scenes} scenes`;
                return (
                  <li key={l.name}>
                    <button
                      type="button"
                      className="teach-item"
                      aria-label={`Lesson: ${l.title}`}
                      onClick={() =>
                        dispatch({
                          type: 'teach',
                          command: { type: 'teach.lesson', lesson: l.name, scene: p && !p.done ? p.scene : 1 },
                        })
                      }
                    >
                      <span className="teach-item-title">
                        {p?.done && <span aria-hidden="true">✓ </span>}
                        {l.title}
                      </span>
                      <span className="teach-item-meta">
                        {l.pager} · {status}
                      </span>
                    </button>
                    {l.summary && <p className="teach-item-summary">{l.summary}</p>}
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </section>
      <section aria-labelledby="teach-challenges">
        <h2 id="teach-challenges">Challenges</h2>
        {byPager(catalog.challenges).map(([pager, challenges]) => (
          <div key={pager}>
            <h3 className="teach-group">{KERNELS[pager] ?? pager}</h3>
            <ul className="teach-list" aria-label={`${KERNELS[pager] ?? pager} challenges`}>
              {challenges.map((c) => {
                const p = progress.challenges[c.name];
                return (
                  <li key={c.name}>
                    <button
                      type="button"
                      className="teach-item"
                      aria-label={`Challenge: ${c.title}`}
                      onClick={() =>
                        dispatch({ type: 'teach', command: { type: 'teach.challenge', challenge: c.name } })
                      }
                    >
                      <span className="teach-item-title">
                        {p?.solved && <span aria-hidden="true">✓ </span>}
                        {c.title}
                      </span>
                      <span className="teach-item-meta">
                        {c.pager} · {c.name} · par {c.par}
                        {p?.solved ? ` · solved in ${p.best}` : ''}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </section>
      <section aria-labelledby="teach-exercises">
        <h2 id="teach-exercises">Exercises</h2>
        <form
          className="teach-exercise-form"
          aria-labelledby="teach-exercises"
          onSubmit={(e) => {
            e.preventDefault();
            if (seedOk) dispatch({ type: 'teach', command: { type: 'teach.exercise', kind, seed: Number(seed) } });
          }}
        >
          <label>
            Kind{' '}
            <select value={kind} onChange={(e) => setKind(e.target.value)}>
              {catalog.exercises.map((x) => (
                <option key={x.kind} value={x.kind}>
                  {x.kind}: {x.about}
                </option>
              ))}
            </select>
          </label>
          <label>
            Seed{' '}
            <input
              type="text"
              inputMode="numeric"
              value={seed}
              onChange={(e) => setSeed(e.target.value)}
              aria-invalid={!seedOk}
              size={11}
            />
          </label>
          <button type="button" onClick={() => setSeed(String(Math.floor(Math.random() * MAX_SEED)))}>
            Random seed
          </button>
          <button type="submit" disabled={!seedOk}>
            Open exercise
          </button>
          {!seedOk && <span className="field-error">A seed is a whole number from 0 to {MAX_SEED}.</span>}
        </form>
        <Worked catalog={catalog} />
      </section>
    </div>
  );
}

/** The exercises the learner has answered in, to open again where they left them. */
function Worked({ catalog }: { catalog: Catalog }) {
  const dispatch = useDispatch();
  const progress = useProgress();
  const kinds = new Set(catalog.exercises.map((x) => x.kind));
  const worked = Object.entries(progress.exercises).flatMap(([key, p]) => {
    const m = /^([a-z]+):(\d{1,10})$/.exec(key);
    return m && kinds.has(m[1]!) && Number(m[2]) <= MAX_SEED ? [{ key, kind: m[1]!, seed: Number(m[2]), p }] : [];
  });
  if (worked.length === 0) return null;
  return (
    <ul className="teach-list" aria-label="Exercises you have answered in">
      {worked.map(({ key, kind, seed, p }) => (
        <li key={key}>
          <button
            type="button"
            className="teach-item"
            aria-label={`Exercise ${key}`}
            onClick={() => dispatch({ type: 'teach', command: { type: 'teach.exercise', kind, seed } })}
          >
            <span className="teach-item-title">
              {p.right.length === p.questions && <span aria-hidden="true">✓ </span>}
              <span className="mono">{key}</span>
            </span>
            <span className="teach-item-meta">
              {p.right.length} of {p.questions} right
              {p.revealed.length > 0 ? ` · ${p.revealed.length} shown` : ''}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
