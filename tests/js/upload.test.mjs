// Unit tests of static/upload.mjs and static/job-watch.mjs: run with `node --test tests/js/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { needsStart } from "../../static/job-watch.mjs";
import {
  formatBytes, invalidFields, oversize, percentOf, showsProblems,
} from "../../static/upload.mjs";

test("percent of an upload: whole, bounded, zero while the size is unknown", () => {
  assert.equal(percentOf(0, 1000), 0);
  assert.equal(percentOf(999, 1000), 99);
  assert.equal(percentOf(1000, 1000), 100);
  assert.equal(percentOf(1500, 1000), 100);
  assert.equal(percentOf(10, 0), 0);
  assert.equal(percentOf(10, undefined), 0);
  assert.equal(percentOf(NaN, 10), 0);
});

test("sizes read as the server's settings write them (powers of 1024)", () => {
  assert.equal(formatBytes(2 * 1024 ** 3), "2 GB");
  assert.equal(formatBytes(1.5 * 1024 ** 2), "1.5 MB");
  assert.equal(formatBytes(512 * 1024), "512 KB");
  assert.equal(formatBytes(12.4 * 1024 ** 2), "12 MB");
  assert.equal(formatBytes(300), "300 bytes");
});

test("files over the bound together are caught before they are sent", () => {
  const files = [{ size: 600 }, { size: 500 }];
  assert.equal(oversize(files, 1000), 1100);
  assert.equal(oversize(files, 1100), 0);
  assert.equal(oversize([], 1000), 0);
  assert.equal(oversize(files, 0), 0); // no bound given: the server decides
});

test("the form's problems come back as 422; other errors are pages, not swapped in", () => {
  assert.equal(showsProblems(422), true);
  for (const s of [200, 204, 400, 403, 413, 500, 502]) assert.equal(showsProblems(s), false, String(s));
});

test("a swapped-in player is started once; the one running is left alone", () => {
  const root = { id: "player" };
  assert.equal(needsStart(root, null), true);
  assert.equal(needsStart(root, { root }), false);
  assert.equal(needsStart(root, { root: { id: "player" } }), true);
  assert.equal(needsStart(null, null), false);
});

test("the fields a problem is about are marked invalid, in the form's order", () => {
  assert.deepEqual(invalidFields(["audio"]), ["#upload-audio"]);
  assert.deepEqual(invalidFields(["language", "title"]), ["#upload-title", "#upload-language"]);
  assert.deepEqual(invalidFields(["transcript"]),
    ["fieldset.transcript-choice", "#upload-transcript", "#upload-text"]);
  assert.deepEqual(invalidFields(["form"]), []); // about the whole form: no one field
});
