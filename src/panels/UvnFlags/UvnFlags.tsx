import { memo } from 'react';
import { UVN_FLAG_INFO } from '../../engine/openbsd/flags';
import type { VnodeView } from '../../engine/view';
import { useStore } from '../../store/store';
import { selectVnodes } from '../../store/selectors';
import { hex } from '../../viz/pages';
import { useShownVnodes, VnodePicker } from '../common/VnodePicker';
import { Panel } from '../Panel';

/** Every UVM_VNODE_* bit of the shown uvn(s), then its counters and its vnode. */
export function UvnFlags() {
  const vnodes = useStore(selectVnodes);
  const { names } = useShownVnodes();
  const shown = names.map((n) => vnodes?.find((v) => v.name === n)).filter((v): v is VnodeView => !!v);
  return (
    <Panel title="uvn flags" className="panel-flags" actions={<VnodePicker />}>
      {shown.length === 0 ? <p className="muted">No vnodes.</p> : shown.map((v) => <UvnCard key={v.name} vnode={v} />)}
    </Panel>
  );
}

function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} bytes (${hex(n)})`;
}

// Snapshots rebuild vnode views each step; compare what we show.
const sameVnode = (a: { vnode: VnodeView }, b: { vnode: VnodeView }) =>
  JSON.stringify(a.vnode) === JSON.stringify(b.vnode);

const UvnCard = memo(function UvnCard({ vnode: v }: { vnode: VnodeView }) {
  const fields: [string, string][] = [
    ['refs', String(v.uvn.refs)],
    ['u_size', bytes(v.uvn.size)],
    ['u_nio', String(v.uvn.nio)],
    ['npages', String(v.uvn.npages)],
    ['on uvn_wlist (writeable)', v.onWlist ? 'yes' : 'no'],
    ['usecount', String(v.usecount)],
    ['v_flag', v.vflag.length ? v.vflag.join('|') : 'none'],
    ['state', v.state],
    ['type', v.type],
    ['mount', v.mount],
    ['file size', bytes(v.size)],
  ];
  return (
    <div className="uvn-card">
      <table className="uvn-flags">
        <caption>
          {v.name}: u_flags = <span className="mono">{hex(v.uvn.flags, 3)}</span>{' '}
          <span className="muted mono">
            ({v.uvn.flagNames.map((n) => n.replace('UVM_VNODE_', '')).join('|') || 'none set'})
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">name</th>
            <th scope="col">value</th>
            <th scope="col">set</th>
            <th scope="col">meaning</th>
          </tr>
        </thead>
        <tbody>
          {UVN_FLAG_INFO.map(([bit, name, meaning]) => {
            const set = (v.uvn.flags & bit) !== 0;
            return (
              <tr key={name} className={set ? 'flag-set' : undefined}>
                <th scope="row" className="mono">
                  {name}
                </th>
                <td className="mono">{hex(bit, 3)}</td>
                <td>{set ? <strong className="flag-on">set</strong> : <span className="muted">—</span>}</td>
                <td className="flag-meaning">{meaning}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <dl className="uvn-fields" aria-label={`${v.name}: uvn and vnode fields`}>
        {fields.map(([k, value]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className="mono">{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}, sameVnode);
