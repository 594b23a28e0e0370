/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen --prometheus PORT: the figures of the /dot11tx/ telemetry
 * commands as Prometheus metrics (text exposition format 0.0.4), served
 * by a small HTTP endpoint of the tool's own, for DPDKs without
 * usertools/dpdk-telemetry-exporter.py (before 24.07). The names, types
 * and labels are those of the exporter's dot11tx endpoint module
 * (tools/telemetry/dot11tx.py), so that dashboards read either; the
 * latency summary has its quantiles only, as the exporter can carry no
 * _sum or _count.
 *
 * One thread of its own (not an lcore) accepts a connection at a time,
 * answers GET /metrics and closes it; it reads the workers' counter
 * blocks as telemetry does (relaxed loads of single-writer counters), so
 * a scrape asks nothing of the sending lcores.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "gen.h"
#include "prometheus.h"

#define PREFIX "dpdk_dot11tx_"
#define REQUEST_MAX 4096
/* How long a client may take to send its request. */
#define REQUEST_TIMEOUT_MS 1000

static const char *const status_label[GEN_NB_STATUS] = {
	"sent", "acked", "noack", "dropped", "cancelled",
};

/* The rendered page grows as needed. */
struct page {
	char *buf;
	size_t len, cap;
	bool failed;
};

static void __attribute__((format(printf, 2, 3)))
put(struct page *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(p->buf + p->len, p->cap - p->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			p->failed = true;
			return;
		}
		if ((size_t)n < p->cap - p->len) {
			p->len += (size_t)n;
			return;
		}
		char *bigger = realloc(p->buf, p->cap * 2 + (size_t)n);

		if (bigger == NULL) {
			p->failed = true;
			return;
		}
		p->buf = bigger;
		p->cap = p->cap * 2 + (size_t)n;
	}
}

static void
family(struct page *p, const char *name, const char *type, const char *help)
{
	put(p, "# HELP " PREFIX "%s %s\n# TYPE " PREFIX "%s %s\n", name, help, name, type);
}

/* A label value as the format wants it: backslash, quote, newline escaped. */
static void
put_label_value(struct page *p, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			put(p, "\\%c", *s);
		else if (*s == '\n')
			put(p, "\\n");
		else
			put(p, "%c", *s);
	}
}

/* Per-queue figures, as /dot11tx/queues gives them. */
struct queue_view {
	struct gen_totals t;
	double p50_s, p99_s;
};

static void
per_queue_counter(struct page *p, const struct queue_view *q, unsigned int n,
		  const char *name, const char *help, size_t field)
{
	family(p, name, "counter", help);
	for (unsigned int i = 0; i < n; i++)
		put(p, PREFIX "%s{queue=\"%u\"} %" PRIu64 "\n", name, i,
		    *(const uint64_t *)((const char *)&q[i].t + field));
}

int
gen_prom_render(const struct gen_tel_info *tel, char **out, size_t *len)
{
	struct page p = { .cap = 8192 };
	struct queue_view *q;
	struct gen_tick *k;          /* 4 KiB of histogram */
	const unsigned int n = tel->nb_workers;
	const double hz = (double)tel->hz;

	q = calloc(n, sizeof(*q));
	k = malloc(sizeof(*k));
	p.buf = malloc(p.cap);
	if (q == NULL || k == NULL || p.buf == NULL) {
		free(q);
		free(k);
		free(p.buf);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++) {
		/* Relaxed loads of one worker's counters, as telemetry. */
		gen_tick_take(k, &tel->ctr[i], 1, 0);
		q[i].t = k->tot;
		q[i].p50_s = (double)gen_hist_quantile(&k->lat, 0.5) / hz;
		q[i].p99_s = (double)gen_hist_quantile(&k->lat, 0.99) / hz;
	}
	free(k);

	family(&p, "info", "gauge", "The run: port, driver, frame source, rate, mode (value 1)");
	put(&p, PREFIX "info{port=\"%u\",driver=\"", tel->port);
	put_label_value(&p, tel->driver);
	put(&p, "\",source=\"");
	put_label_value(&p, tel->source);
	put(&p, "\",rate=\"");
	put_label_value(&p, tel->rate);
	put(&p, "\",mode=\"");
	put_label_value(&p, tel->mode);
	put(&p, "\"} 1\n");
	family(&p, "elapsed_seconds", "gauge", "Seconds since the run started (0 before)");
	put(&p, PREFIX "elapsed_seconds %.6f\n", gen_tel_elapsed(tel));
	family(&p, "frames_submitted_total", "counter",
	       "Frames offered to the queue, refused ones included");
	for (unsigned int i = 0; i < n; i++)
		put(&p, PREFIX "frames_submitted_total{queue=\"%u\"} %" PRIu64 "\n", i,
		    q[i].t.accepted + q[i].t.refused);
	per_queue_counter(&p, q, n, "frames_refused_total",
			  "Frames refused for good (bad frames; not backpressure)",
			  offsetof(struct gen_totals, refused));
	per_queue_counter(&p, q, n, "frames_completed_total",
			  "Completions of accepted frames, any status",
			  offsetof(struct gen_totals, completed));
	family(&p, "completions_total", "counter", "Completions by status");
	for (unsigned int i = 0; i < n; i++)
		for (int s = 0; s < GEN_NB_STATUS; s++)
			put(&p, PREFIX "completions_total{queue=\"%u\",status=\"%s\"} %" PRIu64
			    "\n", i, status_label[s], q[i].t.status[s]);
	per_queue_counter(&p, q, n, "retries_total", "Retransmissions the port reported",
			  offsetof(struct gen_totals, retries));
	per_queue_counter(&p, q, n, "backpressure_total",
			  "Submits cut short by a full queue or pool (ENOBUFS)",
			  offsetof(struct gen_totals, backpressure));
	per_queue_counter(&p, q, n, "tx_bytes_total", "Bytes of the accepted frames",
			  offsetof(struct gen_totals, bytes));
	family(&p, "frames_in_flight", "gauge", "Accepted, not yet completed");
	for (unsigned int i = 0; i < n; i++)
		put(&p, PREFIX "frames_in_flight{queue=\"%u\"} %" PRIu64 "\n", i,
		    q[i].t.accepted > q[i].t.completed ? q[i].t.accepted - q[i].t.completed : 0);
	family(&p, "latency_seconds", "summary",
	       "Completion latency, submit to callback, since the start (sampled)");
	for (unsigned int i = 0; i < n; i++) {
		put(&p, PREFIX "latency_seconds{queue=\"%u\",quantile=\"0.5\"} %.9f\n", i,
		    q[i].p50_s);
		put(&p, PREFIX "latency_seconds{queue=\"%u\",quantile=\"0.99\"} %.9f\n", i,
		    q[i].p99_s);
	}
	free(q);
	if (p.failed) {
		free(p.buf);
		return -ENOMEM;
	}
	*out = p.buf;
	*len = p.len;
	return 0;
}

/* ---------- the HTTP endpoint ---------- */

static struct {
	const struct gen_tel_info *tel;
	int fd;
	pthread_t thread;
	bool running;
	volatile bool quit;
} srv = { .fd = -1 };

static void
send_all(int fd, const char *s, size_t len)
{
	while (len != 0) {
		const ssize_t w = send(fd, s, len, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		s += w;
		len -= (size_t)w;
	}
}

static void
respond(int fd, const char *status, const char *type, const char *body, size_t len)
{
	char head[256];
	const int n = snprintf(head, sizeof(head), "HTTP/1.0 %s\r\nContent-Type: %s\r\n"
			       "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			       status, type, len);

	send_all(fd, head, (size_t)n);
	send_all(fd, body, len);
}

/* One connection: read the request line and headers, answer, close. */
static void
serve(int fd)
{
	const struct timeval tmo = { .tv_sec = REQUEST_TIMEOUT_MS / 1000,
				     .tv_usec = REQUEST_TIMEOUT_MS % 1000 * 1000 };
	char req[REQUEST_MAX + 1];
	size_t got = 0;
	char *body;
	size_t len;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
	while (got < REQUEST_MAX) {
		const ssize_t r = recv(fd, req + got, REQUEST_MAX - got, 0);

		if (r <= 0)
			return;
		got += (size_t)r;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL || strstr(req, "\n\n") != NULL)
			break;
	}
	req[got] = '\0';
	if (strncmp(req, "GET ", 4) != 0 && strncmp(req, "HEAD ", 5) != 0) {
		static const char msg[] = "only GET /metrics here\n";

		respond(fd, "405 Method Not Allowed", "text/plain", msg, sizeof(msg) - 1);
		return;
	}
	{
		const char *path = strchr(req, ' ') + 1;
		const size_t plen = strcspn(path, " ?\r\n");

		if (!(plen == 8 && strncmp(path, "/metrics", 8) == 0) &&
		    !(plen == 1 && path[0] == '/')) {
			static const char msg[] = "not found: the metrics are at /metrics\n";

			respond(fd, "404 Not Found", "text/plain", msg, sizeof(msg) - 1);
			return;
		}
	}
	if (gen_prom_render(srv.tel, &body, &len) != 0) {
		static const char msg[] = "out of memory\n";

		respond(fd, "500 Internal Server Error", "text/plain", msg, sizeof(msg) - 1);
		return;
	}
	respond(fd, "200 OK", "text/plain; version=0.0.4; charset=utf-8",
		req[0] == 'H' ? "" : body, req[0] == 'H' ? 0 : len);
	free(body);
}

static void *
server_main(void *arg)
{
	(void)arg;
	while (!srv.quit) {
		struct pollfd pfd = { .fd = srv.fd, .events = POLLIN };
		int c;

		/* A tenth of a second at most, to see quit. */
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		c = accept(srv.fd, NULL, NULL);
		if (c < 0)
			continue;
		serve(c);
		close(c);
	}
	return NULL;
}

int
gen_prom_start(const struct gen_tel_info *tel, const char *bind_addr, uint16_t port,
	       char *err, size_t errlen)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	const int one = 1;
	int ret;

	if (inet_pton(AF_INET, bind_addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		sl = sizeof(*in4);
	} else if (inet_pton(AF_INET6, bind_addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		sl = sizeof(*in6);
	} else {
		snprintf(err, errlen, "--prometheus-bind: '%s' is not an IPv4 or IPv6 address",
			 bind_addr);
		return -EINVAL;
	}
	srv.fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv.fd < 0) {
		snprintf(err, errlen, "--prometheus: socket: %s", strerror(errno));
		return -errno;
	}
	setsockopt(srv.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(srv.fd, (struct sockaddr *)&ss, sl) != 0 || listen(srv.fd, 16) != 0) {
		ret = -errno;
		snprintf(err, errlen, "--prometheus: cannot listen on %s port %u: %s",
			 bind_addr, port, strerror(errno));
		close(srv.fd);
		srv.fd = -1;
		return ret;
	}
	srv.tel = tel;
	srv.quit = false;
	ret = pthread_create(&srv.thread, NULL, server_main, NULL);
	if (ret != 0) {
		snprintf(err, errlen, "--prometheus: thread: %s", strerror(ret));
		close(srv.fd);
		srv.fd = -1;
		return -ret;
	}
	srv.running = true;
	return 0;
}

void
gen_prom_stop(void)
{
	if (!srv.running)
		return;
	srv.quit = true;
	pthread_join(srv.thread, NULL);
	close(srv.fd);
	srv.fd = -1;
	srv.running = false;
}
