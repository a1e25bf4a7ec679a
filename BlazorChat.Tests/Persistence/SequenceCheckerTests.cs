namespace BlazorChat.Tests.Persistence;

/// <summary>The checker that later end-to-end tests trust, checked against hand-made streams.</summary>
public sealed class SequenceCheckerTests
{
    [Fact]
    public void Report_InOrderCompleteStream_IsClean()
    {
        var report = Check([1, 2, 3, 4, 5], expectedLast: 5);

        Assert.Equal(SequenceReport.Clean, report);
        Assert.True(report.IsClean);
    }

    [Fact]
    public void Report_MissingSequences_CountsEachAsLost()
    {
        var report = Check([1, 2, 4], expectedLast: 5);

        Assert.Equal(new SequenceReport(Lost: 2, Duplicated: 0, OutOfOrder: 0, Unexpected: 0), report);
        Assert.False(report.IsClean);
    }

    [Fact]
    public void Report_EmptyStream_LosesEverythingExpected()
    {
        Assert.Equal(new SequenceReport(3, 0, 0, 0), Check([], expectedLast: 3));
        Assert.Equal(SequenceReport.Clean, Check([], expectedLast: 0));
    }

    [Fact]
    public void Report_RepeatedSequence_CountsEachExtraCopyAsDuplicated()
    {
        var report = Check([1, 2, 2, 2, 3], expectedLast: 3);

        Assert.Equal(new SequenceReport(Lost: 0, Duplicated: 2, OutOfOrder: 0, Unexpected: 0), report);
    }

    [Fact]
    public void Report_LateArrival_CountsAsOutOfOrderButNotLost()
    {
        var report = Check([1, 3, 2], expectedLast: 3);

        Assert.Equal(new SequenceReport(Lost: 0, Duplicated: 0, OutOfOrder: 1, Unexpected: 0), report);
    }

    [Fact]
    public void Report_SeveralLateArrivals_CountsEachOne()
    {
        var report = Check([1, 2, 5, 3, 4], expectedLast: 5);

        Assert.Equal(new SequenceReport(Lost: 0, Duplicated: 0, OutOfOrder: 2, Unexpected: 0), report);
    }

    [Fact]
    public void Report_RepeatOfAnEarlierSequence_IsDuplicatedNotOutOfOrder()
    {
        var report = Check([1, 2, 3, 1], expectedLast: 3);

        Assert.Equal(new SequenceReport(Lost: 0, Duplicated: 1, OutOfOrder: 0, Unexpected: 0), report);
    }

    [Fact]
    public void Report_LostDuplicatedAndOutOfOrderTogether_CountsEachKind()
    {
        var report = Check([1, 4, 2, 2, 6], expectedLast: 6);

        Assert.Equal(new SequenceReport(Lost: 2, Duplicated: 1, OutOfOrder: 1, Unexpected: 0), report);
    }

    [Fact]
    public void Report_SequencesOutsideTheExpectedRange_CountAsUnexpected()
    {
        var report = Check([0, 1, 2, 3, 7], expectedLast: 3);

        // 0 arrived first, so 1..3 are not late; 7 is past the expected end.
        Assert.Equal(new SequenceReport(Lost: 0, Duplicated: 0, OutOfOrder: 0, Unexpected: 2), report);
    }

    [Fact]
    public void Report_ReceiverJoiningLate_OnlyExpectsFromItsFirstSequence()
    {
        var checker = new SequenceChecker(firstExpected: 11);
        checker.ObserveAll([11, 12, 13]);

        Assert.Equal(SequenceReport.Clean, checker.Report(expectedLast: 13));
        Assert.Equal(new SequenceReport(Lost: 2, Duplicated: 0, OutOfOrder: 0, Unexpected: 0), checker.Report(expectedLast: 15));
    }

    [Fact]
    public void Report_TakenAgainAfterMoreObservations_IncludesThem()
    {
        var checker = new SequenceChecker();
        checker.ObserveAll([1, 2]);
        Assert.Equal(new SequenceReport(1, 0, 0, 0), checker.Report(expectedLast: 3));

        checker.Observe(3);

        Assert.Equal(SequenceReport.Clean, checker.Report(expectedLast: 3));
    }

    [Fact]
    public void Observe_FromManyThreadsAtOnce_KeepsEveryObservation()
    {
        var checker = new SequenceChecker();

        Parallel.For(1, 20_001, sequence => checker.Observe(sequence));
        checker.Observe(10_000);

        var report = checker.Report(expectedLast: 20_000);
        Assert.Equal((0L, 1L, 0L), (report.Lost, report.Duplicated, report.Unexpected));
    }

    private static SequenceReport Check(long[] stream, long expectedLast)
    {
        var checker = new SequenceChecker();
        checker.ObserveAll(stream);
        return checker.Report(expectedLast);
    }
}
