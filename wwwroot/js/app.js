// Small page helpers that blazor.web.js does not provide. Kept out of inline attributes so a strict
// content security policy can apply later.
window.blazorChat = {
    utcOffsetMinutes: () => -new Date().getTimezoneOffset(),
};

document.addEventListener('click', event => {
    const action = event.target instanceof Element ? event.target.closest('[data-reconnect]')?.dataset.reconnect : null;
    if (action === 'retry') {
        Blazor.reconnect().then(ok => { if (!ok) location.reload(); });
    } else if (action === 'reload') {
        location.reload();
    }
});
