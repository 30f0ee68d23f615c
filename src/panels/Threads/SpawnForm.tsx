import { memo, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ArgSpec, CallSpec } from '../../protocol/profile';
import { indicesWhere } from '../../protocol/patched';
import type { ThreadView } from '../../protocol/snapshot';
import { useDispatch, useLab, useLabStore } from '../../store/context';
import { selectPanic, selectProfile, selectSelectedVnode } from '../../store/selectors';
import type { LabState } from '../../store/store';
import { defaultValue, type FieldValue, type FormChoices } from './spawn-form';
import { nextThreadName } from './thread-text';

/**
 * Threads are only ever appended (or, going back, truncated), so their count
 * and end ids identify the set of names: a string, cheap to compare on every
 * step even with thousands of threads.
 */
const selectThreadSetKey = (s: LabState) => {
  const threads = s.snapshot?.threads ?? [];
  return `${threads.length}\t${threads[0]?.id ?? ''}\t${threads.at(-1)?.id ?? ''}`;
};
const selectVnodeChoices = (s: LabState) => s.snapshot?.vnodes.map((v) => `${v.name}\t${v.mount}\t${v.state}`) ?? [];
/** Threads whose call made a mapping (a done mmap that returned an object): what `mapping` arguments name. */
const isMapping = (t: ThreadView) =>
  t.call === 'mmap' && t.status === 'done' && typeof t.ret === 'string' && t.ret.startsWith('obj');
const MAPPINGS = new WeakMap<readonly ThreadView[], readonly number[]>();
// Worked out from the threads a step replaced (patched.ts), not a pass over every thread on each store update.
const selectMappings = (s: LabState) => {
  const threads = s.snapshot?.threads;
  return threads ? indicesWhere(MAPPINGS, threads, isMapping).map((i) => threads[i]!.id) : [];
};

const EMPTY_CALLS: readonly CallSpec[] = [];

/** "Start a call": spawn a kernel thread (it does not run until asked). Form state stays here. */
// Memoised (no props: the thread list re-renders on every step, the form only when what it offers changes).
export const SpawnForm = memo(function SpawnForm() {
  const threadSetKey = useLab(selectThreadSetKey);
  const vnodeRows = useLab(useShallow(selectVnodeChoices));
  const mappings = useLab(useShallow(selectMappings));
  const selectedVnode = useLab(selectSelectedVnode);
  const panicked = useLab(selectPanic) !== null;
  const calls = useLab(selectProfile)?.calls ?? EMPTY_CALLS;
  const store = useLabStore();
  const dispatch = useDispatch();
  const uid = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const submitted = useRef(false);

  const vnodes = useMemo(
    () => vnodeRows.map((row) => row.split('\t') as [name: string, mount: string, state: string]),
    [vnodeRows],
  );
  const choices: FormChoices = useMemo(
    () => ({
      vnodes: vnodes.map((v) => v[0]),
      mounts: [...new Set(vnodes.map((v) => v[1]))],
      mappings,
      preferredVnode: selectedVnode,
    }),
    [vnodes, mappings, selectedVnode],
  );

  // null means "the default": the next free name, the first call, each argument's default.
  const [name, setName] = useState<string | null>(null);
  const [callName, setCallName] = useState<string | null>(null);
  const [typed, setTyped] = useState<Record<string, FieldValue>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  const defaultName = useMemo(
    () => nextThreadName((store.getState().snapshot?.threads ?? []).map((t) => t.id)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for the thread ids
    [threadSetKey, store],
  );
  const call = calls.find((c) => c.name === callName) ?? calls[0];

  useEffect(() => {
    if (!submitted.current) return;
    submitted.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  if (!call) return null;

  /** A typed value if still a valid choice, else the default. */
  const valueOf = (spec: ArgSpec): FieldValue => {
    const v = typed[spec.name];
    if (v === undefined) return defaultValue(spec, choices);
    if (spec.kind === 'vnode' && !choices.vnodes.includes(v as string)) return defaultValue(spec, choices);
    if (spec.kind === 'mapping' && !choices.mappings.includes(v as string)) return defaultValue(spec, choices);
    return v;
  };
  const values = Object.fromEntries(call.args.map((a) => [a.name, valueOf(a)]));

  const set = (key: string, value: FieldValue) => {
    setTyped((t) => ({ ...t, [key]: value }));
    setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const taken = new Set((store.getState().snapshot?.threads ?? []).map((t) => t.id));
    // The check is a chunk of its own, fetched at the first send: the first paint does not wait for it.
    void import('./spawn-build').then(({ buildSpawn }) => {
      const result = buildSpawn(call, name ?? defaultName, values, taken);
      submitted.current = true;
      if (!result.ok) {
        setErrors(result.errors);
        return;
      }
      setErrors({});
      dispatch({ type: 'spawn', step: result.step });
      setName(null);
    });
  };

  // NOTE: the error is beside the label, not inside it: inside, it would become part of the field's name.
  const field = (key: string, label: string, control: (a11y: object) => ReactNode) => {
    const err = errors[key];
    const errId = `${uid}-${key}-error`;
    const inputId = `${uid}-${key}`;
    return (
      <span className="spawn-field" key={key}>
        <label htmlFor={inputId}>{label}</label>
        {control({ id: inputId, 'aria-invalid': err ? true : undefined, 'aria-describedby': err ? errId : undefined })}
        {err && (
          <span role="alert" id={errId} className="field-error">
            {err}
          </span>
        )}
      </span>
    );
  };

  const select = (spec: ArgSpec, options: readonly (readonly [value: string, text: string])[]) =>
    field(spec.name, spec.name, (a11y) => (
      <select {...a11y} value={values[spec.name] as string} onChange={(e) => set(spec.name, e.target.value)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    ));

  const argControl = (spec: ArgSpec): ReactNode => {
    switch (spec.kind) {
      case 'vnode':
        return select(
          spec,
          vnodes.map(([n, , state]) => [n, state === 'active' ? n : `${n} (${state})`]),
        );
      case 'mount':
        return select(spec, [
          ...(spec.optional ? [['', 'all mounts (NULL)'] as const] : []),
          ...choices.mounts.map((m) => [m, m] as const),
        ]);
      case 'mapping':
        return select(
          spec,
          choices.mappings.length > 0 ? choices.mappings.map((t) => [t, `${t}'s mapping`]) : [['', 'none yet']],
        );
      case 'choice':
        return select(
          spec,
          spec.choices.map((c) => [c, c]),
        );
      case 'bool':
        return (
          <label className="spawn-check" key={spec.name}>
            <input
              type="checkbox"
              checked={values[spec.name] === true}
              onChange={(e) => set(spec.name, e.target.checked)}
            />
            {spec.name}
          </label>
        );
      case 'number':
        return field(spec.name, spec.unit === 'bytes' ? `${spec.name} (bytes)` : spec.name, (a11y) => (
          <input
            {...a11y}
            className="mono"
            size={7}
            spellCheck={false}
            value={values[spec.name] as string}
            placeholder={spec.unit === 'bytes' ? '0x1000' : '0'}
            onChange={(e) => set(spec.name, e.target.value)}
          />
        ));
      case 'flags': {
        const ticked = values[spec.name] as readonly string[];
        const prefix = commonPrefix(spec.choices);
        return (
          <fieldset
            className="spawn-flags"
            key={spec.name}
            aria-describedby={errors[spec.name] ? `${uid}-${spec.name}-error` : undefined}
          >
            <legend>
              {spec.name} ({prefix}…)
            </legend>
            {spec.choices.map((flag) => (
              <label key={flag} className="spawn-check mono" title={flag}>
                <input
                  type="checkbox"
                  aria-label={flag}
                  checked={ticked.includes(flag)}
                  onChange={(e) =>
                    set(spec.name, e.target.checked ? [...ticked, flag] : ticked.filter((x) => x !== flag))
                  }
                />
                {flag.slice(prefix.length)}
              </label>
            ))}
            {errors[spec.name] && (
              <span role="alert" id={`${uid}-${spec.name}-error`} className="field-error">
                {errors[spec.name]}
              </span>
            )}
          </fieldset>
        );
      }
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
            value={name ?? defaultName}
            onChange={(e) => {
              setName(e.target.value);
              setErrors(({ name: _gone, ...rest }) => rest);
            }}
          />
        ))}
        {field('call', 'call', (a11y) => (
          <select
            {...a11y}
            value={call.name}
            title={call.summary}
            onChange={(e) => {
              setCallName(e.target.value);
              setErrors({});
            }}
          >
            {calls.map((c) => (
              <option key={c.name} value={c.name} title={c.summary}>
                {c.name}
              </option>
            ))}
          </select>
        ))}
        {call.args.filter((a) => a.kind !== 'flags').map(argControl)}
        <button type="submit" className="spawn-submit" disabled={panicked}>
          Start
        </button>
      </div>
      {/* The flags group comes last so that Start stays in view on a small screen. */}
      {call.args.filter((a) => a.kind === 'flags').map(argControl)}
    </form>
  );
});

/** "PGO_" of PGO_CLEANIT, PGO_SYNCIO, ... */
function commonPrefix(names: readonly string[]): string {
  const first = names[0] ?? '';
  const at = first.indexOf('_');
  const prefix = at >= 0 ? first.slice(0, at + 1) : '';
  return names.every((n) => n.startsWith(prefix)) ? prefix : '';
}
