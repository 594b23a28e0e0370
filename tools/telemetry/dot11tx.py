# SPDX-License-Identifier: BSD-3-Clause
"""dot11tx-gen's figures for DPDK's Prometheus exporter.

An endpoint module of usertools/dpdk-telemetry-exporter.py (DPDK 24.07
and later): the exporter calls info() for the metrics' help and types and
metrics() on every scrape, with a connection to the telemetry socket of a
running dot11tx-gen. Its metrics are those of dot11tx-gen --prometheus
(tools/gen/prometheus.c), name for name, type for type, label for label:

    dpdk_dot11tx_info{port,driver,source,rate,mode}        gauge, 1
    dpdk_dot11tx_elapsed_seconds                           gauge
    dpdk_dot11tx_frames_submitted_total{queue}             counter
    dpdk_dot11tx_frames_refused_total{queue}               counter
    dpdk_dot11tx_frames_completed_total{queue}             counter
    dpdk_dot11tx_completions_total{queue,status}           counter
    dpdk_dot11tx_retries_total{queue}                      counter
    dpdk_dot11tx_backpressure_total{queue}                 counter
    dpdk_dot11tx_tx_bytes_total{queue}                     counter
    dpdk_dot11tx_frames_in_flight{queue}                   gauge
    dpdk_dot11tx_latency_seconds{queue,quantile}           summary (0.5, 0.99)

Run it (installed in share/dot11tx/telemetry-endpoints, or from a build
in build/tools/telemetry):

    dpdk-telemetry-exporter.py -o prometheus://127.0.0.1:9876 \\
        -s /var/run/dpdk/PREFIX/dpdk_telemetry.v2 \\
        -p /usr/local/share/dot11tx/telemetry-endpoints -e dot11tx

PREFIX is dot11tx-gen's EAL file prefix (give it --file-prefix, so that
the exporter outlives runs).
"""

STATUSES = ("sent", "acked", "noack", "dropped", "cancelled")

# name: (help, type, the /dot11tx/queues array it is read from)
PER_QUEUE = {
    "frames_submitted_total": ("Frames offered to the queue, refused ones included",
                               "counter", "submitted"),
    "frames_refused_total": ("Frames refused for good (bad frames; not backpressure)",
                             "counter", "refused"),
    "frames_completed_total": ("Completions of accepted frames, any status",
                               "counter", "completed"),
    "retries_total": ("Retransmissions the port reported", "counter", "retries"),
    "backpressure_total": ("Submits cut short by a full queue or pool (ENOBUFS)",
                           "counter", "backpressure"),
    "tx_bytes_total": ("Bytes of the accepted frames", "counter", "bytes"),
    "frames_in_flight": ("Accepted, not yet completed", "gauge", "in_flight"),
}


def info():
    d = {
        "info": ("The run: port, driver, frame source, rate, mode (value 1)", "gauge"),
        "elapsed_seconds": ("Seconds since the run started (0 before)", "gauge"),
        "completions_total": ("Completions by status", "counter"),
        "latency_seconds": ("Completion latency, submit to callback, since the start "
                            "(sampled)", "summary"),
    }
    d.update({name: (h, t) for name, (h, t, _) in PER_QUEUE.items()})
    return d


def _label(v):
    # The exporter does not escape label values: keep them plain.
    return str(v).replace('"', "").replace("\\", "").replace("\n", " ")


def metrics(sock):
    stats = sock.cmd("/dot11tx/stats")
    run = sock.cmd("/dot11tx/info")
    q = sock.cmd("/dot11tx/queues")
    if stats is None or run is None or q is None:
        return []               # not a dot11tx-gen, or it is ending
    out = [("info", 1, {k: _label(run[k])
                        for k in ("port", "driver", "source", "rate", "mode")}),
           ("elapsed_seconds", float(stats["elapsed_s"]), {})]
    queues = range(len(q["submitted"]))
    for name, (_, _, field) in PER_QUEUE.items():
        out += [(name, q[field][i], {"queue": str(i)}) for i in queues]
    for i in queues:
        out += [("completions_total", q[s][i], {"queue": str(i), "status": s})
                for s in STATUSES]
    for i in queues:
        out += [("latency_seconds", q["latency_p50_ns"][i] / 1e9,
                 {"queue": str(i), "quantile": "0.5"}),
                ("latency_seconds", q["latency_p99_ns"][i] / 1e9,
                 {"queue": str(i), "quantile": "0.99"})]
    return out
