namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// Sends many messages through a person's own composer, from inside their page: the textarea gets the text
/// (an input event, as typing gives) and its form is submitted (as Enter does). Much faster than driving each
/// keystroke from the test, so a test can send a burst; still the real UI path, circuit and server.
/// </summary>
public static class ComposerBurst
{
    /// <summary>
    /// Sends <paramref name="texts"/> in order, each once the one before shows as sent (stored by the server), so they
    /// are stored in this order. (The box clearing says nothing: the browser clears it as soon as a message is taken.)
    /// </summary>
    public static async Task SendEachAsync(ChatUser user, IReadOnlyList<string> texts)
    {
        await RecordSentAsync(user);
        await user.MessageBox.EvaluateAsync("""
            async (box, texts) => {
              for (const text of texts) {
                box.value = text;
                box.dispatchEvent(new Event('input', { bubbles: true }));
                box.form.requestSubmit();
                const deadline = Date.now() + 15000;
                while (!window.__sent.has(text)) {
                  if (Date.now() > deadline)
                    throw new Error(`"${text}" was not sent: ${document.querySelector('[role=alert]')?.textContent ?? 'no reason shown'}`);
                  await new Promise(resolve => setTimeout(resolve, 5));
                }
              }
            }
            """, texts);
    }

    /// <summary>
    /// Starts sending <paramref name="texts"/> without waiting for each: up to <paramref name="inFlight"/> at a time are
    /// submitted and not yet shown as sent (needs <see cref="RecordSentAsync"/> first), so the server always has several
    /// to store at once, and the page keeps up with what the server does. Returns at once.
    /// </summary>
    public static Task StartAsync(ChatUser user, IReadOnlyList<string> texts, int inFlight) =>
        user.MessageBox.EvaluateAsync("""
            (box, [texts, inFlight]) => {
              const burst = window.__burst = { submitted: 0, stop: false, done: false };
              const pause = () => new Promise(resolve => setTimeout(resolve, 1));
              (async () => {
                for (const text of texts) {
                  // A refused send never shows as sent: wait a little for the window, never for ever.
                  const deadline = Date.now() + 500;
                  while (!burst.stop && burst.submitted - window.__sent.size >= inFlight && Date.now() < deadline)
                    await pause();
                  if (burst.stop) break;
                  box.value = text;
                  box.dispatchEvent(new Event('input', { bubbles: true }));
                  box.form.requestSubmit();
                  burst.submitted++;
                  await pause();
                }
                burst.done = true;
              })();
            }
            """, new object[] { texts, inFlight });

    /// <summary>Stops a burst; returns how many messages it had submitted and whether it had finished by itself.</summary>
    public static async Task<(int Submitted, bool Finished)> StopAsync(ChatUser user)
    {
        var result = await user.Page.EvaluateAsync<int[]>(
            "() => { window.__burst.stop = true; return [window.__burst.submitted, window.__burst.done ? 1 : 0]; }");
        return (result[0], result[1] == 1);
    }

    /// <summary>
    /// From now on, notes every own message of <paramref name="user"/> whose delivery line leaves "Sending…"
    /// (Sent, Delivered or Not delivered: each means the server stored it). Kept in the page, so it survives
    /// the message later leaving the bounded window; a reload ends it. Calling it again in the same page does nothing.
    /// </summary>
    public static Task RecordSentAsync(ChatUser user) =>
        user.Messages.EvaluateAsync("""
            (log, prefix) => {
              if (window.__sent) return; // already recording in this page
              const sent = window.__sent = new Set();
              const check = article => {
                const state = article.querySelector('footer')?.textContent.trim();
                if (state !== 'Sent' && state !== 'Delivered' && !state?.startsWith('Not delivered')) return;
                const label = article.getAttribute('aria-label');
                if (label.startsWith(prefix)) sent.add(label.slice(prefix.length));
              };
              // Only what changed: the log may hold hundreds of messages.
              new MutationObserver(records => {
                for (const record of records) {
                  const changed = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
                  const article = changed?.closest('article');
                  if (article) check(article);
                  for (const node of record.addedNodes) {
                    if (node.nodeType !== Node.ELEMENT_NODE) continue;
                    if (node.matches('article')) check(node);
                    else node.querySelectorAll('article').forEach(check);
                  }
                }
              }).observe(log, { subtree: true, childList: true, characterData: true });
              log.querySelectorAll('article').forEach(check);
            }
            """, $"{user.Name}: ");

    /// <summary>
    /// Waits until the page has shown <paramref name="count"/> of the user's own messages as sent. The page checks every
    /// few milliseconds, so what the test does next (a kill, say) follows the screen closely.
    /// </summary>
    public static Task WaitForSentAsync(ChatUser user, int count) =>
        user.Page.WaitForFunctionAsync("n => window.__sent.size >= n", count, new() { PollingInterval = 5, Timeout = 60_000 });

    /// <summary>The texts recorded as sent so far.</summary>
    public static async Task<IReadOnlyList<string>> SentAsync(ChatUser user) =>
        await user.Page.EvaluateAsync<string[]>("() => [...window.__sent]");
}
