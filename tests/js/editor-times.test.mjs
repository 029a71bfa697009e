// Unit tests of static/edit-times.mjs: keys, edge moves, what is played after a move,
// the zoomed strip's window and time formats.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  BIG_STEP_MS, STEP_MS, edgeNear, moveEdge, nudgeForKey, precise, previewRange, seconds,
  stripWindow, xToMs,
} from "../../static/edit-times.mjs";

test("brackets move the start, comma and period the end; Shift takes bigger steps", () => {
  assert.deepEqual(nudgeForKey("BracketLeft", false), { edge: "begin", delta: -STEP_MS });
  assert.deepEqual(nudgeForKey("BracketRight", true), { edge: "begin", delta: BIG_STEP_MS });
  assert.deepEqual(nudgeForKey("Comma", true), { edge: "end", delta: -BIG_STEP_MS });
  assert.deepEqual(nudgeForKey("Period", false), { edge: "end", delta: STEP_MS });
  assert.equal(nudgeForKey("KeyJ", false), null);
  assert.equal(STEP_MS, 50);
  assert.equal(BIG_STEP_MS, 250);
});

test("an edge stays inside the recording and never crosses the other", () => {
  const t = { begin: 1000, end: 3000 };
  assert.deepEqual(moveEdge(t, "begin", 1250, 10000), { begin: 1250, end: 3000 });
  assert.deepEqual(moveEdge(t, "begin", -400, 10000), { begin: 0, end: 3000 });
  assert.deepEqual(moveEdge(t, "begin", 2990, 10000), { begin: 2900, end: 3000 });
  assert.deepEqual(moveEdge(t, "end", 12000, 10000), { begin: 1000, end: 10000 });
  assert.deepEqual(moveEdge(t, "end", 500, 10000), { begin: 1000, end: 1100 });
  assert.deepEqual(moveEdge(t, "end", 2949.6, 10000), { begin: 1000, end: 2950 });
});

test("a short sentence is heard whole; a long one near the edge that moved", () => {
  assert.deepEqual(previewRange({ begin: 1000, end: 3000 }, "end"), { from: 1000, to: 3000 });
  const long = { begin: 10000, end: 20000 };
  assert.deepEqual(previewRange(long, "begin"), { from: 10000, to: 12000 });
  assert.deepEqual(previewRange(long, "end"), { from: 18000, to: 20000 });
  assert.deepEqual(previewRange(long, null), { from: 10000, to: 20000 });
});

test("the strip shows the sentence with a margin, inside the recording", () => {
  assert.deepEqual(stripWindow({ begin: 5000, end: 7000 }, 60000), { from: 3500, to: 8500 });
  assert.deepEqual(stripWindow({ begin: 500, end: 1000 }, 1800), { from: 0, to: 1800 });
  const long = stripWindow({ begin: 20000, end: 40000 }, 100000);
  assert.equal(long.from, 13000);
  assert.equal(long.to, 47000);
});

test("strip positions map to times, and a press near an edge takes that edge", () => {
  const win = { from: 1000, to: 3000 };
  assert.equal(xToMs(0, 200, win), 1000);
  assert.equal(xToMs(100, 200, win), 2000);
  assert.equal(xToMs(400, 200, win), 3000);
  const t = { begin: 1500, end: 2500 };
  assert.equal(edgeNear(1530, t, 50), "begin");
  assert.equal(edgeNear(2480, t, 50), "end");
  assert.equal(edgeNear(2000, t, 50), null);
  assert.equal(edgeNear(2000, { begin: 1990, end: 2020 }, 50), "begin");
});

test("times are written as m:ss.mmm and as seconds", () => {
  assert.equal(precise(0), "0:00.000");
  assert.equal(precise(83250), "1:23.250");
  assert.equal(precise(3723004), "1:02:03.004");
  assert.equal(seconds(8517), "8.517");
  assert.equal(seconds(500.4), "0.500");
});
