using System.Globalization;
using System.Security.Claims;
using BlazorChat.Moderation;
using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Components.Ops;

/// <summary>What a moderator may do from a connection's row of the dashboard.</summary>
public enum PersonActionKind
{
    /// <summary>End this one connection (one tab in one namespace).</summary>
    DisconnectConnection,

    /// <summary>End every connection of the person, everywhere.</summary>
    DisconnectPerson,

    /// <summary>Mute the person everywhere for a number of minutes.</summary>
    Mute,

    /// <summary>Ban the person, for a number of minutes or until lifted.</summary>
    Ban,
}

/// <summary>
/// One action on one row, its input checked: what the confirm step says will happen to whom, and how it runs (through
/// <see cref="ModerationService"/>, which asks again whether the actor may).
/// </summary>
public sealed record PersonAction(PersonActionKind Kind, RemoteConnection Target, int? Minutes, string Reason)
{
    /// <summary>The action a row's button names, for its label and the dialog's title.</summary>
    public static string TitleOf(PersonActionKind kind, RemoteConnection target) => kind switch
    {
        PersonActionKind.DisconnectConnection => $"Disconnect this tab of {target.DisplayName}",
        PersonActionKind.DisconnectPerson => $"Disconnect {target.DisplayName}",
        PersonActionKind.Mute => $"Mute {target.DisplayName}",
        _ => $"Ban {target.DisplayName}",
    };

    /// <summary>Whether the action takes a number of minutes (required for a mute, optional for a ban).</summary>
    public static bool TakesMinutes(PersonActionKind kind) => kind is PersonActionKind.Mute or PersonActionKind.Ban;

    /// <summary>The action, or why the input cannot make one (nothing runs then).</summary>
    public static (PersonAction? Action, string? Error) Parse(PersonActionKind kind, RemoteConnection target, string? minutes, string? reason)
    {
        ArgumentNullException.ThrowIfNull(target);
        var why = (reason ?? string.Empty).Trim();
        if (why.Length > ModerationService.MaxReasonLength)
            return (null, $"Give a reason of at most {ModerationService.MaxReasonLength} characters.");
        var text = (minutes ?? string.Empty).Trim();
        int? length = null;
        if (TakesMinutes(kind) && (text.Length > 0 || kind == PersonActionKind.Mute))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > ModerationService.MaxMuteMinutes)
            {
                return (null, kind == PersonActionKind.Mute
                    ? $"Enter the minutes as a whole number from 1 to {ModerationService.MaxMuteMinutes}."
                    : $"Enter the minutes as a whole number from 1 to {ModerationService.MaxMuteMinutes}, or leave them empty for a ban until lifted.");
            }
            length = parsed;
        }
        return (new PersonAction(kind, target, length, why), null);
    }

    /// <summary>The dialog's title.</summary>
    public string Title => TitleOf(Kind, Target);

    private string Who => $"{Target.DisplayName} ({Target.UserId})";

    private string For => Minutes is { } m ? string.Create(CultureInfo.InvariantCulture, $"for {m} minutes") : "until an administrator lifts it";

    private string Because => Reason.Length > 0 ? $" Reason: {Reason}" : " No reason given.";

    /// <summary>What the confirm step says will happen, and to whom.</summary>
    public string Consequence => Kind switch
    {
        PersonActionKind.DisconnectConnection =>
            $"Connection {Target.Id} of {Who}, in {Target.Namespace} on node {Target.ServerId}, ends; that tab shows why. They may reconnect.{Because}",
        PersonActionKind.DisconnectPerson => $"Every tab of {Who}, in every namespace on every node, ends and shows why. They may reconnect.{Because}",
        PersonActionKind.Mute => $"{Who} may not send anything, anywhere, {For}.{Because}",
        _ => $"{Who} is banned {For}: every tab of theirs ends and shows why, and they may not sign in or come back until then.{Because}",
    };

    /// <summary>Runs the action as <paramref name="actor"/>; returns what happened.</summary>
    /// <exception cref="Realtime.ChatRefusedException">Not allowed, or refused; nothing changed.</exception>
    public async Task<string> RunAsync(ModerationService moderation, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(moderation);
        switch (Kind)
        {
            case PersonActionKind.DisconnectConnection:
                await moderation.DisconnectAsync(actor, Target.Id, null, Reason, cancellationToken);
                return $"Connection {Target.Id} of {Target.DisplayName} was disconnected.";
            case PersonActionKind.DisconnectPerson:
                var count = await moderation.DisconnectAsync(actor, null, Target.UserId, Reason, cancellationToken);
                return string.Create(CultureInfo.InvariantCulture, $"{Target.DisplayName} was disconnected: {count} connection(s) ended.");
            case PersonActionKind.Mute:
                var mute = await moderation.MuteAsync(actor, Target.Namespace, null, Target.UserId, Minutes ?? 0, Reason, cancellationToken);
                return $"{Target.DisplayName} is muted until {Format(mute.Until)}.";
            default:
                var ban = await moderation.BanAsync(actor, Target.UserId, Minutes, Reason, cancellationToken);
                return ban.Until is { } until ? $"{Target.DisplayName} is banned until {Format(until)}." : $"{Target.DisplayName} is banned until lifted.";
        }
    }

    /// <summary>A time as the dashboard shows it.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
