import { Panel } from '../Panel';

/** Placeholder until the panel lands. */
export function PageTree() {
  return (
    <Panel title="Page tree" className="panel-tree">
      —
    </Panel>
  );
}
