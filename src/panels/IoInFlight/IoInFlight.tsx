import { Panel } from '../Panel';

/** Placeholder until the panel lands. */
export function IoInFlight() {
  return (
    <Panel title="I/O in flight" className="panel-io">
      —
    </Panel>
  );
}
