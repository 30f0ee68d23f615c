/**
 * A deep copy of plain kernel data, objects shared inside it kept shared (a
 * disk request's buffer is also the pager's): the host's structured clone,
 * which every runtime the engine runs in has (Node 17+, browsers, workers),
 * though the engine's pure-ES2022 build does not declare it.
 */
declare const structuredClone: <T>(value: T) => T;

export function cloneData<T>(value: T): T {
  return structuredClone(value);
}
