/**
 * The engine's public input types: a scenario (scenario-format.md) already
 * validated by src/scenario. The engine trusts these shapes and checks only
 * what depends on the state it reaches (an impossible step).
 */

export type CallName =
  | 'uvn_attach'
  | 'mmap'
  | 'uvn_reference'
  | 'uvn_detach'
  | 'uvn_flush'
  | 'fault'
  | 'uvm_vnp_terminate'
  | 'uvm_vnp_uncache'
  | 'uvm_vnp_setsize'
  | 'uvm_vnp_sync'
  | 'vref'
  | 'vrele'
  | 'recycle'
  | 'revoke';

export interface VnodeSpec {
  name: string;
  /** Bytes, as VOP_GETATTR reports. */
  size: number;
  type?: 'VREG' | 'VBLK' | undefined;
  mount?: string | undefined;
  usecount?: number | undefined;
  vtext?: boolean | undefined;
}

export interface SpawnStep {
  spawn: string;
  call: CallName;
  args: Record<string, unknown>;
}

export type Step = SpawnStep | { run: string } | { step: string } | { complete: number; result: string };

export interface Scenario {
  format: 'pager-scenario/1';
  pager: 'openbsd' | 'freebsd';
  title?: string | undefined;
  machine?: { physPages?: number | undefined } | undefined;
  vnodes: VnodeSpec[];
  steps: Step[];
}

/** One digest line of the contract, keys in contract order. */
export interface Digest {
  step: number;
  panic: string | null;
  freePages: number;
  threads: { id: string; call: string; status: string; wait: string | null; ret: string | boolean | null }[];
  vnodes: {
    name: string;
    usecount: number;
    vflag: string[];
    state: string;
    size: number;
    uvn: {
      flags: string[];
      refs: number;
      size: number;
      nio: number;
      npages: number;
      pages: { offset: number; flags: string[]; queue: string; wired: number; mapped: boolean; modified: boolean }[];
    };
  }[];
  io: { id: number; thread: string; vnode: string; rw: 'read' | 'write'; offset: number; length: number }[];
}
