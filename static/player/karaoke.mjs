/*
 * karaoke.mjs: the word being said, lit inside the lit sentence; a click on a word plays
 * from it; a selection's words give a quote its exact ends.
 *
 * The server sends no element per word (a four-hour hearing has 150,000 of them): each
 * sentence that has word times carries them in `data-words` (words.mjs reads them), and
 * this module wraps the words of a sentence in elements (`[data-word][data-begin]`,
 * seconds) only when they are needed: the lit sentence and its neighbours, and a
 * sentence the pointer comes over (before its click or drag). Sentences wrapped long ago
 * are unwrapped again, so the page holds a few dozen word elements at a time. The lit
 * word has `aria-current="time"`; its sentence keeps `aria-current="true"`.
 * The player's `karaoke` (player.js).
 */
import { sentenceAt } from "../moments.mjs";
import { ms } from "./helpers.mjs";
import { parseWordTimes, splitWords, wordAtOffset, wordRuns } from "./words.mjs";

const KEEP = 24; // wrapped sentences kept before the oldest are unwrapped

/** The text of `el` as pieces ({text, mark}), or null when it holds other elements. */
function piecesOf(el) {
  const pieces = [];
  for (const node of el.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) pieces.push({ text: node.data, mark: null });
    else if (node.nodeName === "MARK" && node.childNodes.length === 1
             && node.firstChild.nodeType === Node.TEXT_NODE) {
      pieces.push({ text: node.firstChild.data, mark: node });
    } else if (node.nodeType === Node.ELEMENT_NODE) return null;
  }
  return pieces;
}

/** Build the parts of a run: text, or a copy of the search mark it was in. */
function appendParts(parent, parts) {
  for (const { text, mark } of parts) {
    if (mark) {
      const copy = mark.cloneNode(false);
      copy.textContent = text;
      parent.appendChild(copy);
    } else parent.appendChild(document.createTextNode(text));
  }
}

export class Karaoke {
  /** @param {import("../player.js").TranscriptPlayer} player */
  constructor(player) {
    this.player = player;
    this.wordCache = new WeakMap(); // sentence element -> {attr, words} (wordsOf)
    this.wrapped = new Map();       // sentence element -> {attr, els} (oldest first)
    this.litWord = null;            // the word element lit, or null
    this.wordSentence = null;       // the sentence lightWord last wrapped as lit
    // the reader's selection, kept as it changes: asking for it while wrapping would
    // make the browser lay the page out again after each sentence wrapped (a
    // millisecond each on a long page)
    this.selectionRange = null;
  }

  setupWords() {
    document.addEventListener("selectionchange", () => {
      const sel = window.getSelection();
      this.selectionRange = sel && sel.rangeCount && !sel.isCollapsed ? sel.getRangeAt(0) : null;
    }, this.player.listen);
    // wrap a sentence as the pointer comes over it, so the click or the drag that
    // follows lands on its words (a touch sends pointerover before its pointerdown)
    this.player.transcript.addEventListener("pointerover", (e) => {
      const el = e.target.closest && e.target.closest("a.s[data-words]");
      if (el) this.wrapWords(el);
    }, this.player.listen);
  }

  /** Forget what was wrapped for sentences that are gone or whose times changed. */
  forgetWords() {
    for (const [el, entry] of this.wrapped) {
      if (!el.isConnected || el.dataset.words !== entry.attr) {
        if (el.isConnected) this.unwrapWords(el);
        else this.wrapped.delete(el);
      }
    }
    if (this.litWord && !this.litWord.isConnected) this.litWord = null;
    this.wordSentence = null; // wrapped again as it is lit
  }

  /** The word times and text spans of sentence `el`, or null when it has none. */
  wordsOf(el) {
    const attr = el && el.dataset.words;
    if (!attr) return null;
    const cached = this.wordCache.get(el);
    if (cached && cached.attr === attr) return cached.words;
    const times = parseWordTimes(attr);
    const spans = times && splitWords(el.textContent);
    // words that do not fit the text are not shown (the server never sends such)
    const words = times && spans.length === times.begins.length ? { ...times, spans } : null;
    this.wordCache.set(el, { attr, words });
    return words;
  }

  /** One element per word in sentence `el` (kept as they are when it has them). */
  wrapWords(el) {
    if (this.wrapped.has(el)) {
      // most recently used last
      const entry = this.wrapped.get(el);
      this.wrapped.delete(el);
      this.wrapped.set(el, entry);
      return entry.els;
    }
    const words = this.wordsOf(el);
    if (!words) return null;
    // never under a selection being made or kept: replacing its text would lose it
    if (this.underSelection(el)) return null;
    const pieces = piecesOf(el);
    if (!pieces) return null;
    const fragment = document.createDocumentFragment();
    const els = [];
    for (const run of wordRuns(pieces, words.spans)) {
      if (run.word < 0) { appendParts(fragment, run.parts); continue; }
      const span = document.createElement("span");
      span.dataset.word = "";
      // seconds, as a sentence's data-begin
      span.dataset.begin = (words.begins[run.word] / 1000).toFixed(3);
      appendParts(span, run.parts);
      fragment.appendChild(span);
      els.push(span);
    }
    el.replaceChildren(fragment);
    this.wrapped.set(el, { attr: el.dataset.words, els });
    this.unwrapOld();
    return els;
  }

  /** Back to plain text: the sentence's words lose their elements (marks stay). */
  unwrapWords(el) {
    el.querySelectorAll("[data-word]").forEach((w) => w.replaceWith(...w.childNodes));
    el.normalize();
    this.wrapped.delete(el);
    if (this.litWord && el.contains(this.litWord)) this.litWord = null;
  }

  /** True when the reader's selection takes in some of sentence `el`. */
  underSelection(el) {
    const range = this.selectionRange;
    return !!(range && !range.collapsed && range.intersectsNode(el));
  }

  /** Unwrap the sentences used longest ago beyond `KEEP`, but not the lit one. */
  unwrapOld() {
    const now = this.player.sentences[this.player.state.current];
    for (const el of this.wrapped.keys()) {
      if (this.wrapped.size <= KEEP) break;
      if (el === now || this.underSelection(el)) continue;
      this.unwrapWords(el);
    }
  }

  /** The word of sentence `i` being said at `t` (s), or -1 (the last one begun). */
  wordIndexAt(i, t) {
    const words = this.wordsOf(this.player.sentences[i]);
    if (!words) return -1;
    return sentenceAt(words.begins, words.ends, ms(t));
  }

  /**
   * Light the word of sentence `i` being said at `t` (s); none when no word of it is
   * begun yet (or `i` is -1). A sentence is wrapped as it is lit, and the one after it
   * in time with it, so its words are there before they are said.
   */
  lightWord(i, t) {
    const { sentences, order, rank } = this.player;
    const el = sentences[i];
    if (el && el !== this.wordSentence) {
      this.wordSentence = el;
      const next = order[(rank.get(i) ?? -2) + 1];
      this.wrapWords(el);
      if (next != null) this.wrapWords(sentences[next]);
    }
    let word = null;
    const k = el ? this.wordIndexAt(i, t) : -1;
    if (k >= 0) {
      const els = this.wrapWords(el);
      word = els ? els[k] : null;
    }
    if (word === this.litWord) return;
    if (this.litWord) this.litWord.removeAttribute("aria-current");
    if (word) word.setAttribute("aria-current", "time");
    this.litWord = word;
  }

  /**
   * The word element of sentence `el` under the point (`x`, `y`), or null: a click on
   * the space between words is on the sentence, not on a word. For a click that landed
   * on a sentence whose words were not wrapped when it was pressed (a tap, or a pointer
   * resting there while the sentence was unwrapped): wrapping moves no letter.
   */
  wordAtPoint(el, x, y) {
    const els = this.wrapWords(el);
    if (!els) return null;
    return els.find((w) => Array.from(w.getClientRects()).some(
      (r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom)) || null;
  }

  /**
   * Where a selection's edge (`node`, `offset`) in sentence `el` falls among its
   * words: the begin (edge "start") or end ("end") of that word, in ms; null when the
   * sentence has no word times or the edge is not in it.
   */
  wordEdgeTime(el, node, offset, edge) {
    const words = this.wordsOf(el);
    if (!words || !el.contains(node)) return null;
    const r = document.createRange();
    r.setStart(el, 0);
    r.setEnd(node, offset);
    const k = wordAtOffset(words.spans, r.toString().length, edge);
    if (k < 0) return null;
    return edge === "end" ? words.ends[k] : words.begins[k];
  }

  /** The lit word's text and begin (ms), or null. */
  wordNow() {
    const w = this.litWord;
    if (!w || !w.isConnected) return null;
    return { text: w.textContent, begin: ms(parseFloat(w.dataset.begin)) };
  }
}
