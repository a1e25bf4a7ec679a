using System.Text.RegularExpressions;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// The sequence checker: each sender numbers their messages ("Alice3 #017"), and a receiver's transcript (the messages'
/// labels, "sender: text", top to bottom) must hold every number its sender saw "Sent" for exactly once, and each
/// sender's numbers in increasing order. Numbers never seen as sent may be missing (never stored) or present (stored
/// as the node died, before "Sent" reached the page), but once at most and in order too.
/// </summary>
public static class SequenceChecker
{
    public static string Text(string sender, int number) => $"{sender} #{number:D3}";

    /// <summary>What is wrong with <paramref name="transcript"/>, one line per problem; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<string> transcript, IReadOnlyDictionary<string, IReadOnlyCollection<int>> sentBySender)
    {
        var problems = new List<string>();
        foreach (var (sender, sent) in sentBySender)
        {
            var pattern = new Regex($"^{Regex.Escape(sender)}: {Regex.Escape(sender)} #(\\d+)$");
            var numbers = transcript.Select(label => pattern.Match(label)).Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var seen = new HashSet<int>();
            var previous = 0;
            foreach (var number in numbers)
            {
                if (!seen.Add(number))
                    problems.Add($"{sender} #{number} shown twice");
                else if (number < previous)
                    problems.Add($"{sender} #{number} shown after #{previous}");
                previous = Math.Max(previous, number);
            }
            var missing = sent.Where(n => !seen.Contains(n)).Order().ToList();
            if (missing.Count > 0)
                problems.Add($"{sender}: {missing.Count} sent messages missing: #{string.Join(", #", missing.Take(20))}");
        }
        return problems;
    }

    /// <summary>The numbers among <paramref name="texts"/> (a sender's own texts seen as sent).</summary>
    public static IReadOnlyCollection<int> NumbersOf(string sender, IEnumerable<string> texts)
    {
        var pattern = new Regex($"^{Regex.Escape(sender)} #(\\d+)$");
        return [.. texts.Select(t => pattern.Match(t)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
    }
}
