// The player's pure helpers (static/player/helpers.mjs): run with `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  PLACE_MAX_AGE, chapterAt, clampSeek, clipFits, cycle, endAfter, isTyping, markedRanges, ms,
  nextOfSpeaker, quoteTimes, resumeAt, stepFrom, timeIndex,
} from "../../static/player/helpers.mjs";

// five sentences in DOM order (seconds); the third was not found in the audio, and the
// fourth's estimated time is out of order
const begins = [1.0, 3.0, 2.0, 6.5, 5.0];
const ends = [2.5, 4.5, 2.2, 7.5, 6.0];
const timed = [true, true, false, true, true];
const index = timeIndex(begins, ends, timed);

test("milliseconds from seconds, rounded", () => {
  assert.equal(ms(1.2345), 1235);
  assert.equal(ms(0.0004), 0);
  assert.equal(ms(undefined), 0);
  assert.equal(ms(NaN), 0);
});

test("the time index sorts the timed sentences by begin and maps back", () => {
  assert.deepEqual(index.order, [0, 1, 4, 3]);  // the unaligned one is left out
  assert.deepEqual(index.sortedBegins, [1000, 3000, 5000, 6500]);
  assert.deepEqual(index.sortedEnds, [2500, 4500, 6000, 7500]);
  assert.equal(index.rank.get(4), 2);
  assert.equal(index.rank.has(2), false);
  // equal begins keep transcript order
  assert.deepEqual(timeIndex([1, 1, 0.5], [2, 2, 1], [true, true, true]).order, [2, 0, 1]);
  assert.deepEqual(timeIndex([], [], []).order, []);
});

test("study mode stops at the end of the sentence playing, or of the next", () => {
  assert.equal(endAfter(index, ends, 0.2), 2.5);   // before the first: its end
  assert.equal(endAfter(index, ends, 1.5), 2.5);   // inside the first
  assert.equal(endAfter(index, ends, 2.46), 4.5);  // within 50 ms of its end: the next's
  assert.equal(endAfter(index, ends, 2.8), 4.5);   // in the pause: the next's
  assert.equal(endAfter(index, ends, 7.49), null); // at the last's end: nothing after
  assert.equal(endAfter(timeIndex([], [], []), [], 3), null);
});

test("a step goes through sentences in time order and stops at either end", () => {
  assert.equal(stepFrom(index, -1, 1), 0);   // nothing lit: the first
  assert.equal(stepFrom(index, -1, -1), 0);
  assert.equal(stepFrom(index, 1, 1), 4);    // after DOM 1 in time comes DOM 4
  assert.equal(stepFrom(index, 4, 1), 3);
  assert.equal(stepFrom(index, 3, 1), 3);    // the last stays the last
  assert.equal(stepFrom(index, 0, -1), 0);
  assert.equal(stepFrom(index, 2, 1), 0);    // an unaligned one counts as none lit
  assert.equal(stepFrom(timeIndex([], [], []), -1, 1), -1);
});

test("a seek stays inside the recording", () => {
  assert.equal(clampSeek(-3, 10), 0);
  assert.equal(clampSeek(4, 10), 4);
  assert.equal(clampSeek(12, 10), 9.95);
  assert.equal(clampSeek(12, 0), 12);  // duration unknown yet: as asked
});

test("a quote lasts at least 100 ms, and a clip is cut up to the limit", () => {
  assert.deepEqual(quoteTimes(1.0, 4.25), { begin: 1000, end: 4250 });
  assert.deepEqual(quoteTimes(1.0, 1.02), { begin: 1000, end: 1100 });
  assert.equal(clipFits(0, 300000, 300000), true);
  assert.equal(clipFits(0, 300001, 300000), false);
  assert.equal(clipFits(0, null, 300000), false);
});

test("typing places are told apart", () => {
  const el = (match) => ({ closest: (sel) => (match && sel.includes(match) ? {} : null) });
  assert.equal(isTyping(el("input")), true);
  assert.equal(isTyping(el("[contenteditable='true']")), true);
  assert.equal(isTyping(el(null)), false);
  assert.equal(isTyping(null), false);
  assert.equal(isTyping({}), false);
});

test("markedRanges: the characters of a hit's <mark>s, in the sentence's text", () => {
  assert.deepEqual(markedRanges([
    { text: "Today the old harbour ", marked: false },
    { text: "bridge", marked: true },
    { text: ".", marked: false },
  ]), [[22, 28]]);
  assert.deepEqual(markedRanges([{ text: "nine", marked: true }, { text: " and ", marked: false },
    { text: "9", marked: true }]), [[0, 4], [9, 10]]);
  assert.deepEqual(markedRanges([]), []);
});

test("cycle: next and previous match go round the ends", () => {
  assert.equal(cycle(0, 4, 1), 1);
  assert.equal(cycle(3, 4, 1), 0);
  assert.equal(cycle(0, 4, -1), 3);
  assert.equal(cycle(-1, 4, 1), 0);
  assert.equal(cycle(-1, 4, -1), 3);
  assert.equal(cycle(2, 0, 1), -1);
});

test("resumeAt: a kept place is offered unless it is at an edge, stale or not a place", () => {
  const now = Date.UTC(2026, 0, 10);
  assert.equal(resumeAt({ t: 83.2, at: now - 1000 }, 600, now), 83.2);
  assert.equal(resumeAt({ t: 83.2 }, 0, now), 83.2); // the length not known yet
  assert.equal(resumeAt({ t: 0.5, at: now }, 600, now), null); // nothing to come back to
  assert.equal(resumeAt({ t: 2, at: now }, 600, now), 2);
  assert.equal(resumeAt({ t: 599.5, at: now }, 600, now), null); // it had ended
  assert.equal(resumeAt({ t: 83.2, at: now - PLACE_MAX_AGE - 1 }, 600, now), null);
  for (const junk of [null, 5, "83", {}, { t: "83" }, { t: NaN }]) {
    assert.equal(resumeAt(junk, 600, now), null);
  }
});

test("nextOfSpeaker: the next sentence in time that the chosen speaker says", () => {
  const order = [0, 2, 1, 3]; // DOM positions by time
  const speakers = ["Ann", "Bo", "Bo", "Ann"];
  assert.equal(nextOfSpeaker(order, speakers, 0, "Ann"), 0);
  assert.equal(nextOfSpeaker(order, speakers, 1, "Ann"), 3);
  assert.equal(nextOfSpeaker(order, speakers, 0, "Bo"), 1);
  assert.equal(nextOfSpeaker(order, speakers, 4, "Bo"), -1);
  assert.equal(nextOfSpeaker(order, speakers, 0, "Cy"), -1);
});

test("chapterAt: the chapter a time is in", () => {
  const begins = [0.95, 127.14, 204.98];
  assert.equal(chapterAt(begins, 0), -1);
  assert.equal(chapterAt(begins, 0.95), 0);
  assert.equal(chapterAt(begins, 130), 1);
  assert.equal(chapterAt(begins, 9999), 2);
  assert.equal(chapterAt([], 5), -1);
});
