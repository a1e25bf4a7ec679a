// Enter sends the message; Shift+Enter (and Enter while an IME is composing) inserts a new line.
// After a submit, the browser clears the box itself: words typed next belong to the next message, and the
// server never has to overwrite a box someone is typing in (its render could land after their keystrokes).
export function attach(textarea) {
    textarea.addEventListener('keydown', event => {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            textarea.form?.requestSubmit();
        }
    });
    // After Blazor has taken the submit (it listens on the document, later in the same dispatch).
    textarea.form?.addEventListener('submit', () => setTimeout(() => {
        textarea.value = '';
        textarea.dispatchEvent(new Event('input', { bubbles: true }));
    }, 0));
}
