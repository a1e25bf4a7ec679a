using BlazorChat.Emitter;
using Microsoft.Extensions.Logging;

// Warnings and errors only, on standard error: standard output says what was posted. A write that fails is said once, by
// the command ("Failed: ..."), not also by the store with its stack trace.
using var loggers = LoggerFactory.Create(logging => logging
    .SetMinimumLevel(LogLevel.Warning)
    .AddFilter("BlazorChat.Persistence.Postgres.PostgresMessageStore", LogLevel.None)
    .AddSimpleConsole(console => console.SingleLine = true)
    .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await EmitterCommand.RunAsync(args, Console.Out, Console.Error, Console.In, loggers: loggers, cancellationToken: cancel.Token);
