// The player's toast (static/player/toast.mjs): `node --test tests/js/`.
import { mock, test } from "node:test";
import assert from "node:assert/strict";

import { toaster } from "../../static/player/toast.mjs";

/** A root holding a #toast that keeps what the toaster does to it. */
function page(withToast = true) {
  const classes = new Set();
  const el = {
    textContent: "",
    dataset: {},
    classList: { add: (c) => classes.add(c), remove: (c) => classes.delete(c) },
    shown: () => classes.has("shown"),
  };
  return { el, root: { querySelector: (sel) => (withToast && sel === "#toast" ? el : null) } };
}

test("a message shows for its time, and a later one starts the time again", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const { el, root } = page();
    const toast = toaster(root, 1000);
    toast("Link to the sentence copied", "https://example.org/r/1/s/a");
    assert.equal(el.textContent, "Link to the sentence copied");
    assert.equal(el.dataset.copied, "https://example.org/r/1/s/a");
    assert.ok(el.shown());
    mock.timers.tick(800);
    toast("Study mode off.");
    assert.equal(el.textContent, "Study mode off.");
    assert.equal(el.dataset.copied, "https://example.org/r/1/s/a", "kept until something else is copied");
    mock.timers.tick(800);
    assert.ok(el.shown(), "the second message has its own time");
    mock.timers.tick(200);
    assert.ok(!el.shown());
  } finally {
    mock.timers.reset();
  }
});

test("a page without a #toast drops messages", () => {
  const { el, root } = page(false);
  const toast = toaster(root, 1000);
  assert.doesNotThrow(() => toast("nobody hears this"));
  assert.equal(el.textContent, "");
});
