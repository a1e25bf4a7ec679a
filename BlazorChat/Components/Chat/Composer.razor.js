// Enter sends the message; Shift+Enter (and Enter while an IME is composing) inserts a new line.
export function attach(textarea) {
    textarea.addEventListener('keydown', event => {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            textarea.form?.requestSubmit();
        }
    });
}
