using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorChat.Bench.Registry;

/// <summary>
/// SignalR's side: a <see cref="DefaultHubLifetimeManager{THub}"/> with a group of in-memory connections,
/// each a <see cref="HubConnectionContext"/> over a fake <see cref="ConnectionContext"/> whose transport
/// discards what is written. Modelled on dotnet/aspnetcore src/SignalR/perf/Microbenchmarks
/// (DefaultHubLifetimeManagerBenchmark, TestConnectionContext, TestPipeWriter).
/// </summary>
public sealed class SignalRGroup
{
    private const string Group = "general";
    private readonly DefaultHubLifetimeManager<Hub> _manager = new(NullLogger<DefaultHubLifetimeManager<Hub>>.Instance);

    private SignalRGroup()
    {
    }

    public static async Task<SignalRGroup> CreateAsync(int members)
    {
        var group = new SignalRGroup();
        var protocol = new JsonHubProtocol();
        for (var i = 0; i < members; i++)
        {
            var connection = new InMemoryConnectionContext($"connection-{i}");
            var context = new HubConnectionContext(connection, new HubConnectionContextOptions
            {
                KeepAliveInterval = TimeSpan.FromMinutes(5),
                ClientTimeoutInterval = TimeSpan.FromMinutes(10),
                StreamBufferCapacity = 10,
            }, NullLoggerFactory.Instance)
            {
                Protocol = protocol,
            };
            await group._manager.OnConnectedAsync(context);
            await group._manager.AddToGroupAsync(connection.ConnectionId, Group);
        }
        return group;
    }

    public Task SendAsync(string text) => _manager.SendGroupAsync(Group, "message", [text]);

    private sealed class InMemoryConnectionContext(string id) : ConnectionContext
    {
        public override string ConnectionId { get; set; } = id;
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
        public override IDuplexPipe Transport { get; set; } = new DiscardingDuplexPipe();
    }

    private sealed class DiscardingDuplexPipe : IDuplexPipe
    {
        public PipeReader Input { get; } = new Pipe().Reader;
        public PipeWriter Output { get; } = new DiscardingPipeWriter();
    }

    /// <summary>Accepts every write into one reused buffer and completes every flush synchronously.</summary>
    private sealed class DiscardingPipeWriter : PipeWriter
    {
        private byte[] _buffer = new byte[4096];

        public override void Advance(int bytes)
        {
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint);

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => default;

        private byte[] Ensure(int sizeHint)
        {
            if (_buffer.Length < sizeHint)
                _buffer = new byte[sizeHint];
            return _buffer;
        }
    }
}
