// Enter sends the message; Shift+Enter (and Enter while an IME is composing) inserts a new line.
// After a submit, the browser clears the box itself: words typed next belong to the next message, and the
// server never has to overwrite a box someone is typing in (its render could land after their keystrokes).
// attach() puts the cursor in the box, and returns a handle whose detach() removes the listeners when the composer goes away.
export function attach(id) {
    const textarea = document.getElementById(id);
    if (!textarea) {
        return { detach() {} };
    }
    const onKeyDown = event => {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            textarea.form?.requestSubmit();
        }
    };
    // Registered on the document after blazor.web.js's own listeners, so it runs once Blazor has taken the
    // submit, in the same dispatch: nothing typed can come between the submit and the clear.
    const onSubmit = event => {
        if (!textarea.isConnected || event.target !== textarea.form) {
            return;
        }
        textarea.value = '';
        textarea.dispatchEvent(new Event('input', { bubbles: true }));
    };
    // The form never submits natively (a reload would lose the page): Blazor handles the submit, and while the circuit
    // is away (a restart, a dead network) the message stays in the box instead.
    const form = textarea.form;
    const preventNative = event => event.preventDefault();
    form?.addEventListener('submit', preventNative);
    textarea.addEventListener('keydown', onKeyDown);
    document.addEventListener('submit', onSubmit);
    // The box grows with its text by CSS (app.css: field-sizing, max-height); a browser without field-sizing gets the
    // same from here: as tall as its text, up to the CSS max-height, then it scrolls.
    const fits = CSS.supports?.('field-sizing', 'content');
    const grow = () => {
        textarea.style.height = 'auto';
        textarea.style.height = `${textarea.scrollHeight}px`;
    };
    if (!fits) {
        textarea.addEventListener('input', grow);
        grow();
    }
    textarea.focus();
    return {
        detach() {
            if (!fits) {
                textarea.removeEventListener('input', grow);
            }
            textarea.removeEventListener('keydown', onKeyDown);
            document.removeEventListener('submit', onSubmit);
            form?.removeEventListener('submit', preventNative);
        },
    };
}
