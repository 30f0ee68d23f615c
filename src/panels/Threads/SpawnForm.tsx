import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CallName } from '../../engine/api';
import { useStore, type AppState } from '../../store/store';
import { selectPanic, selectSelectedVnode } from '../../store/selectors';
import { sim } from '../../worker/client';
import {
  argKeys,
  buildSpawn,
  CALL_NAMES,
  DEFAULT_FIELDS,
  PGO_NAMES,
  type ArgKey,
  type FormErrors,
  type PgoName,
  type SpawnFields,
} from './spawn-form';
import { nextThreadName } from './thread-text';

/**
 * Threads are only ever appended (or, going back, truncated), so their count
 * and end ids identify the set of names: a string, cheap to compare on every
 * step even with thousands of threads.
 */
const selectThreadSetKey = (s: AppState) => {
  const threads = s.snapshot?.threads ?? [];
  return `${threads.length}\t${threads[0]?.id ?? ''}\t${threads.at(-1)?.id ?? ''}`;
};
const selectVnodeChoices = (s: AppState) => s.snapshot?.vnodes.map((v) => `${v.name}\t${v.mount}\t${v.state}`) ?? [];

type ArgFields = Omit<SpawnFields, 'name' | 'vnode'>;

/** "Start a call": spawn a kernel thread (it does not run until asked). Form state stays here. */
export function SpawnForm() {
  const threadSetKey = useStore(selectThreadSetKey);
  const vnodeRows = useStore(useShallow(selectVnodeChoices));
  const selectedVnode = useStore(selectSelectedVnode);
  const panicked = useStore(selectPanic) !== null;
  const uid = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const submitted = useRef(false);

  const vnodes = useMemo(
    () => vnodeRows.map((row) => row.split('\t') as [name: string, mount: string, state: string]),
    [vnodeRows],
  );
  const mounts = useMemo(() => [...new Set(vnodes.map((v) => v[1]))], [vnodes]);

  // null means "the default": the next free name, the selected (or first) vnode.
  const [name, setName] = useState<string | null>(null);
  const [vnode, setVnode] = useState<string | null>(null);
  const [fields, setFields] = useState<ArgFields>(DEFAULT_FIELDS);
  const [errors, setErrors] = useState<FormErrors>({});

  const defaultName = useMemo(
    () => nextThreadName((useStore.getState().snapshot?.threads ?? []).map((t) => t.id)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for the thread ids
    [threadSetKey],
  );
  const vnodeNames = vnodes.map((v) => v[0]);
  const defaultVnode = selectedVnode && vnodeNames.includes(selectedVnode) ? selectedVnode : (vnodeNames[0] ?? '');
  const current: SpawnFields = {
    ...fields,
    name: name ?? defaultName,
    vnode: vnode !== null && vnodeNames.includes(vnode) ? vnode : defaultVnode,
  };
  const keys = argKeys(current.call);

  useEffect(() => {
    if (!submitted.current) return;
    submitted.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const set = <K extends keyof ArgFields>(key: K, value: ArgFields[K]) => {
    setFields((f) => ({ ...f, [key]: value }));
    setErrors(({ [key as ArgKey]: _gone, ...rest }) => rest);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const result = buildSpawn(current, new Set((useStore.getState().snapshot?.threads ?? []).map((t) => t.id)));
    submitted.current = true;
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    sim.spawn(result.step);
    setName(null);
  };

  const field = (key: keyof FormErrors | 'call', label: string, control: (a11y: object) => ReactNode) => {
    const err = key === 'call' ? undefined : errors[key];
    const errId = `${uid}-${key}-error`;
    return (
      <label className="spawn-field" key={key}>
        <span>{label}</span>
        {control({ 'aria-invalid': err ? true : undefined, 'aria-describedby': err ? errId : undefined })}
        {err && (
          <span role="alert" id={errId} className="field-error">
            {err}
          </span>
        )}
      </label>
    );
  };

  const byteField = (key: 'offset' | 'size' | 'start' | 'stop', label: string) =>
    field(key, label, (a11y) => (
      <input
        {...a11y}
        className="mono"
        size={7}
        spellCheck={false}
        value={fields[key]}
        placeholder="0x1000"
        onChange={(e) => set(key, e.target.value)}
      />
    ));

  const argControl = (key: ArgKey): ReactNode => {
    switch (key) {
      case 'vnode':
        return field('vnode', 'vnode', (a11y) => (
          <select {...a11y} value={current.vnode} onChange={(e) => setVnode(e.target.value)}>
            {vnodes.map(([n, , state]) => (
              <option key={n} value={n}>
                {state === 'active' ? n : `${n} (${state})`}
              </option>
            ))}
          </select>
        ));
      case 'prot':
        return field('prot', 'prot', (a11y) => (
          <select {...a11y} value={fields.prot} onChange={(e) => set('prot', e.target.value as 'r' | 'rw')}>
            <option value="r">r (PROT_READ)</option>
            <option value="rw">rw (PROT_READ|PROT_WRITE)</option>
          </select>
        ));
      case 'shared':
        return (
          <label className="spawn-check" key="shared">
            <input type="checkbox" checked={fields.shared} onChange={(e) => set('shared', e.target.checked)} />
            shared
          </label>
        );
      case 'access':
        return field('access', 'access', (a11y) => (
          <select {...a11y} value={fields.access} onChange={(e) => set('access', e.target.value as 'read' | 'write')}>
            <option value="read">read</option>
            <option value="write">write</option>
          </select>
        ));
      case 'offset':
        return byteField('offset', 'offset (bytes)');
      case 'size':
        return byteField('size', 'new size (bytes)');
      case 'start':
        return byteField('start', 'start');
      case 'stop':
        return byteField('stop', 'stop');
      case 'mount':
        return field('mount', 'mount', (a11y) => (
          <select {...a11y} value={fields.mount} onChange={(e) => set('mount', e.target.value)}>
            <option value="">all mounts (NULL)</option>
            {mounts.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        ));
      case 'flags':
        return (
          <fieldset
            className="spawn-flags"
            key="flags"
            aria-describedby={errors.flags ? `${uid}-flags-error` : undefined}
          >
            <legend>flags (PGO_…)</legend>
            {PGO_NAMES.map((flag) => (
              <label key={flag} className="spawn-check mono" title={flag}>
                <input
                  type="checkbox"
                  aria-label={flag}
                  checked={fields.flags.includes(flag)}
                  onChange={(e) =>
                    set(
                      'flags',
                      e.target.checked ? [...fields.flags, flag] : fields.flags.filter((x: PgoName) => x !== flag),
                    )
                  }
                />
                {flag.slice(4)}
              </label>
            ))}
            {errors.flags && (
              <span role="alert" id={`${uid}-flags-error`} className="field-error">
                {errors.flags}
              </span>
            )}
          </fieldset>
        );
    }
  };

  return (
    <form ref={formRef} className="spawn-form" aria-label="Start a call" onSubmit={onSubmit} noValidate>
      <div className="spawn-row">
        {field('name', 'thread', (a11y) => (
          <input
            {...a11y}
            className="mono"
            size={4}
            spellCheck={false}
            value={current.name}
            onChange={(e) => {
              setName(e.target.value);
              setErrors(({ name: _gone, ...rest }) => rest);
            }}
          />
        ))}
        {field('call', 'call', () => (
          <select
            value={current.call}
            onChange={(e) => {
              set('call', e.target.value as CallName);
              setErrors({});
            }}
          >
            {CALL_NAMES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        ))}
        {keys.filter((k) => k !== 'flags').map(argControl)}
        <button type="submit" className="spawn-submit" disabled={panicked}>
          Start
        </button>
      </div>
      {/* The flags group comes last so that Start stays in view on a small screen. */}
      {keys.includes('flags') && argControl('flags')}
    </form>
  );
}
