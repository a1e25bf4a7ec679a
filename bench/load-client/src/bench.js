#!/usr/bin/env node
// BlazorChat's load client: runs one scenario against one running server and prints JSON.
//
//   node src/bench.js --system blazorchat|socketio|signalr|counter --url http://127.0.0.1:PORT \
//     --scenario fanout|sustained|memory|smoke [options] [--out result.json]
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
    'room-size': { type: 'string', default: '100' },
    senders: { type: 'string', default: '10' },
    'step-s': { type: 'string', default: '3' },
    'start-rate': { type: 'string', default: '1' },
    'max-rate': { type: 'string', default: '4096' },
    'slo-ms': { type: 'string', default: '200' },
    clients: { type: 'string', default: '2000' },
    'warm-clients': { type: 'string', default: '20' },
    join: { type: 'string', default: 'true' },
    'server-pid': { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    'deadline-s': { type: 'string', default: '300' },
    'signalr-protocol': { type: 'string', default: 'json' },
    path: { type: 'string', default: '/counter' },
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

function onTexts(clientIndex, texts, receivedAt) {
  for (const text of texts) {
    for (const m of text.matchAll(markerPattern)) {
      const entry = inflight.get(Number(m[1]));
      if (!entry || clientIndex >= entry.got.length || entry.got[clientIndex]) continue;
      entry.got[clientIndex] = 1;
      entry.latencies[clientIndex] = receivedAt - entry.t0;
      entry.lastAt = receivedAt;
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
  const senders = args.scenario === 'sustained' ? Number(args.senders) : 1;
  return args['sender-url'] && index < senders ? args['sender-url'] : args.url;
}

/** Sends one text from `sender`; `recipients` clients (indices 0..recipients-1) must each get it. */
function sendTracked(sender, recipients) {
  const seq = nextSeq++;
  const entry = {
    t0: 0,
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
  const roomSize = Number(args['room-size']);
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
  let best = null;
  for (let rate = Number(args['start-rate']); rate <= Number(args['max-rate']); rate *= 2) {
    let step = null;
    // The machine is shared: a step fails only if it fails twice in a row (one retry after a pause).
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (secondsLeft() < stepMs / 1000 + 12) {
        steps.push({ rate, skipped: 'deadline' });
        step = null;
        break;
      }
      step = { ...(await runStep(rate)), attempt };
      log(`rate ${rate}/s x ${roomSize}: p99 ${step.p99} ms, lost ${step.lost}, achieved ${step.achievedDeliveriesPerSec}/s ${step.ok ? 'OK' : 'FAIL'}${attempt > 1 ? ' (retry)' : ''}`);
      steps.push(step);
      await sleep(1000); // let the server settle between steps
      if (step.ok) break;
    }
    if (!step?.ok) break;
    best = step;
  }
  return { roomSize, senders: senders.length, sloMs: slo, stepSeconds: stepMs / 1000, steps, best, errors: clientErrors() };
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

// ---- main ---------------------------------------------------------------------------------------

const scenarios = { smoke, fanout, sustained, memory };
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
