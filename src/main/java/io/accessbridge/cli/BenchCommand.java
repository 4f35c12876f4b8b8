package io.accessbridge.cli;

import io.accessbridge.bench.AllBenchmarks;
import io.accessbridge.bench.SoakBenchmark;
import io.accessbridge.bench.V1PushBenchmark;
import io.accessbridge.bench.V1WebSocketBenchmark;
import io.accessbridge.bench.V3DrainBenchmark;
import picocli.CommandLine.Command;

/** {@code bench}: the benchmarks, each a subcommand that prints its figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark and print its figures (see docs/BENCHMARKS.md).",
        subcommands = {V1PushBenchmark.class, V3DrainBenchmark.class, V1WebSocketBenchmark.class, SoakBenchmark.class,
                AllBenchmarks.class})
public final class BenchCommand {
}
