/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LD_PRELOAD probe for dot11tx-bench --check-alloc: counts heap
 * allocations and mutex locks in the whole process (DPDK included), so the
 * bench can show that its measured loops make none. It forwards to glibc's
 * own entry points (__libc_malloc, ...), which needs no dlsym and so never
 * recurses into itself.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);

static uint64_t allocs;
static uint64_t locks;

void *
malloc(size_t size)
{
	__atomic_fetch_add(&allocs, 1, __ATOMIC_RELAXED);
	return __libc_malloc(size);
}

void *
calloc(size_t n, size_t size)
{
	__atomic_fetch_add(&allocs, 1, __ATOMIC_RELAXED);
	return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t size)
{
	__atomic_fetch_add(&allocs, 1, __ATOMIC_RELAXED);
	return __libc_realloc(p, size);
}

int
posix_memalign(void **out, size_t align, size_t size)
{
	__atomic_fetch_add(&allocs, 1, __ATOMIC_RELAXED);
	*out = __libc_memalign(align, size);
	return *out == NULL ? 12 /* ENOMEM */ : 0;
}

int
pthread_mutex_lock(pthread_mutex_t *m)
{
	static int (*real)(pthread_mutex_t *);

	if (real == NULL)
		real = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
	__atomic_fetch_add(&locks, 1, __ATOMIC_RELAXED);
	return real(m);
}

/* Read by dot11tx-bench through a weak reference. */
void
d11tx_alloc_probe_counts(uint64_t *a, uint64_t *l)
{
	*a = __atomic_load_n(&allocs, __ATOMIC_RELAXED);
	*l = __atomic_load_n(&locks, __ATOMIC_RELAXED);
}
