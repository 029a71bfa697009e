/*
 * edit-times.mjs: the arithmetic of moving a sentence's edges, for editor.mjs.
 *
 * Pure functions (no DOM), unit-tested with `node --test tests/js/`. Times are integer
 * milliseconds, as everywhere inside the program; the server has the last word on what
 * is stored (webapp/editing.py `retime`: the same bounds, and the neighbours' edges).
 */

/** A nudge's step: 50 ms, or 250 ms with Shift. */
export const STEP_MS = 50;
export const BIG_STEP_MS = 250;
/** The shortest a sentence may be made (webapp/limits.py MIN_SENTENCE_MS). */
export const MIN_SENTENCE_MS = 100;

/**
 * The nudge a key asks for, or null: `[` `]` move the start, `,` `.` the end, 50 ms
 * earlier or later; with Shift, 250 ms. Read from `KeyboardEvent.code`, so Shift+[
 * (which types `{`) is still the same key on any layout.
 */
export function nudgeForKey(code, shift) {
  const step = shift ? BIG_STEP_MS : STEP_MS;
  switch (code) {
    case "BracketLeft": return { edge: "begin", delta: -step };
    case "BracketRight": return { edge: "begin", delta: step };
    case "Comma": return { edge: "end", delta: -step };
    case "Period": return { edge: "end", delta: step };
    default: return null;
  }
}

/**
 * `times` ({begin, end}, ms) with `edge` moved to `at`, kept inside the recording
 * (0..duration) and at least `minMs` long: an edge pushed past the other stops short.
 */
export function moveEdge(times, edge, at, duration, minMs = MIN_SENTENCE_MS) {
  const t = Math.round(at);
  if (edge === "begin") {
    return { begin: Math.max(0, Math.min(t, times.end - minMs)), end: times.end };
  }
  return { begin: times.begin, end: Math.min(duration, Math.max(t, times.begin + minMs)) };
}

/**
 * What to play after an edge moved, so the change is heard: a short sentence whole; a
 * long one only near the moved edge (its first `edgeMs` after a new start, its last
 * `edgeMs` before a new end), as finetuneas's "play window" does.
 */
export function previewRange(times, edge, wholeMs = 4000, edgeMs = 2000) {
  const { begin, end } = times;
  if (end - begin <= wholeMs || edge == null) return { from: begin, to: end };
  return edge === "begin"
    ? { from: begin, to: begin + edgeMs }
    : { from: Math.max(begin, end - edgeMs), to: end };
}

/** The stretch the zoomed strip shows around a sentence: it, and a margin each side. */
export function stripWindow(times, duration, minPad = 1500) {
  const pad = Math.max(minPad, Math.round((times.end - times.begin) * 0.35));
  const from = Math.max(0, times.begin - pad);
  const to = Math.min(duration || times.end + pad, times.end + pad);
  return { from, to: Math.max(to, from + 1) };
}

/** A position `x` (px) across a strip `width` px wide showing `win`, as ms. */
export function xToMs(x, width, win) {
  const f = Math.min(1, Math.max(0, x / Math.max(1, width)));
  return win.from + f * (win.to - win.from);
}

/** The edge of `times` within `tolMs` of `at`, the nearer one when both are: or null. */
export function edgeNear(at, times, tolMs) {
  const db = Math.abs(at - times.begin);
  const de = Math.abs(at - times.end);
  if (Math.min(db, de) > tolMs) return null;
  return db <= de ? "begin" : "end";
}

/** Milliseconds as `m:ss.mmm` (`h:mm:ss.mmm` from an hour): webapp/editing.py `precise`. */
export function precise(ms) {
  const v = Math.max(0, Math.round(ms || 0));
  const total = Math.floor(v / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  const frac = String(v % 1000).padStart(3, "0");
  return (h ? `${h}:${String(m).padStart(2, "0")}` : `${m}`) + `:${s}.${frac}`;
}

/** Seconds with three decimals, as the server's forms and the page's data take them. */
export function seconds(ms) {
  return (Math.round(ms) / 1000).toFixed(3);
}
