// SPDX-License-Identifier: BSD-3-Clause
// The dot11tx-bench scenarios under Google Benchmark, for its statistics
// and output formats. Usage: dot11tx-gbench [EAL options --] [--benchmark_*]
// Every run checks that each accepted frame completed exactly once.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <vector>

extern "C" {
#include <rte_eal.h>
#include <rte_errno.h>

#include <dot11tx/dot11.h>

#include "eal_args.h"
#include "scenarios.h"
}

namespace {

bool completions_lost;

constexpr uint64_t kFramesPerIteration = 4096;

void
Scenario(benchmark::State &state, bench_kind kind)
{
	const auto len = static_cast<uint16_t>(state.range(0));
	const auto burst = static_cast<uint16_t>(state.range(1));
	bench *b = bench_create(kind, 0, len, burst);
	uint64_t frames = 0;

	if (b == nullptr) {
		state.SkipWithError(rte_strerror(rte_errno));
		return;
	}
	bench_run(b, 20000); // warm-up
	for (auto _ : state)
		frames += bench_run(b, kFramesPerIteration);
	state.SetItemsProcessed(static_cast<int64_t>(frames));
	state.counters["ns_per_frame"] = benchmark::Counter(
		static_cast<double>(frames),
		benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
	if (!bench_destroy(b)) {
		completions_lost = true;
		state.SkipWithError("completions lost or doubled");
	}
}

// The 802.11 layer on its own, per frame: what the send path adds when it
// encapsulates a Dot11ExtSendPacket buffer (DA + EtherType + payload) into
// a QoS data frame with a sequence number, and what validation costs.
void
Dot11Encap(benchmark::State &state)
{
	static const d11tx_dot11_adapter sta = {
		D11TX_DOT11_STATION, { 2, 0x11, 0x11, 0x11, 0x11, 0x11 },
		{ 2, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb } };
	static const uint8_t eth[8] = { 2, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0x88, 0x8e };
	static d11tx_dot11_seq seq;
	alignas(64) uint8_t hdr[D11TX_DOT11_ENCAP_MAX];
	const int tid = static_cast<int>(state.range(0));

	for (auto _ : state) {
		const int len = d11tx_dot11_encap(&sta, eth, tid, hdr);

		d11tx_dot11_seq_assign(&seq, hdr, static_cast<uint32_t>(len));
		benchmark::DoNotOptimize(hdr);
	}
	state.SetItemsProcessed(state.iterations());
}

void
Dot11Validate(benchmark::State &state)
{
	alignas(64) uint8_t frame[64] = { 0x88, 0x01 };

	for (auto _ : state) {
		benchmark::DoNotOptimize(frame);
		benchmark::DoNotOptimize(d11tx_dot11_validate(frame, 64, 0));
	}
	state.SetItemsProcessed(state.iterations());
}

void
Dot11Fcs(benchmark::State &state)
{
	std::vector<uint8_t> frame(static_cast<size_t>(state.range(0)), 0x5a);

	for (auto _ : state)
		benchmark::DoNotOptimize(d11tx_dot11_fcs(frame.data(),
			static_cast<uint32_t>(frame.size())));
	state.SetBytesProcessed(state.iterations() * state.range(0));
}

} // namespace

BENCHMARK(Dot11Encap)->Arg(-1)->Arg(6)->ArgName("tid");
BENCHMARK(Dot11Validate);
BENCHMARK(Dot11Fcs)->Arg(64)->Arg(1500);

int
main(int argc, char **argv)
{
	static const char *const default_vdevs[] = { "net_null0", nullptr };
	eal_args ea;

	if (eal_args_build(&ea, argc, argv, default_vdevs) != 0)
		return 2;
	if (rte_eal_init(ea.eal_argc, ea.eal_argv) < 0) {
		std::fprintf(stderr, "dot11tx-gbench: EAL init failed: %s\n",
			     rte_strerror(rte_errno));
		return 2;
	}
	for (int k = 0; k < BENCH_KIND_MAX; k++)
		benchmark::RegisterBenchmark(bench_kind_name(static_cast<bench_kind>(k)),
					     Scenario, static_cast<bench_kind>(k))
			->ArgsProduct({ { 64, 256, 1500 }, { 1, 8, 32, 128 } })
			->ArgNames({ "len", "burst" });
	benchmark::Initialize(&ea.app_argc, ea.app_argv);
	if (benchmark::ReportUnrecognizedArguments(ea.app_argc, ea.app_argv))
		return 2;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	rte_eal_cleanup();
	eal_args_free(&ea);
	return completions_lost ? 1 : 0;
}
