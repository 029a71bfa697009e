// The player's state and its transitions (static/player/state.mjs): `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";

import { PlayerState } from "../../static/player/state.mjs";

// sentences end every 2 s: study mode stops at the next even second
const endAfter = (t) => (Math.floor(t / 2) + 1) * 2;
const fresh = () => new PlayerState({ endAfter });

test("a new player lights nothing, follows, looks ahead and stops nowhere", () => {
  const s = fresh();
  assert.equal(s.current, -1);
  assert.equal(s.ahead, true);
  assert.equal(s.stopAt, null);
  assert.equal(s.range, null);
  assert.equal(s.following, true);
  assert.equal(s.detached, false);
  assert.equal(s.study, false);
});

test("the fields are read-only: only the transitions change them", () => {
  const s = fresh();
  for (const field of ["current", "ahead", "stopAt", "range", "following", "detached", "study"]) {
    assert.throws(() => { s[field] = 1; }, TypeError, field);
  }
  s.setCurrent(3);
  assert.equal(s.current, 3);
  s.setCurrent(-1);
  assert.equal(s.current, -1);
});

test("a seek looks ahead until playing reaches a sentence", () => {
  const s = fresh();
  s.reachedSentence();
  assert.equal(s.ahead, false);
  s.lookAhead();
  assert.equal(s.ahead, true);
  s.reachedSentence();
  s.seek(10);
  assert.equal(s.ahead, true);
  s.reachedSentence();
  s.seeking(10, true);
  assert.equal(s.ahead, true);
});

test("a quote stops at its end, once, and is spent there", () => {
  const s = fresh();
  s.playRange(3, 7.5);
  assert.deepEqual(s.range, { start: 3, end: 7.5 });
  assert.equal(s.stopAt, 7.5);
  assert.equal(s.reachedStop(7.4, true), false);
  assert.equal(s.reachedStop(7.5, false), false, "paused: nothing to stop");
  assert.equal(s.stopAt, 7.5);
  assert.equal(s.reachedStop(7.6, true), true);
  assert.equal(s.range, null);
  assert.equal(s.stopAt, null);
  assert.equal(s.reachedStop(8, true), false, "spent");
});

test("clearRange forgets a quote and its stop, but leaves study mode's stop alone", () => {
  const s = fresh();
  s.playRange(1, 2);
  s.clearRange();
  assert.equal(s.range, null);
  assert.equal(s.stopAt, null);
  s.toggleStudy(4.5, true);
  assert.equal(s.stopAt, 6);
  s.clearRange(); // no quote: nothing changes
  assert.equal(s.stopAt, 6);
  s.clearStop(); // whatever set it
  assert.equal(s.stopAt, null);
});

test("the player's own seek leaves the quote unless asked to keep it", () => {
  const s = fresh();
  s.playRange(3, 7);
  s.seek(3, true);
  assert.deepEqual(s.range, { start: 3, end: 7 });
  assert.equal(s.stopAt, 7);
  s.seek(20);
  assert.equal(s.range, null);
  assert.equal(s.stopAt, null);
});

test("seeking (any seek) keeps the quote inside it, with half a second before it", () => {
  const s = fresh();
  s.playRange(3, 7);
  s.seeking(2.6, true);
  s.seeking(7, true);
  assert.deepEqual(s.range, { start: 3, end: 7 });
  s.seeking(2.4, true);
  assert.equal(s.range, null);
  assert.equal(s.stopAt, null);
  s.playRange(3, 7);
  s.seeking(7.1, false);
  assert.equal(s.range, null);
});

test("study mode stops at the sentence's end, where no quote has its own", () => {
  const s = fresh();
  assert.equal(s.toggleStudy(1, false), true);
  assert.equal(s.stopAt, null, "paused: the stop is set when playing starts");
  s.started(1);
  assert.equal(s.stopAt, 2);
  s.seek(5.5);
  assert.equal(s.stopAt, 6);
  s.seeking(8.1, false);
  assert.equal(s.stopAt, 6, "paused: a seek moves no stop");
  s.seeking(8.1, true);
  assert.equal(s.stopAt, 10);
  // a quote keeps its end when playing starts or seeks inside it
  s.playRange(3, 7);
  s.started(3);
  assert.equal(s.stopAt, 7);
  s.seeking(4, true);
  assert.equal(s.stopAt, 7);
  // but the player's own seek in study mode stops at the sentence's end (as it did)
  s.seek(3, true);
  assert.equal(s.stopAt, 4);
  assert.deepEqual(s.range, { start: 3, end: 7 });
});

test("study mode off: only a quote's end stops", () => {
  const s = fresh();
  s.toggleStudy(0, true);
  assert.equal(s.stopAt, 2);
  assert.equal(s.toggleStudy(1, true), false);
  assert.equal(s.stopAt, null);
  s.toggleStudy(1, true);
  s.playRange(3, 7);
  s.toggleStudy(4, true);
  assert.equal(s.stopAt, 7);
  assert.equal(s.study, false);
  s.started(4);
  assert.equal(s.stopAt, 7);
});

test("detached only while following; following again starts attached", () => {
  const s = fresh();
  s.detach();
  assert.equal(s.detached, true);
  s.attach();
  assert.equal(s.detached, false);
  s.detach();
  s.setFollowing(false);
  assert.equal(s.following, false);
  assert.equal(s.detached, true, "off keeps where the reader was");
  s.attach();
  s.detach();
  assert.equal(s.detached, false, "not following: nothing to detach from");
  s.detach();
  s.setFollowing(true);
  s.detach();
  s.setFollowing(true);
  assert.equal(s.detached, false);
});
