// Keeps the newest message in view, unless the reader has scrolled up to read older ones. It runs in the browser
// on its own (a MutationObserver sees each new line), so a new message costs no extra round trip to the server:
// with a thousand people in a room, that is a thousand interop calls fewer per message.
const nearBottom = 120;

export function follow(list) {
    let stick = true;
    const toBottom = () => { list.scrollTop = list.scrollHeight; };
    // Decided before new lines arrive: adding content does not scroll, so this is where the reader left it.
    const onScroll = () => { stick = list.scrollHeight - list.scrollTop - list.clientHeight < nearBottom; };
    const observer = new MutationObserver(() => { if (stick) toBottom(); });
    observer.observe(list, { childList: true, subtree: true, characterData: true });
    list.addEventListener('scroll', onScroll, { passive: true });
    toBottom();
    return {
        // Another conversation is shown: start at its newest message.
        toBottom() { stick = true; toBottom(); },
        dispose() { observer.disconnect(); list.removeEventListener('scroll', onScroll); },
    };
}
