// A minimal reader of Blazor Server render batches (the bytes of a `JS.RenderBatch` message).
//
// Layout, as written by .NET's RenderBatchWriter and read by aspnetcore's Web.JS
// OutOfProcessRenderBatch: the batch ends with five int32s giving the positions of
// updatedComponents, referenceFrames, disposedComponentIds, disposedEventHandlerIds and the
// string table. An array range is an int32 count then its entries. A diff is its componentId then
// an array of 16-byte edits (type, siblingIndex, newTreeIndex, removedAttributeName). A frame is
// 20 bytes: its type, then 16 bytes whose meaning depends on the type. Strings are indices into
// the string table, whose entries point at LEB128-length-prefixed UTF-8.
//
// The load client needs only three things from a batch: which event handler ids now belong to
// which (component, attribute) pair, which elements carry a given id attribute (or, for a form, a
// given class), and whether a given text sits inside an <article>. It never builds a DOM.

export const EditType = Object.freeze({
  prependFrame: 1, removeFrame: 2, setAttribute: 3, removeAttribute: 4, updateText: 5,
  stepIn: 6, stepOut: 7, updateMarkup: 8, permutationListEntry: 9, permutationListEnd: 10,
});

export const FrameType = Object.freeze({
  element: 1, text: 2, attribute: 3, component: 4, region: 5, elementReferenceCapture: 6, markup: 8,
});

const frameLength = 20;
const editLength = 16;

export class RenderBatchReader {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = bytes.byteLength;
    this.updatedComponentsAt = this.int32(end - 20);
    this.referenceFramesAt = this.int32(end - 16);
    this.disposedComponentIdsAt = this.int32(end - 12);
    this.disposedEventHandlerIdsAt = this.int32(end - 8);
    this.stringTableAt = this.int32(end - 4);
    this.strings = new Map();
  }

  int32(pos) { return this.view.getInt32(pos, true); }

  uint64(pos) { return this.view.getUint32(pos, true) + this.view.getUint32(pos + 4, true) * 0x1_0000_0000; }

  string(index) {
    if (index === -1) return null;
    let s = this.strings.get(index);
    if (s !== undefined) return s;
    let pos = this.int32(this.stringTableAt + index * 4);
    let length = 0;
    let shift = 0;
    for (;;) {
      const b = this.bytes[pos++];
      length |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    s = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + pos, length).toString('utf8');
    this.strings.set(index, s);
    return s;
  }

  get referenceFrameCount() { return this.int32(this.referenceFramesAt); }

  /** Position of reference frame i. */
  frameAt(i) { return this.referenceFramesAt + 4 + i * frameLength; }

  frameType(f) { return this.int32(f); }
  subtreeLength(f) { return this.int32(f + 4); }
  elementName(f) { return this.string(this.int32(f + 8)); }
  textContent(f) { return this.string(this.int32(f + 4)); }
  attributeName(f) { return this.string(this.int32(f + 4)); }
  attributeValue(f) { return this.string(this.int32(f + 8)); }
  attributeEventHandlerId(f) { return this.uint64(f + 12); }
  componentId(f) { return this.int32(f + 8); }

  /** Yields { componentId, edits: [{ type, siblingIndex, newTreeIndex }] } for every updated component. */
  *diffs() {
    const count = this.int32(this.updatedComponentsAt);
    for (let i = 0; i < count; i++) {
      const diffAt = this.int32(this.updatedComponentsAt + 4 + i * 4);
      const componentId = this.int32(diffAt);
      const editCount = this.int32(diffAt + 4);
      const edits = new Array(editCount);
      for (let e = 0; e < editCount; e++) {
        const at = diffAt + 8 + e * editLength;
        edits[e] = { type: this.int32(at), siblingIndex: this.int32(at + 4), newTreeIndex: this.int32(at + 8) };
      }
      yield { componentId, edits };
    }
  }

  /** Disposed event handler ids of this batch. */
  disposedEventHandlerIds() {
    const count = this.int32(this.disposedEventHandlerIdsAt);
    const ids = new Array(count);
    for (let i = 0; i < count; i++) ids[i] = this.uint64(this.disposedEventHandlerIdsAt + 4 + i * 8);
    return ids;
  }

  /**
   * Attribute frames of an element frame at reference index i: they follow it directly.
   * @returns {Array<{ name: string, value: string|null, eventHandlerId: number }>}
   */
  attributesOf(i) {
    const out = [];
    const total = this.referenceFrameCount;
    for (let j = i + 1; j < total; j++) {
      const f = this.frameAt(j);
      if (this.frameType(f) !== FrameType.attribute) break;
      out.push({ name: this.attributeName(f), value: this.attributeValue(f), eventHandlerId: this.attributeEventHandlerId(f) });
    }
    return out;
  }

  /**
   * For each diff, the reference frames its edits bring in: a prepended frame with its whole
   * subtree, or the single attribute frame of a SetAttribute edit. Yields { componentId, from, to }
   * half-open ranges of reference frame indices.
   */
  *touchedFrameRanges() {
    for (const diff of this.diffs()) {
      for (const edit of diff.edits) {
        if (edit.type === EditType.prependFrame) {
          const f = this.frameAt(edit.newTreeIndex);
          const t = this.frameType(f);
          const length = t === FrameType.element || t === FrameType.component || t === FrameType.region ? this.subtreeLength(f) : 1;
          yield { componentId: diff.componentId, from: edit.newTreeIndex, to: edit.newTreeIndex + Math.max(1, length) };
        } else if (edit.type === EditType.setAttribute) {
          yield { componentId: diff.componentId, from: edit.newTreeIndex, to: edit.newTreeIndex + 1 };
        }
      }
    }
  }
}

/**
 * Tracks, across batches, the newest event handler id of each (component, event attribute) pair,
 * and which components render a watched element: one with a given id ("message-input"), or a form
 * with a given class ("form.composer"). Blazor gives a bound handler (@bind) a new id on every
 * render, so "the oninput of the component that renders #message-input" is the stable way to name
 * it. A form is watched on its own because the field inside it may be another component's element
 * (a component library's input renders the <input>, the form's component owns onsubmit).
 */
export class EventHandlerTracker {
  /** @param {string[]} watched element ids ("display-name") and forms by class ("form.join-form") */
  constructor(watched) {
    this.watched = new Set(watched);
    /** watched name (element id, or form.class) -> component id */
    this.componentOfElement = new Map();
    /** component id -> Map(attribute name -> event handler id) */
    this.handlers = new Map();
  }

  /** @param {RenderBatchReader} batch */
  apply(batch) {
    for (const { componentId, from, to } of batch.touchedFrameRanges()) {
      let element = null; // the element the attribute frames that follow belong to
      for (let i = from; i < to; i++) {
        const f = batch.frameAt(i);
        const type = batch.frameType(f);
        if (type === FrameType.element) {
          element = batch.elementName(f);
        } else if (type === FrameType.attribute) {
          const id = batch.attributeEventHandlerId(f);
          const name = batch.attributeName(f);
          if (id !== 0) {
            let map = this.handlers.get(componentId);
            if (!map) this.handlers.set(componentId, (map = new Map()));
            map.set(name, id);
          } else if (name === 'id' && this.watched.has(batch.attributeValue(f))) {
            this.componentOfElement.set(batch.attributeValue(f), componentId);
          } else if (name === 'class' && element === 'form') {
            for (const c of (batch.attributeValue(f) ?? '').split(/\s+/)) {
              if (this.watched.has(`form.${c}`)) this.componentOfElement.set(`form.${c}`, componentId);
            }
          }
        } else {
          element = null;
        }
      }
    }
  }

  /** The newest handler id for `attribute` (e.g. "oninput") in the component that renders `watched` (an id, or form.class). */
  handlerFor(watched, attribute) {
    const componentId = this.componentOfElement.get(watched);
    if (componentId === undefined) return undefined;
    return this.handlers.get(componentId)?.get(attribute);
  }
}

/**
 * The texts inside every <article> element the batch brings in (a message line, as the app's UI
 * contract renders it), as opposed to text that merely appears elsewhere, such as the sender's own
 * textarea value.
 */
export function articleTexts(batch) {
  const texts = [];
  const total = batch.referenceFrameCount;
  for (let i = 0; i < total; i++) {
    const f = batch.frameAt(i);
    if (batch.frameType(f) !== FrameType.element || batch.elementName(f) !== 'article') continue;
    const end = i + batch.subtreeLength(f);
    for (let j = i + 1; j < end; j++) {
      const g = batch.frameAt(j);
      const t = batch.frameType(g);
      if (t === FrameType.text || t === FrameType.markup) {
        const text = batch.textContent(g);
        if (text) texts.push(text);
      }
    }
    i = end - 1;
  }
  return texts;
}
