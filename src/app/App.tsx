import { IoInFlight } from '../panels/IoInFlight/IoInFlight';
import { PageBits } from '../panels/PageBits/PageBits';
import { PageQueues } from '../panels/PageQueues/PageQueues';
import { PageTree } from '../panels/PageTree/PageTree';
import { Source } from '../panels/Source/Source';
import { Threads } from '../panels/Threads/Threads';
import { Timeline } from '../panels/Timeline/Timeline';
import { UvnFlags } from '../panels/UvnFlags/UvnFlags';
import { NoticeBanner, PanicBanner } from './Banners';
import { HelpOverlay } from './HelpOverlay';
import { ScenarioBar } from './ScenarioBar';
import { useShortcuts } from './shortcuts';

export function App() {
  useShortcuts();
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          Pager Lab <span className="subtitle">OpenBSD sys/uvm/uvm_vnode.c</span>
        </h1>
        <ScenarioBar />
      </header>
      <PanicBanner />
      <NoticeBanner />
      <main className="grid">
        <Threads />
        <Source />
        <PageTree />
        <PageBits />
        <UvnFlags />
        <PageQueues />
        <IoInFlight />
        <Timeline />
      </main>
      <HelpOverlay />
    </div>
  );
}
