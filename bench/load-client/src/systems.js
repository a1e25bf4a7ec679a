// One client shape for every system under test: connect, join (a no-op where connecting is joining),
// send a text to the room, close; and `onText(texts, receivedAt)` whenever texts arrive.
//
// - blazorchat: a headless circuit driving BlazorChat's UI contract (#display-name in form.join-form,
//   #message-input in form.composer; messages render as <article>). Each client is a new person.
// - counter: a headless circuit on the bare template's page; it only connects (memory baseline).
// - socketio: socket.io-client against the socket.io chat example ("chat message" events).
// - signalr: @microsoft/signalr against a hub that broadcasts "message" to a group.

import * as signalR from '@microsoft/signalr';
import { WebSocket } from './websocket.js';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { io } from 'socket.io-client';
import { BlazorCircuit } from './blazor-circuit.js';
import { articleTexts } from './render-batch.js';

export const systems = ['blazorchat', 'socketio', 'signalr', 'counter'];

/**
 * @param {string} system
 * @param {string} url base URL of the server
 * @param {{ marker: string, signalrProtocol?: 'json'|'msgpack', joinTimeoutMs?: number, path?: string }} options
 *   marker: a prefix every measured text carries; only batches containing it are parsed for texts.
 *   path: the page a counter client opens (default /counter, the template's interactive counter).
 */
export function createClient(system, url, options) {
  switch (system) {
    case 'blazorchat': return new BlazorChatClient(url, options);
    case 'counter': return new CounterClient(url, options);
    case 'socketio': return new SocketIoClient(url);
    case 'signalr': return new SignalRClient(url, options);
    default: throw new Error(`unknown system ${system}`);
  }
}

class BlazorChatClient {
  constructor(url, { marker, joinTimeoutMs = 60_000 }) {
    this.markerBytes = Buffer.from(marker, 'utf8');
    this.joinTimeoutMs = joinTimeoutMs;
    this.onText = null;
    this.joined = false;
    this.circuit = new BlazorCircuit(url, {
      watchElementIds: ['display-name', 'form.join-form', 'message-input', 'form.composer'],
      onBatch: (batch, receivedAt) => {
        if (!this.onText) return;
        // Cheap test first: most batches (joins, acks of our own typing) carry no measured text.
        const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
        if (bytes.indexOf(this.markerBytes) < 0) return;
        const texts = articleTexts(batch);
        if (texts.length > 0) this.onText(texts, receivedAt);
      },
    });
  }

  get errors() { return this.circuit.errors; }

  // The field and its form may be different components (a library's text field renders the <input>).
  joinFormShown() {
    const t = this.circuit.tracker;
    return Boolean(t.handlerFor('display-name', 'oninput') && t.handlerFor('form.join-form', 'onsubmit'));
  }

  composerShown() {
    const t = this.circuit.tracker;
    return Boolean(t.handlerFor('message-input', 'oninput') && t.handlerFor('form.composer', 'onsubmit'));
  }

  async connect() {
    await this.circuit.start('/');
    // A person the app already knows (a name remembered for their session) is joined by the circuit itself:
    // its page shows the composer, not the join form. A fresh client never is, but either page is a start.
    await this.circuit.waitFor(() => this.circuit.interopObjectId !== null && (this.joinFormShown() || this.composerShown()),
      this.joinTimeoutMs, 'the join form (or the composer, for a person who joins by themselves)');
    this.joined = !this.joinFormShown();
  }

  async join(name) {
    if (this.joined) return; // joined by the app under the remembered name
    await this.circuit.input('display-name', name);
    await this.circuit.submit('form.join-form');
    await this.circuit.waitFor(() => this.composerShown(), this.joinTimeoutMs, `the composer after joining as ${name}`);
    this.joined = true;
  }

  send(text) {
    // What a person does: type (oninput updates the bound value), then submit the form.
    this.circuit.input('message-input', text).catch(() => {});
    this.circuit.submit('form.composer').catch(() => {});
  }

  close() { return this.circuit.stop(); }
}

class CounterClient {
  constructor(url, { path = '/counter' } = {}) {
    this.path = path;
    this.onText = null;
    this.circuit = new BlazorCircuit(url);
  }

  get errors() { return this.circuit.errors; }

  async connect() {
    await this.circuit.start(this.path);
    await this.circuit.waitFor(() => this.circuit.interopObjectId !== null && this.circuit.batches > 0, 60_000, 'the first render');
  }

  async join() {}

  send() { throw new Error('the counter app has no chat'); }

  close() { return this.circuit.stop(); }
}

class SocketIoClient {
  constructor(url) {
    this.url = url;
    this.onText = null;
    this.errors = [];
  }

  connect() {
    return new Promise((resolve, reject) => {
      this.socket = io(this.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
      this.socket.on('chat message', text => this.onText?.([text], performance.now()));
      this.socket.once('connect', resolve);
      this.socket.once('connect_error', err => { this.errors.push(String(err)); reject(err); });
      this.socket.on('disconnect', reason => { if (reason !== 'io client disconnect') this.errors.push(`disconnect: ${reason}`); });
    });
  }

  async join() {} // the chat example puts every connection in the room

  send(text) { this.socket.emit('chat message', text); }

  async close() { this.socket?.disconnect(); }
}

class SignalRClient {
  constructor(url, { signalrProtocol = 'json' } = {}) {
    this.onText = null;
    this.errors = [];
    const builder = new signalR.HubConnectionBuilder()
      .withUrl(url.replace(/\/$/, '') + '/chat', { transport: signalR.HttpTransportType.WebSockets, WebSocket })
      .configureLogging(signalR.LogLevel.None);
    if (signalrProtocol === 'msgpack') builder.withHubProtocol(new MessagePackHubProtocol());
    this.connection = builder.build();
    this.connection.serverTimeoutInMilliseconds = 10 * 60_000;
    this.connection.on('message', text => this.onText?.([text], performance.now()));
    this.connection.onclose(err => { if (err) this.errors.push(String(err)); });
  }

  connect() { return this.connection.start(); }

  async join() {} // the hub adds every connection to the group when it connects

  send(text) { this.connection.send('Send', text).catch(err => this.errors.push(String(err))); }

  close() { return this.connection.stop(); }
}
