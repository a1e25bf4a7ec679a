using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

// BenchmarkDotNet's default toolchain: each benchmark runs in its own child process, built from a project
// BenchmarkDotNet generates next to this program (restore from the NuGet registry, then build for the installed
// net10.0 shared runtime), so one benchmark's JIT state, thread pool and garbage do not carry into the next.
// It finds this project's .csproj by walking up from the current directory to the folder holding
// BlazorChat.sln, so start it from inside the repository (bench/run.sh starts it in bench/registry).
// A bounded number of iterations keeps bench/run.sh well under its time budget. The warm-up is long enough for
// the broadcast to reach its steady state: with 3 warm-up iterations BlazorChat's delivery was still getting faster
// for another 10 to 25 iterations of 100 ms (tiered compilation of its hot loops), so the measured mean was that
// of the warm-up (34-70 us where the same build settles at 21-35 us); SignalR's group send is flat from the first
// iteration. Extra arguments go to BenchmarkDotNet (e.g. --filter, --artifacts).
var job = Job.Default
    .WithWarmupCount(30)
    .WithIterationCount(12)
    .WithMinIterationTime(TimeInterval.FromMilliseconds(100));
var config = DefaultConfig.Instance
    .AddJob(job)
    .AddExporter(JsonExporter.Full)
    .WithOptions(ConfigOptions.JoinSummary);

BenchmarkSwitcher.FromAssembly(typeof(BlazorChat.Bench.Registry.BroadcastBenchmarks).Assembly).Run(args, config);
