import {
  lazy,
  Suspense,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
  type RefObject,
} from 'react';
import { IoInFlight } from '../panels/IoInFlight/IoInFlight';
import { ObjectPanel } from '../panels/ObjectPanel/ObjectPanel';
import { PageBits } from '../panels/PageBits/PageBits';
import { PageQueues } from '../panels/PageQueues/PageQueues';
import { PageTree } from '../panels/PageTree/PageTree';
import { Source } from '../panels/Source/Source';
import { Threads } from '../panels/Threads/Threads';
import { Timeline } from '../panels/Timeline/Timeline';
import { AboutScenario } from './AboutScenario';
import { ExploreButton } from './explore-entry';
import { StatusRow } from './Banners';
import { compareHash, FIRST_PAIR } from './compare/link';
import { layoutOf, screenSize, type Band } from './layout';
import { ScenarioBar } from './ScenarioBar';
import { LearnButton, TeachDock } from './teach-entry';
import { useShortcuts } from './use-shortcuts';
import { ViewBar } from './ViewBar';
import { CommitProbe } from '../perf/CommitProbe';
import { useLab } from '../store/context';
import { usePrefs, type PanelId, type PrefsState } from '../store/prefs';
import { selectHelpOpen, selectProfile } from '../store/selectors';
import { useOnceTrue } from '../panels/common/useOnceTrue';

/** The keyboard help: fetched when it is first opened, then kept (see useOnceTrue). */
const HelpOverlay = lazy(() => import('./HelpOverlay').then((m) => ({ default: m.HelpOverlay })));
function Help() {
  const opened = useOnceTrue(useLab(selectHelpOpen));
  return opened ? (
    <Suspense fallback={null}>
      <HelpOverlay />
    </Suspense>
  ) : null;
}

const PANELS: Record<PanelId, () => ReactNode> = {
  threads: () => <Threads />,
  source: () => <Source />,
  tree: () => <PageTree />,
  bits: () => <PageBits />,
  object: () => <ObjectPanel />,
  queues: () => <PageQueues />,
  io: () => <IoInFlight />,
  timeline: () => <Timeline />,
};

/**
 * The room the panels have: the viewport, less the teaching pane when it is docked beside them (the pane
 * narrows the lab, so a 1280 px screen with the pane open gets the narrower layout).
 */
function useScreenSize(app: RefObject<HTMLDivElement | null>) {
  const [size, setSize] = useState(() => screenSize(innerWidth, innerHeight));
  useLayoutEffect(() => {
    const update = () => {
      const pane = app.current?.querySelector(':scope > .teach-pane');
      setSize(screenSize(innerWidth - (pane?.getBoundingClientRect().width ?? 0), innerHeight));
    };
    update();
    addEventListener('resize', update);
    // The pane docks by padding the app: its content box narrows, and the observer sees it.
    const observer = new ResizeObserver(update);
    if (app.current) observer.observe(app.current);
    return () => {
      removeEventListener('resize', update);
      observer.disconnect();
    };
  }, [app]);
  return size;
}

/** The theme and the font scale go on the root element, where the stylesheet reads them. */
function useApplyPrefs(): void {
  const theme = usePrefs((s) => s.theme);
  const scale = usePrefs((s) => s.fontScale);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
    root.style.setProperty('--scale', String(scale));
  }, [theme, scale]);
}

const selectLayoutPrefs = (s: PrefsState) => `${s.layout}\t${s.focusPanel}\t${s.maximised ?? ''}`;

function Bands({ bands }: { bands: readonly Band[] }) {
  return bands.map((band, b) => (
    <div key={b} className={`band band-${band.height}`}>
      {band.columns.map((column, c) => (
        <div key={c} className="column" style={{ flex: `${column.width} 1 0` }}>
          {column.panels.map(({ id, grow }) => (
            <div
              key={id}
              className={grow === 0 ? 'slot fit' : 'slot'}
              style={{ '--grow': grow } as CSSProperties}
              data-panel={id}
            >
              {PANELS[id]()}
            </div>
          ))}
        </div>
      ))}
    </div>
  ));
}

export function App() {
  useShortcuts();
  useApplyPrefs();
  const profile = useLab(selectProfile);
  const [layout, focusPanel, maximised] = usePrefs(selectLayoutPrefs).split('\t') as [
    'full' | 'focus',
    PanelId,
    PanelId | '',
  ];
  const app = useRef<HTMLDivElement>(null);
  const size = useScreenSize(app);
  const bands = layoutOf(size, {
    layout,
    focusPanel: focusPanel as never,
    maximised: maximised || null,
  });

  // The header wraps at small widths: bands of the screen's height subtract what it really takes. Set on the
  // panels' parent, which the bands read it from (styles.css: not inherited further, so a change restyles the
  // bands, not every element of the lab as it did when set on the app).
  const chrome = useRef<HTMLElement>(null);
  const panels = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const el = chrome.current;
    if (!el) return;
    const observer = new ResizeObserver(() =>
      panels.current?.style.setProperty('--chrome-height', `${el.getBoundingClientRect().height}px`),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  return (
    <div className="app" ref={app} data-size={size}>
      <a className="skip-link" href="#lab-panels">
        Skip to the panels
      </a>
      <header ref={chrome} className="chrome">
        <div className="app-header">
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
          <ExploreButton />
          <a className="header-link" href={compareHash(FIRST_PAIR)}>
            Compare kernels
          </a>
          <ViewBar />
        </div>
        <AboutScenario />
        <StatusRow />
      </header>
      <main ref={panels} id="lab-panels" className="lab" tabIndex={-1} aria-label="Lab panels">
        <Bands bands={bands} />
      </main>
      <Help />
      <TeachDock />
      <CommitProbe />
    </div>
  );
}
