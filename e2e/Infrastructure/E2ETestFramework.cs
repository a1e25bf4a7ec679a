using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("BlazorChat.E2E.Infrastructure.E2ETestFramework", "BlazorChat.E2E")]

namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// xunit's own framework, with one step at the end of the run: <see cref="RunFolder.EndRunAsync"/>, once every
/// collection has finished and disposed its fixture. It runs before the run reports its end: the test host has only
/// 100 ms to exit after that before vstest kills it, too little to delete a published app in a ProcessExit handler.
/// </summary>
public sealed class E2ETestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink,
            ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class Runner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await Aggregator.RunAsync(RunFolder.EndRunAsync);
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
