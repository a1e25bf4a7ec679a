namespace BlazorChat.Realtime.Adapters;

/// <summary>
/// Collects the acknowledgements of one broadcast from one or more groups of recipients (this node's, and each other
/// node's), until every group has said whom it sent the event to and each of those has answered, or the timeout passed.
/// A group's list and its recipients' answers may come in any order (over a bus an answer can overtake the list).
/// </summary>
internal sealed class AckCollector
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _groupsToReport;
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AckResponse> _responses = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allIn = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="groups">Who must say whom they sent the event to: a node id each.</param>
    public AckCollector(IEnumerable<string> groups)
    {
        _groupsToReport = new HashSet<string>(groups, StringComparer.Ordinal);
        CompleteIfAllInLocked();
    }

    /// <summary>A group's recipients: each must answer, unless it already has.</summary>
    public void Expect(string group, IEnumerable<string> recipients)
    {
        lock (_gate)
        {
            if (!_groupsToReport.Remove(group))
                return;
            foreach (var id in recipients)
            {
                if (!_responses.ContainsKey(id))
                    _pending.Add(id);
            }
            CompleteIfAllInLocked();
        }
    }

    /// <summary>One recipient's answer; only its first counts.</summary>
    public void Add(AckResponse response)
    {
        lock (_gate)
        {
            if (!_responses.TryAdd(response.ConnectionId, response))
                return;
            _pending.Remove(response.ConnectionId);
            CompleteIfAllInLocked();
        }
    }

    /// <summary>What came in time; the recipients that did not answer, and the groups that never said whom they sent to.</summary>
    public async Task<BroadcastAckResult> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _allIn.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Report what came in time; the rest are missing.
        }
        lock (_gate)
            return new BroadcastAckResult([.. _responses.Values], [.. _pending]) { MissingServers = [.. _groupsToReport] };
    }

    private void CompleteIfAllInLocked()
    {
        if (_groupsToReport.Count == 0 && _pending.Count == 0)
            _allIn.TrySetResult();
    }
}
