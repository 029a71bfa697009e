/*
 * search.mjs: the server's search (a plain form without script) marked in the transcript.
 *
 * Each hit in the results names its sentence (data-sid) and carries the sentence with its
 * matched words in <mark>, as the engine found them (typos and number forms included).
 * The same words are marked in the transcript, and "2 of 4" with Previous and Next goes
 * from one matching sentence to the next (Enter in the field goes to the first). A hit in
 * the list plays from the first word it matched (its data-begin, which the server
 * gives: the sentence's start when it has no word times).
 * The player's `search` (player.js).
 */
import { cycle, markedRanges } from "./helpers.mjs";

/** Wrap the characters `ranges` ([start, end) of el's text) of `el` in <mark>s. */
function wrapRanges(el, ranges) {
  if (!ranges.length) return;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  let offset = 0;
  for (const node of nodes) {
    const start = offset;
    const end = offset + node.data.length;
    offset = end;
    // from the last range back, so the earlier offsets in this node stay right
    for (const [a, b] of ranges.slice().reverse()) {
      const from = Math.max(a, start);
      const to = Math.min(b, end);
      if (from >= to) continue;
      const r = document.createRange();
      r.setStart(node, from - start);
      r.setEnd(node, to - start);
      const mark = document.createElement("mark");
      mark.className = "search-mark";
      r.surroundContents(mark);
    }
  }
}

export class Search {
  /** @param {import("../player.js").TranscriptPlayer} player */
  constructor(player) {
    this.player = player;
  }

  setupSearch() {
    const p = this.player;
    this.hitSentences = [];
    this.hitAt = -1;
    p.root.addEventListener("click", (e) => {
      const nav = e.target.closest("button[data-action^='hit-']");
      if (nav) {
        this.goToHit(nav.dataset.action === "hit-next" ? 1 : -1);
        return;
      }
      const hit = e.target.closest("a.hit[data-begin]");
      if (!hit || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      const i = p.byId.get(hit.dataset.sid);
      if (i != null && hit.classList.contains("hit-unsaid")) {
        // not in the recording: show it where it is written
        p.setRover(p.sentences[i]);
        p.highlight.scrollTo(p.sentences[i]);
      } else if (i != null) p.playSentence(i, parseFloat(hit.dataset.begin));
      // its sentence in a part not on the page yet (parts.mjs fetches it)
      else p.jumpTo(parseFloat(hit.dataset.begin), true);
    }, p.listen);
    document.body.addEventListener("htmx:afterSwap", (e) => {
      const target = e.detail && e.detail.target;
      if (!target || target.id !== "search-results") return;
      // Enter (the form's submit) goes to the first match; typing only marks them
      const elt = e.detail.requestConfig && e.detail.requestConfig.elt;
      this.markHits(!!(elt && elt.tagName === "FORM"));
    }, p.listen);
    // a transcript part filled in later gets its marks too
    p.root.addEventListener("transcript-player:refreshed", () => this.markHits(false, true),
      p.listen);
    this.markHits(false);
  }

  /** Mark the results' words in the transcript; `go`: scroll to the first match. */
  markHits(go, keepPlace = false) {
    const { root, transcript } = this.player;
    const results = root.querySelector("#search-results");
    if (!results) return;
    transcript.querySelectorAll("mark").forEach((m) => {
      const parent = m.parentNode;
      m.replaceWith(...m.childNodes);
      parent.normalize();
    });
    const hits = Array.from(results.querySelectorAll("a.hit[data-sid]"));
    this.hitSentences = [];
    for (const hit of hits) {
      const el = document.getElementById(hit.dataset.sid);
      const text = hit.querySelector(".hit-text");
      if (!el || !text || !transcript.contains(el)) continue;
      const parts = Array.from(text.childNodes, (n) => ({
        text: n.textContent, marked: n.nodeName === "MARK" }));
      wrapRanges(el, markedRanges(parts));
      this.hitSentences.push({ el, hit });
    }
    const nav = results.querySelector(".hit-nav");
    if (nav) nav.hidden = this.hitSentences.length === 0;
    if (!keepPlace || this.hitAt >= this.hitSentences.length) this.hitAt = this.hitSentences.length ? 0 : -1;
    this.showHit(go);
  }

  /** Go to the next (+1) or previous (-1) matching sentence, round the ends. */
  goToHit(delta) {
    if (!this.hitSentences.length) return;
    this.hitAt = cycle(this.hitAt, this.hitSentences.length, delta);
    this.showHit(true);
  }

  showHit(go) {
    const p = this.player;
    const { highlight, state } = p;
    p.transcript.querySelectorAll("mark.hit-current").forEach((m) => m.classList.remove("hit-current"));
    p.root.querySelectorAll("a.hit[aria-current]").forEach((a) => a.removeAttribute("aria-current"));
    const pos = p.root.querySelector("#search-results .hit-pos");
    const n = this.hitSentences.length;
    if (pos) pos.textContent = n ? `${this.hitAt + 1} of ${n}` : "";
    const at = this.hitSentences[this.hitAt];
    if (!at) return;
    at.el.querySelectorAll("mark").forEach((m) => m.classList.add("hit-current"));
    at.hit.setAttribute("aria-current", "true");
    if (!go) return;
    p.setRover(at.el);
    // reading the matches is not listening: the lit sentence may go out of view
    // (detached, while following)
    if (at.el !== p.sentences[state.current]) state.detach();
    highlight.scrollTo(at.el);
    if (!state.detached) return;
    setTimeout(() => {
      const now = highlight.nowElement();
      const back = !!(now && !highlight.inView(now));
      if (!back) state.attach();
      highlight.showBackToNow(back);
    }, 950);
  }
}
