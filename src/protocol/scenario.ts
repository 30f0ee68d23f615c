/**
 * The scenario format, version 1 (shared/scenario-format.md), as TypeScript
 * types: what the runner reads, the lab imports and exports, links carry and
 * the worker is given. Validation lives in src/scenario; these are the shapes
 * it produces, so the engine, the worker and the UI agree on one definition.
 */

/** The machine a scenario starts from. FreeBSD reads every field; OpenBSD only `physPages`. */
export interface MachineSpec {
  /** Free physical pages at start (default 64). */
  physPages?: number | undefined;
  /** FreeBSD `vm_cnt.v_pageout_free_min` (default 34). */
  pageoutFreeMin?: number | undefined;
  /** FreeBSD `vnode_pbuf_freecnt` (default 129). */
  pbufs?: number | undefined;
  /** FreeBSD `vnode_async_pbuf_freecnt` (default 128). */
  asyncPbufs?: number | undefined;
}

/** A FreeBSD file system (`mounts[]`); an OpenBSD scenario has none. */
export interface MountSpec {
  name: string;
  /** `mnt_stat.f_iosize`, the block size (default 4096). */
  iosize?: number | undefined;
  /** `bo_bsize` of the disk (default 512). */
  sectorSize?: number | undefined;
  /** false: VOP_BMAP fails with EOPNOTSUPP (default true). */
  bmap?: boolean | undefined;
  /** Which VOP_PUTPAGES the file system has (default "generic"). */
  putpages?: 'generic' | 'undirty' | undefined;
}

export interface VnodeSpec {
  name: string;
  /** Bytes, as VOP_GETATTR reports. */
  size: number;
  /** OpenBSD only: "VBLK" is a disk. */
  type?: 'VREG' | 'VBLK' | undefined;
  mount?: string | undefined;
  usecount?: number | undefined;
  /** The file is a running program's text (VTEXT / VV_TEXT). */
  vtext?: boolean | undefined;
  /** FreeBSD only: disk address of each file block in DEV_BSIZE units, -1 for a hole. */
  blocks?: number[] | undefined;
}

export interface SpawnStep {
  spawn: string;
  call: string;
  args: Record<string, unknown>;
}
export interface RunStep {
  run: string;
}
export interface StepStep {
  step: string;
}
export interface CompleteStep {
  complete: number;
  /** "ok", "eio" or "short:B". */
  result: string;
}

export type Step = SpawnStep | RunStep | StepStep | CompleteStep;

export interface Scenario {
  format: 'pager-scenario/1';
  /** A registered pager model: "openbsd" or "freebsd". */
  pager: string;
  title?: string | undefined;
  machine?: MachineSpec | undefined;
  mounts?: MountSpec[] | undefined;
  vnodes: VnodeSpec[];
  steps: Step[];
}

/** A scenario without its steps: the machine a session starts from. */
export type Setup = Pick<Scenario, 'pager' | 'machine' | 'mounts' | 'vnodes'>;

export function setupOf(s: Setup): Setup {
  return {
    pager: s.pager,
    ...(s.machine ? { machine: s.machine } : {}),
    ...(s.mounts ? { mounts: s.mounts } : {}),
    vnodes: s.vnodes,
  };
}

/** The thread a step names, if any (a `complete` names a request). */
export function threadOf(step: Step): string | null {
  if ('spawn' in step) return step.spawn;
  if ('run' in step) return step.run;
  if ('step' in step) return step.step;
  return null;
}
