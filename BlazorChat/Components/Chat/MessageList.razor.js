// Keeps the newest message in view, unless the reader has scrolled up to read older ones.
const nearBottom = 120;

export function followNewest(list, force) {
    const last = list.lastElementChild;
    const lastHeight = last ? last.offsetHeight : 0;
    const distance = list.scrollHeight - list.scrollTop - list.clientHeight;
    if (force || distance - lastHeight < nearBottom) {
        list.scrollTop = list.scrollHeight;
    }
}
