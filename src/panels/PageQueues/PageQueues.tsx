import { Panel } from '../Panel';

/** Placeholder until the panel lands. */
export function PageQueues() {
  return (
    <Panel title="Page queues" className="panel-queues">
      —
    </Panel>
  );
}
