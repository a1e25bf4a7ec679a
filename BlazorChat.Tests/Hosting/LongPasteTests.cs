using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Hosting;

/// <summary>
/// A 100,000-character paste into the composer or the name box: it must reach the server (the circuit's hub takes a
/// message that size, where SignalR's default 32 KB dropped the connection and the text with it), and the rules must
/// then say it is too long, never that it is empty.
/// </summary>
public sealed class LongPasteTests
{
    private const int PasteLength = 100_000;

    // Each a 100,000-UTF-16-unit paste of one kind of text, by name (see HostileText for why names).
    private static readonly Dictionary<string, string> Pastes = new()
    {
        ["ASCII letters"] = new string('x', PasteLength),
        ["words and spaces"] = Repeat("word "),
        ["accented letters, composed"] = new string('\u00E9', PasteLength),
        ["accented letters, decomposed"] = Repeat("e\u0301"),
        ["CJK ideographs"] = new string('\u5C71', PasteLength),
        ["emoji (two UTF-16 units each)"] = Repeat("\U0001F600"),
        ["emoji ZWJ sequences"] = Repeat("\U0001F469\u200D\U0001F4BB"),
        ["Arabic"] = Repeat("\u0645\u0631\u062D\u0628\u0627 "),
        ["quotes and backslashes (escaped in JSON)"] = Repeat("\"\\"),
        ["letters with zero-width spaces between"] = Repeat("a\u200B"),
        ["lines of text"] = Repeat("line\n"),
    };

    // The ones a display name may contain at all: a paste of the others is refused for what it contains.
    private static readonly string[] NameablePastes =
        ["ASCII letters", "words and spaces", "accented letters, composed", "accented letters, decomposed", "CJK ideographs",
         "emoji (two UTF-16 units each)", "Arabic", "quotes and backslashes (escaped in JSON)"];

    public static TheoryData<string> PasteNames => new(Pastes.Keys);

    public static TheoryData<string> NameablePasteNames => new(NameablePastes);

    [Theory]
    [MemberData(nameof(PasteNames))]
    public void ValidateMessage_A100000CharacterPaste_IsTooLong_NotEmpty(string paste)
    {
        var text = Pastes[paste];
        Assert.Equal(PasteLength, text.Length);

        var reason = ChatRules.ValidateMessage(text, out _);

        Assert.NotNull(reason);
        Assert.Contains("the limit is 4,000", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("empty", reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(NameablePasteNames))]
    public void ValidateDisplayName_A100000CharacterPaste_IsTooLong_NotEmpty(string paste)
    {
        var reason = ChatRules.ValidateDisplayName(Pastes[paste], out var normalized);

        Assert.NotNull(reason);
        Assert.Contains("at most 32", reason, StringComparison.Ordinal);
        Assert.Equal(string.Empty, normalized);
    }

    /// <summary>
    /// The circuit's hub (Blazor's ComponentHub) takes a message holding a 100,000-character paste: an input event carries
    /// the whole value, JSON-encoded, and a character costs at most 6 bytes there ("\u0001" for a control character), so
    /// 600,000 bytes and an envelope. And it stays bounded, at 1 MiB.
    /// </summary>
    [Fact]
    public async Task TheCircuitHub_TakesA100000CharacterPaste_AndStaysBounded()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Testing" });
        builder.AddApplicationServices();
        await using var app = builder.Build();

        var limit = CircuitHubOptions(app.Services).MaximumReceiveMessageSize;

        Assert.NotNull(limit);
        Assert.InRange(limit.Value, PasteLength * 6 + 64 * 1024, 1024 * 1024);
    }

    // HubOptions<ComponentHub>: the hub type is internal to Microsoft.AspNetCore.Components.Server, so it is found by name.
    private static HubOptions CircuitHubOptions(IServiceProvider services)
    {
        var hub = typeof(Microsoft.AspNetCore.Components.Server.CircuitOptions).Assembly
            .GetType("Microsoft.AspNetCore.Components.Server.ComponentHub", throwOnError: true)!;
        var optionsType = typeof(IOptions<>).MakeGenericType(typeof(HubOptions<>).MakeGenericType(hub));
        var options = services.GetRequiredService(optionsType);
        return (HubOptions)optionsType.GetProperty(nameof(IOptions<object>.Value))!.GetValue(options)!;
    }

    private static string Repeat(string unit)
    {
        // Whole units, then letters up to exactly 100,000 UTF-16 units.
        var text = new StringBuilder(PasteLength);
        while (text.Length + unit.Length <= PasteLength)
            text.Append(unit);
        return text.Append('x', PasteLength - text.Length).ToString();
    }
}
