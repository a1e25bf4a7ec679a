using System.Globalization;
using System.Text;

namespace BlazorChat.Tests.Session;

/// <summary>
/// A name that looks like the name of someone online is refused: look-alike letters within the Latin script
/// (UTS #39 confusables: "I", "l" and "1"; "rn" and "m"; "0" and "O"; dotless i; small capitals; full-width forms), ignoring
/// case. Names that only resemble each other stay possible.
/// </summary>
public sealed class LookAlikeNamesTests
{
    // (the name of someone online, a newcomer's name that looks the same)
    public static TheoryData<string, string> LookAlikes => new()
    {
        { "Bill", "BiIl" }, // capital I for l
        { "rnary", "mary" }, // m for rn
        { "Paul", "PauI" },
        { "J0hn", "JOhn" }, // digit zero and capital O
        { "admin", "adrnin" },
        { "Alice", "AIice" },
        { "alice", "a1ice" }, // digit one for l
        { "Olga", "0lga" },
        { "hello", "he11o" },
        { "Ella", "EIIa" },
        { "Warner", "Wamer" },
        { "Smith", "Sm\u0131th" }, // dotless i
        { "Oscar", "\u1D0Fscar" }, // Latin small capital O
        { "Suzy", "\uA731uz\u028F" }, // small capitals S and Y
        { "Will", "Wi||" }, // vertical lines for l
        { "BILL", "bill" }, // case alone
        { "JOHN", "j0hn" }, // case and a look-alike together
        { "Ada", "\uFF21\uFF24\uFF21" }, // full-width
        { "cocoa", "\u0441\u043E\u0441\u043E\u0430" }, // all Cyrillic
        { "Zoe\u0308", "Zo\u00EB" }, // decomposed and composed
    };

    public static TheoryData<string, string> DifferentNames => new()
    {
        { "Bill", "Bell" },
        { "mary", "many" },
        { "Paul", "Pauline" },
        { "John", "Joan" },
        { "admin", "odmin" },
        { "Ada", "Adam" },
        { "Ivan", "\u0418\u0432\u0430\u043D" }, // Иван
        { "Bill", "Bil" },
        { "rnary", "nary" },
        { "Olga", "Olya" },
        { "Alice", "Alicia" },
        { "Kim", "Kin" },
        { "Dana", "Diana" },
        { "Zoe", "Zo\u00EB" },
    };

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public async Task Claim_ANameThatLooksLikeAnOnlinePersonsName_IsRefused(string online, string impostor)
    {
        var names = new InMemoryNameClaims();
        Assert.Null(await names.ClaimAsync("user-online", online));

        var reason = await names.ClaimAsync("user-impostor", impostor);

        Assert.NotNull(reason);
        Assert.Contains("already called", reason, StringComparison.Ordinal);
        Assert.Null(await names.NameOfAsync("user-impostor"));
    }

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public async Task Claim_ANameThatLooksLikeAnOnlinePersonsName_IsRefused_WhicheverCameFirst(string impostor, string online)
    {
        var names = new InMemoryNameClaims();
        Assert.Null(await names.ClaimAsync("user-online", online));

        Assert.NotNull(await names.ClaimAsync("user-impostor", impostor));
    }

    [Theory]
    [MemberData(nameof(DifferentNames))]
    public async Task Claim_DifferentNames_AreBothAccepted(string first, string second)
    {
        var names = new InMemoryNameClaims();

        Assert.Null(await names.ClaimAsync("user-1", first));
        Assert.Null(await names.ClaimAsync("user-2", second));
    }

    /// <summary>
    /// The whole table, as display names: for every mapping whose source character can stand in a valid display name,
    /// "ab" + source + "cd" is refused while "ab" + its prototype + "cd" is online (and the other way round).
    /// </summary>
    [Fact]
    public async Task Claim_EveryConfusableThatCanBeInAName_IsRefusedBesideItsPrototype()
    {
        var wrong = new List<string>();
        var checkedPairs = 0;
        foreach (var (source, prototype) in Confusables.Mappings)
        {
            var impostor = "ab" + char.ConvertFromUtf32(source) + "cd";
            var original = "ab" + prototype + "cd";
            if (!IsAValidName(impostor) || !IsAValidName(original) || impostor == original)
                continue;
            checkedPairs++;
            var names = new InMemoryNameClaims();
            await names.ClaimAsync("user-original", original);
            if (await names.ClaimAsync("user-impostor", impostor) is null)
                wrong.Add($"{Describe(impostor)} was accepted beside {Describe(original)}");
            var reversed = new InMemoryNameClaims();
            await reversed.ClaimAsync("user-impostor", impostor);
            if (await reversed.ClaimAsync("user-original", original) is null)
                wrong.Add($"{Describe(original)} was accepted beside {Describe(impostor)}");
        }
        Assert.True(checkedPairs > 30, $"only {checkedPairs} mappings could be tried as names");
        Assert.Empty(wrong);
    }

    /// <summary>A skeleton is stable: every prototype is left alone, so a skeleton's skeleton is itself.</summary>
    [Fact]
    public void Skeleton_OfEveryPrototype_IsThePrototype()
    {
        foreach (var (_, prototype) in Confusables.Mappings)
            Assert.Equal(prototype, Confusables.Skeleton(prototype));
    }

    [Theory]
    [InlineData("rnary", "mary")]
    [InlineData("Bill", "BiIl")]
    [InlineData("J0hn", "JOhn")]
    [InlineData("A\u200Bda", "Ada")] // default-ignorable code points are dropped
    [InlineData("e\u0301", "\u00E9")] // canonical equivalents
    public void Skeleton_LookAlikes_AreEqual(string a, string b) => Assert.Equal(Confusables.Skeleton(a), Confusables.Skeleton(b));

    private static bool IsAValidName(string name) =>
        ChatRules.ValidateDisplayName(name, out var normalized) is null && normalized == name;

    private static string Describe(string name) =>
        string.Join(' ', name.EnumerateRunes().Select(r => string.Create(CultureInfo.InvariantCulture, $"U+{r.Value:X4}")));
}
