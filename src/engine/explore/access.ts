/**
 * The access log: what one step read and wrote, so the explorer can tell two
 * steps that commute from two that race (partial-order reduction).
 *
 * The kernel a tracked engine runs is a view of the real one through
 * proxies: every property a step reads or writes through it is logged under
 * a key `OBJ.prop`, where OBJ names the object the same way in every replay
 * of a schedule prefix, so keys from two runs compare:
 *
 * - an object in the kernel at boot is `bN`, N its place in a walk of the
 *   kernel from its root; nobody holds it but through the kernel;
 * - an object first stored into the kernel later is `A#N`: the N-th object
 *   actor A (a thread, or `io:N` for a completion) stored. A made it, and may
 *   hold it by a reference of its own (uvm_pagealloc's `pg`, the thread's own
 *   `th`), which no proxy sees.
 *
 * So each actor sees the objects it made as themselves (what it compares its
 * own references with) and every other object through its proxy, and every
 * step of thread T counts as reading and writing everything T made
 * (`sticky`). Two steps race when one writes what the other reads or writes,
 * or when one touches what the other's thread made.
 *
 * Two kinds of read are left out on purpose, each replaced by a narrower key:
 * a wakeup or lock release scans every thread for waiters (the scan depends
 * on the channel or the lock, logged as `chan:C` / `lock:L`, and a thread
 * going to sleep on C writes `chan:C`); and a thread's `id`, `call` and `args`
 * never change. A test checks, step by step, that every write the kernel
 * state shows is in the log and that the tracked engine prints the same
 * digests as a plain one (test/explore-access.test.ts).
 */
import type { Kernel, KernelObserver } from '../kernel/kernel';

/** What one step touched. */
export interface Footprint {
  readonly reads: ReadonlySet<string>;
  readonly writes: ReadonlySet<string>;
  /** Actors whose objects the step reads and writes wholesale (its own thread's). */
  readonly sticky: ReadonlySet<string>;
  /** Actors whose objects the step read or wrote a field of. */
  readonly owners: ReadonlySet<string>;
  /** Whether the step listed an object's properties (Object.keys, for...in): it saw their order. */
  readonly enumerates: boolean;
}

/**
 * Whether two steps may not commute: a write of one meets a read or write of the other.
 *
 * Two steps that each add or remove a different property of one object (`OBJ.#keys` written by both:
 * the first use of two locks, two new pages) commute except for the order the properties were added in,
 * which only a listing of the object's properties can see. Unless `keyOrder` says some step lists
 * properties, such writes do not conflict with each other (a listing reads `#keys`, so it still
 * conflicts with each of them).
 */
export function conflicts(a: Footprint, b: Footprint, keyOrder = false): boolean {
  for (const w of a.writes) if (b.reads.has(w) || (b.writes.has(w) && (keyOrder || !w.endsWith('.#keys')))) return true;
  for (const w of b.writes) if (a.reads.has(w)) return true;
  for (const s of a.sticky) if (b.sticky.has(s) || b.owners.has(s)) return true;
  for (const s of b.sticky) if (a.owners.has(s)) return true;
  return false;
}

/**
 * Kernel fields that are bookkeeping for the views, not kernel state, the observer slot itself, and the
 * live-thread index (a tracked kernel's scans read `s.threads` instead: Kernel.liveThreads).
 */
export const UNTRACKED_KERNEL_FIELDS: ReadonlySet<string> = new Set(['dirtyPages', 'observer', 'live', 'someDone']);
/** Fields of a thread record that never change once it is spawned. */
const FIXED_THREAD_FIELDS = new Set(['id', 'call', 'args']);

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** The actor that made the object a key names (`t2` for `t2#4`), or null for a boot object. */
function creatorOfKey(key: string): string | null {
  const at = key.indexOf('#');
  return at < 0 ? null : key.slice(0, at);
}

/**
 * Where a kernel object keeps its tracker's view of it (a hidden property: no walk, JSON or spread sees
 * it). An object several kernels share (a scenario's `args`) is re-stamped by whichever tracker reaches it.
 */
const STAMP = Symbol('access.stamp');

interface Stamp {
  readonly tracker: AccessTracker;
  readonly raw: object;
  readonly proxy: object;
  readonly creator: string | null;
}

type Stamped = Record<symbol, Stamp | undefined>;

/**
 * One tracked kernel: the proxies, the object keys, and the log of the step
 * being recorded. Create it around a freshly booted kernel (`wrap`), then call
 * `bootDone()` once the scenario's threads are spawned.
 */
export class AccessTracker implements KernelObserver {
  /** The kernel as the model must see it. */
  view!: Kernel;
  /** Who the step being applied belongs to: a thread id, or `io:N` for a completion. */
  actor = '';
  private recording = false;
  private scanDepth = 0;
  private reads = new Set<string>();
  private writes = new Set<string>();
  private sticky = new Set<string>();
  private owners = new Set<string>();
  private readonly keys = new WeakMap<object, string>();
  private readonly proxies = new WeakMap<object, object>();
  private readonly raws = new WeakMap<object, object>();
  private readonly created = new Map<string, number>();
  private bootCount = 0;

  constructor(readonly raw: Kernel) {}

  /** The proxied kernel to hand the engine (EngineOptions.wrapKernel). */
  wrap(): Kernel {
    this.raw.observer = this;
    this.registerBoot();
    this.view = this.proxy(this.raw, this.keys.get(this.raw)!, true) as Kernel;
    return this.view;
  }

  /** Name whatever the spawns left unnamed (nothing, when every store went through the view). */
  bootDone(): void {
    this.registerBoot();
  }

  /** Start logging a step of `actor`. */
  begin(actor: string): void {
    this.actor = actor;
    this.recording = true;
    this.reads = new Set();
    this.writes = new Set();
    this.sticky = new Set([actor]);
    this.owners = new Set();
  }

  /** Stop logging; `chans` are the sleep channels some thread entered or left during the step. */
  end(chans: Iterable<string>): Footprint {
    this.recording = false;
    for (const c of chans) this.writes.add(`chan:${c}`);
    let enumerates = false;
    for (const r of this.reads) if (r.endsWith('.#keys')) enumerates = true;
    return { reads: this.reads, writes: this.writes, sticky: this.sticky, owners: this.owners, enumerates };
  }

  /** Where the naming of created objects stands, to undo it after a refused step (which changed nothing). */
  mark(): Map<string, number> {
    return new Map(this.created);
  }

  rollback(mark: Map<string, number>): void {
    this.created.clear();
    for (const [k, v] of mark) this.created.set(k, v);
  }

  /** Set the actor without logging (replaying a prefix): objects it stores are still named after it. */
  quiet(actor: string): void {
    this.actor = actor;
    this.recording = false;
  }

  scanBegin(what: string): void {
    if (this.recording) {
      this.reads.add(what);
      this.writes.add(what);
    }
    this.scanDepth++;
  }

  scanEnd(): void {
    this.scanDepth--;
  }

  /** The key of a kernel object (itself or its proxy), or null if it was never in the kernel. */
  keyOf(o: object): string | null {
    return this.keys.get(this.unwrap(o)) ?? null;
  }

  /** The object itself, whether given it or its proxy. */
  unwrap<T>(o: T): T {
    if (!isObject(o)) return o;
    const stamp = (o as Stamped)[STAMP];
    if (stamp !== undefined && stamp.tracker === this) return stamp.raw as T;
    return (this.raws.get(o) as T | undefined) ?? o;
  }

  // ------------------------------------------------------------ internals

  /** Name every object reachable from the kernel that has no name yet, in a fixed walk order. */
  private registerBoot(): void {
    const seen = new Set<object>();
    const queue: object[] = [this.raw];
    for (let i = 0; i < queue.length; i++) {
      const o = this.unwrap(queue[i]!);
      if (seen.has(o)) continue;
      seen.add(o);
      if (!this.keys.has(o)) this.keys.set(o, `b${this.bootCount++}`);
      queue.push(...childrenOf(o, o === this.raw));
    }
  }

  /** Name the new objects of a value being stored into the kernel: the next ones the actor made. */
  private registerStored(value: object): void {
    const stack: object[] = [value];
    while (stack.length > 0) {
      const o = this.unwrap(stack.pop()!);
      if (this.keys.has(o)) continue;
      const n = this.created.get(this.actor) ?? 0;
      this.created.set(this.actor, n + 1);
      this.keys.set(o, `${this.actor}#${n}`);
      for (const child of childrenOf(o, false)) stack.push(child);
    }
  }

  private read(key: string): void {
    if (this.recording && this.scanDepth === 0) this.reads.add(key);
  }

  private write(key: string): void {
    if (this.recording) this.writes.add(key);
  }

  /**
   * How the current actor sees a kernel object reached from the object `parentKey` names: itself if the
   * actor made it, else its proxy (one per object, so identity holds). An object nobody named was stored
   * through the parent's creator's own reference (no proxy saw it): it counts as that creator's (`A#?`).
   */
  private see(value: object, parentKey: string): object {
    const stamp = (value as Stamped)[STAMP];
    if (stamp !== undefined && stamp.tracker === this) return stamp.creator === this.actor ? stamp.raw : stamp.proxy;
    const raw = this.raws.get(value) ?? value;
    let key = this.keys.get(raw);
    if (key === undefined) {
      key = `${creatorOfKey(parentKey) ?? 'boot'}#?`;
      this.keys.set(raw, key);
    }
    if (creatorOfKey(key) === this.actor) return raw;
    return this.proxies.get(raw) ?? this.proxy(raw, key, false);
  }

  /**
   * What to store when `value` goes into a field of the object `containerKey` names: the object itself,
   * unless another actor made the container (it would read the value through its own reference, unseen):
   * then the value's proxy. New objects are named first.
   */
  private storable(value: unknown, containerKey: string): unknown {
    if (!isObject(value)) return value;
    const raw = this.unwrap(value);
    if (!this.keys.has(raw)) this.registerStored(raw);
    const container = creatorOfKey(containerKey);
    if (container === null || container === creatorOfKey(this.keys.get(raw)!)) return raw;
    return this.proxies.get(raw) ?? this.proxy(raw, this.keys.get(raw)!, false);
  }

  private proxy(target: object, key: string, isKernel: boolean): object {
    if (target instanceof Map || target instanceof Set) return this.proxyCollection(target, key);
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    const isThread = !isKernel && (this.raw.s.threads as object[]).includes(target);
    const creator = creatorOfKey(key);
    /** Log a touch of this object's field: its creator's own references reach it too. */
    const touched = () => {
      if (creator !== null) tracker.owners.add(creator);
    };
    const frozen = Object.isFrozen(target);
    const untracked = (p: string) =>
      (isKernel && UNTRACKED_KERNEL_FIELDS.has(p)) || (isThread && FIXED_THREAD_FIELDS.has(p));
    const handler: ProxyHandler<Record<PropertyKey, unknown>> = {
      get(t, p, receiver) {
        if (typeof p === 'symbol') return Reflect.get(t, p, receiver);
        // The kernel object has getters (UvmKernel.uvm) that must read through the proxy too.
        const value = isKernel ? Reflect.get(t, p, receiver) : t[p];
        if (tracker.recording && tracker.scanDepth === 0 && typeof value !== 'function' && !untracked(p)) {
          tracker.reads.add(`${key}.${p}`);
          touched();
        }
        if (typeof value !== 'object' || value === null || frozen || (isKernel && UNTRACKED_KERNEL_FIELDS.has(p)))
          return value;
        return tracker.see(value, key);
      },
      set(t, p, value) {
        if (typeof p === 'symbol' || (isKernel && UNTRACKED_KERNEL_FIELDS.has(p))) return Reflect.set(t, p, value);
        const stored = tracker.storable(value, key);
        if (tracker.recording) {
          touched();
          const had = Object.prototype.hasOwnProperty.call(t, p);
          // Storing what is there already changes nothing: it only reads.
          if (had && tracker.unwrap(t[p]) === tracker.unwrap(value)) tracker.read(`${key}.${p}`);
          else tracker.writes.add(`${key}.${p}`);
          if (!had) tracker.writes.add(`${key}.#keys`);
          // A shorter length drops the elements past it.
          if (p === 'length' && Array.isArray(t) && typeof value === 'number' && value < t.length) {
            for (let i = value; i < t.length; i++) tracker.writes.add(`${key}.${i}`);
            tracker.writes.add(`${key}.#keys`);
          }
        }
        t[p] = stored;
        return true;
      },
      has(t, p) {
        if (typeof p !== 'symbol' && tracker.recording && tracker.scanDepth === 0) {
          tracker.read(`${key}.${p}`);
          touched();
        }
        return Reflect.has(t, p);
      },
      deleteProperty(t, p) {
        if (typeof p !== 'symbol' && tracker.recording) {
          touched();
          if (Object.prototype.hasOwnProperty.call(t, p)) {
            tracker.writes.add(`${key}.${p}`);
            tracker.writes.add(`${key}.#keys`);
          } else tracker.read(`${key}.${p}`);
        }
        return Reflect.deleteProperty(t, p);
      },
      ownKeys(t) {
        if (tracker.recording && tracker.scanDepth === 0) {
          tracker.read(`${key}.#keys`);
          touched();
        }
        return Reflect.ownKeys(t);
      },
      defineProperty(t, p, desc) {
        if (typeof p !== 'symbol' && tracker.recording) {
          touched();
          tracker.writes.add(`${key}.${p}`);
          tracker.writes.add(`${key}.#keys`);
        }
        return Reflect.defineProperty(t, p, desc);
      },
    };
    return this.remember(target, new Proxy(target as Record<PropertyKey, unknown>, handler), creator);
  }

  /** A Map or Set: every method call runs on the real one; any read reads all of it, any change writes it. */
  private proxyCollection(target: Map<unknown, unknown> | Set<unknown>, key: string): object {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    const all = `${key}.#all`;
    const creator = creatorOfKey(key);
    const WRITES = new Set(['set', 'add', 'delete', 'clear']);
    const out = (v: unknown) => (isObject(v) && typeof v !== 'function' ? tracker.see(v, key) : v);
    const proxy: object = new Proxy(target, {
      get(t, p) {
        if (p === 'size') {
          tracker.read(all);
          return t.size;
        }
        const member = Reflect.get(t, p, t) as unknown;
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) => {
          const write = typeof p === 'string' && WRITES.has(p);
          if (write) {
            args = args.map((a) => tracker.storable(a, key));
            tracker.write(all);
          } else tracker.read(all);
          if (tracker.recording && creator !== null) tracker.owners.add(creator);
          if (p === 'forEach') {
            const fn = args[0] as (v: unknown, k: unknown, c: unknown) => void;
            t.forEach((v: unknown, k: unknown) => fn.call(args[1], out(v), out(k), proxy));
            return undefined;
          }
          const result = (member as (...a: unknown[]) => unknown).apply(t, args);
          if (p === 'get') return out(result);
          if (result === t) return proxy;
          if (isObject(result) && typeof (result as Iterator<unknown>).next === 'function') {
            // keys(), values(), entries(), [Symbol.iterator](): hand out views of the objects inside.
            const items = [...(result as Iterable<unknown>)].map((x) => (Array.isArray(x) ? x.map(out) : out(x)));
            return items[Symbol.iterator]();
          }
          return result;
        };
      },
    });
    return this.remember(target, proxy, creator);
  }

  /** Keep the way between an object and its proxy, both directions. */
  private remember(target: object, proxy: object, creator: string | null): object {
    this.proxies.set(target, proxy);
    this.raws.set(proxy, target);
    const stamp: Stamp = { tracker: this, raw: target, proxy, creator };
    if (Object.isExtensible(target)) Object.defineProperty(target, STAMP, { value: stamp, writable: true });
    return proxy;
  }
}

/** The objects a kernel object holds, in a fixed order (the kernel root leaves out its view bookkeeping). */
function childrenOf(o: object, isKernel: boolean): object[] {
  const out: object[] = [];
  if (o instanceof Map) {
    for (const [k, v] of o) {
      if (isObject(k)) out.push(k);
      if (isObject(v)) out.push(v);
    }
    return out;
  }
  if (o instanceof Set) {
    for (const v of o) if (isObject(v)) out.push(v);
    return out;
  }
  for (const p of Object.keys(o)) {
    if (isKernel && UNTRACKED_KERNEL_FIELDS.has(p)) continue;
    const v = (o as Record<string, unknown>)[p];
    if (isObject(v) && typeof v !== 'function') out.push(v);
  }
  return out;
}
