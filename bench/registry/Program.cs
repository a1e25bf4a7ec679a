using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

// In process (see the project file for why), with a bounded number of iterations so bench/run.sh stays
// well under its time budget. Extra arguments go to BenchmarkDotNet (e.g. --filter, --artifacts).
var job = Job.Default
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithWarmupCount(3)
    .WithIterationCount(12)
    .WithMinIterationTime(TimeInterval.FromMilliseconds(100));
var config = DefaultConfig.Instance
    .AddJob(job)
    .AddExporter(JsonExporter.Full)
    .WithOptions(ConfigOptions.JoinSummary);

BenchmarkSwitcher.FromAssembly(typeof(BlazorChat.Bench.Registry.BroadcastBenchmarks).Assembly).Run(args, config);
