import { Panel } from '../Panel';

/** Placeholder until the panel lands. */
export function PageBits() {
  return (
    <Panel title="Page bits" className="panel-bits">
      —
    </Panel>
  );
}
