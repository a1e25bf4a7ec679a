using BlazorChat.Components.Shared;

namespace BlazorChat.Tests.Components;

/// <summary>How components remember what they rendered with, and what counts as a change.</summary>
public sealed class RenderedWithTests
{
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");

    [Fact]
    public void AKeyEqualToWhatRendered_IsNoChange_ADifferentOneIs_AndIsWhatRenderedAfter()
    {
        var rendered = new RenderedWith<ValueKey>();
        rendered.First(new ValueKey(1, "ada"));

        Assert.False(rendered.Changed(new ValueKey(1, "ada")));
        Assert.True(rendered.Changed(new ValueKey(2, "ada")));
        Assert.False(rendered.Changed(new ValueKey(2, "ada")));
        Assert.True(rendered.Changed(new ValueKey(2, null)));
    }

    [Fact]
    public void SameInstance_ANewListWithTheSameItems_IsAChange_TheSameListIsNot()
    {
        IReadOnlyList<Person> people = [Ada, Bob];
        var rendered = new RenderedWith<ListKey>();
        rendered.First(new ListKey(new(people)));

        Assert.False(rendered.Changed(new ListKey(new(people))));
        Assert.True(rendered.Changed(new ListKey(new([Ada, Bob]))));
    }

    [Fact]
    public void SameItems_ANewListWithTheSameItems_IsNoChange_OtherItemsOrOrderAre()
    {
        var rendered = new RenderedWith<SameItems<Person>>();
        rendered.First(new([Ada, Bob]));

        Assert.False(rendered.Changed(new([Ada, new Person("user-bob", "Bob")])));
        Assert.True(rendered.Changed(new([Bob, Ada])));
        Assert.True(rendered.Changed(new([Bob])));
        Assert.True(rendered.Changed(new([])));
        Assert.False(rendered.Changed(new([])));
    }

    [Fact]
    public void AKeyThatLooksAtAListChangedInPlace_IsKeptAsACopy_SoTheChangeIsSeen()
    {
        var lines = new List<string> { "one" };
        var rendered = new RenderedWith<ViewKey>();
        rendered.First(new ViewKey(lines));

        lines.Add("two");

        Assert.True(rendered.Changed(new ViewKey(lines)));
        Assert.False(rendered.Changed(new ViewKey(lines)));
    }

    [Fact]
    public void Checking_AllocatesNothing()
    {
        IReadOnlyList<Person> people = [Ada, Bob];
        var byValue = new RenderedWith<ValueKey>();
        var byReference = new RenderedWith<ListKey>();
        var byItems = new RenderedWith<SameItems<Person>>();
        byValue.First(new ValueKey(1, "ada"));
        byReference.First(new ListKey(new(people)));
        byItems.First(new(people));
        Check();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
            Check();

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Check() =>
            Assert.False(byValue.Changed(new ValueKey(1, "ada")) | byReference.Changed(new ListKey(new(people))) | byItems.Changed(new(people)));
    }

    private readonly record struct ValueKey(int Version, string? Name) : IRenderKey<ValueKey>;

    private readonly record struct ListKey(SameInstance<IReadOnlyList<Person>> People) : IRenderKey<ListKey>;

    // Compares the items it looks at; remembering it copies them, as a transcript block's key does.
    private readonly struct ViewKey(IReadOnlyList<string> lines) : IRenderKey<ViewKey>
    {
        private readonly IReadOnlyList<string> _lines = lines;

        public static ViewKey Keep(ViewKey key, ViewKey replaced) => new([.. key._lines]);

        public bool Equals(ViewKey other) => _lines.SequenceEqual(other._lines);

        public override bool Equals(object? obj) => obj is ViewKey other && Equals(other);

        public override int GetHashCode() => _lines.Count;
    }
}
