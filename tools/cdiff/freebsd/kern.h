/*
 * A fake FreeBSD 12 kernel, just big enough to compile the seed
 * sys/vm/vnode_pager.c unmodified and run it against the collaborator
 * semantics of the scenario contract (scenario-format.md, "FreeBSD").
 * Written for Pager Lab's differential harness; no kernel code copied.
 *
 * The seed's translation unit is compiled with -DSEED_TU -include kern.h
 * and the empty headers of include/; the fake kernel's files include
 * kern_private.h, which includes the system headers first and then this file.
 */
#ifndef CDIFF_KERN_H
#define CDIFF_KERN_H

#define INVARIANTS 1
#define __FBSDID(s) struct __hack
/* No system header here: the include/ dir shadows sys/cdefs.h. */
typedef __INT64_TYPE__ int64_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INT32_TYPE__ int32_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __SIZE_TYPE__ size_t;
typedef __INTMAX_TYPE__ intmax_t;
typedef __UINTMAX_TYPE__ uintmax_t;
#ifndef NULL
#define NULL ((void *)0)
#endif
#ifndef INT_MAX
#define INT_MAX __INT_MAX__
#endif
void *memset(void *, int, size_t);

/* The tail queue the seed walks (TAILQ_PREV/TAILQ_NEXT on an object's memq). */
#define TAILQ_HEAD(name, type)                                                \
	struct name {                                                         \
		struct type *tqh_first;                                       \
		struct type **tqh_last;                                       \
	}
#define TAILQ_ENTRY(type)                                                     \
	struct {                                                              \
		struct type *tqe_next;                                        \
		struct type **tqe_prev;                                       \
	}
#define TAILQ_FIRST(head) ((head)->tqh_first)
#define TAILQ_NEXT(elm, field) ((elm)->field.tqe_next)
#define TAILQ_PREV(elm, headname, field) (*(((struct headname *)((elm)->field.tqe_prev))->tqh_last))
#define TAILQ_INIT(head)                                                      \
	do {                                                                  \
		(head)->tqh_first = NULL;                                     \
		(head)->tqh_last = &(head)->tqh_first;                        \
	} while (0)

/* ---------------------------------------------------------------- types */

typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef long off_t;
typedef long ssize_t;
typedef char *caddr_t;
typedef int64_t k_daddr_t;
#define daddr_t k_daddr_t
typedef int boolean_t;
typedef uintptr_t vm_offset_t;
typedef int64_t vm_ooffset_t; /* signed, as FreeBSD's __vm_ooffset_t (vnode_pager_addr's `address < 0` compiles) */
typedef uint64_t vm_pindex_t;
typedef u_char vm_prot_t;
typedef uint8_t vm_page_bits_t;
typedef u_char objtype_t;

#define TRUE 1
#define FALSE 0

struct vm_object;
struct vm_page;
struct vnode;
struct buf;
struct thread;
struct ucred;
typedef struct vm_object *vm_object_t;
typedef struct vm_page *vm_page_t;

/* ---------------------------------------------------------------- constants */

#define PAGE_SHIFT 12
#define PAGE_SIZE 4096
#define PAGE_MASK (PAGE_SIZE - 1)
#define DEV_BSHIFT 9
#define DEV_BSIZE 512
#define MAXPHYS (128 * 1024)
#define VM_PAGE_BITS_ALL 0xff
#define VM_NRESERVLEVEL 1

#define IDX_TO_OFF(i) (((vm_ooffset_t)(i)) << PAGE_SHIFT)
#define OFF_TO_IDX(o) ((vm_pindex_t)(((vm_ooffset_t)(o)) >> PAGE_SHIFT))
#define round_page(x) (((x) + PAGE_MASK) & ~((vm_offset_t)PAGE_MASK))
#define trunc_page(x) ((x) & ~((vm_offset_t)PAGE_MASK))
#define btoc(x) (((vm_offset_t)(x) + PAGE_MASK) >> PAGE_SHIFT)
#define dbtob(db) ((off_t)(db) << DEV_BSHIFT)
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define roundup2(x, y) (((x) + ((y) - 1)) & (~((y) - 1)))
#define nitems(x) (sizeof((x)) / sizeof((x)[0]))
#define __predict_false(x) (x)
#define MPASS(x) KASSERT((x), ("Assertion %s failed", #x))

static inline int min(int a, int b) { return a < b ? a : b; }

/* errno values as FreeBSD numbers them */
#define ENOENT 2
#define EIO 5
#define EBADF 9
#define EBUSY 16
#define EDEADLK 11
#define EINVAL 22
#define EOPNOTSUPP 45

/* object flags and types (reference 1.1, 1.2) */
#define OBJ_DEAD 0x0008
#define OBJ_PIPWNT 0x0040
#define OBJ_MIGHTBEDIRTY 0x0100
#define OBJ_COLORED 0x1000
#define OBJ_DISCONNECTWNT 0x4000
#define OBJT_DEFAULT 0
#define OBJT_VNODE 2
#define OBJT_DEAD 5

#define OBJPC_SYNC 0x1
#define OBJPC_INVAL 0x2
#define OBJPC_NOSYNC 0x4
#define OBJPR_CLEANONLY 0x1
#define OBJPR_NOTMAPPED 0x2

#define VM_ALLOC_NORMAL 0

/* pager (1.5) */
#define VM_PAGER_OK 0
#define VM_PAGER_BAD 1
#define VM_PAGER_FAIL 2
#define VM_PAGER_PEND 3
#define VM_PAGER_ERROR 4
#define VM_PAGER_AGAIN 5
#define VM_PAGER_PUT_SYNC 0x1
#define VM_PAGER_PUT_INVAL 0x2
#define VM_PAGER_PUT_NOREUSE 0x4
#define VM_PAGER_CLUSTER_OK 0x8

/* vnode I/O and flags (1.6) */
#define IO_UNIT 0x0001
#define IO_APPEND 0x0002
#define IO_NDELAY 0x0004
#define IO_NODELOCKED 0x0008
#define IO_ASYNC 0x0010
#define IO_VMIO 0x0020
#define IO_INVAL 0x0040
#define IO_SYNC 0x0080
#define IO_DIRECT 0x0100
#define IO_NOREUSE 0x0200
#define IO_SEQMAX 0x7F
#define IO_SEQSHIFT 16
#define VI_DOOMED 0x0080
#define VV_TEXT 0x0020

#define LK_SHARED 0x200000
#define LK_EXCLUSIVE 0x080000
#define LK_NOWAIT 0x000010
#define LK_RETRY 0x000400
#define PVM 4
#define PDROP 0x200
#define V_WAIT 0x0001

#define BIO_READ 0x01
#define BIO_WRITE 0x02
#define BIO_ERROR 0x01
#define B_ASYNC 0x00000004
#define B_DONE 0x00000200
#define MNTK_UNMAPPED_BUFS 0x00002000

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD, VMARKER };
enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE, UIO_NOCOPY };
enum uio_rw { UIO_READ, UIO_WRITE };

#define NOCRED ((struct ucred *)0)
#define KTR_VFS 0

#include "kern_structs.h"
#include "kern_calls.h"

#endif
