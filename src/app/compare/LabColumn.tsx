import { IoInFlight } from '../../panels/IoInFlight/IoInFlight';
import { ObjectPanel } from '../../panels/ObjectPanel/ObjectPanel';
import { PageBits } from '../../panels/PageBits/PageBits';
import { PageTree } from '../../panels/PageTree/PageTree';
import { Source } from '../../panels/Source/Source';
import { Threads } from '../../panels/Threads/Threads';
import { Timeline } from '../../panels/Timeline/Timeline';
import { useDispatch, useLab } from '../../store/context';
import { selectBranch, selectBranches, selectCursor, selectLength, selectProfile } from '../../store/selectors';
import { StatusRow } from '../Banners';
import { stepsOnStory, storyPosition, type Kernel, type KernelPair } from './pairs';

const KERNEL_NAMES: Record<Kernel, string> = { openbsd: 'OpenBSD', freebsd: 'FreeBSD' };

/** Where this lab stands on the story, and what its kernel did there; this lab's own step back and forward. */
function StoryNote({ pair, kernel }: { pair: KernelPair; kernel: Kernel }) {
  const cursor = useLab(selectCursor);
  const length = useLab(selectLength);
  const dispatch = useDispatch();
  const name = KERNEL_NAMES[kernel];
  const branches = useLab(selectBranches);
  const branch = useLab(selectBranch);
  const shared = stepsOnStory(branches, branch);
  const { index, exact, off } = storyPosition(pair, kernel, cursor, shared);
  const step = index >= 0 ? pair.story[index] : undefined;
  const n = pair.story.length;
  const loading = useLab(selectProfile) === null;
  const where = loading
    ? 'Loading the scenario…'
    : !step
      ? `Before story step 1`
      : exact
        ? `Story step ${index + 1} of ${n}: ${step.title}`
        : off
          ? `Off the story after story step ${index + 1} of ${n} (${step.title})`
          : `Past story step ${index + 1} of ${n} (${step.title})`;
  return (
    <div className={`story-note${exact ? ' story-note-exact' : ''}`} aria-live="polite">
      <div className="story-where">
        <p>
          <strong>{where}</strong>{' '}
          {!loading && (
            <span className="muted">
              · step {cursor} of {length}
            </span>
          )}
        </p>
        <span className="toolbar" role="group" aria-label={`${name} steps`}>
          <button
            type="button"
            onClick={() => dispatch({ type: 'seek', to: cursor - 1 })}
            disabled={cursor === 0}
            aria-label={`Back one step in the ${name} lab`}
          >
            ◀ Back
          </button>
          <button
            type="button"
            onClick={() => dispatch({ type: 'seek', to: cursor + 1 })}
            disabled={cursor >= length}
            aria-label={`Forward one step in the ${name} lab`}
          >
            Forward ▶
          </button>
        </span>
      </div>
      {step && exact && <p className="story-says">{step[kernel].says}</p>}
      {off ? (
        <p className="story-says muted">
          This lab is on {branches.find((b) => b.id === branch)?.name ?? 'another branch'}, which left the story after
          step {shared}; pick a story step above to go back to the story.
        </p>
      ) : (
        step &&
        !exact && (
          <p className="story-says muted">
            This lab has moved on its own; pick a story step above to line the two labs up again.
          </p>
        )
      )}
    </div>
  );
}

/** One kernel's lab: its story note, banners and panels, reading its own store from context. */
export function LabColumn({ pair, kernel }: { pair: KernelPair; kernel: Kernel }) {
  const profile = useLab(selectProfile);
  const name = KERNEL_NAMES[kernel];
  return (
    <section className={`compare-lab compare-lab-${kernel}`} aria-label={`${name} lab`}>
      <header className="compare-lab-header">
        <h2>
          {name} <span className="subtitle">{profile?.seed.path ?? ''}</span>
        </h2>
        <span className="compare-lab-scenario mono" title="the library scenario this lab runs">
          {pair[kernel]}
        </span>
      </header>
      <StoryNote pair={pair} kernel={kernel} />
      <StatusRow />
      <div className="compare-panels">
        <Threads />
        <IoInFlight />
        <PageBits />
        <ObjectPanel />
        <PageTree />
        <Source />
        <Timeline />
      </div>
    </section>
  );
}
