/**
 * Seed lines of vnode_pager.c that no scenario can reach in this model, and why. The seed-coverage report
 * (tools/coverage-seed.ts) lists every statement line the library never reaches with its reason here; a
 * line missing from this table and never reached is a gap in the library, not in the model.
 */

export const UNREACHABLE_SEED_LINES: Readonly<Record<number, string>> = {};
