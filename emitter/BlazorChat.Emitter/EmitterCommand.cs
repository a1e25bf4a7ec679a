using BlazorChat.Chat;
using Microsoft.Extensions.Logging;

namespace BlazorChat.Emitter;

/// <summary>
/// The command line of <c>BlazorChat.Emitter.Cli</c>: parses the arguments, posts once, prints what happened. Exit codes:
/// 0 posted (or already posted by an earlier run with the same id), 2 refused (bad arguments or input: nothing was
/// stored), 1 failed (the database could not be reached, say).
/// </summary>
public static class EmitterCommand
{
    /// <summary>Where the connection string comes from when <c>--connection</c> is not given.</summary>
    public const string ConnectionVariable = "BLAZORCHAT_CONNECTION";

    public const string Usage = """
        Posts a message into a BlazorChat cluster from outside it: stored like any message, then delivered by every node.

        Usage:
          blazorchat-emit [options] room <room> <text>
          blazorchat-emit [options] person <user-id> <text>

        <text> of "-" is read from standard input.

        Options:
          --connection <string>   The cluster's PostgreSQL database (the nodes' Store:ConnectionString).
                                  Default: $BLAZORCHAT_CONNECTION, else $Store__ConnectionString.
          --namespace <name>      "/" (default), "/admin", or a team space's "/tenant-<name>".
          --tenant <name>         Same as --namespace /tenant-<name>.
          --channel-prefix <p>    The nodes' Realtime:Postgres:ChannelPrefix (default "blazorchat").
                                  Default: $Realtime__Postgres__ChannelPrefix when set.
          --sender <name>         The name the message is signed with (default "System").
          --id <id>               The message id: a GUID, or any text (a job's name and date) turned into one.
                                  A run with the same id posts nothing new. Default: a new id.
          -h, --help              This text.
        """;

    /// <summary>Runs the command; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, TextReader? input = null,
        Func<string, string?>? environment = null, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                await output.WriteLineAsync(Usage);
                return 0;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                if (arg is not ("--connection" or "--namespace" or "--tenant" or "--channel-prefix" or "--sender" or "--id"))
                    return await RefuseAsync(error, $"Unknown option {arg}.");
                if (i + 1 >= args.Count)
                    return await RefuseAsync(error, $"{arg} needs a value.");
                options[arg] = args[++i];
                continue;
            }
            positional.Add(arg);
        }
        if (positional.Count != 3 || positional[0] is not ("room" or "person"))
            return await RefuseAsync(error, "Say where and what: room <room> <text>, or person <user-id> <text>.");
        if (options.ContainsKey("--namespace") && options.ContainsKey("--tenant"))
            return await RefuseAsync(error, "Give --namespace or --tenant, not both.");

        var connection = options.GetValueOrDefault("--connection") ?? environment(ConnectionVariable) ?? environment("Store__ConnectionString");
        if (string.IsNullOrWhiteSpace(connection))
            return await RefuseAsync(error, $"{ChatEmitter.MissingConnectionString} Give --connection, or set {ConnectionVariable}.");
        var text = positional[2] == "-" ? await (input ?? Console.In).ReadToEndAsync(cancellationToken) : positional[2];
        var @namespace = options.TryGetValue("--tenant", out var tenant) ? "/tenant-" + tenant : options.GetValueOrDefault("--namespace") ?? "/";
        Guid? id = options.TryGetValue("--id", out var key) ? Guid.TryParse(key, out var guid) ? guid : ChatEmitter.MessageIdFor(key) : null;

        try
        {
            await using var emitter = new ChatEmitter(new ChatEmitterOptions
            {
                ConnectionString = connection,
                ChannelPrefix = options.GetValueOrDefault("--channel-prefix") ?? environment("Realtime__Postgres__ChannelPrefix") ?? "blazorchat",
                SenderName = options.GetValueOrDefault("--sender") ?? SystemSender.DefaultDisplayName,
            }, loggers);
            var result = positional[0] == "room"
                ? await emitter.PostToRoomAsync(positional[1], text, @namespace, id, cancellationToken)
                : await emitter.PostToPersonAsync(positional[1], text, @namespace, id, cancellationToken);
            var where = positional[0] == "room" ? $"#{result.Conversation}" : $"the private conversation with {positional[1]}";
            await output.WriteLineAsync(result.Duplicate
                ? $"Already posted: message {result.Sequence} in {where} of {result.Namespace} has the id {result.Id}; nothing new was sent."
                : $"Posted message {result.Sequence} in {where} of {result.Namespace} (id {result.Id}).");
            return 0;
        }
        catch (EmitRefusedException refused)
        {
            return await RefuseAsync(error, refused.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"Failed: {ex.Message}{(ex.InnerException is { } inner ? $" ({inner.Message})" : "")}");
            return 1;
        }
    }

    private static async Task<int> RefuseAsync(TextWriter error, string reason)
    {
        await error.WriteLineAsync($"Refused: {reason} Nothing was sent.");
        return 2;
    }
}
