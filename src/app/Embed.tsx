/**
 * The embeddable viewer (`?embed=1`, with a `#scenario=…` or `#lesson=…`
 * link): a read-only lab sized for an iframe in a course page, as Python
 * Tutor embeds do. The store refuses every action but moving through the
 * history and following a lesson; the controls that would act are not shown.
 */
import { IoInFlight } from '../panels/IoInFlight/IoInFlight';
import { ObjectPanel } from '../panels/ObjectPanel/ObjectPanel';
import { PageBits } from '../panels/PageBits/PageBits';
import { Source } from '../panels/Source/Source';
import { Threads } from '../panels/Threads/Threads';
import { Timeline } from '../panels/Timeline/Timeline';
import { useLab } from '../store/context';
import { selectTitle } from '../store/selectors';
import { StatusRow } from './Banners';
import { useShortcuts } from './use-shortcuts';
import { TeachDock } from './teach-entry';
import './embed.css';

export default function Embed() {
  useShortcuts();
  const title = useLab(selectTitle);
  // The full lab, same link: a learner who wants to play opens it there.
  const full = `${location.pathname}${location.hash}`;
  return (
    <div className="app embed">
      <header className="embed-header">
        <strong>Pager Lab</strong>
        <span className="scenario-title" title={title}>
          {title || 'Untitled scenario'}
        </span>
        <span className="embed-readonly">read-only</span>
        <a href={full} target="_blank" rel="noopener noreferrer">
          Open in Pager Lab ↗
        </a>
      </header>
      <StatusRow />
      <main className="embed-grid">
        <Threads />
        <Source />
        <PageBits />
        <ObjectPanel />
        <IoInFlight />
        <Timeline />
      </main>
      <TeachDock compact />
    </div>
  );
}
