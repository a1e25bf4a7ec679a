using BlazorChat.Persistence.Postgres;
using BlazorChat.Tests.Infrastructure;
using Npgsql;

namespace BlazorChat.Tests.Persistence;

/// <summary>
/// The beat that every per-node table of a cluster keeps in its database (name claims, tab places): with the database in
/// the test's hands, a beat that fails, one that takes long, and a stop with a beat on its way.
/// </summary>
public sealed class NodeHeartbeatTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task AFirstBeatThatFailed_IsTriedAgain_ByTheNextOneWaitingForIt()
    {
        var beats = 0;
        var heartbeat = new NodeHeartbeat(new ManualTimeProvider(), Interval, _ =>
        {
            beats++;
            return beats == 1 ? Task.FromException(new NpgsqlException("the database is away")) : Task.CompletedTask;
        }, _ => Task.CompletedTask, _ => { });

        await Assert.ThrowsAsync<NpgsqlException>(() => heartbeat.FirstBeatAsync(CancellationToken.None));
        await heartbeat.FirstBeatAsync(CancellationToken.None); // beats again: the database is back
        await heartbeat.FirstBeatAsync(CancellationToken.None); // the first beat is done: no more
        Assert.Equal(2, beats);
        await heartbeat.StopAsync();
    }

    [Fact]
    public async Task OnTheTimer_ABeatThenWhatWaitedForIt_AndAFailureIsReported_NotThrown()
    {
        var time = new ManualTimeProvider();
        var steps = new List<string>();
        var failures = new List<Exception>();
        var databaseAway = false;
        var heartbeat = new NodeHeartbeat(time, Interval, _ =>
        {
            steps.Add("beat");
            return databaseAway ? Task.FromException(new NpgsqlException("away")) : Task.CompletedTask;
        }, _ =>
        {
            steps.Add("after");
            return Task.CompletedTask;
        }, failures.Add);
        heartbeat.Start();

        time.Advance(Interval);
        databaseAway = true;
        time.Advance(Interval);
        await Task.Yield();

        Assert.Equal(["beat", "after", "beat"], steps); // nothing written after a beat that failed
        Assert.IsType<NpgsqlException>(Assert.Single(failures));
        await heartbeat.StopAsync();
    }

    [Fact]
    public async Task ABeatStillOnItsWay_IsNotJoinedByAnother_AndStoppingWaitsForIt()
    {
        var time = new ManualTimeProvider();
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var beats = 0;
        var heartbeat = new NodeHeartbeat(time, Interval, _ =>
        {
            beats++;
            return slow.Task;
        }, _ => Task.CompletedTask, _ => { });
        heartbeat.Start();

        time.Advance(Interval);
        time.Advance(Interval);
        time.Advance(Interval);
        Assert.Equal(1, beats); // the database is slow: the timer's next beats are skipped, not piled up

        var stopping = heartbeat.StopAsync();
        await Task.Delay(50);
        Assert.False(stopping.IsCompleted);
        slow.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(Interval);
        Assert.Equal(1, beats); // stopped: no beat after
    }
}
