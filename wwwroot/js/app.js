// Small page helpers that blazor.web.js does not provide. Kept out of inline attributes so a strict
// content security policy applies (no inline script).
(() => {
    const year = 60 * 60 * 24 * 365;
    const setCookie = (name, value) => { document.cookie = `${name}=${value}; path=/; max-age=${year}; samesite=lax`; };
    // The browser's colour preference, for the server's first render of the next page (see ThemeState).
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const rememberSystem = () => setCookie('bc-system-dark', dark.matches ? '1' : '0');
    rememberSystem();
    dark.addEventListener('change', rememberSystem);

    window.blazorChat = {
        utcOffsetMinutes: () => -new Date().getTimezoneOffset(),
        // A person's own theme choice: light, dark or system.
        saveTheme: choice => setCookie('bc-theme', choice),
    };

    document.addEventListener('click', event => {
        const action = event.target instanceof Element ? event.target.closest('[data-reconnect]')?.dataset.reconnect : null;
        if (action === 'retry') {
            Blazor.reconnect().then(ok => { if (!ok) location.reload(); });
        } else if (action === 'reload') {
            location.reload();
        }
    });
})();
