/**
 * The "Start a call" form's check (pure): what was typed turned into a SpawnStep or per-field errors. The
 * worker validates the step again, as it does a file. Its own chunk, loaded when the form is first sent: the
 * first paint does not need it (the form's fields and defaults are ./spawn-form.ts).
 */
import type { CallSpec } from '../../protocol/profile';
import type { SpawnStep } from '../../protocol/scenario';
import { parseByteCount } from '../format';
import type { FieldValue } from './spawn-form';

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export type BuildResult = { ok: true; step: SpawnStep } | { ok: false; errors: Record<string, string> };

/** Validate what was typed; `taken` are the thread names already used. Errors are keyed by argument name ("name" for the thread). */
export function buildSpawn(
  call: CallSpec,
  name: string,
  values: Readonly<Record<string, FieldValue>>,
  taken: ReadonlySet<string>,
): BuildResult {
  const errors: Record<string, string> = {};
  const thread = name.trim();
  if (!NAME.test(thread)) errors.name = 'letters, digits, _ . - only (1 to 64)';
  else if (taken.has(thread)) errors.name = `${thread} is already used`;

  const args: Record<string, unknown> = {};
  for (const spec of call.args) {
    const value = values[spec.name];
    switch (spec.kind) {
      case 'number': {
        const text = typeof value === 'string' ? value.trim() : '';
        if (text === '' && spec.optional) break;
        const n = parseByteCount(text);
        if (n === null) errors[spec.name] = 'enter a number: decimal or 0x hex';
        // Beside the field, as typed: the worker's refusal would print the number rounded to a double.
        else if (!Number.isSafeInteger(n)) errors[spec.name] = 'must be at most 2^53 - 1 (0x1fffffffffffff)';
        else if (spec.pageAligned && n % 4096 !== 0) errors[spec.name] = 'must be page-aligned (a multiple of 4096)';
        else if (spec.positive && n === 0) errors[spec.name] = 'must be greater than 0';
        else args[spec.name] = n;
        break;
      }
      case 'mount':
        if (value) args[spec.name] = value;
        else if (!spec.optional) errors[spec.name] = 'choose a mount';
        break;
      case 'vnode':
      case 'mapping':
        if (value) args[spec.name] = value;
        else errors[spec.name] = spec.kind === 'vnode' ? 'no vnode to choose' : 'no mapping to choose: mmap first';
        break;
      case 'flags': {
        // In the format's order, whatever order they were ticked in.
        const ticked = Array.isArray(value) ? value : [];
        args[spec.name] = spec.choices.filter((c) => ticked.includes(c));
        break;
      }
      default:
        args[spec.name] = value;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, step: { spawn: thread, call: call.name, args } };
}
