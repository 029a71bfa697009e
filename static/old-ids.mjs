/*
 * old-ids.mjs: a link to an edited sentence's former id (`#s-…`) opens its new one.
 *
 * Editing a sentence's words gives it a new id (ids come from the words); the page keeps
 * each former id as an empty anchor (`span.sid-alias`) right before the sentence, so the
 * browser scrolls there without script. This module runs before player.js (module scripts
 * run in document order) and rewrites the address to the new id, so the player lights and
 * starts the sentence as it does for any `#s-` link.
 */
import { sentenceFragment } from "./moments.mjs";

/** The current id an anchor `sid` stands for, or null when it is no former id. */
export function currentId(doc, sid) {
  if (!sid) return null;
  const el = doc.getElementById(sid);
  return el && el.classList.contains("sid-alias") ? el.dataset.sid || null : null;
}

function follow() {
  const now = currentId(document, sentenceFragment(window.location.hash));
  if (now && window.history.replaceState) {
    window.history.replaceState(window.history.state, "", `#${now}`);
  }
}

follow();
window.addEventListener("hashchange", follow);
