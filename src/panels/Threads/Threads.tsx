import { Panel } from '../Panel';

/** Placeholder until the panel lands. */
export function Threads() {
  return (
    <Panel title="Threads" className="panel-threads">
      —
    </Panel>
  );
}
