/**
 * The scheduler game: the learner spawns, runs, steps and completes in the
 * lab's own panels; the worker refuses what the rules forbid and judges the
 * goal after every step, and this panel says where things stand: steps used
 * against par, what the state shows instead of the goal, and, once the goal
 * holds, the solution to export for the grader.
 */
import { useEffect } from 'react';
import type { ChallengeView, GoalStatus } from '../protocol/teach';
import { useDispatch, useLab } from '../store/context';
import type { LabState } from '../store/store';
import { Markdown } from './Markdown';
import { updateChallenge, useProgress } from './progress';
import { FOCUS_TARGET } from './useFocusKept';

const selectGoal = (s: LabState) => s.teach.goal;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

function rules(c: ChallengeView): string {
  const calls = c.calls === 'all' ? 'any call' : c.calls.join(', ');
  const threads =
    c.threads === null ? 'any number of threads' : `at most ${c.threads} thread${c.threads === 1 ? '' : 's'}`;
  const results = c.results === null ? 'any disk result' : `disk results ${c.results.join(', ')}`;
  return `${calls}; ${threads}; ${results}.`;
}

export function ChallengePanel({ challenge }: { challenge: ChallengeView }) {
  const dispatch = useDispatch();
  const goal = useLab(selectGoal);
  const status = goal?.challenge === challenge.name ? goal : null;
  const best = useProgress().challenges[challenge.name]?.best ?? null;

  useEffect(() => {
    if (status?.solved) updateChallenge(challenge.name, status.steps);
  }, [challenge.name, status]);

  return (
    <section className="teach-challenge" aria-label={`Challenge: ${challenge.title}`}>
      <h2 {...FOCUS_TARGET}>{challenge.title}</h2>
      <p className="teach-meta">
        Challenge <span className="mono">{challenge.name}</span> · {challenge.pager} · par {challenge.par}
        {best !== null && ` · your best ${best}`}
      </p>
      <Markdown text={challenge.story} />
      <p>
        <strong>Goal:</strong> {challenge.goal}
      </p>
      <p>
        <strong>Rules:</strong> {rules(challenge)}
      </p>
      <p className="muted">
        Play with the Threads panel (start a call, run or step it) and the I/O panel (complete requests). The goal is
        judged after every step.
      </p>
      {status && <Standing status={status} />}
      <button
        type="button"
        onClick={() => dispatch({ type: 'teach', command: { type: 'teach.challenge', challenge: challenge.name } })}
      >
        Start over
      </button>
    </section>
  );
}

function Standing({ status }: { status: GoalStatus }) {
  const { steps, par } = status;
  if (!status.solved || !status.solution)
    return (
      <div className="teach-standing" role="status" aria-label="Challenge status">
        <p>
          Steps used: <strong>{steps}</strong> (par {par})
        </p>
        <p className="muted">
          {status.panic === null
            ? `Not yet: ${status.explain}`
            : `Out of reach on this path: ${status.explain}. A panicked kernel takes no more steps: go back in the timeline, or start over.`}
        </p>
      </div>
    );
  const verdict = steps < par ? 'under par!' : steps === par ? 'at par.' : `${steps - par} over par.`;
  const file = `${status.challenge}.solution.json`;
  const solution = status.solution;
  return (
    <div className="teach-standing is-solved" role="status" aria-label="Challenge status">
      <p className="teach-verdict">
        Solved in {steps} step{steps === 1 ? '' : 's'} (par {par}): {verdict}
      </p>
      <button type="button" onClick={() => download(file, `${JSON.stringify(solution, null, 2)}\n`)}>
        Export solution
      </button>
      <p className="muted">
        Check it with{' '}
        <code>
          npm run --silent grade -- challenges/{status.challenge}.json {file}
        </code>
      </p>
    </div>
  );
}
