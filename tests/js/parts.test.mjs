// node --test tests/js/: the pure helpers of static/parts.mjs (which part a time is in).
import { test } from "node:test";
import assert from "node:assert/strict";

import { partAt, partsAround } from "../../static/parts.mjs";

const begins = [0, 100.5, 250, 600];

test("a time is in the last part begun by then", () => {
  assert.equal(partAt(begins, 0), 0);
  assert.equal(partAt(begins, 100.4), 0);
  assert.equal(partAt(begins, 100.5), 1);
  assert.equal(partAt(begins, 599.999), 2);
  assert.equal(partAt(begins, 10000), 3);
});

test("a time before the first part's first sentence is in the first part", () => {
  assert.equal(partAt([12, 40], 3), 0);
  assert.equal(partAt([], 3), 0);
});

test("an estimated time out of order does not hide a later part", () => {
  // part 2 begins before part 1 ends (an aligner's estimate): the later one wins
  assert.equal(partAt([0, 300, 280], 290), 2);
});

test("the parts to have at a time: its own and its neighbours", () => {
  assert.deepEqual(partsAround(begins, 0), [0, 1]);
  assert.deepEqual(partsAround(begins, 260), [2, 3, 1]);
  assert.deepEqual(partsAround(begins, 700), [3, 2]);
  assert.deepEqual(partsAround([0], 5), [0]);
});
