// The browser's link helpers (static/moments.mjs) on the table of cases the server's
// (webapp/moments.py) is tested on too: run with `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  clock, fragmentMoment, linkSeconds, parseClock, quoteSpan, resolve, sentenceAt,
  sentenceFragment, shareQuery,
} from "../../static/moments.mjs";

const cases = JSON.parse(readFileSync(new URL("../data/moment_cases.json", import.meta.url)));
const { begins, ends } = cases.sentences;

test("times people write, and what is not a time", () => {
  for (const [text, ms] of cases.parse) assert.equal(parseClock(text), ms, JSON.stringify(text));
});

test("resolve drops what does not fit the recording", () => {
  for (const [t, end, duration, [start, stop]] of cases.resolve) {
    assert.deepEqual(resolve(t, end, duration), { start, end: stop }, `${t} ${end}`);
  }
});

test("media fragments mean what ?t= and &end= mean", () => {
  for (const [hash, duration, [start, stop]] of cases.fragment) {
    assert.deepEqual(fragmentMoment(hash, duration), { start, end: stop }, hash);
  }
});

test("link seconds and clocks", () => {
  for (const [ms, text] of cases.link_seconds) assert.equal(linkSeconds(ms), text);
  for (const [ms, text] of cases.clock) assert.equal(clock(ms), text);
});

test("a link written from a time reads back as that time", () => {
  for (const [ms] of cases.link_seconds) assert.equal(parseClock(linkSeconds(ms)), ms);
  assert.equal(shareQuery(83200, 91000), "t=83.2&end=91");
  assert.equal(shareQuery(5, null), "t=0.005");
});

test("which sentence a time lights", () => {
  for (const [ms, ahead, rank] of cases.sentence_at) {
    assert.equal(sentenceAt(begins, ends, ms, ahead), rank, `${ms} ahead=${ahead}`);
  }
  assert.equal(sentenceAt([], [], 5, true), -1);
});

test("which sentences a link quotes", () => {
  for (const [start, end, span] of cases.quote_span) {
    assert.deepEqual(quoteSpan(begins, ends, start, end), span, `${start} ${end}`);
  }
});

test("a #s- fragment names its sentence; a broken one is taken as written", () => {
  assert.equal(sentenceFragment("#s-abc123"), "s-abc123");
  assert.equal(sentenceFragment("#s-caf%C3%A9"), "s-café");
  assert.equal(sentenceFragment("#s-%E0%A4%A"), "s-%E0%A4%A"); // cut short: no URIError
  assert.equal(sentenceFragment("#s-%"), "s-%");
  assert.equal(sentenceFragment("#t=3"), null);
  assert.equal(sentenceFragment(""), null);
});
