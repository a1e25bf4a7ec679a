using BlazorChat.Session;

namespace BlazorChat.Tests.Session;

/// <summary>A conversation's sequences as a sorted array (SequenceSet): the same answers as a SortedSet, whatever the order.</summary>
public sealed class SequenceSetTests
{
    [Fact]
    public void InOrderLateAndRepeated_AnswersAsASortedSetDoes()
    {
        var random = new Random(12);
        var set = new SequenceSet();
        var expected = new SortedSet<long>();
        for (var step = 0; step < 20_000; step++)
        {
            // Mostly the next sequence and the oldest trimmed, as a live window does; some late, repeated and unknown.
            var sequence = random.Next(10) switch
            {
                < 5 => expected.Count > 0 ? expected.Max + 1 : 1,
                < 7 => expected.Count > 0 ? expected.Min : 1,
                _ => random.Next(0, 600),
            };
            if (random.Next(3) == 0)
                Assert.Equal(expected.Remove(sequence), set.Remove(sequence));
            else
                Assert.Equal(expected.Add(sequence), set.Add(sequence));
            Assert.Equal(expected.Count, set.Count);
            Assert.Equal(expected.Contains(sequence), set.Contains(sequence));
            Assert.Equal(expected.Contains(sequence + 1), set.Contains(sequence + 1));
            if (expected.Count > 0)
                Assert.Equal((expected.Min, expected.Max), (set.Min, set.Max));
        }
        set.Clear();
        Assert.Equal(0, set.Count);
        Assert.False(set.Contains(1));
    }
}
