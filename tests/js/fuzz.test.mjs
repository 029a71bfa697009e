// node --test tests/js/: what a link carries into the page never throws in the helpers
// that read it (issue 11, fuzzing that stays). A fixed-seed generator draws a few
// thousand fragments, times and ranges from the characters that matter, and some that
// should not; every answer must be null or a sane moment.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  clock, fragmentMoment, linkSeconds, parseClock, quoteSpan, resolve, sentenceAt,
  sentenceFragment, shareQuery,
} from "../../static/moments.mjs";
import { partAt, partsAround } from "../../static/parts.mjs";

const PIECES = [
  "#", "t=", "s-", "&", ",", "=", "%", "%E0%A4%A", "%ZZ", "%00", "%2C", "npt:", "s", "S",
  ":", ".", "-", "+", "e", "E", "1", "0", "9", "59", "60", "99", "1e309", "Infinity", "NaN",
  " ", "\u00a0", "\t", "٣", "１", "é", "🙂", "\ud800", "end=", "?", "/", "..", "0x1F",
];

function generator(seed) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 4294967296;
  };
}

function draw(rnd, max = 12) {
  let out = "";
  const n = Math.floor(rnd() * max);
  for (let i = 0; i < n; i += 1) out += PIECES[Math.floor(rnd() * PIECES.length)];
  return out;
}

const sane = (m, durationMs) => {
  assert.ok(m && typeof m === "object");
  if (m.start == null) {
    assert.equal(m.end, null);
    return;
  }
  assert.ok(Number.isInteger(m.start) && m.start >= 0 && (!durationMs || m.start < durationMs));
  if (m.end != null) assert.ok(Number.isInteger(m.end) && m.end > m.start);
};

test("fragments, times and ranges of any shape never throw", () => {
  const rnd = generator(20261201);
  for (let k = 0; k < 5000; k += 1) {
    const hash = draw(rnd);
    const durationMs = [0, 1, 14670, 3600000][k % 4];
    sane(fragmentMoment(hash, durationMs), durationMs);
    const sid = sentenceFragment(hash);
    assert.ok(sid == null || typeof sid === "string");
    const t = draw(rnd, 6);
    const ms = parseClock(t);
    assert.ok(ms == null || (Number.isInteger(ms) && ms >= 0), `${t} -> ${ms}`);
    sane(resolve(t, draw(rnd, 6), durationMs), durationMs);
    if (ms != null) {
      assert.equal(parseClock(linkSeconds(ms)), ms);
      assert.equal(typeof clock(ms), "string");
      const q = shareQuery(ms, ms + 1000);
      assert.ok(new URLSearchParams(q).get("t") != null);
    }
  }
});

test("the sentence search and the parts take any time", () => {
  const rnd = generator(7);
  const begins = [0, 1000, 2000, 5000];
  const ends = [900, 1900, 4000, 6000];
  for (let k = 0; k < 2000; k += 1) {
    const t = [NaN, -1, Infinity, -Infinity, rnd() * 8000, 1e308][k % 6];
    const i = sentenceAt(begins, ends, t, k % 2 === 0);
    assert.ok(Number.isInteger(i) && i >= -1 && i < begins.length);
    const span = quoteSpan(begins, ends, t, t + rnd() * 3000);
    assert.ok(span == null || (span[0] <= span[1]));
    const p = partAt([0, 100, 250], t / 1000);
    assert.ok(p >= 0 && p < 3);
    assert.ok(partsAround([0, 100, 250], t / 1000).every((x) => x >= 0 && x < 3));
  }
});
