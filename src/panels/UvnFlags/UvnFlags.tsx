import { Panel } from '../Panel';

/** Placeholder until the panel lands. */
export function UvnFlags() {
  return (
    <Panel title="uvn flags" className="panel-flags">
      —
    </Panel>
  );
}
