/**
 * The library's table of contents: topics in the order a class meets them,
 * and within each the scenarios in a suggested order with a short name (the
 * file's own title is the long explanation, shown in "About this scenario").
 * Every scenarios/*.json appears exactly once (test/library-index.test.ts).
 */

export interface LibraryTopic {
  readonly topic: string;
  /** The kernel the topic's scenarios run: their `pager`. */
  readonly pager: 'openbsd' | 'freebsd';
  readonly entries: readonly { readonly name: string; readonly label: string }[];
}

/** The scenario to open first: the lecture walk-through touches every part of the pager. */
export const START_HERE = 'lecture-walkthrough';

export const LIBRARY_TOPICS: readonly LibraryTopic[] = [
  {
    topic: 'Start here',
    pager: 'openbsd',
    entries: [{ name: 'lecture-walkthrough', label: 'Walk-through: attach, fault, msync, revoke' }],
  },
  {
    topic: 'Attach and detach',
    pager: 'openbsd',
    entries: [
      { name: 'attach-reference-detach-persist', label: 'Attach, reference, detach to a persisting uvn' },
      { name: 'attach-waits-on-alock', label: 'A second attach waits on ALOCK' },
      { name: 'mmap-private-and-shared-mappings', label: 'mmap: private and shared mappings' },
      { name: 'attach-vblk-rounds-size-to-sectors', label: 'A disk (VBLK) rounds its size to sectors' },
      { name: 'vref-vrele-free-list-and-blocked-vrele', label: 'vref, vrele and the free list' },
      { name: 'uncache-invalid-active-and-persisting', label: 'uvm_vnp_uncache in its three cases' },
      { name: 'mmap-shared-rw-then-last-detach-kills-uvn', label: 'Shared rw mmap: the last detach kills the uvn' },
      { name: 'attach-revoked-vnode-returns-null', label: 'Attaching a revoked vnode returns NULL' },
      { name: 'revoked-disk-attaches-null', label: 'A revoked disk attaches NULL' },
      { name: 'detach-relkill-waits-for-late-fault-read', label: 'Detach waits in RELKILL for a late read' },
      {
        name: 'detach-goner-flush-meets-iosync-clears-released',
        label: 'A goner flush meets IOSYNC and clears PG_RELEASED',
      },
    ],
  },
  {
    topic: 'Faults',
    pager: 'openbsd',
    entries: [
      { name: 'two-threads-fault-same-page', label: 'Two threads fault the same page' },
      { name: 'two-threads-fault-same-page-first-read-fails', label: 'Same page, and the first read fails' },
      { name: 'fault-read-errors-short-reads-and-past-eof', label: 'Read errors, short reads, past EOF' },
      { name: 'fault-while-vnode-locked-gets-again', label: 'Vnode locked: uvn_get answers AGAIN' },
      { name: 'fault-out-of-memory-waits-for-free-page', label: 'Out of memory: waiting for a free page' },
    ],
  },
  {
    topic: 'Flush (msync)',
    pager: 'openbsd',
    entries: [
      { name: 'fault-write-then-msync', label: 'Write fault, then msync' },
      { name: 'msync-range-start-stop', label: 'msync of a byte range' },
      { name: 'msync-clusters-sixteen-dirty-pages', label: 'Clustering sixteen dirty pages' },
      { name: 'msync-deactivate-then-free', label: 'PGO_DEACTIVATE, then PGO_FREE' },
      { name: 'msync-write-errors-and-short-writes', label: 'Write errors and short writes' },
      { name: 'msync-free-cluster-write-error-returns-false', label: 'PGO_FREE cluster write fails: false' },
      { name: 'msync-syncio-waits-for-busy-page-io', label: 'SYNCIO waits for I/O on a busy page' },
      { name: 'msync-free-waits-on-page-under-read', label: 'PGO_FREE waits on a page under read' },
      { name: 'flush-without-syncio-meets-iosync-again-retry', label: 'No SYNCIO meets IOSYNC: AGAIN, retry' },
    ],
  },
  {
    topic: 'Terminate and revoke',
    pager: 'openbsd',
    entries: [
      { name: 'revoke-mapped-uvn-then-deadfs', label: 'Revoke a mapped uvn, then deadfs' },
      { name: 'recycle-terminate-waits-for-late-fault-read', label: 'Recycle: terminate waits for a late read' },
      { name: 'terminate-cancels-relkill-detach-returns-early', label: 'Terminate cancels RELKILL' },
    ],
  },
  {
    topic: 'Setsize (truncate)',
    pager: 'openbsd',
    entries: [
      { name: 'setsize-grow-and-shrink', label: 'Grow and shrink' },
      { name: 'setsize-shrink-waits-on-busy-page', label: 'Shrinking waits on a busy page' },
    ],
  },
  {
    topic: 'Sync',
    pager: 'openbsd',
    entries: [
      { name: 'sync-mount-filter-persisting-uvn-and-wlist', label: 'sync of one mount and the wlist' },
      { name: 'attach-race-double-inserts-wlist-sync-laps-for-ever', label: 'An attach race: sync never ends' },
    ],
  },
  {
    topic: 'Panics',
    pager: 'openbsd',
    entries: [
      { name: 'attach-free-vnode-vref-panics', label: 'Attach a free vnode: vref panics' },
      { name: 'reattach-persisting-uvn-of-free-vnode-vref-panics', label: 'Re-attach a persisting uvn: vref panics' },
      { name: 'uncache-persisting-uvn-of-free-vnode-vref-panics', label: 'Uncache a persisting uvn: vref panics' },
      { name: 'sync-persisting-uvn-of-free-vnode-vref-panics', label: 'Sync a persisting uvn: vref panics' },
      { name: 'persisting-uvn-stray-references-vrele-panics-ref-cnt', label: 'Stray references: vrele: ref cnt' },
      { name: 'detach-without-reference-then-attach-kassert', label: 'Detach without a reference: KASSERT' },
      { name: 'cluster-offset-out-of-range-panic', label: 'uvn_cluster: offset out of range' },
      { name: 'msync-free-deactivate-leaves-released-page-kassert', label: 'FREE|DEACTIVATE leaves PG_RELEASED' },
      { name: 'msync-nowait-syncio-again-panics', label: 'NOWAIT|SYNCIO gets AGAIN: panic' },
      { name: 'msync-nowait-again-retry-then-panics', label: 'NOWAIT: AGAIN, retry, then panic' },
      { name: 'mmap-uncache-unlocks-vnode-lock-nobody-holds-panics', label: 'Unlocking a vnode lock nobody holds' },
      {
        name: 'mmap-uncache-unlocks-vnode-lock-another-thread-holds-panics',
        label: 'Unlocking a vnode lock another thread holds',
      },
    ],
  },
  {
    topic: 'Hangs',
    pager: 'openbsd',
    entries: [
      {
        name: 'recycle-terminate-hangs-when-late-fault-page-survives',
        label: 'Terminate sleeps forever on a surviving page',
      },
    ],
  },
  {
    topic: 'FreeBSD: faults and reads',
    pager: 'freebsd',
    entries: [
      { name: 'freebsd-two-faults-same-page-vmpfw', label: 'Two faults on one page (vmpfw)' },
      { name: 'freebsd-fault-readahead-clipped-by-hole', label: 'Read-ahead clipped by a hole' },
      { name: 'freebsd-smlfs-reads-each-small-block', label: 'Small blocks: one read per block' },
      { name: 'freebsd-fault-out-of-memory-sleeps-pfault', label: 'Out of memory: sleeps pfault' },
      { name: 'freebsd-sync-pbufs-exhausted-wswbuf0', label: 'No pbuf left: sleeps wswbuf0' },
      { name: 'freebsd-fault-read-around-trimmed-to-maxphys', label: 'Read-around trimmed to MAXPHYS' },
      {
        name: 'freebsd-fault-read-behind-stops-at-resident-and-no-memory',
        label: 'Read-behind stops at a resident page',
      },
      {
        name: 'freebsd-fault-eof-readahead-page-stays-partly-valid',
        label: 'EOF: a read-ahead page stays partly valid',
      },
      {
        name: 'freebsd-fault-short-read-looks-ok-eio-keeps-readahead-valid',
        label: 'A short read looks OK; EIO keeps read-ahead',
      },
      { name: 'freebsd-haspage-eof-small-blocks-and-clipped-run', label: 'haspage: EOF, small blocks, a clipped run' },
      { name: 'freebsd-smlfs-blocks-past-eof-zeroed-without-io', label: 'Small blocks past EOF zeroed without I/O' },
      { name: 'freebsd-smlfs-read-error-frees-page-kern-failure', label: 'Small-block read error: KERN_FAILURE' },
      { name: 'freebsd-no-bmap-vop-read-eof-page-and-short-read', label: 'No VOP_BMAP: VOP_READ, EOF and short reads' },
      { name: 'freebsd-no-bmap-empty-read-einval-and-eio-fail-fault', label: 'No VOP_BMAP: empty read is EINVAL' },
    ],
  },
  {
    topic: 'FreeBSD: sendfile',
    pager: 'freebsd',
    entries: [
      { name: 'freebsd-sendfile-two-runs-complete-out-of-order', label: 'Two runs complete out of order' },
      { name: 'freebsd-sendfile-no-bmap-pager-fail-panics', label: 'No VOP_BMAP: pager fails, panic' },
      {
        name: 'freebsd-sendfile-partly-valid-page-iodone-without-io',
        label: 'A partly valid page: iodone without I/O',
      },
      { name: 'freebsd-sendfile-valid-middle-page-becomes-bogus', label: 'A valid middle page becomes bogus' },
      { name: 'freebsd-sendfile-waits-grbmaw-for-faulting-page', label: 'Waits (grbmaw) for a faulting page' },
      { name: 'freebsd-sendfile-async-pbufs-exhausted-wswbuf0', label: 'Async pbufs exhausted: wswbuf0' },
      { name: 'freebsd-sendfile-out-of-memory-sleeps-vmwait', label: 'Out of memory: sleeps vmwait' },
      {
        name: 'freebsd-sendfile-smlfs-reads-synchronously-eio-panics',
        label: 'Small blocks read synchronously; EIO panics',
      },
      {
        name: 'freebsd-sendfile-smlfs-bogus-page-read-once-then-skipped',
        label: 'Small blocks: bogus_page read once, then skipped',
      },
      { name: 'freebsd-sendfile-between-locks-meets-vgone-enoent', label: 'Between its locks it meets vgone: ENOENT' },
    ],
  },
  {
    topic: 'FreeBSD: writes',
    pager: 'freebsd',
    entries: [
      { name: 'freebsd-msync-writes-dirty-pages', label: 'msync writes dirty pages' },
      { name: 'freebsd-pageout-dirty-page-async-write', label: 'Pageout: an async write' },
      { name: 'freebsd-undirty-mount-short-write-again', label: 'Short write on an NFS-like mount' },
      {
        name: 'freebsd-msync-async-delays-write-invalidate-writes-sync',
        label: 'Async msync delays; invalidate writes sync',
      },
      {
        name: 'freebsd-msync-generic-write-error-and-short-write-still-ok',
        label: 'Generic mount: write errors look OK',
      },
      {
        name: 'freebsd-undirty-mount-write-error-keeps-page-dirty',
        label: 'NFS-like mount: a write error keeps it dirty',
      },
      {
        name: 'freebsd-pageout-below-free-min-writes-synchronously',
        label: 'Pageout below free_min writes synchronously',
      },
      {
        name: 'freebsd-close-waits-for-pageout-then-vinactive-writes-dirty-page',
        label: 'Close waits for pageout; vinactive writes',
      },
      {
        name: 'freebsd-setsize-shrink-partial-dirty-page-then-msync-eof',
        label: 'Truncate a dirty page, then msync at EOF',
      },
    ],
  },
  {
    topic: 'FreeBSD: object life',
    pager: 'freebsd',
    entries: [
      { name: 'freebsd-munmap-text-writecount-then-vgone-terminates', label: 'munmap, write count, vgone' },
      { name: 'freebsd-setsize-shrink-waits-on-busy-page', label: 'Shrinking waits on a busy page' },
      { name: 'freebsd-vgone-during-read-waits-bovlbx', label: 'vgone during a read (bovlbx)' },
      { name: 'freebsd-never-opened-vnode-has-no-object', label: 'A never-opened vnode has no object' },
      { name: 'freebsd-open-empty-file-asks-getattr-then-setsize', label: 'Opening an empty file: getattr, setsize' },
      { name: 'freebsd-open-without-use-reference-panics', label: 'VOP_OPEN without a use reference panics' },
      {
        name: 'freebsd-mmap-two-writers-writecount-until-last-munmap',
        label: 'Two writers: writecount to the last munmap',
      },
      {
        name: 'freebsd-munmap-waits-for-vgone-then-writecount-finds-dead',
        label: 'munmap waits for vgone, finds it dead',
      },
      {
        name: 'freebsd-vgone-drops-writecount-munmap-finds-dead-object',
        label: 'vgone drops writecount; munmap finds dead',
      },
      {
        name: 'freebsd-fault-waits-for-vgone-then-zero-fills-dead-object',
        label: 'A fault waits for vgone, zero-fills',
      },
      { name: 'freebsd-vgone-waits-vmopar-for-sendfile-read', label: 'vgone waits (vmopar) for a sendfile read' },
    ],
  },
];
