import { Panel } from '../Panel';

/** Placeholder until the panel lands. */
export function Source() {
  return (
    <Panel title="Source" className="panel-source">
      —
    </Panel>
  );
}
