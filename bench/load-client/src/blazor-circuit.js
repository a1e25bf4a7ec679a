// A headless Blazor Server circuit: what blazor.web.js does for an interactive server page, minus the DOM.
//
// 1. GET the page with no cookie (a new person: Node's fetch has no cookie jar) and keep the cookies it
//    sets (BlazorChat's guest identity) for this circuit only; read the prerendered
//    `<!--Blazor:{...}-->` server component markers and the `<!--Blazor-Server-Component-State:...-->`.
// 2. Connect to /_blazor with the SignalR client and the MessagePack protocol named "blazorpack".
// 3. StartCircuit(baseUri, uri, "[]", state), then UpdateRootComponents with one "add" per marker.
// 4. Answer the server: every JS.BeginInvokeJS with EndInvokeJSFromDotNet (module imports get a fake
//    JS object reference, the rest null), every JS.RenderBatch with OnRenderCompleted(batchId, null).
// 5. Dispatch DOM events the way .NET 8+ does (ComponentHub has no DispatchBrowserEvent any more):
//    BeginInvokeDotNetFromJS(callId, null, "DispatchEventAsync", <renderer interop object id>,
//    '[{"eventHandlerId":..,"eventName":..,"eventFieldInfo":null}, <eventArgs>]'). The object id comes
//    from the server's call to `Blazor._internal.attachWebRendererInterop`.
//
// Protocol references: dotnet/aspnetcore src/Components/Web.JS (CircuitManager.ts,
// WebRendererInteropMethods.ts, OutOfProcessRenderBatch.ts) and src/Components/Server (ComponentHub.cs).

import * as signalR from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { WebSocket } from './websocket.js';
import { RenderBatchReader, EventHandlerTracker } from './render-batch.js';

const JSCallResultType = Object.freeze({ default: 0, jsObjectReference: 1, jsStreamReference: 2, jsVoidResult: 3 });

/** Parses the prerendered page: cookies aside, the server component markers and the persisted state. */
export function parsePrerenderedPage(html) {
  const markers = [];
  for (const m of html.matchAll(/<!--Blazor:(\{[\s\S]*?\})-->/g)) {
    const marker = JSON.parse(m[1]);
    if (marker.type === 'server' && marker.descriptor) markers.push(marker);
  }
  const state = /<!--Blazor-Server-Component-State:([\s\S]*?)-->/.exec(html)?.[1] ?? '';
  return { markers, state };
}

export class BlazorCircuit {
  /**
   * @param {string} baseUrl e.g. http://127.0.0.1:5000
   * @param {object} [options]
   * @param {string[]} [options.watchElementIds] element ids (or forms, "form.class") whose component's event handlers are tracked
   * @param {(batch: RenderBatchReader, receivedAt: number) => void} [options.onBatch]
   */
  constructor(baseUrl, options = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.tracker = new EventHandlerTracker(options.watchElementIds ?? []);
    this.onBatch = options.onBatch ?? null;
    this.connection = null;
    this.interopObjectId = null;
    this.nextCallId = 1;
    this.nextJsObjectId = 1;
    this.batches = 0;
    this.errors = [];
    this.failedDispatches = 0;
    this._pendingCalls = new Map();
    this._waiters = [];
  }

  async start(path = '/') {
    // Every circuit is a fresh browser: its GET carries no cookie, so the server makes it a new guest, and the
    // cookies it sets go to this circuit's hub connection only, never to another client (a shared guest cookie
    // would make clients one person, whose later tabs join under the name remembered for the first).
    const response = await fetch(this.baseUrl + path, { redirect: 'manual' });
    if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status}`);
    const cookie = response.headers.getSetCookie().map(c => c.split(';')[0]).join('; ');
    const { markers, state } = parsePrerenderedPage(await response.text());
    if (markers.length === 0) throw new Error(`GET ${path}: no server component marker in the page`);

    const protocol = new MessagePackHubProtocol();
    protocol.name = 'blazorpack';
    const connection = new signalR.HubConnectionBuilder()
      .withUrl(this.baseUrl + '/_blazor', {
        transport: signalR.HttpTransportType.WebSockets,
        WebSocket,
        headers: cookie ? { Cookie: cookie } : {},
      })
      .withHubProtocol(protocol)
      .configureLogging(signalR.LogLevel.None)
      .build();
    // An idle circuit must stay up for the whole scenario, however busy the machine gets.
    connection.serverTimeoutInMilliseconds = 10 * 60_000;
    this.connection = connection;

    connection.on('JS.BeginInvokeJS', (asyncHandle, identifier, argsJson, resultType, targetInstanceId) =>
      this._onBeginInvokeJS(asyncHandle, identifier, argsJson, resultType, targetInstanceId));
    connection.on('JS.EndInvokeDotNet', (callId, succeeded, result) => this._onEndInvokeDotNet(callId, succeeded, result));
    connection.on('JS.RenderBatch', (batchId, data) => this._onRenderBatch(batchId, data));
    connection.on('JS.Error', error => { this.errors.push(String(error)); this._wake(); });
    for (const ignored of ['JS.AttachComponent', 'JS.EndUpdateRootComponents', 'JS.EndLocationChanging', 'JS.SavePersistedState', 'JS.ReceiveByteArray']) {
      connection.on(ignored, () => {});
    }
    connection.onclose(error => { this.closed = true; if (error) this.errors.push(String(error)); this._wake(); });

    await connection.start();
    const secret = await connection.invoke('StartCircuit', this.baseUrl + '/', this.baseUrl + path, '[]', state);
    if (!secret) throw new Error('StartCircuit returned no circuit id');
    const operations = markers.map((marker, i) => ({ type: 'add', ssrComponentId: i + 1, marker }));
    await connection.send('UpdateRootComponents', JSON.stringify({ batchId: 1, operations }), state);
  }

  _onBeginInvokeJS(asyncHandle, identifier, argsJson, resultType) {
    if (identifier === 'Blazor._internal.attachWebRendererInterop') {
      const args = JSON.parse(argsJson);
      this.interopObjectId = args[1]?.__dotNetObject ?? null;
      this._wake();
    }
    if (!asyncHandle) return; // fire-and-forget call: no answer expected
    let result = null;
    if (identifier === 'import' || resultType === JSCallResultType.jsObjectReference) {
      result = { __jsObjectId: this.nextJsObjectId++ };
    } else if (identifier.endsWith('utcOffsetMinutes')) {
      result = 0; // the app asks the browser's UTC offset; UTC is as good as any for a load client
    }
    this.connection.send('EndInvokeJSFromDotNet', asyncHandle, true, JSON.stringify([asyncHandle, true, result])).catch(() => {});
  }

  _onEndInvokeDotNet(callId, succeeded, result) {
    const pending = this._pendingCalls.get(callId);
    this._pendingCalls.delete(callId);
    if (!succeeded) {
      this.failedDispatches++;
      this.errors.push(`DispatchEventAsync failed: ${String(result).slice(0, 300)}`);
    }
    pending?.(succeeded);
  }

  _onRenderBatch(batchId, data) {
    const receivedAt = performance.now();
    // What a browser does once a batch is in (apply it, then confirm it) waits until Node has taken in every batch that
    // arrived with this one, each with its receipt time. One process stands in for every member's browser here: done at
    // once, each member's parse and confirmation (a socket write) came before the next member's batch was even read, so
    // a message's last member waited for every other member's work, which in real browsers runs on their own machines.
    // Batches keep their order (immediates run in the order they were set), and each is still confirmed once applied.
    setImmediate(() => this._applyRenderBatch(batchId, data, receivedAt));
  }

  _applyRenderBatch(batchId, data, receivedAt) {
    this.batches++;
    try {
      const batch = new RenderBatchReader(data);
      this.tracker.apply(batch);
      this.onBatch?.(batch, receivedAt);
    } catch (err) {
      this.errors.push(`render batch ${batchId}: ${err.message}`);
    }
    // The browser confirms each batch after applying it; later app versions wait for this.
    this.connection.send('OnRenderCompleted', batchId, null).catch(() => {});
    this._wake();
  }

  _wake() {
    const waiters = this._waiters;
    this._waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when `predicate()` holds (checked after every batch, interop call or error), or rejects after `timeoutMs`. */
  waitFor(predicate, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; errors: ${this.errors.slice(-3).join(' | ')}`)), timeoutMs);
      const check = () => {
        if (this.errors.length > 0 && this.closed) {
          clearTimeout(timer);
          reject(new Error(`circuit closed while waiting for ${what}: ${this.errors.slice(-3).join(' | ')}`));
        } else if (predicate()) {
          clearTimeout(timer);
          resolve();
        } else {
          this._waiters.push(check);
        }
      };
      check();
    });
  }

  /** Sends a DOM event to the circuit. Does not wait for the server: the caller times what it needs. */
  dispatch(eventHandlerId, eventName, eventArgs) {
    if (this.interopObjectId === null) throw new Error('the renderer interop object is not known yet');
    if (!eventHandlerId) throw new Error(`no event handler for ${eventName}`);
    const callId = String(this.nextCallId++);
    const descriptor = { eventHandlerId, eventName, eventFieldInfo: null };
    return this.connection.send('BeginInvokeDotNetFromJS', callId, null, 'DispatchEventAsync', this.interopObjectId,
      JSON.stringify([descriptor, eventArgs]));
  }

  /** Types `value` into the element #elementId (its component's oninput handler). */
  input(elementId, value) {
    return this.dispatch(this.tracker.handlerFor(elementId, 'oninput'), 'input', { value });
  }

  /** Submits the form `watched` names (e.g. "form.composer"), as pressing its submit button does. */
  submit(watched) {
    return this.dispatch(this.tracker.handlerFor(watched, 'onsubmit'), 'submit', {});
  }

  async stop() {
    try {
      await this.connection?.stop();
    } catch {
      // already gone
    }
  }
}
