using System.Collections.Concurrent;
using BlazorChat.Chat;
using BlazorChat.Components.Chat;
using BlazorChat.Components.Shared;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Server;
using BlazorChat.Session;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace BlazorChat.Components.Pages;

public sealed partial class ChatPage
{
    [Inject]
    private ChatSession Session { get; set; } = default!;

    [Inject]
    private ChatServer Server { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private Layout.ShellState Shell { get; set; } = default!;

    /// <summary>
    /// The request, read while prerendering only. Not a cascading HttpContext: in the interactive circuit that one makes
    /// the framework build a static renderer (EndpointHtmlRenderer) in every circuit's scope to ask it for the request.
    /// </summary>
    [Inject]
    private Microsoft.AspNetCore.Http.IHttpContextAccessor Request { get; set; } = default!;

    /// <summary>The browser's cookie naming the display name it last joined under (set by wwwroot/js/app.js).</summary>
    public const string NameCookie = "bc-name";

    /// <summary>
    /// The name this browser last joined under, read from its cookie while prerendering and carried into the circuit
    /// (.NET 10's persisted component state), where there is no request to read it from. On a cluster the node that
    /// remembers the person may have died: the tab's reload lands on another node, which joins them under it anyway.
    /// </summary>
    [PersistentState]
    public string? NameHint { get; set; }

    // The last message not confirmed sent (on its way, or refused with its text back in the composer): its text and id,
    // so Send pressed again sends the same message.
    private (string Conversation, string Text, Guid Id)? _unsent;

    // The name this page last told the browser to remember (so it is told once per name, not on every render).
    private string? _savedName;

    /// <summary>Renders not yet confirmed by the browser past which this tab counts as backlogged (volatile events drop).</summary>
    public const int BacklogLimit = 3;

    /// <summary>How long a change of who is typing waits before it renders (see <see cref="TypingSignals.RenderDelay"/>).</summary>
    public static readonly TimeSpan TypingRenderDelay = TypingSignals.RenderDelay;

    private readonly ChatView _view = new();
    private readonly PageDispatcher _dispatcher;
    // Events on their way to the page's dispatcher, oldest first: each dispatch applies the oldest, so an event costs the
    // page a queued struct, not a closure and its delegate (every member's tab receives every message of its room).
    private readonly ConcurrentQueue<(Packet Packet, AckReply? Ack)> _arriving = new();
    private readonly Action _applyArriving;
    // Typing both ways, read marks and history loads: small classes of their own, made once the page has its services.
    private TypingSignals _typing = default!;
    private ReadMarks _readMarks = default!;
    private HistoryLoader _history = default!;
    private ConversationContent _conversationContent = default!;
    private readonly RenderFragment _renderConversation;
    // Acknowledgements wait for the browser to confirm a render that shows their event (RenderedAcks).
    private readonly RenderedAcks<AckReply> _acks = new(static ack => ack.Send());
    private IDisposable? _subscription;
    private RenderRegion? _rooms;
    private RenderRegion? _people;
    private RenderRegion? _conversation;
    private TimeSpan _utcOffset;
    private int _unrendered;
    private SessionIdentity? _identity;
    private string? _joinError;
    private string? _rememberedName;
    private bool _autoJoining; // the circuit is joining under the remembered name by itself (OnInitializedAsync)

    private (string Namespace, string Title, MarkupString Markup)? _roomTitle;

    // The app bar's title, made again only when it changes (the layout renders it at each of the page's renders).
    private MarkupString RoomTitle(string @namespace, string title)
    {
        if (_roomTitle is not { } last || last.Namespace != @namespace || last.Title != title)
            _roomTitle = last = (@namespace, title, SharedMarkup.RoomTitle(@namespace, title));
        return last.Markup;
    }

    private string Title => Session.IsJoined ? $"{_view.CurrentConversation.Title} · BlazorChat" : "BlazorChat";

    private IReadOnlyList<string> NamespaceNames =>
    [
        ChatServer.MainNamespace, ChatHandlers.AdminNamespace,
        .. Server.Namespaces.Select(n => n.Name).Where(n => n.StartsWith("/tenant-", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
    ];

    public ChatPage()
    {
        _dispatcher = new PageDispatcher(work => InvokeAsync(work), DispatchExceptionAsync);
        _applyArriving = ApplyArriving;
        _renderConversation = builder => _conversationContent.Render(builder, _view.CurrentConversation, Session.UserId, _view.Outgoing,
            _view.OutgoingVersion, _utcOffset, _view.TypingIn(_view.Current, Time.GetUtcNow()));
    }

    protected override async Task OnInitializedAsync()
    {
        SendRequest send = (eventName, request) => Session.SendAsync(eventName, request);
        _typing = new TypingSignals(_view, send, Time, _dispatcher, Show);
        _readMarks = new ReadMarks(_view, send, Time, _dispatcher);
        _history = new HistoryLoader(_view, send, _dispatcher, StateHasChanged, _readMarks.Schedule);
        _conversationContent = new ConversationContent(EventCallback.Factory.Create<Guid>(this, RetryAsync),
            EventCallback.Factory.Create(this, _history.LoadOlderAsync), EventCallback.Factory.Create(this, _history.JumpToLatestAsync));
        // Subscribe only in the interactive circuit, never while prerendering (that scope ends with the request).
        if (RendererInfo.IsInteractive)
        {
            _subscription = Session.Subscribe(OnPacketAsync);
            Session.IsClientWritable = () => Volatile.Read(ref _unrendered) < BacklogLimit;
        }
        if (!RendererInfo.IsInteractive && Request.HttpContext?.Request.Cookies[NameCookie] is { Length: > 0 } fromCookie)
            NameHint = fromCookie;
        _identity = await Session.IdentifyAsync(NameHint);
        if (RendererInfo.IsInteractive)
            _isAdmin = await Session.IsAdminAsync();
        // Nobody to chat as (guests are switched off, and no account is signed in): the sign-in page.
        if (_identity is { MayChat: false, AccountName: null })
        {
            Navigation.NavigateTo("account/signin", forceLoad: true);
            return;
        }
        if (!RendererInfo.IsInteractive)
            return;
        // While the circuit joins by itself, the page keeps saying so, as the prerendered one did: a join form offered
        // meanwhile (the join may wait seconds on a slow node) would be filled in, and then vanish when the join ends.
        _autoJoining = _identity is { MayChat: true, RememberedName: not null };
        try
        {
            if (await Session.TakeCircuitPlaceAsync() && _identity is { MayChat: true, RememberedName: { } name })
            {
                // One person across tabs: a second tab, a reload or a new circuit joins under the name already chosen.
                _joinError = await Session.JoinAsync(name);
            }
        }
        finally
        {
            _autoJoining = false;
        }
    }

    /// <summary>The address's namespace: "admin" or "tenant-{name}"; none for the main namespace.</summary>
    [Parameter]
    public string? Space { get; set; }

    /// <summary>The address's room: a public room's name or a private room's id.</summary>
    [Parameter]
    public string? Room { get; set; }

    /// <summary>The address's person: the user id of the other person of a private conversation.</summary>
    [Parameter]
    public string? With { get; set; }

    // The place the address asks for; the tab goes there (and only there) when the address changes.
    private Places.Place? _wanted;
    private bool _switching;

    public override Task SetParametersAsync(ParameterView parameters)
    {
        // A route without a value (back to / from /r/design) supplies nothing for it, and a property not supplied keeps
        // its old value: start every address from none.
        (Space, Room, With) = (null, null, null);
        return base.SetParametersAsync(parameters);
    }

    protected override async Task OnParametersSetAsync()
    {
        var wanted = Places.Parse(Space, Room, With);
        if (wanted is null)
        {
            Navigation.NotFound();
            return;
        }
        if (wanted == _wanted)
            return;
        _wanted = wanted;
        if (RendererInfo.IsInteractive && Session.IsJoined)
            await GoToPlaceAsync(wanted);
    }

    // The person asked for a place (a link, a reload, back or forward): its namespace first, then the conversation.
    private async Task GoToPlaceAsync(Places.Place place)
    {
        if (Session.Namespace != place.Namespace)
        {
            if (_switching)
                return; // a switch is under way; its welcome goes on from there
            _view.Want(place.Namespace, place.Room ?? RoomNames.General);
            _switching = true;
            try
            {
                if (await Session.SwitchNamespaceAsync(place.Namespace) is { } refused)
                    Refuse(refused);
            }
            finally
            {
                _switching = false;
            }
            return; // the namespace's welcome opens the place (AfterApplied)
        }
        await EnsurePlaceAsync(place);
    }

    // In the place's namespace now: open its conversation, joining a public room the address names.
    private async Task EnsurePlaceAsync(Places.Place place)
    {
        if (_view.Namespace != place.Namespace)
            return;
        if (place.WithUserId is { } withUserId)
        {
            var person = _view.Online.FirstOrDefault(p => p.UserId == withUserId)
                ?? _view.DirectConversations.Select(c => c.With).FirstOrDefault(p => p?.UserId == withUserId)
                ?? await FindPersonAsync(withUserId);
            if (person is null)
            {
                Refuse("There is nobody by that id here to message privately.");
                return;
            }
            await OpenConversationAsync(_view.OpenDirect(person));
            return;
        }
        var room = place.Room ?? RoomNames.General;
        if (!_view.IsAvailable(room))
        {
            var refused = RoomNames.IsPrivateId(room) ? "You cannot read that conversation." : await JoinRoomAsync(room);
            if (refused is not null)
            {
                Refuse(refused);
                return;
            }
        }
        _view.Open(room);
        await OpenConversationAsync(room);
    }

    private async Task<Person?> FindPersonAsync(string userId)
    {
        var (reply, _) = await Session.SendAsync(ChatEvents.FindPerson, new FindPersonRequest(userId));
        return (reply as PersonFound)?.Person;
    }

    private async Task OpenConversationAsync(string key)
    {
        StateHasChanged();
        await _history.LoadLatestAsync(key);
    }

    // The address named a place the person may not enter: say why, and the address goes back to where they are.
    private void Refuse(string reason)
    {
        Shell.EnableSnackbars();
        Snackbar.Add(reason, Severity.Warning);
        ShowPlaceInAddressBar(replace: true);
    }

    // The address follows the person: a new history entry when they went somewhere, a replaced one when the view moved
    // them (the room they were in was left or removed).
    private void ShowPlaceInAddressBar(bool replace)
    {
        // Before the namespace's welcome reached the view, the session knows which namespace the tab is in.
        if (!RendererInfo.IsInteractive || (_view.Namespace ?? Session.Namespace) is not { } ns)
            return;
        _wanted = Places.Of(ns, _view.Current, Session.UserId);
        var url = Places.UrlOf(_wanted);
        if (Navigation.ToBaseRelativePath(Navigation.Uri) != url.TrimStart('/'))
            Navigation.NavigateTo(url, replace: replace);
    }

    // The join form's submit: the form's own event, so only the form renders after it. The page shows the chat when the
    // session is joined, and nothing else is sure to render it after that: the connection's first events (its welcome,
    // who is online) may all have reached the page, and rendered it still on the join form, before the join returned.
    // They do whenever the connect takes a moment after its last delivery, as it does on a cluster, where every
    // broadcast waits for its round trip to the other nodes (the PostgreSQL adapter's NOTIFY) after delivering here.
    private async Task<string?> JoinAsync(string? displayName)
    {
        var error = await Session.JoinAsync(displayName);
        if (error is null)
            StateHasChanged();
        return error;
    }

    // "Change name": this tab leaves the chat and asks again (see ChatSession.ForgetNameAsync).
    private async Task ChangeNameAsync()
    {
        _rememberedName = Session.DisplayName;
        NameHint = _savedName = null;
        await ForgetNameInBrowserAsync();
        await Session.ForgetNameAsync();
        _identity = _identity is null ? null : _identity with { RememberedName = null };
        _view.Clear();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        PartRendered(this);

        if (RendererInfo.IsInteractive && Session.IsJoined && Session.DisplayName is { } joinedAs && joinedAs != _savedName)
        {
            _savedName = joinedAs;
            await RememberNameInBrowserAsync(joinedAs);
        }

        if (firstRender && RendererInfo.IsInteractive)
        {
            try
            {
                _utcOffset = TimeSpan.FromMinutes(await JS.InvokeAsync<int>("blazorChat.utcOffsetMinutes"));
                StateHasChanged();
            }
            catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException)
            {
                _utcOffset = TimeSpan.Zero; // Times then read as UTC; nothing else depends on it.
            }
        }
    }

    // The browser keeps the name it joined under (a cookie, NameCookie) for a reload that lands on another node.
    private async Task RememberNameInBrowserAsync(string name)
    {
        try
        {
            await JS.InvokeVoidAsync("blazorChat.rememberName", name);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException)
        {
            // The tab is going away; the node still remembers the name itself.
        }
    }

    private async Task ForgetNameInBrowserAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("blazorChat.forgetName");
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException)
        {
        }
    }

    // Dispatches run in the order they were asked for, one per event queued, each taking the oldest: events are applied in
    // the order they arrived even when two arrive at once on different threads.
    private Task OnPacketAsync(Packet packet, AckReply? ack)
    {
        _arriving.Enqueue((packet, ack));
        return InvokeAsync(_applyArriving);
    }

    private void ApplyArriving()
    {
        if (_arriving.TryDequeue(out var arrived))
            Apply(arrived.Packet, arrived.Ack);
    }

    private void Apply(Packet packet, AckReply? ack)
    {
        if (_dispatcher.IsDisposed)
            return;
        var change = ViewChange.None;
        if (packet.Event == ChatSession.ConnectionStartedEvent)
        {
            _view.Clear();
            change = ViewChange.Everything;
        }
        if (packet.Event == ChatSession.AccessChangedEvent)
        {
            _dispatcher.Observe(RefreshIdentityAsync());
            change = ViewChange.Everything;
        }
        if (packet.Data is ChatEvent evt)
        {
            var place = (_view.Namespace, _view.Current);
            change |= _view.Apply(evt, Time.GetUtcNow());
            // The view moved the person (a room they were in was left in another tab, or removed): the address follows.
            if (place.Namespace is not null && place.Namespace == _view.Namespace && place.Current != _view.Current)
                ShowPlaceInAddressBar(replace: true);
            AfterApplied(evt);
        }
        if (packet.Data is DisconnectNotice ended)
        {
            _view.Ended(ended);
            change = ViewChange.Everything;
        }
        if (ack is not null)
            _acks.Applied(ack);
        Show(change);
    }

    // Renders what an event changed: each part (the conversation, the people, the rooms) on its own, the whole page only
    // for more than those. Each part is a render batch of its own; measured, two small batches cost less than one page
    // render (layout, sidebar, composer): 1,000 people joined in 66 s that way, in 80-87 s with a page render per join.
    private void Show(ViewChange change)
    {
        if (change == ViewChange.None && _acks.Waiting == 0)
            return; // nothing on screen changed, and nobody waits for this tab to have shown it
        if (change == ViewChange.Typing && _acks.Waiting == 0)
        {
            _typing.ShowSoon();
            return;
        }
        Interlocked.Increment(ref _unrendered);
        const ViewChange conversation = ViewChange.Transcript | ViewChange.Typing;
        var inPage = !Session.IsJoined || change == ViewChange.None || (change & ~(conversation | ViewChange.People | ViewChange.Rooms)) != 0
            || ((change & conversation) != 0 && _conversation is null) || (change.HasFlag(ViewChange.People) && _people is null)
            || (change.HasFlag(ViewChange.Rooms) && _rooms is null);
        if (inPage || (change & conversation) != 0)
            _typing.Shown(); // this render shows who is typing now
        if (inPage)
        {
            StateHasChanged();
            return;
        }
        if ((change & conversation) != 0)
            _conversation!.Refresh();
        if (change.HasFlag(ViewChange.People))
            _people!.Refresh();
        if (change.HasFlag(ViewChange.Rooms))
            _rooms!.Refresh();
    }

    // The page or one of its parts begins to render: it shows the events applied so far.
    private void PartRendering(object part) => _acks.Rendering(part);

    // The side panel's parts say who they are as they render, rather than by @ref: a reference capture is a frame in the
    // layout's tree, which every joined tab keeps twice (see the parts in ChatPage.razor).
    private void RoomsRendering(RenderRegion part)
    {
        _rooms = part;
        PartRendering(part);
    }

    private void PeopleRendering(RenderRegion part)
    {
        _people = part;
        PartRendering(part);
    }

    // After a render of the page or one of its parts reached the browser: the person's screen has the events that render
    // showed, so their acknowledgements go back, and this tab is no longer behind.
    private void PartRendered(object part)
    {
        _acks.Rendered(part);
        Volatile.Write(ref _unrendered, 0);
    }

    // What the transcript shows as it renders, and, once the browser has it, how far the person has seen: read marks go
    // no further (a tab whose browser is gone confirms nothing, and marks nothing read).
    private (string Key, long UpTo) _conversationRendering;

    private void ConversationRendering(RenderRegion part)
    {
        PartRendering(part);
        _conversationRendering = (_view.Current, _view.CurrentConversation.LastSequence);
    }

    private void ConversationRendered(RenderRegion part)
    {
        PartRendered(part);
        var (key, upTo) = _conversationRendering;
        if (_view.Find(key) is { } conversation && upTo > conversation.ShownUpTo)
        {
            conversation.ConfirmShown(upTo);
            _readMarks.Schedule();
        }
    }

    // Access ended or changed (a sign-out elsewhere, a revoked role): show who this is now, and Session.Notice says why.
    private async Task RefreshIdentityAsync()
    {
        if (!Session.IsJoined)
            _view.Clear();
        _identity = await Session.IdentifyAsync(NameHint);
        _isAdmin = await Session.IsAdminAsync();
        if (!_dispatcher.IsDisposed)
            StateHasChanged();
    }

    // Runs on the circuit's dispatcher, right after an event changed the view.
    private void AfterApplied(ChatEvent evt)
    {
        switch (evt)
        {
            case TypingChanged { IsTyping: true }:
                _typing.SomeoneTyping();
                break;
            case PrivateRoomsChanged:
                // A room just dropped (removed by its owner) may have been on screen: show what replaced it.
                _dispatcher.Observe(_history.LoadLatestAsync(_view.Current));
                break;
            case NamespaceWelcome welcome:
                _history.Forget();
                _readMarks.Forget();
                // The place the address asks for, unless the welcome opened it already.
                if (_wanted is { } wanted && wanted != Places.Of(welcome.Namespace, _view.Current, Session.UserId))
                    _dispatcher.Observe(GoToPlaceAsync(wanted));
                else
                    _dispatcher.Observe(_history.LoadLatestAsync(_view.Current));
                break;
            case DeliveriesMissed:
                foreach (var conversation in _view.ConversationsToCatchUp)
                    _dispatcher.Observe(_history.CatchUpAsync(conversation));
                break;
            case MessagePosted or DirectPosted:
                var message = Conversation.MessageOf(evt)!;
                _dispatcher.Observe(_history.CatchUpAsync(message.Room));
                if (message.Room == _view.Current)
                    _readMarks.Schedule();
                break;
        }
    }

    private async Task OpenRoom(string room)
    {
        _view.Open(room);
        ShowPlaceInAddressBar(replace: false);
        await _history.LoadLatestAsync(room);
    }

    private async Task OpenDirect(Person person)
    {
        var key = _view.OpenDirect(person);
        ShowPlaceInAddressBar(replace: false);
        await _history.LoadLatestAsync(key);
    }

    // A dialog, once the shell has MudBlazor's dialog provider to show it in (ShellState).
    private async Task<IDialogReference> ShowDialogAsync<TDialog>(string title, DialogParameters parameters) where TDialog : IComponent
    {
        await Shell.EnableDialogsAsync();
        return await Dialogs.ShowAsync<TDialog>(title, parameters);
    }

    // The people picker: anyone known here, online or not; a message to someone away waits for them.
    private async Task PickSomeoneAsync()
    {
        var parameters = new DialogParameters<PeoplePicker> { { p => p.Search, (Func<string, Task<(IReadOnlyList<Person>, string?)>>)SearchPeopleAsync } };
        var dialog = await ShowDialogAsync<PeoplePicker>("New message", parameters);
        if (await dialog.Result is { Canceled: false, Data: Person person })
            await OpenDirect(person);
    }

    // People found by name (the people picker, the invite dialog).
    private async Task<(IReadOnlyList<Person> People, string? Error)> SearchPeopleAsync(string text)
    {
        var (reply, error) = await Session.SendAsync(ChatEvents.SearchPeople, new SearchPeopleRequest(text));
        return (reply is PeopleFound found ? found.People : [], error);
    }

    private int UnreadFrom(Person person) =>
        _view.UnreadIn(RoomNames.DirectConversation(Session.UserId ?? string.Empty, person.UserId));

    private async Task<string?> SwitchNamespaceAsync(string name)
    {
        // Wanted before the switch: the new namespace's welcome can reach the page before the switch returns, and must
        // find the tab wanting to be there (not back where it came from).
        var previous = _wanted;
        var place = Places.Of(name, RoomNames.General, Session.UserId);
        _wanted = place;
        string? error;
        // One switch at a time: a welcome of the namespace being left, still on its way, must not start another.
        _switching = true;
        try
        {
            error = await Session.SwitchNamespaceAsync(name);
        }
        finally
        {
            _switching = false;
        }
        if (error is not null)
        {
            _wanted = previous;
            return error;
        }
        Navigation.NavigateTo(Places.UrlOf(place));
        return null;
    }

    private async Task<string?> JoinRoomAsync(string room)
    {
        var (reply, error) = await Session.SendAsync(ChatEvents.JoinRoom, new JoinRoomRequest(room));
        if (reply is RoomMembership membership)
        {
            _view.SetJoined(membership.Joined);
            StateHasChanged();
        }
        return error;
    }

    private async Task<string?> LeaveRoomAsync(string room)
    {
        var (reply, error) = await Session.SendAsync(ChatEvents.LeaveRoom, new LeaveRoomRequest(room));
        if (reply is RoomMembership membership)
        {
            _view.SetJoined(membership.Joined);
            ShowPlaceInAddressBar(replace: true);
            StateHasChanged();
        }
        return error;
    }

    // ---- Private rooms: create, invite, remove, leave. The server checks each again. ----

    // The dialogs do their work through the page (CreatePrivateRoomAsync, InviteAsync) and show its refusals themselves.
    private Task NewPrivateRoomAsync() =>
        ShowDialogAsync<CreatePrivateRoomDialog>("New private room",
            new DialogParameters<CreatePrivateRoomDialog> { { d => d.OnCreate, CreatePrivateRoomAsync } });

    // The room is the one on screen now: the invite goes to it even if another is opened while the dialog is up.
    private Task InviteSomeoneAsync(PrivateRoomSummary room) =>
        ShowDialogAsync<InviteDialog>($"Invite to {room.Title}", new DialogParameters<InviteDialog>
        {
            { d => d.RoomTitle, room.Title },
            { d => d.Members, room.Members.Select(m => m.UserId).ToList() },
            { d => d.Search, SearchPeopleAsync },
            { d => d.OnInvite, userId => InviteAsync(room.Id, userId) },
        });

    private async Task<string?> CreatePrivateRoomAsync(string title)
    {
        var (reply, error) = await Session.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest(title));
        if (reply is PrivateRoomUpdated created)
        {
            _view.SetPrivateRoom(created.Room);
            await OpenRoom(created.Room.Id);
        }
        StateHasChanged();
        return error;
    }

    private Task<string?> InviteAsync(string room, string userId) =>
        UpdatePrivateRoomAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(room, userId));

    private Task<string?> RemoveMemberAsync(string userId) =>
        UpdatePrivateRoomAsync(ChatEvents.RemoveFromRoom, new RemoveFromRoomRequest(_view.Current, userId));

    private async Task<string?> UpdatePrivateRoomAsync(string eventName, ChatEvent request)
    {
        var (reply, error) = await Session.SendAsync(eventName, request);
        if (reply is PrivateRoomUpdated updated)
            _view.SetPrivateRoom(updated.Room);
        StateHasChanged();
        return error;
    }

    private async Task<string?> LeavePrivateRoomAsync()
    {
        var room = _view.Current;
        var (reply, error) = await Session.SendAsync(ChatEvents.LeaveRoom, new LeaveRoomRequest(room));
        if (reply is RoomMembership)
            _view.SetPrivateRooms([.. _view.PrivateRooms.Where(r => r.Id != room)]);
        StateHasChanged();
        return error;
    }

    // ---- Moderation: delete a message of the conversation on screen. The server checks again who may. ----

    /// <summary>How many of the latest messages on screen the delete dialog offers.</summary>
    public const int MaxDeletable = 50;

    // An admin (the account says so, now) anywhere; a private room's owner in their room.
    private bool _isAdmin;

    private bool MayDelete => _isAdmin || (_view.CurrentPrivateRoom is { } room && room.OwnerId == Session.UserId);

    private Task PickMessageToDeleteAsync()
    {
        var conversation = _view.CurrentConversation;
        var messages = conversation.Lines.Select(Conversation.MessageOf).OfType<ChatMessage>().Where(m => !m.Removed)
            .Reverse().Take(MaxDeletable).ToList();
        var key = conversation.Key;
        return ShowDialogAsync<DeleteMessageDialog>("Delete a message", new DialogParameters<DeleteMessageDialog>
        {
            { d => d.Messages, messages },
            { d => d.OnDelete, (id, reason) => DeleteMessageAsync(key, id, reason) },
        });
    }

    // Muting in a room: a private room's owner in their room, an admin in any private room (everywhere is the dashboard's).
    private bool MayMuteHere => _view.CurrentPrivateRoom is { } room && (_isAdmin || room.OwnerId == Session.UserId);

    private Task PickPersonToMuteAsync()
    {
        if (_view.CurrentPrivateRoom is not { } room)
            return Task.CompletedTask;
        var people = room.Members.Where(p => p.UserId != Session.UserId).OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
        return ShowDialogAsync<MuteMemberDialog>($"Mute someone in {room.Title}", new DialogParameters<MuteMemberDialog>
        {
            { d => d.Title, $"Mute someone in {room.Title}" },
            { d => d.People, people },
            { d => d.OnSubmit, (userId, minutes, reason) => MuteInRoomAsync(room.Id, userId, minutes, reason) },
        });
    }

    private async Task<string?> MuteInRoomAsync(string room, string userId, int? minutes, string? reason)
    {
        var (_, error) = minutes is { } m
            ? await Session.SendAsync(BlazorChat.Moderation.ModerationEvents.Mute, new BlazorChat.Moderation.MuteRequest(room, userId, m, reason))
            : await Session.SendAsync(BlazorChat.Moderation.ModerationEvents.Unmute, new BlazorChat.Moderation.UnmuteRequest(room, userId));
        return error;
    }

    private async Task<string?> DeleteMessageAsync(string conversation, Guid id, string? reason)
    {
        var (_, error) = await Session.SendAsync(BlazorChat.Moderation.ModerationEvents.DeleteMessage,
            new BlazorChat.Moderation.DeleteMessageRequest(conversation, id, reason));
        return error;
    }

    private async Task<string?> SendAsync(string? text)
    {
        if (ChatRules.ValidateMessage(text, out var normalized) is { } reason)
            return reason;
        var conversation = _view.CurrentConversation;
        // Sending again what was not sent (the database was unreachable, the server failed): the same message, so the
        // same id. The store may have taken it before the failure; under its id it is stored and shown once, never twice.
        // Kept until the server confirms it: Send pressed again meanwhile is the same message too.
        var id = _unsent is { } unsent && unsent.Conversation == conversation.Key && unsent.Text == normalized ? unsent.Id : Guid.NewGuid();
        _unsent = (conversation.Key, normalized, id);
        _view.Track(new OutgoingMessage(id, conversation.Key, normalized, DeliveryState.Sending));
        var error = await SendOutgoingAsync(id, conversation, normalized);
        if (error is not null)
        {
            _view.Forget(id);
            return error;
        }
        if (_unsent?.Id == id)
            _unsent = null;
        _typing.MessageSent();
        return null;
    }

    private async Task RetryAsync(Guid id)
    {
        if (!_view.Outgoing.TryGetValue(id, out var message) || _view.Find(message.Conversation) is not { } conversation)
            return;
        _view.Track(message with { State = DeliveryState.Sending });
        if (await SendOutgoingAsync(id, conversation, message.Text) is not null)
            _view.Track(message);
    }

    // The same id every time: receivers show a retried message once.
    private async Task<string?> SendOutgoingAsync(Guid id, Conversation conversation, string text)
    {
        var (reply, error) = conversation.With is { } person
            ? await Session.SendAsync(ChatEvents.SendDirect, new SendDirectRequest(id, person.UserId, text))
            : await Session.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(id, conversation.Key, text));
        // A delivery report may already have arrived: never turn "delivered" back into "sent".
        if (reply is MessageAccepted && _view.Outgoing.TryGetValue(id, out var mine) && mine.State == DeliveryState.Sending)
            _view.Track(mine with { State = DeliveryState.Sent });
        if (!Session.IsJoined)
            await RefreshIdentityAsync(); // the send found this person signed out, and the tab left the chat
        // Called from child components' handlers: they re-render themselves, the page must be told.
        StateHasChanged();
        return error;
    }

    public ValueTask DisposeAsync()
    {
        _dispatcher.Dispose();
        _subscription?.Dispose();
        Session.IsClientWritable = static () => true;
        _typing?.Dispose();
        _readMarks?.Dispose();
        return ValueTask.CompletedTask;
    }
}
