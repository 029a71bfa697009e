// Unit test of static/old-ids.mjs: an edited sentence's former id leads to its new one.
import assert from "node:assert/strict";
import { test } from "node:test";

// the module rewrites the address when loaded: give it a window with none to rewrite
globalThis.window = { location: { hash: "" }, history: {}, addEventListener() {} };
globalThis.document = { getElementById: () => null };
const { currentId } = await import("../../static/old-ids.mjs");

function page(elements) {
  return {
    getElementById: (id) => elements[id] || null,
  };
}

function alias(sid) {
  return { classList: { contains: (c) => c === "sid-alias" }, dataset: { sid } };
}

test("a former id names the sentence that has it now", () => {
  const doc = page({ "s-old": alias("s-new"), "s-new": { classList: { contains: () => false }, dataset: {} } });
  assert.equal(currentId(doc, "s-old"), "s-new");
});

test("a current id, an unknown one, or none is left alone", () => {
  const doc = page({ "s-new": { classList: { contains: () => false }, dataset: {} } });
  assert.equal(currentId(doc, "s-new"), null);
  assert.equal(currentId(doc, "s-gone"), null);
  assert.equal(currentId(doc, null), null);
});
