// Keeps the newest message in view, unless the reader has scrolled up to read older ones. It runs in the browser
// on its own (a MutationObserver sees each new line), so a new message costs no extra round trip to the server:
// with a thousand people in a room, that is a thousand interop calls fewer per message.
// A person back after a while sees where they left off: when a "N new since you left" line appears, it is brought to
// the top of the list (the missed messages below it), and the list follows the newest again once they scroll down.
const nearBottom = 120;

export function follow(list) {
    let stick = true;
    let shownMarker = null;
    const toBottom = () => { list.scrollTop = list.scrollHeight; };
    const atBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < nearBottom;
    // Decided before new lines arrive: adding content does not scroll, so this is where the reader left it.
    const onScroll = () => { stick = atBottom(); };
    const toMarker = () => {
        const marker = list.querySelector('.new-since');
        if (!marker || marker === shownMarker)
            return false;
        shownMarker = marker;
        list.scrollTop += marker.getBoundingClientRect().top - list.getBoundingClientRect().top - 8;
        stick = atBottom();
        return true;
    };
    const observer = new MutationObserver(() => { if (!toMarker() && stick) toBottom(); });
    observer.observe(list, { childList: true, subtree: true, characterData: true });
    list.addEventListener('scroll', onScroll, { passive: true });
    if (!toMarker())
        toBottom();
    return {
        // Another conversation is shown: start where its missed messages start, or at its newest message.
        toBottom() { stick = true; if (!toMarker()) toBottom(); },
        dispose() { observer.disconnect(); list.removeEventListener('scroll', onScroll); },
    };
}
