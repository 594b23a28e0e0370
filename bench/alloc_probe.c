/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LD_PRELOAD probe for dot11tx-bench --check-alloc: counts heap
 * allocations and mutex locks, DPDK's included, per thread, so the bench
 * can show that its measured loops make none on the thread that runs them
 * (EAL's own threads, telemetry and interrupts, may allocate at any time;
 * they are not the hot path). It forwards to glibc's own entry points
 * (__libc_malloc, ...), which needs no dlsym and so never recurses.
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

static __thread uint64_t allocs;
static __thread uint64_t locks;

void *
malloc(size_t size)
{
	allocs++;
	return __libc_malloc(size);
}

void *
calloc(size_t n, size_t size)
{
	allocs++;
	return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t size)
{
	allocs++;
	return __libc_realloc(p, size);
}

int
posix_memalign(void **out, size_t align, size_t size)
{
	allocs++;
	*out = __libc_memalign(align, size);
	return *out == NULL ? 12 /* ENOMEM */ : 0;
}

int
pthread_mutex_lock(pthread_mutex_t *m)
{
	static int (*real)(pthread_mutex_t *);

	if (real == NULL)
		real = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
	locks++;
	return real(m);
}

/* The calling thread's counts; read by dot11tx-bench through a weak
 * reference. */
void
d11tx_alloc_probe_counts(uint64_t *a, uint64_t *l)
{
	*a = allocs;
	*l = locks;
}
