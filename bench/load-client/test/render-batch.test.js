// The render-batch reader against a batch built here byte by byte in the layout .NET's RenderBatchWriter
// uses (see src/render-batch.js), so a change of the reader that breaks the layout fails here, not in a
// 20-minute benchmark run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RenderBatchReader, EventHandlerTracker, articleTexts, EditType, FrameType } from '../src/render-batch.js';
import { BlazorCircuit } from '../src/blazor-circuit.js';

/** Builds a batch: diffs [{ componentId, edits: [[type, siblingIndex, newTreeIndex]] }], frames [[type, a, b, handlerId]]. */
function buildBatch({ diffs, frames, strings }) {
  const bytes = [];
  const int32 = v => { const b = Buffer.alloc(4); b.writeInt32LE(v); bytes.push(...b); };
  const uint64 = v => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); bytes.push(...b); };
  const diffPositions = diffs.map(d => {
    const at = bytes.length;
    int32(d.componentId);
    int32(d.edits.length);
    for (const [type, sibling, newTree] of d.edits) { int32(type); int32(sibling); int32(newTree); int32(-1); }
    return at;
  });
  const updatedAt = bytes.length;
  int32(diffs.length);
  diffPositions.forEach(int32);
  const framesAt = bytes.length;
  int32(frames.length);
  for (const [type, a = 0, b = 0, handler = 0] of frames) { int32(type); int32(a); int32(b); uint64(handler); }
  const disposedComponentsAt = bytes.length;
  int32(0);
  const disposedHandlersAt = bytes.length;
  int32(0);
  const stringPositions = strings.map(s => {
    const at = bytes.length;
    const utf8 = Buffer.from(s, 'utf8');
    let n = utf8.length;
    do { bytes.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0)); n >>= 7; } while (n > 0);
    bytes.push(...utf8);
    return at;
  });
  const stringTableAt = bytes.length;
  stringPositions.forEach(int32);
  [updatedAt, framesAt, disposedComponentsAt, disposedHandlersAt, stringTableAt].forEach(int32);
  return new Uint8Array(bytes);
}

const strings = ['form', 'onsubmit', 'input', 'id', 'display-name', 'oninput', 'article', 'hello bmkabcn7e', 'textarea', 'value', 'draft bmkabcn8e',
  'class', 'join-form', 'composer other', 'div'];
const S = Object.fromEntries(strings.map((s, i) => [s, i]));

test('the tracker finds the handlers of the component that renders #display-name, and follows a SetAttribute', () => {
  const first = buildBatch({
    strings,
    frames: [
      [FrameType.element, 5, S.form], // 0: <form> subtree of 5 frames
      [FrameType.attribute, S.onsubmit, -1, 11], // 1
      [FrameType.element, 3, S.input], // 2: <input> subtree of 3
      [FrameType.attribute, S.id, S['display-name'], 0], // 3
      [FrameType.attribute, S.oninput, -1, 12], // 4
    ],
    diffs: [{ componentId: 5, edits: [[EditType.prependFrame, 0, 0]] }],
  });
  const tracker = new EventHandlerTracker(['display-name']);
  tracker.apply(new RenderBatchReader(first));
  assert.equal(tracker.handlerFor('display-name', 'onsubmit'), 11);
  assert.equal(tracker.handlerFor('display-name', 'oninput'), 12);

  // A re-render gives the @bind handler a new id through a SetAttribute edit.
  const second = buildBatch({
    strings,
    frames: [[FrameType.attribute, S.oninput, -1, 2 ** 32 + 13]],
    diffs: [{ componentId: 5, edits: [[EditType.stepIn, 0, 0], [EditType.setAttribute, 1, 0], [EditType.stepOut, 0, 0]] }],
  });
  tracker.apply(new RenderBatchReader(second));
  assert.equal(tracker.handlerFor('display-name', 'oninput'), 2 ** 32 + 13);
  assert.equal(tracker.handlerFor('message-input', 'oninput'), undefined);
});

test('the tracker finds a form by its class when the field inside it is another component\'s element', () => {
  // A component library's text field: the form (onsubmit) is component 7's, the <input> (id, oninput) component 8's.
  const batch = buildBatch({
    strings,
    frames: [
      [FrameType.element, 4, S.form], // 0: <form class="join-form"> of component 7
      [FrameType.attribute, S.class, S['join-form'], 0], // 1
      [FrameType.attribute, S.onsubmit, -1, 21], // 2
      [FrameType.component, 1, 0, 0], // 3: the field component (its frames come in its own diff)
      [FrameType.element, 3, S.input], // 4: <input id="display-name"> of component 8
      [FrameType.attribute, S.id, S['display-name'], 0], // 5
      [FrameType.attribute, S.oninput, -1, 22], // 6
      [FrameType.element, 2, S.div], // 7: a class on another element names no form
      [FrameType.attribute, S.class, S['composer other'], 0], // 8
    ],
    diffs: [
      { componentId: 7, edits: [[EditType.prependFrame, 0, 0], [EditType.prependFrame, 1, 7]] },
      { componentId: 8, edits: [[EditType.prependFrame, 0, 4]] },
    ],
  });
  const tracker = new EventHandlerTracker(['display-name', 'form.join-form', 'form.composer']);
  tracker.apply(new RenderBatchReader(batch));
  assert.equal(tracker.handlerFor('form.join-form', 'onsubmit'), 21);
  assert.equal(tracker.handlerFor('display-name', 'oninput'), 22);
  assert.equal(tracker.handlerFor('display-name', 'onsubmit'), undefined);
  assert.equal(tracker.handlerFor('form.composer', 'onsubmit'), undefined);
});

test('articleTexts returns the texts inside <article> elements only', () => {
  const batch = buildBatch({
    strings,
    frames: [
      [FrameType.element, 2, S.textarea], // 0: the sender's own draft, not a message
      [FrameType.attribute, S.value, S['draft bmkabcn8e'], 0], // 1
      [FrameType.element, 3, S.article], // 2
      [FrameType.element, 2, S.form], // 3: any element inside
      [FrameType.text, S['hello bmkabcn7e']], // 4
    ],
    diffs: [{ componentId: 9, edits: [[EditType.prependFrame, 0, 0], [EditType.prependFrame, 1, 2]] }],
  });
  assert.deepEqual(articleTexts(new RenderBatchReader(batch)), ['hello bmkabcn7e']);
});

test('a circuit takes in every batch that has arrived before it applies and confirms them, in order', async () => {
  const article = n => buildBatch({
    strings: ['article', `message ${n}`],
    frames: [[FrameType.element, 2, 0], [FrameType.text, 1]],
    diffs: [{ componentId: 3, edits: [[EditType.prependFrame, 0, 0]] }],
  });
  const log = [];
  const circuit = new BlazorCircuit('http://127.0.0.1:1', {
    onBatch: (batch, receivedAt) => log.push(`applied ${articleTexts(batch)} received ${receivedAt}`),
  });
  circuit.connection = { send: (method, batchId) => { log.push(`${method} ${batchId}`); return Promise.resolve(); } };
  const realNow = performance.now;
  let clock = 100;
  performance.now = () => clock++;
  try {
    // Three batches read from the socket one after another, as Node reads the sockets of many members.
    for (let id = 2; id <= 4; id++) circuit._onRenderBatch(id, article(id));
    assert.deepEqual(log, []); // nothing applied or confirmed yet: later batches are read first
    await new Promise(resolve => setImmediate(() => setImmediate(resolve)));
  } finally {
    performance.now = realNow;
  }
  assert.deepEqual(log, [
    'applied message 2 received 100', 'OnRenderCompleted 2',
    'applied message 3 received 101', 'OnRenderCompleted 3',
    'applied message 4 received 102', 'OnRenderCompleted 4',
  ]);
  assert.equal(circuit.batches, 3);
});
