/**
 * The "Start a call" form's logic (pure): the fields a call has, read from
 * its ArgSpecs in the pager's profile (so the form cannot drift from the
 * format) and their defaults. Turning what was typed into a SpawnStep is in
 * ./spawn-build.ts, loaded when the form is first sent.
 */
import type { ArgSpec } from '../../protocol/profile';

/** What a field holds: text as typed for numbers and names, a flag for bools, the ticked names for flags. */
export type FieldValue = string | boolean | readonly string[];

/** The names a call's arguments may refer to now. */
export interface FormChoices {
  vnodes: readonly string[];
  mounts: readonly string[];
  /** Threads whose mapping a `mapping` argument may name. */
  mappings: readonly string[];
  /** The vnode to offer first (the selected one). */
  preferredVnode: string | null;
}

export function defaultValue(spec: ArgSpec, choices: FormChoices): FieldValue {
  switch (spec.kind) {
    case 'vnode':
      return choices.preferredVnode && choices.vnodes.includes(choices.preferredVnode)
        ? choices.preferredVnode
        : (choices.vnodes[0] ?? '');
    case 'mount':
      return spec.optional ? '' : (choices.mounts[0] ?? '');
    case 'mapping':
      return choices.mappings.at(-1) ?? '';
    case 'choice':
      return spec.default ?? spec.choices[0] ?? '';
    case 'bool':
      return spec.default ?? false;
    case 'number':
      return spec.default === undefined ? '' : String(spec.default);
    case 'flags':
      return spec.default ?? [];
  }
}
