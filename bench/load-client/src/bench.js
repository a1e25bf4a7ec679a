#!/usr/bin/env node
// BlazorChat's load client: runs one scenario against one running server and prints JSON.
//
//   node src/bench.js --system blazorchat|socketio|signalr|counter --url http://127.0.0.1:PORT \
//     --scenario fanout|sustained|memory|soak|flood|smoke [options] [--out result.json]
//
// On a cluster, --sender-url puts the senders (fanout: the one sender; sustained: every sender) on another
// node than --url, where every other member connects: each delivery then crosses nodes.
//
// Every scenario is bounded: --deadline-s caps its wall time (it stops growing rooms or stepping
// rates when the deadline nears and reports what it reached), and every wait has a timeout.
// Servers are started and stopped by bench/run.sh, never by this tool.

import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createClient, systems } from './systems.js';
import { summarize } from './stats.js';

const { values: args } = parseArgs({
  options: {
    system: { type: 'string' },
    url: { type: 'string' },
    'sender-url': { type: 'string' },
    scenario: { type: 'string' },
    out: { type: 'string' },
    sizes: { type: 'string', default: '10,100,1000' },
    messages: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '10' },
    // sustained: 100, soak: 200 (see roomSize below).
    'room-size': { type: 'string' },
    senders: { type: 'string', default: '10' },
    'step-s': { type: 'string', default: '3' },
    'start-rate': { type: 'string', default: '1' },
    'max-rate': { type: 'string', default: '4096' },
    // sustained: bisection steps between the last passing and the first failing rate once doubling fails (0: none).
    refine: { type: 'string', default: '2' },
    'slo-ms': { type: 'string', default: '200' },
    // soak: every sender sends this many messages per second, for --duration-s seconds.
    'rate-per-sender': { type: 'string', default: '0.5' },
    'duration-s': { type: 'string', default: '300' },
    // soak: how often the server's RSS is sampled, and BlazorChat's transcript window (lines a circuit keeps), to
    // say when the windows are full; by default the app's own (ChatView.MaxLinesPerConversation in this tree).
    'rss-every-s': { type: 'string', default: '5' },
    'window-lines': { type: 'string' },
    clients: { type: 'string', default: '2000' },
    'warm-clients': { type: 'string', default: '20' },
    join: { type: 'string', default: 'true' },
    'server-pid': { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    'deadline-s': { type: 'string', default: '300' },
    'signalr-protocol': { type: 'string', default: 'json' },
    path: { type: 'string', default: '/counter' },
    // flood: how many messages the flooding client sends, as fast as it can (the normal senders use --senders,
    // --rate-per-sender and --duration-s, for each of the two phases).
    flood: { type: 'string', default: '1000' },
    // memory: keep the clients connected this long after measuring (to take a heap dump of the server meanwhile).
    'hold-s': { type: 'string', default: '0' },
  },
});

const system = args.system;
if (!systems.includes(system)) fail(`--system must be one of ${systems.join(', ')}`);
if (!args.url) fail('--url is required');
const started = performance.now();
const deadline = started + Number(args['deadline-s']) * 1000;
const secondsLeft = () => (deadline - performance.now()) / 1000;
const runTag = Math.random().toString(36).slice(2, 8);
const marker = `bmk${runTag}n`;
const markerPattern = new RegExp(`${marker}(\\d+)e`, 'g');
const roomSize = Number(args['room-size'] ?? (args.scenario === 'soak' ? 200 : args.scenario === 'flood' ? 50 : 100));
const log = (...m) => console.error(`[${system} ${((performance.now() - started) / 1000).toFixed(1)}s]`, ...m);

function fail(message) {
  console.error(message);
  process.exit(2);
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

// ---- clients and delivery tracking ---------------------------------------------------------------

const clients = [];
/** seq -> { t0, got: Uint8Array, latencies: Float64Array, remaining, lastAt, done } */
const inflight = new Map();
let nextSeq = 1;
/** soak only: { senders, last: Int32Array(recipient * senders + sender) of the highest seq received, outOfOrder } */
let order = null;

// Counted apart (soak): a message received again in a later batch or event (`resent`), and a message twice in the
// texts of one call (`twiceInOneBatch`). For socket.io and SignalR every event is one text, so a repeat is a
// duplicate event. For BlazorChat a later render batch that carries an <article> again is what re-rendering a
// transcript block sends (the browser replaces the old block's elements: no second line on screen), which the wire
// alone cannot tell from a second line; the same message twice in one batch would be two lines.
function onTexts(clientIndex, texts, receivedAt) {
  let seen = null;
  for (const text of texts) {
    for (const m of text.matchAll(markerPattern)) {
      const seq = Number(m[1]);
      const entry = inflight.get(seq);
      if (!entry || clientIndex >= entry.got.length) continue;
      if (seen?.has(seq)) {
        entry.twiceInOneBatch++;
        continue;
      }
      (seen ??= new Set()).add(seq);
      if (entry.got[clientIndex]) {
        entry.resent++;
        continue;
      }
      entry.got[clientIndex] = 1;
      entry.latencies[clientIndex] = receivedAt - entry.t0;
      entry.lastAt = receivedAt;
      // soak: each recipient must get each sender's messages in the order that sender sent them (a sender's
      // sequence numbers only grow). Only first receipts count here.
      if (order && entry.sender >= 0) {
        const k = clientIndex * order.senders + entry.sender;
        if (seq < order.last[k]) order.outOfOrder++;
        else order.last[k] = seq;
      }
      if (--entry.remaining === 0) entry.done?.();
    }
  }
}

async function addClients(target, { join }) {
  const concurrency = Number(args.concurrency);
  let next = clients.length;
  const failures = [];
  let connectedNow = clients.length;
  async function worker() {
    while (next < target && secondsLeft() > 5) {
      const index = next++;
      const client = createClient(system, urlOf(index), { marker, signalrProtocol: args['signalr-protocol'], path: args.path });
      client.onText = (texts, at) => onTexts(index, texts, at);
      try {
        await client.connect();
        if (join) await client.join(`bench-${runTag}-${index}`);
        clients[index] = client;
        if (++connectedNow % 250 === 0) log(`${connectedNow} clients up`);
      } catch (err) {
        failures.push(`client ${index}: ${err.message}`);
        await client.close().catch(() => {});
        if (failures.length > 5) next = target; // stop growing: the server is refusing
      }
    }
  }
  const before = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  // Keep the array dense: drop holes left by failed connections.
  for (let i = clients.length - 1; i >= 0; i--) if (!clients[i]) clients.splice(i, 1);
  log(`${clients.length} clients connected${join ? ' and joined' : ''} (${((performance.now() - before) / 1000).toFixed(1)} s)`);
  if (failures.length) log(`failures: ${failures.slice(0, 3).join(' | ')}`);
  return failures;
}

// The clients that send are the first ones (fanout: client 0; sustained: the first --senders); with --sender-url
// they connect there, every other client to --url.
function urlOf(index) {
  const senders = args.scenario === 'sustained' || args.scenario === 'soak' || args.scenario === 'flood' ? Number(args.senders) : 1;
  return args['sender-url'] && index < senders ? args['sender-url'] : args.url;
}

/** Sends one text from `sender`; `recipients` clients (indices 0..recipients-1) must each get it. */
function sendTracked(sender, recipients, senderIndex = -1) {
  const seq = nextSeq++;
  const entry = {
    t0: 0,
    sender: senderIndex,
    resent: 0,
    twiceInOneBatch: 0,
    got: new Uint8Array(recipients),
    latencies: new Float64Array(recipients).fill(Infinity),
    remaining: recipients,
    lastAt: 0,
    done: null,
  };
  entry.finished = new Promise(resolve => { entry.done = resolve; });
  inflight.set(seq, entry);
  entry.t0 = performance.now();
  sender.send(`bench message ${marker}${seq}e`);
  return { seq, entry };
}

async function awaitEntry(entry, timeoutMs) {
  let timer;
  await Promise.race([entry.finished, new Promise(r => { timer = setTimeout(r, timeoutMs); })]);
  clearTimeout(timer);
}

function clientErrors() {
  const all = clients.flatMap(c => c.errors ?? []);
  return { count: all.length, sample: [...new Set(all)].slice(0, 3) };
}

// ---- scenarios ----------------------------------------------------------------------------------

async function smoke() {
  await addClients(3, { join: true });
  const results = [];
  for (let i = 0; i < 5; i++) {
    const { seq, entry } = sendTracked(clients[i % clients.length], clients.length);
    await awaitEntry(entry, 10_000);
    results.push({ seq, lastMs: entry.remaining === 0 ? entry.lastAt - entry.t0 : null, latencies: [...entry.latencies] });
    inflight.delete(seq);
  }
  return { clients: clients.length, results, errors: clientErrors() };
}

async function fanout() {
  const sizes = args.sizes.split(',').map(Number);
  const messages = Number(args.messages);
  const warmup = Number(args.warmup);
  const rooms = [];
  for (const size of sizes) {
    if (secondsLeft() < 20) {
      rooms.push({ size, reached: clients.length, skipped: `deadline: ${Math.round(secondsLeft())} s left before this size` });
      break;
    }
    const growStart = performance.now();
    const failures = await addClients(size, { join: true });
    const growSeconds = (performance.now() - growStart) / 1000;
    if (clients.length < size) {
      rooms.push({ size, reached: clients.length, skipped: `only ${clients.length} of ${size} clients connected in time`, failures: failures.slice(0, 3) });
      break;
    }
    await sleep(1000); // let join notices drain
    // Server memory with this many idle joined clients, before any measured message (when --server-pid is given).
    const rssJoinedBytes = args['server-pid'] ? await settledRss(Number(args['server-pid']), 10) : null;
    const sender = clients[0];
    for (let i = 0; i < warmup; i++) {
      const { seq, entry } = sendTracked(sender, size);
      await awaitEntry(entry, 10_000);
      inflight.delete(seq);
    }
    const last = [];
    const all = [];
    let sent = 0;
    const measureStart = performance.now();
    const serverCpuStart = serverCpuMs();
    const clientCpuStart = process.cpuUsage();
    for (let i = 0; i < messages && secondsLeft() > 5; i++) {
      const { seq, entry } = sendTracked(sender, size);
      await awaitEntry(entry, 10_000);
      sent++;
      last.push(entry.remaining === 0 ? entry.lastAt - entry.t0 : Infinity);
      for (const v of entry.latencies) all.push(v);
      inflight.delete(seq);
      await sleep(5);
    }
    const clientCpu = process.cpuUsage(clientCpuStart);
    const serverCpu = serverCpuStart === null ? null : serverCpuMs() - serverCpuStart;
    const room = {
      size,
      messages: sent,
      // CPU per message while measuring: shows whether the server or this one-process client was the busy side.
      serverCpuMsPerMessage: serverCpu === null || !sent ? null : Math.round((serverCpu / sent) * 10) / 10,
      clientCpuMsPerMessage: sent ? Math.round(((clientCpu.user + clientCpu.system) / 1000 / sent) * 10) / 10 : null,
      joinSeconds: Math.round(growSeconds * 10) / 10,
      rssJoinedBytes,
      measureSeconds: Math.round((performance.now() - measureStart) / 100) / 10,
      lastMember: summarize(last),
      everyDelivery: summarize(all),
    };
    log(`room ${size}: last member p50 ${room.lastMember.p50} ms, p99 ${room.lastMember.p99} ms, lost ${room.lastMember.lost}/${sent}`);
    rooms.push(room);
  }
  return { rooms, errors: clientErrors() };
}

async function sustained() {
  const stepMs = Number(args['step-s']) * 1000;
  const slo = Number(args['slo-ms']);
  await addClients(roomSize, { join: true });
  if (clients.length < roomSize) return { roomSize, reached: clients.length, steps: [], best: null, errors: clientErrors() };
  await sleep(1000);
  const senders = clients.slice(0, Math.min(Number(args.senders), roomSize));
  // Warm up the path (JIT, first renders of the transcript).
  for (let i = 0; i < 10; i++) {
    const { seq, entry } = sendTracked(senders[i % senders.length], roomSize);
    await awaitEntry(entry, 10_000);
    inflight.delete(seq);
  }
  async function runStep(rate) {
    const interval = 1000 / rate;
    const total = Math.max(1, Math.round((rate * stepMs) / 1000));
    const entries = [];
    const begin = performance.now();
    let i = 0;
    while (i < total) {
      const now = performance.now();
      const due = begin + i * interval;
      if (now < due) {
        await sleep(Math.max(1, due - now));
        continue;
      }
      while (i < total && begin + i * interval <= performance.now()) {
        entries.push(sendTracked(senders[i % senders.length], roomSize));
        i++;
      }
      await sleep(0); // let receptions run between bursts
    }
    const sendSeconds = (performance.now() - begin) / 1000;
    // Drain: wait for the stragglers, bounded.
    const drainUntil = performance.now() + 5000;
    for (const { entry } of entries) {
      const left = drainUntil - performance.now();
      if (left <= 0) break;
      await awaitEntry(entry, left);
    }
    const latencies = new Float64Array(entries.length * roomSize);
    let k = 0;
    let delivered = 0;
    let firstT0 = Infinity;
    let lastAt = 0;
    for (const { seq, entry } of entries) {
      latencies.set(entry.latencies, k);
      k += roomSize;
      delivered += roomSize - entry.remaining;
      firstT0 = Math.min(firstT0, entry.t0);
      lastAt = Math.max(lastAt, entry.lastAt);
      inflight.delete(seq);
    }
    const s = summarize(latencies);
    const achieved = delivered / Math.max(sendSeconds, (lastAt - firstT0) / 1000);
    // The sender must also keep up: a step that took much longer to send than planned did not offer its rate.
    const ok = s.lost === 0 && s.p99 !== null && s.p99 < slo && sendSeconds < (stepMs / 1000) * 1.2;
    return { rate, messages: entries.length, offeredDeliveriesPerSec: rate * roomSize, achievedDeliveriesPerSec: Math.round(achieved), sendSeconds: Math.round(sendSeconds * 100) / 100, ...s, ok };
  }

  const steps = [];
  // One rate: passed (the step), failed (the step, not ok), or not run (null: no time left).
  async function tryRate(rate) {
    let step = null;
    // The machine is shared: a step fails only if it fails twice in a row (one retry after a pause).
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (secondsLeft() < stepMs / 1000 + 12) {
        steps.push({ rate, skipped: 'deadline' });
        return null;
      }
      step = { ...(await runStep(rate)), attempt };
      log(`rate ${rate}/s x ${roomSize}: p99 ${step.p99} ms, lost ${step.lost}, achieved ${step.achievedDeliveriesPerSec}/s ${step.ok ? 'OK' : 'FAIL'}${attempt > 1 ? ' (retry)' : ''}`);
      steps.push(step);
      await sleep(1000); // let the server settle between steps
      if (step.ok) break;
    }
    return step;
  }
  // The rate doubles until a step fails; then --refine bisection steps between the last rate that passed and the first
  // that failed. Doubling alone reports the capacity up to half below the truth (a server that keeps up with 380 msg/s
  // passes 256 and fails 512, and is read as 256); every system gets the same steps.
  let best = null;
  let failedAt = null;
  for (let rate = Number(args['start-rate']); rate <= Number(args['max-rate']); rate *= 2) {
    const step = await tryRate(rate);
    if (!step?.ok) {
      failedAt = step ? rate : null;
      break;
    }
    best = step;
  }
  for (let i = 0, lo = best?.rate, hi = failedAt; i < Number(args.refine) && best && hi && hi - lo > 1; i++) {
    const rate = Math.round((lo + hi) / 2);
    const step = await tryRate(rate);
    if (!step) break;
    if (step.ok) {
      [best, lo] = [step, rate];
    } else {
      failedAt = hi = rate;
    }
  }
  return { roomSize, senders: senders.length, sloMs: slo, stepSeconds: stepMs / 1000, steps, best, failedAt, errors: clientErrors() };
}

/** CPU time (user + system) the server process has used so far, in ms; null without --server-pid. */
function serverCpuMs() {
  const pid = Number(args['server-pid']);
  if (!pid) return null;
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms (USER_HZ = 100)
  } catch {
    return null;
  }
}

function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb * 1024;
}

async function settledRss(pid, maxSeconds) {
  // RSS after load settles: sample every second until two consecutive samples differ by < 0.5 %.
  let previous = rssBytes(pid);
  for (let i = 0; i < maxSeconds; i++) {
    await sleep(1000);
    const now = rssBytes(pid);
    if (Math.abs(now - previous) / previous < 0.005) return now;
    previous = now;
  }
  return previous;
}

async function memory() {
  const pid = Number(args['server-pid']);
  if (!pid) fail('--server-pid is required for the memory scenario');
  const join = args.join === 'true' && system !== 'counter';
  const warm = Number(args['warm-clients']);
  const target = Number(args.clients);
  await addClients(warm, { join });
  if (join && clients.length > 0) {
    const { seq, entry } = sendTracked(clients[0], clients.length); // exercise the send path once
    await awaitEntry(entry, 10_000);
    inflight.delete(seq);
  }
  const baseline = await settledRss(pid, 10);
  const growStart = performance.now();
  await addClients(warm + target, { join });
  const growSeconds = (performance.now() - growStart) / 1000;
  const added = clients.length - warm;
  const loaded = await settledRss(pid, 20);
  const hold = Number(args['hold-s']);
  if (hold > 0) {
    log(`holding ${clients.length} clients for ${hold} s`);
    await sleep(hold * 1000);
  }
  return {
    joined: join,
    warmClients: warm,
    targetClients: target,
    addedClients: added,
    connectSeconds: Math.round(growSeconds * 10) / 10,
    rssBaselineBytes: baseline,
    rssLoadedBytes: loaded,
    bytesPerClient: added > 0 ? Math.round((loaded - baseline) / added) : null,
    errors: clientErrors(),
  };
}

/** The transcript window this tree's app keeps (ChatView.MaxLinesPerConversation), read from its source. */
function appWindowLines() {
  const source = readFileSync(new URL('../../../BlazorChat/Session/ChatView.cs', import.meta.url), 'utf8');
  const found = /const int MaxLinesPerConversation = (\d+);/.exec(source);
  if (!found) fail('ChatView.MaxLinesPerConversation not found in BlazorChat/Session/ChatView.cs: pass --window-lines');
  return Number(found[1]);
}

// soak: a room of --room-size members, --senders of them each sending --rate-per-sender messages/s on a timer of
// its own for --duration-s seconds. What it shows is change over time: latency per minute (by send time), every
// delivery accounted for (lost, duplicated, out of order), and the server's RSS every --rss-every-s seconds from
// before the first member joined to the end, so memory can be read before joining, once joined, and as BlazorChat's
// transcript windows fill (each circuit keeps its last --window-lines lines; at the room's total rate they are full
// after window-lines / total rate seconds) and afterwards, when it should stay flat.
async function soak() {
  const pid = Number(args['server-pid']) || null;
  const senderCount = Math.min(Number(args.senders), roomSize);
  const ratePerSender = Number(args['rate-per-sender']);
  const plannedSeconds = Number(args['duration-s']);
  const windowLines = Number(args['window-lines'] ?? appWindowLines());
  if (!(ratePerSender > 0) || !(plannedSeconds > 0) || !(senderCount > 0)) fail('soak needs --senders, --rate-per-sender and --duration-s above 0');
  const drainMs = 10_000;

  // RSS sampling runs from before the first join to the end; each sample's time is made relative to the first
  // measured send at the end (negative while joining).
  const rssSamples = [];
  const sampleRss = () => {
    try {
      rssSamples.push({ at: performance.now(), rssBytes: rssBytes(pid) });
    } catch {
      // the server is gone: the samples stop, the load client's errors will say why
    }
  };
  let sampler = null;
  let rssBeforeJoinBytes = null;
  if (pid) {
    // A fresh server: RSS before anyone connects, once it stopped moving.
    rssBeforeJoinBytes = await settledRss(pid, 5);
    sampleRss();
    sampler = setInterval(sampleRss, Number(args['rss-every-s']) * 1000);
  }

  const joinStart = performance.now();
  const failures = await addClients(roomSize, { join: true });
  const joinSeconds = (performance.now() - joinStart) / 1000;
  const base = {
    roomSize,
    senders: senderCount,
    ratePerSender,
    plannedSeconds,
    windowLines,
    joinSeconds: Math.round(joinSeconds * 10) / 10,
    rssBeforeJoinBytes,
  };
  if (clients.length < roomSize) {
    clearInterval(sampler);
    return { ...base, reached: clients.length, skipped: `only ${clients.length} of ${roomSize} clients connected in time`, failures: failures.slice(0, 3), errors: clientErrors() };
  }
  await sleep(1000); // let join notices drain
  const rssJoinedBytes = pid ? await settledRss(pid, 10) : null;
  const senders = clients.slice(0, senderCount);
  // Warm up the path (JIT, first renders of the transcript) as the sustained scenario does; not measured.
  for (let i = 0; i < 10; i++) {
    const { seq, entry } = sendTracked(senders[i % senders.length], roomSize);
    await awaitEntry(entry, 10_000);
    inflight.delete(seq);
  }

  // The sending phase: as long as asked, but it must leave time for the drain and the result.
  const seconds = Math.max(0, Math.min(plannedSeconds, secondsLeft() - drainMs / 1000 - 15));
  if (seconds < Math.min(plannedSeconds, 20)) {
    clearInterval(sampler);
    return { ...base, rssJoinedBytes, skipped: `deadline: ${Math.round(secondsLeft())} s left after joining`, errors: clientErrors() };
  }
  if (seconds < plannedSeconds) log(`deadline: sending for ${Math.round(seconds)} s instead of ${plannedSeconds} s`);
  order = { senders: senderCount, last: new Int32Array(roomSize * senderCount), outOfOrder: 0 };
  const entries = [];
  const intervalMs = 1000 / ratePerSender;
  const perSender = Math.floor(seconds * ratePerSender);
  let lateSends = 0; // sent more than 100 ms after their due time: the load client was not keeping up
  let maxSendLagMs = 0;
  const serverCpuStart = serverCpuMs();
  const clientCpuStart = process.cpuUsage();
  const sendStart = performance.now();
  log(`${roomSize} joined in ${base.joinSeconds} s; sending ${senderCount} x ${ratePerSender}/s for ${Math.round(seconds)} s`);
  // Each sender on its own timer, on an absolute schedule (no drift), started 1/senders of an interval after the
  // previous one, so that the room's messages are spread evenly rather than sent in bursts of --senders.
  await Promise.all(senders.map(async (sender, s) => {
    for (let k = 0; k < perSender; k++) {
      const due = sendStart + (s / senderCount) * intervalMs + k * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const lag = performance.now() - due;
      if (lag > 100) lateSends++;
      if (lag > maxSendLagMs) maxSendLagMs = lag;
      entries.push(sendTracked(sender, roomSize, s));
    }
  }));
  const sendSeconds = (performance.now() - sendStart) / 1000;
  const clientCpu = process.cpuUsage(clientCpuStart);
  const serverCpu = serverCpuStart === null ? null : serverCpuMs() - serverCpuStart;
  // Drain: whatever has not arrived 10 s after the last send is lost.
  const drainUntil = performance.now() + drainMs;
  for (const { entry } of entries) {
    const left = drainUntil - performance.now();
    if (left <= 0) break;
    await awaitEntry(entry, left);
  }
  clearInterval(sampler);
  sampleRss();

  // Per minute by send time; a last partial minute (a shortened run) is reported with its length.
  const minutes = [];
  const all = new Float64Array(entries.length * roomSize);
  let k = 0;
  let delivered = 0;
  let resent = 0;
  let twiceInOneBatch = 0;
  for (const { seq, entry } of entries) {
    const m = Math.floor((entry.t0 - sendStart) / 60_000);
    (minutes[m] ??= { minute: m + 1, messages: 0, resent: 0, values: [] }).messages++;
    minutes[m].resent += entry.resent;
    for (const v of entry.latencies) minutes[m].values.push(v);
    all.set(entry.latencies, k);
    k += roomSize;
    delivered += roomSize - entry.remaining;
    resent += entry.resent;
    twiceInOneBatch += entry.twiceInOneBatch;
    inflight.delete(seq);
  }
  const rel = at => Math.round((at - sendStart) / 100) / 10;
  const samples = rssSamples.map(x => ({ t: rel(x.at), rssBytes: x.rssBytes }));
  const perMinute = minutes.filter(Boolean).map(x => {
    const from = (x.minute - 1) * 60;
    const to = Math.min(x.minute * 60, sendSeconds);
    const rss = samples.filter(r => r.t >= from && r.t < to).map(r => r.rssBytes);
    return {
      minute: x.minute,
      seconds: Math.round(to - from),
      messages: x.messages,
      resent: x.resent,
      ...summarize(x.values),
      rssMinBytes: rss.length ? Math.min(...rss) : null,
      rssMaxBytes: rss.length ? Math.max(...rss) : null,
    };
  });
  const overall = summarize(all);
  const totalRate = senderCount * ratePerSender;
  const result = {
    ...base,
    sendSeconds: Math.round(sendSeconds * 10) / 10,
    messages: entries.length,
    offeredDeliveriesPerSec: totalRate * roomSize,
    expectedDeliveries: entries.length * roomSize,
    delivered,
    lost: entries.length * roomSize - delivered,
    // See onTexts: duplicates on screen are twiceInOneBatch (every system) and resent (socket.io, SignalR only).
    resent,
    twiceInOneBatch,
    duplicates: system === 'blazorchat' ? twiceInOneBatch : resent + twiceInOneBatch,
    outOfOrder: order.outOfOrder,
    lateSends,
    maxSendLagMs: Math.round(maxSendLagMs),
    overall,
    perMinute,
    // BlazorChat's windows (join notices, warm-up and messages share them) are full by this time after the first send.
    windowFullAtS: Math.round(windowLines / totalRate),
    rssJoinedBytes,
    rssEveryS: Number(args['rss-every-s']),
    rssSamples: samples,
    serverCpuMsPerMessage: serverCpu === null || !entries.length ? null : Math.round((serverCpu / entries.length) * 10) / 10,
    clientCpuMsPerMessage: entries.length ? Math.round(((clientCpu.user + clientCpu.system) / 1000 / entries.length) * 10) / 10 : null,
    // Load client CPU over the sending phase, in % of one core: above ~80 % it may be the bottleneck.
    clientCpuPercent: Math.round(((clientCpu.user + clientCpu.system) / 1000 / (sendSeconds * 1000)) * 1000) / 10,
    errors: clientErrors(),
  };
  log(`soak ${roomSize} x ${totalRate}/s: ${entries.length} messages, p50 ${overall.p50} ms, p99 ${overall.p99} ms, lost ${result.lost}, duplicates ${result.duplicates} (received again later: ${resent}), out of order ${order.outOfOrder}`);
  for (const m of perMinute) log(`  minute ${m.minute}: p50 ${m.p50} ms, p99 ${m.p99} ms, max ${m.max} ms, received again ${m.resent}, RSS ${m.rssMinBytes == null ? 'n/a' : `${Math.round(m.rssMinBytes / 2 ** 20)}-${Math.round(m.rssMaxBytes / 2 ** 20)} MiB`}`);
  return result;
}

// Flood control (issue 13): a room of --room-size; --senders normal senders each send --rate-per-sender messages a
// second for --duration-s, twice: first alone (the baseline), then while one more member of the room (the flooder)
// sends --flood messages as fast as it can, starting 2 s into the phase. Measured: the normal senders' delivery latency
// to every member in each phase (p50, p99 and the ratio of the p99s), and how many of the flood's messages reached
// anyone (stored and delivered) or nobody (refused by the server's rate limit, or lost).
async function flood() {
  const senderCount = Math.min(Number(args.senders), roomSize - 1);
  const ratePerSender = Number(args['rate-per-sender']);
  const phaseSeconds = Number(args['duration-s']);
  const floodCount = Number(args.flood);
  if (!(senderCount > 0) || !(ratePerSender > 0) || !(phaseSeconds > 0) || !(floodCount > 0))
    fail('flood needs --senders, --rate-per-sender, --duration-s and --flood above 0');
  const drainMs = 10_000;
  const joinStart = performance.now();
  const failures = await addClients(roomSize, { join: true });
  const base = { roomSize, senders: senderCount, ratePerSender, phaseSeconds, flood: floodCount, joinSeconds: Math.round((performance.now() - joinStart) / 100) / 10 };
  if (clients.length < roomSize)
    return { ...base, reached: clients.length, skipped: `only ${clients.length} of ${roomSize} clients connected in time`, failures: failures.slice(0, 3), errors: clientErrors() };
  await sleep(1000); // let join notices drain
  const senders = clients.slice(0, senderCount);
  const flooder = clients[senderCount];
  // Warm up the path, not measured: few enough per sender to stay inside a rate limit's burst.
  for (let i = 0; i < 2 * senderCount; i++) {
    const { seq, entry } = sendTracked(senders[i % senderCount], roomSize);
    await awaitEntry(entry, 10_000);
    inflight.delete(seq);
  }

  // One phase of normal chat: each sender on an absolute schedule, spread evenly (as the soak does).
  async function phase(name, during) {
    if (secondsLeft() < phaseSeconds + drainMs / 1000 + 15) return { name, skipped: 'deadline' };
    const entries = [];
    const intervalMs = 1000 / ratePerSender;
    const perSender = Math.max(1, Math.floor(phaseSeconds * ratePerSender));
    const start = performance.now();
    const side = during?.(start);
    await Promise.all(senders.map(async (sender, s) => {
      for (let k = 0; k < perSender; k++) {
        const wait = start + (s / senderCount) * intervalMs + k * intervalMs - performance.now();
        if (wait > 0) await sleep(wait);
        entries.push(sendTracked(sender, roomSize, s));
      }
    }));
    const sideResult = await side;
    const drainUntil = performance.now() + drainMs;
    for (const { entry } of entries) {
      const left = drainUntil - performance.now();
      if (left <= 0) break;
      await awaitEntry(entry, left);
    }
    const all = new Float64Array(entries.length * roomSize);
    entries.forEach(({ entry }, i) => all.set(entry.latencies, i * roomSize));
    for (const { seq } of entries) inflight.delete(seq);
    const result = { name, messages: entries.length, ...summarize(all), ...(sideResult ?? {}) };
    log(`${name}: ${entries.length} messages, p50 ${result.p50} ms, p99 ${result.p99} ms, lost ${result.lost}`);
    return result;
  }

  const quiet = await phase('without flood');
  await sleep(2000);
  const flooded = await phase('with flood', async start => {
    await sleep(Math.max(0, start + 2000 - performance.now()));
    // As fast as it can: every message typed and submitted at once, none waiting for the one before.
    const floodEntries = [];
    const floodStart = performance.now();
    for (let i = 0; i < floodCount; i++) floodEntries.push(sendTracked(flooder, roomSize, -1));
    const submitMs = performance.now() - floodStart;
    // Its messages are judged once the normal senders' phase and drain are over (see below).
    return { floodSubmitMs: Math.round(submitMs), floodEntries };
  });
  const floodEntries = flooded.floodEntries ?? [];
  delete flooded.floodEntries;
  // A flood message counts as stored and delivered when any member other than the flooder received it (the rooms are
  // one room: a message the server took goes to every member); one nobody received was refused (or lost).
  let floodDelivered = 0;
  let floodDeliveries = 0;
  for (const { seq, entry } of floodEntries) {
    let others = 0;
    for (let c = 0; c < entry.got.length; c++) if (c !== senderCount && entry.got[c]) others++;
    if (others > 0) floodDelivered++;
    floodDeliveries += others;
    inflight.delete(seq);
  }
  const ratio = quiet.p99 > 0 && Number.isFinite(flooded.p99) ? Math.round((flooded.p99 / quiet.p99) * 100) / 100 : null;
  const result = {
    ...base,
    without: quiet,
    with: flooded,
    p99Ratio: ratio,
    floodSent: floodEntries.length,
    floodDelivered,
    floodRefusedOrLost: floodEntries.length - floodDelivered,
    floodDeliveries,
    errors: clientErrors(),
  };
  log(`flood: p99 ${quiet.p99} ms without, ${flooded.p99} ms with (x${ratio}); flood of ${floodEntries.length}: ${floodDelivered} stored and delivered, ${floodEntries.length - floodDelivered} refused (or lost)`);
  return result;
}

// ---- main ---------------------------------------------------------------------------------------

const scenarios = { smoke, fanout, sustained, memory, soak, flood };
const scenario = scenarios[args.scenario];
if (!scenario) fail(`--scenario must be one of ${Object.keys(scenarios).join(', ')}`);

const hardStop = setTimeout(() => {
  console.error(`hard deadline passed: exiting`);
  process.exit(3);
}, (Number(args['deadline-s']) + 60) * 1000);
hardStop.unref();

let result;
try {
  result = { system, scenario: args.scenario, ...(await scenario()) };
} catch (err) {
  result = { system, scenario: args.scenario, error: err.stack ?? String(err) };
}
result.wallSeconds = Math.round((performance.now() - started) / 100) / 10;
// The machine is shared: record how busy it was (1-minute load average) when the scenario ended.
result.loadAverage1m = Math.round(loadavg()[0] * 100) / 100;
const json = JSON.stringify(result, null, 2);
if (args.out) writeFileSync(args.out, json + '\n');
console.log(json);
// Closing thousands of connections gracefully takes long and measures nothing: just exit.
process.exit(result.error ? 1 : 0);
