/*
 * helpers.mjs: the player's pure helpers, no DOM (tested with `node --test tests/js/`).
 *
 * Times inside are integer milliseconds (the program's unit) unless a name says seconds
 * (the media element's unit). Which sentence a time lights is moments.mjs's `sentenceAt`.
 */
import { sentenceAt } from "../moments.mjs";

/** Seconds (the media element's unit) to integer milliseconds (the program's unit). */
export const ms = (sec) => Math.round((sec || 0) * 1000);

/** True when `el` is a place where keys type text (the player's keys stay out of it). */
export function isTyping(el) {
  return !!(el && el.closest && el.closest("input, textarea, select, [contenteditable='true']"));
}

/**
 * The sentences in time order, for the binary search.
 *
 * `begins` and `ends` are seconds in transcript (DOM) order; `timed[i]` is false for a
 * sentence not found in the audio (estimated times only: never lit by time). An aligner
 * may leave an estimate out of order, so the order is a sorted copy that maps back to
 * DOM positions. Returns `order` (DOM positions by time), `sortedBegins`, `sortedEnds`
 * (ms, by time) and `rank` (DOM position -> place in `order`).
 */
export function timeIndex(begins, ends, timed) {
  const order = Array.from({ length: begins.length }, (_, i) => i)
    .filter((i) => timed[i])
    .sort((a, b) => begins[a] - begins[b] || a - b);
  return {
    order,
    sortedBegins: order.map((i) => ms(begins[i])),
    sortedEnds: order.map((i) => ms(ends[i])),
    rank: new Map(order.map((i, k) => [i, k])),
  };
}

/**
 * Where study mode stops (s): the end of the sentence at `t` (s), or of the next one when
 * `t` is within 50 ms of that end or past it; null after the last. `index` is `timeIndex`'s.
 */
export function endAfter(index, ends, t) {
  const { order, sortedBegins, sortedEnds } = index;
  if (!order.length) return null;
  const k = sentenceAt(sortedBegins, sortedEnds, ms(t), false);
  if (k < 0) return ends[order[0]];
  if (t < ends[order[k]] - 0.05) return ends[order[k]];
  return k + 1 < order.length ? ends[order[k + 1]] : null;
}

/**
 * The DOM position of the sentence `delta` steps (in time) from the lit one (`current`,
 * -1 when none is lit), kept within the first and last; -1 when none is timed.
 */
export function stepFrom(index, current, delta) {
  const n = index.order.length;
  if (!n) return -1;
  const k = current < 0 || !index.rank.has(current)
    ? (delta > 0 ? -1 : 0) : index.rank.get(current);
  return index.order[Math.min(n - 1, Math.max(0, k + delta))];
}

/** A seek target (s) kept inside the recording: not before 0, not past 50 ms before its end. */
export function clampSeek(t, duration) {
  return Math.max(0, duration ? Math.min(t, duration - 0.05) : t);
}

/**
 * A selection's span (ms) from its first and last sentences' times (s): at least 100 ms
 * long, so a quote of one short word still plays.
 */
export function quoteTimes(begin, end) {
  const a = ms(begin);
  return { begin: a, end: Math.max(ms(end), a + 100) };
}

/** True when a clip of `beginMs`..`endMs` is short enough for the server to cut. */
export function clipFits(beginMs, endMs, maxClipMs) {
  return endMs != null && endMs - beginMs <= maxClipMs;
}

/**
 * The [start, end) character ranges of the marked parts of a text given as its parts in
 * order, [{text, marked}] (a search hit's text nodes and <mark>s).
 */
export function markedRanges(parts) {
  const out = [];
  let at = 0;
  for (const { text, marked } of parts) {
    if (marked && text.length) out.push([at, at + text.length]);
    at += text.length;
  }
  return out;
}

/** `i` moved by `delta` among `n` places, round the ends (-1, none yet, goes to the first or the last). */
export function cycle(i, n, delta) {
  if (n <= 0) return -1;
  if (i < 0) return delta > 0 ? 0 : n - 1;
  return (((i + delta) % n) + n) % n;
}

/** Kept places older than this are not offered again (ms): 90 days. */
export const PLACE_MAX_AGE = 90 * 24 * 3600 * 1000;

/**
 * Where to resume (s) from a kept place `saved` ({t: seconds, at: ms since the epoch}),
 * or null: not in the first second nor the last one (nothing to come back to), not from a
 * place older than `PLACE_MAX_AGE`, nor from anything that is not a place.
 */
export function resumeAt(saved, duration, now) {
  if (!saved || typeof saved !== "object" || !Number.isFinite(saved.t)) return null;
  if (saved.t < 1 || (duration > 0 && saved.t > duration - 1)) return null;
  if (Number.isFinite(saved.at) && now - saved.at > PLACE_MAX_AGE) return null;
  return saved.t;
}

/**
 * The place in time order (a rank of `order`) of the first sentence from rank `k` on
 * (`k` itself included) that `name` speaks, or -1. `speakers` is by DOM position.
 */
export function nextOfSpeaker(order, speakers, k, name) {
  for (let r = Math.max(0, k); r < order.length; r += 1) {
    if (speakers[order[r]] === name) return r;
  }
  return -1;
}

/** The chapter (its position in `begins`, seconds in time order) that `t` (s) is in, or -1. */
export function chapterAt(begins, t) {
  let found = -1;
  for (let i = 0; i < begins.length && begins[i] <= t + 1e-3; i += 1) found = i;
  return found;
}
