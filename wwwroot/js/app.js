// Small page helpers that blazor.web.js does not provide. Kept out of inline attributes so a strict
// content security policy applies (no inline script).
(() => {
    const year = 60 * 60 * 24 * 365;
    const setCookie = (name, value) => { document.cookie = `${name}=${value}; path=/; max-age=${year}; samesite=lax`; };
    window.blazorChat = {
        utcOffsetMinutes: () => -new Date().getTimezoneOffset(),
        // A person's own theme choice: light, dark or system.
        saveTheme: choice => setCookie('bc-theme', choice),
        // The name this browser joined under (ChatPage.NameCookie): a reload on another node of a cluster, after the
        // tab's own node died, joins under it without asking. Forgotten on "Change name".
        rememberName: name => setCookie('bc-name', encodeURIComponent(name)),
        forgetName: () => { document.cookie = 'bc-name=; path=/; max-age=0; samesite=lax'; },
        // The tab's title once the page is interactive (DocumentTitle.razor); the prerendered page has it in <title>.
        setTitle: text => { document.title = text; },
    };

    // .NET 10's reconnection UI (ReconnectBanner.razor): Retry reconnects, and when the server no longer has this tab's
    // circuit it resumes it from its persisted state in a new circuit (Blazor.resumeCircuit), without a reload; only if
    // that fails does the banner say the session ended.
    const banner = () => document.getElementById('components-reconnect-modal');
    const resume = async () => {
        const element = banner();
        element?.classList.add('resuming');
        let resumed = false;
        try {
            resumed = await Blazor.resumeCircuit();
        } catch {
            resumed = false;
        }
        element?.classList.remove('resuming');
        if (resumed) {
            element?.classList.remove('components-reconnect-rejected', 'components-reconnect-failed', 'components-reconnect-show');
        }
        return resumed;
    };
    const retry = async () => {
        try {
            if (!await Blazor.reconnect() && !await resume()) {
                banner()?.classList.add('components-reconnect-rejected');
            }
        } catch {
            // The server is not reachable yet: the banner keeps offering Retry.
        }
    };

    // The circuit keeps trying to reconnect for as long as the page is open (every second at first, then every 3 and
    // 10 seconds; at once when the tab becomes visible again), never giving up into a state that needs a click: after
    // a long time away the server no longer has the circuit, and blazor.web.js then resumes it from its persisted state
    // by itself (same place, same draft, no reload). Started here because autostart is off (App.razor).
    const reconnectionOptions = {
        maxRetries: Number.MAX_SAFE_INTEGER,
        retryIntervalMilliseconds: attempt => attempt < 10 ? 1000 : attempt < 30 ? 3000 : 10000,
    };
    document.addEventListener('DOMContentLoaded', () => {
        // The server answered and no longer has this tab's circuit, nor its persisted state to resume it from: its node
        // was restarted, or (on a cluster) died and the front door now sends the tab to another node, which never had
        // the circuit. Reload, as blazor.web.js's own reconnection UI does: the page comes from a live node, the person
        // rejoins under their remembered name (bc-name) and the chat fetches what was said meanwhile from the store.
        // (Only a rejection reloads: while no server answers, the banner keeps retrying, and a reload would show an
        // error page.) The banner's Reload button stays for a reload that fails.
        banner()?.addEventListener('components-reconnect-state-changed', event => {
            if (event.detail?.state === 'rejected') {
                location.reload();
            }
        });
        Blazor.start({ circuit: { reconnectionOptions } });
    });

    document.addEventListener('click', event => {
        const action = event.target instanceof Element ? event.target.closest('[data-reconnect]')?.dataset.reconnect : null;
        if (action === 'retry') {
            retry();
        } else if (action === 'reload') {
            location.reload();
        }
    });
})();
