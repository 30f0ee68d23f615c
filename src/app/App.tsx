import { IoInFlight } from '../panels/IoInFlight/IoInFlight';
import { ObjectPanel } from '../panels/ObjectPanel/ObjectPanel';
import { PageBits } from '../panels/PageBits/PageBits';
import { PageQueues } from '../panels/PageQueues/PageQueues';
import { PageTree } from '../panels/PageTree/PageTree';
import { Source } from '../panels/Source/Source';
import { Threads } from '../panels/Threads/Threads';
import { Timeline } from '../panels/Timeline/Timeline';
import { AboutScenario } from './AboutScenario';
import { NoticeBanner, PanicBanner } from './Banners';
import { HelpOverlay } from './HelpOverlay';
import { compareHash } from './compare/link';
import { DEFAULT_PAIR } from './compare/pair-data';
import { ScenarioBar } from './ScenarioBar';
import { LearnButton, TeachDock } from './teach-entry';
import { useShortcuts } from './shortcuts';
import { useLab } from '../store/context';
import { selectProfile } from '../store/selectors';

export function App() {
  useShortcuts();
  const profile = useLab(selectProfile);
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          Pager Lab{' '}
          {profile && (
            <span className="subtitle">
              {profile.kernel} {profile.seed.path}
            </span>
          )}
        </h1>
        <ScenarioBar />
        <LearnButton />
        <a className="header-link" href={compareHash(DEFAULT_PAIR)}>
          Compare kernels
        </a>
      </header>
      <AboutScenario />
      <PanicBanner />
      <NoticeBanner />
      <main className="grid">
        <Threads />
        <Source />
        <PageTree />
        <PageBits />
        <ObjectPanel />
        <PageQueues />
        <IoInFlight />
        <Timeline />
      </main>
      <HelpOverlay />
      <TeachDock />
    </div>
  );
}
