import { memo } from 'react';
import type { PagerProfile } from '../../protocol/profile';
import type { ObjectChange } from '../../protocol/changes';
import type { CounterView, FieldView, ObjectView } from '../../protocol/snapshot';
import { useLab } from '../../store/context';
import {
  selectCounters,
  selectObjectChanges,
  selectObjects,
  selectObjectsGone,
  selectProfile,
} from '../../store/selectors';
import { useChangedNote, type ChangedNote } from '../common/changed';
import { grouped, hex } from '../format';
import { useShownVnodes, VnodePicker } from '../common/VnodePicker';
import { Panel } from '../Panel';
import './ObjectPanel.css';

const NO_OBJECTS: readonly ObjectView[] = [];
const NO_COUNTERS: readonly CounterView[] = [];

/**
 * The pager's objects for the shown vnode(s): every bit of the object's flag
 * word with its value and meaning, then its counters and its vnode's; and the
 * pager's machine-wide counters (FreeBSD's free pbufs). Named by the profile:
 * "uvn flags" for OpenBSD, "VM object" for FreeBSD.
 */
export function ObjectPanel() {
  const objects = useLab(selectObjects) ?? NO_OBJECTS;
  const counters = useLab(selectCounters) ?? NO_COUNTERS;
  const profile = useLab(selectProfile);
  const { names } = useShownVnodes();
  const shown = objects.filter((o) => names.includes(o.vnode));
  const title = profile?.objectPanel.title ?? 'Object';
  const objectChanges = useLab(selectObjectChanges);
  const objectsGone = useLab(selectObjectsGone);
  const changed = useChangedNote();
  const gone = objectsGone.filter((key) => !objects.some((o) => o.key === key));
  return (
    <Panel title={title} className="panel-flags" id="object" scrolls actions={<VnodePicker />}>
      {changed.note}
      {gone.length > 0 && (
        <p className="changed-list">
          <span className="changed-mark">Gone in the last step:</span> {gone.join(', ')}
        </p>
      )}
      {!profile || shown.length === 0 ? (
        <p className="muted">{objects.length === 0 ? 'No objects.' : 'No object for this vnode.'}</p>
      ) : (
        shown.map((o) => (
          <ObjectCard
            key={o.key}
            object={o}
            profile={profile}
            change={objectChanges[o.key] ?? null}
            mark={changed.mark}
          />
        ))
      )}
      {counters.length > 0 && (
        <dl className="object-fields object-counters" aria-label="Machine-wide counters">
          {counters.map((c) => (
            <div key={c.label} title={c.meaning}>
              <dt>{c.label}</dt>
              <dd className="mono">{c.value}</dd>
            </div>
          ))}
        </dl>
      )}
    </Panel>
  );
}

export function fieldText(f: FieldView): string {
  if (f.unit === 'bytes' && typeof f.value === 'number') return `${grouped(f.value)} bytes (${hex(f.value)})`;
  if (f.unit === 'pages' && typeof f.value === 'number') return `${grouped(f.value)} page${f.value === 1 ? '' : 's'}`;
  if (typeof f.value === 'boolean') return f.value ? 'yes' : 'no';
  return f.value === null ? 'NULL' : String(f.value);
}

// Snapshots rebuild object views each step; compare what we show.
const sameObject = (
  a: { object: ObjectView; change: ObjectChange | null },
  b: { object: ObjectView; change: ObjectChange | null },
) => a.change === b.change && JSON.stringify(a.object) === JSON.stringify(b.object);

const ObjectCard = memo(function ObjectCard({
  object: o,
  profile,
  change,
  mark,
}: {
  object: ObjectView;
  profile: PagerProfile;
  /** What the last step changed in it. */
  change: ObjectChange | null;
  mark: ChangedNote['mark'];
}) {
  const { flagWord, flagPrefix, flags, fieldsLabel } = profile.objectPanel;
  const width = Math.max(3, ...flags.map((f) => f.bit.toString(16).length));
  return (
    <div className="object-card">
      <dl className="object-fields" aria-label={`${o.title}: ${fieldsLabel}`}>
        {o.fields.map((f) => (
          <div key={f.label} title={f.meaning}>
            <dt>{f.label}</dt>
            <dd {...mark(change?.fields.includes(f.label) ?? false, 'mono')}>{fieldText(f)}</dd>
          </div>
        ))}
      </dl>
      <table className="object-flags">
        <caption>
          {o.title}: {flagWord} = <span className="mono">{hex(o.flags, width)}</span>{' '}
          <span className="muted mono">
            ({o.flagNames.map((n) => n.replace(flagPrefix, '')).join('|') || 'none set'})
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
          {flags.map(({ bit, name, meaning }) => {
            const set = (o.flags & bit) !== 0;
            const flipped = change !== null && (change.flags & bit) !== 0;
            return (
              <tr
                key={name}
                className={[set ? 'flag-set' : '', flipped ? 'changed' : ''].join(' ').trim() || undefined}
              >
                <th
                  scope="row"
                  className="mono"
                  aria-describedby={flipped ? mark(true)['aria-describedby'] : undefined}
                >
                  {name}
                </th>
                <td className="mono">{hex(bit, width)}</td>
                <td>{set ? <strong className="flag-on">set</strong> : <span className="muted">—</span>}</td>
                <td className="flag-meaning">{meaning}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}, sameObject);
