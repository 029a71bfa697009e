/*
 * words.mjs: a sentence's words and their times, pure helpers (no DOM; `node --test`).
 *
 * The server ships a sentence's word times compactly (`data-words`, webapp/words.py
 * `page_times`): the first word's begin, then each time as the step from the one before
 * (its length, the gap to the next word, ...), in ms. The words themselves are found in
 * the sentence's text by the same rule as the server's (`alignment.split_words`): runs
 * of non-space, a run with no letter or digit kept on the word before it (or, first,
 * the word after it). Both sides run `tests/data/word_cases.json`.
 */

// Python's str.isspace() characters (what `\S` splits on there), not JS's `\s`, which
// differs beyond ASCII (U+FEFF is space here, U+0085 and U+001C-U+001F are not)
const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const RUN = new RegExp(`[^${SPACE}]+`, "gu");
const SAYABLE = /[\p{L}\p{N}_]/u;

/**
 * The words of `text` as [start, end) character ranges, in order: each from its first
 * run's start to its last run's end (a word "Well —" spans the space inside it).
 */
export function splitWords(text) {
  const out = [];
  let pending = -1; // start of runs with nothing sayable, waiting for a word
  let end = 0;
  for (const m of String(text || "").matchAll(RUN)) {
    const start = m.index;
    end = start + m[0].length;
    if (SAYABLE.test(m[0])) {
      out.push([pending >= 0 ? pending : start, end]);
      pending = -1;
    } else if (out.length) {
      out[out.length - 1][1] = end;
    } else if (pending < 0) {
      pending = start;
    }
  }
  // a text with nothing sayable in it: its runs are one word
  if (pending >= 0) out.push([pending, end]);
  return out;
}

/**
 * The times a sentence's `data-words` gives, in ms: `{begins, ends}`, one each per
 * word; null when there are none or they do not parse.
 */
export function parseWordTimes(attr) {
  if (!attr) return null;
  const steps = String(attr).trim().split(/ +/).map(Number);
  if (steps.length % 2 || steps.some((x) => !Number.isInteger(x))) return null;
  const begins = [];
  const ends = [];
  let at = 0;
  steps.forEach((step, i) => {
    at += step;
    (i % 2 ? ends : begins).push(at);
  });
  return { begins, ends };
}

/**
 * The word of `spans` (splitWords) a selection's edge at character `offset` takes: for
 * its start ("start"), the word the offset is in or the next one; for its end ("end"),
 * the word the offset is in or the one before (the offset is just after the last
 * character selected). -1 when there is none on that side.
 */
export function wordAtOffset(spans, offset, edge) {
  if (edge === "end") {
    for (let k = spans.length - 1; k >= 0; k -= 1) if (spans[k][0] < offset) return k;
    return -1;
  }
  for (let k = 0; k < spans.length; k += 1) if (spans[k][1] > offset) return k;
  return -1;
}

/**
 * How to lay a sentence's text out as one element per word: `pieces` are its text as
 * given, in order ({text, mark}: a text node, and the search mark it is in or null),
 * `spans` its words. Returns the runs to build, in order: {word: k or -1 (the space
 * between words), parts: [{text, mark}]}, every character of the pieces in one part.
 */
export function wordRuns(pieces, spans) {
  // every word's edges, in order: a piece is cut at each one it holds
  const cuts = spans.flat();
  const runs = [];
  let at = 0; // characters laid out so far
  let c = 0;  // the first cut after `at`
  let k = 0;  // the first word that does not end by `at`
  for (const { text, mark } of pieces) {
    let from = 0;
    while (from < text.length) {
      while (c < cuts.length && cuts[c] <= at) c += 1;
      while (k < spans.length && spans[k][1] <= at) k += 1;
      const to = c < cuts.length ? Math.min(text.length, from + cuts[c] - at) : text.length;
      const word = k < spans.length && spans[k][0] <= at ? k : -1;
      const part = { text: text.slice(from, to), mark };
      const last = runs[runs.length - 1];
      if (last && last.word === word) last.parts.push(part);
      else runs.push({ word, parts: [part] });
      at += to - from;
      from = to;
    }
  }
  return runs;
}
