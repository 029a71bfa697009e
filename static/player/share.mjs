/*
 * share.mjs: links to share. The sentence tools (play, link) beside a hovered or focused
 * sentence, a link to the moment playing (the word being said), a selected quote with its
 * link and clip (from its first word to its last), the clipboard or, where it cannot be
 * written, a field to copy from; Shift+↓/↑ (keys.mjs) selects whole sentences as a quote.
 * The player's `share` (player.js): the sentence tools and the selection are its own.
 */
import { clock, shareQuery } from "../moments.mjs";
import { clipFits, ms, quoteTimes } from "./helpers.mjs";

/** A word as a message names it: without the punctuation around it. */
function sayable(text) {
  return text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "") || text;
}

export class Share {
  /** @param {import("../player.js").TranscriptPlayer} player */
  constructor(player) {
    this.player = player;
  }

  setupShare() {
    const p = this.player;
    this.tools = p.root.querySelector("#sentence-tools");
    this.shareSel = p.root.querySelector("#share-selection");
    [this.tools, this.shareSel, p.highlight.backToNow, p.root.querySelector("#play-from")]
      .forEach((el) => { if (el) el.classList.add("floating"); });
    let timer = 0;
    let lastX = -1;
    let lastY = -1;
    // mousemove, not mouseover: text scrolled under a resting pointer does not move the tools
    p.transcript.addEventListener("mousemove", (e) => {
      if (e.clientX === lastX && e.clientY === lastY) return;
      lastX = e.clientX;
      lastY = e.clientY;
      const el = e.target.closest("a.s");
      if (!el || el === this.toolsFor) return;
      clearTimeout(timer);
      timer = setTimeout(() => this.showTools(el), p.options.hoverDelay);
    }, p.listen);
    p.transcript.addEventListener("mouseleave", () => clearTimeout(timer), p.listen);
    p.transcript.addEventListener("focusin", (e) => {
      const el = e.target.closest("a.s");
      if (el) this.showTools(el);
    }, p.listen);
    window.addEventListener("resize", () => this.moveTools(), p.listen);
    if (this.tools) {
      this.tools.addEventListener("mouseenter", () => clearTimeout(timer), p.listen);
      this.tools.addEventListener("click", (e) => {
        const button = e.target.closest("button[data-action]");
        const el = this.toolsFor;
        if (!button || !el) return;
        e.stopPropagation();
        if (button.dataset.action === "play-sentence") p.playSentence(p.byId.get(el.id));
        if (button.dataset.action === "share-sentence") this.shareSentence(el);
      }, p.listen);
    }
    const check = () => this.onSelection();
    document.addEventListener("selectionchange", () => {
      clearTimeout(this.selTimer);
      this.selTimer = setTimeout(check, 200);
    }, p.listen);
    if (this.shareSel) {
      // keep the selection when the menu is pressed
      this.shareSel.addEventListener("mousedown", (e) => e.preventDefault(), p.listen);
      this.shareSel.addEventListener("click", (e) => {
        const copy = e.target.closest("[data-action='copy-quote']");
        if (copy && this.selected) this.copyLink(this.selected.url, "Link to the quote copied");
      }, p.listen);
    }
  }

  showTools(el) {
    if (!this.tools) return;
    this.toolsFor = el;
    this.tools.hidden = false;
    this.placeTools(el);
  }

  /** The page moved (a scroll, a resize): the tools shown go with their sentence. */
  moveTools() {
    if (this.tools && !this.tools.hidden && this.toolsFor) this.placeTools(this.toolsFor);
  }

  /**
   * The lit sentence is now `el` (highlight.mjs): on a phone the docked sentence tools
   * are for the sentence tapped; once playing moves on they go, so they do not sit over
   * the words being read.
   */
  litMoved(el) {
    const tools = this.tools;
    if (tools && !tools.hidden && tools.classList.contains("docked")
        && this.toolsFor && el !== this.toolsFor && !this.player.audio.paused) {
      tools.hidden = true;
      this.toolsFor = null;
    }
  }

  /**
   * Wide screens: in the margin right of the transcript (upright where the margin is
   * narrow), level with the sentence's first line, so no word and none of the side's
   * links is covered. Narrow ones: a strip above the control bar (CSS).
   */
  placeTools(el) {
    const { root, transcript, embedded } = this.player;
    const tools = this.tools;
    if (window.matchMedia("(max-width: 40rem)").matches || embedded) {
      tools.style.removeProperty("top");
      tools.style.removeProperty("left");
      tools.classList.add("docked");
      tools.classList.remove("upright");
      return;
    }
    tools.classList.remove("docked");
    const first = el.getClientRects()[0] || el.getBoundingClientRect();
    const box = transcript.getBoundingClientRect();
    // the margin ends where the side (search, downloads) begins, when it is beside the text
    const side = root.querySelector(".side");
    const sideBox = side && side.getBoundingClientRect();
    const beside = sideBox && sideBox.width && sideBox.left >= box.right - 1;
    const edge = beside ? sideBox.left : document.documentElement.clientWidth;
    // upright in a narrow margin, so it covers neither the text nor the side's links
    tools.classList.toggle("upright", edge - box.right < 110);
    const parent = tools.offsetParent || document.body;
    const origin = parent.getBoundingClientRect();
    const w = tools.offsetWidth;
    const h = tools.offsetHeight;
    const room = edge - box.right;
    const left = room >= w + 8 ? box.right + (room - w) / 2 : box.right - w;
    tools.style.left = `${Math.max(4, left - origin.left)}px`;
    tools.style.top = `${first.top + first.height / 2 - h / 2 - origin.top}px`;
  }

  pageUrl(query) {
    const url = new URL(this.player.root.dataset.page, window.location.href);
    url.search = query || "";
    return url.toString();
  }

  shareSentence(el) {
    const url = new URL(this.player.root.dataset.page, window.location.href);
    url.pathname = url.pathname.replace(/\/$/, "") + "/s/" + encodeURIComponent(el.id);
    this.copyLink(url.toString(), "Link to the sentence copied");
  }

  shareNow() {
    // the word being said names the moment: the link starts at its first moment (and so
    // lights it, and its sentence); between words, to the millisecond, so the link
    // lights the sentence lit now, even at its first moment
    const word = this.player.karaoke.wordNow();
    const t = word ? word.begin : ms(this.player.audio.currentTime);
    const named = word ? ` (“${sayable(word.text)}”)` : "";
    this.copyLink(this.pageUrl(shareQuery(t)), `Link to ${clock(t)}${named} copied`);
  }

  clipUrl(startMs, endMs) {
    const url = new URL(this.player.root.dataset.page, window.location.href);
    url.pathname = url.pathname.replace(/\/$/, "") + "/clip.mp3";
    url.search = shareQuery(startMs, endMs);
    return url.toString();
  }

  onSelection() {
    const p = this.player;
    if (!this.shareSel) return;
    const hide = () => { this.shareSel.hidden = true; this.selected = null; this.kbdQuote = null; };
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount || !sel.toString().trim()) { hide(); return; }
    const range = sel.getRangeAt(0);
    if (!p.transcript.contains(range.commonAncestorContainer)) { hide(); return; }
    let first = -1;
    let last = -1;
    const elementOf = (node) => (node.nodeType === 1 ? node : node.parentElement);
    const startEl = elementOf(range.startContainer).closest("a.s");
    const endEl = elementOf(range.endContainer).closest("a.s");
    if (startEl && endEl) {
      first = p.byId.get(startEl.id);
      last = p.byId.get(endEl.id);
    } else {
      p.sentences.forEach((el, i) => {
        if (range.intersectsNode(el)) { if (first < 0) first = i; last = i; }
      });
    }
    if (first == null || first < 0) { hide(); return; }
    // from the first word selected to the end of the last (karaoke.mjs), where the
    // sentences have word times; else from the first sentence's start to the last's end
    const from = startEl && p.karaoke.wordEdgeTime(startEl, range.startContainer, range.startOffset, "start");
    const to = endEl && p.karaoke.wordEdgeTime(endEl, range.endContainer, range.endOffset, "end");
    const { begin, end } = quoteTimes(from != null ? from / 1000 : p.begins[first],
      to != null ? to / 1000 : p.ends[last]);
    const when = `${clock(begin)}–${clock(end)}`;
    this.selected = { url: this.pageUrl(shareQuery(begin, end)) };
    const copy = this.shareSel.querySelector("[data-action='copy-quote']");
    copy.textContent = `Share this quote (${when})`;
    const clip = this.shareSel.querySelector(".download-clip");
    if (clip) {
      const fits = clipFits(begin, end, p.options.maxClipMs);
      clip.hidden = !fits;
      if (fits) clip.href = this.clipUrl(begin, end);
    }
    const rect = range.getBoundingClientRect();
    this.shareSel.hidden = false;
    const w = this.shareSel.offsetWidth;
    const left = Math.min(Math.max(8, rect.left + rect.width / 2 - w / 2),
      document.documentElement.clientWidth - w - 8);
    const origin = (this.shareSel.offsetParent || document.body).getBoundingClientRect();
    this.shareSel.style.left = `${left - origin.left}px`;
    this.shareSel.style.top = `${rect.bottom - origin.top + 8}px`;
  }

  /** Shift+↓/↑ on a sentence (keys.mjs): select whole sentences from it, as a quote to share. */
  extendSelection(el, delta) {
    const { byId, sentences } = this.player;
    const i = byId.get(el.id);
    if (i == null) return;
    if (!this.kbdQuote || this.kbdQuote.anchor !== i) this.kbdQuote = { anchor: i, head: i };
    const q = this.kbdQuote;
    q.head = Math.min(sentences.length - 1, Math.max(0, q.head + delta));
    const [a, b] = q.anchor <= q.head ? [q.anchor, q.head] : [q.head, q.anchor];
    const range = document.createRange();
    range.setStartBefore(sentences[a].firstChild || sentences[a]);
    range.setEndAfter(sentences[b].lastChild || sentences[b]);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    this.onSelection();
  }

  copyLink(url, message) {
    const invoker = document.activeElement;
    const fallback = () => this.showLinkBox(url, invoker);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(() => this.player.toast(message, url), fallback);
    } else {
      fallback();
    }
  }

  /**
   * Where the clipboard cannot be written: the link in a field, selected, to copy by hand.
   * It stays until Escape, Done or a click elsewhere, and focus goes back where it was.
   */
  showLinkBox(url, invoker) {
    const box = this.player.root.querySelector("#link-box");
    if (!box) { this.player.toast(`Copy this link: ${url}`); return; }
    const input = box.querySelector("input");
    const done = box.querySelector("button");
    input.value = url;
    box.hidden = false;
    input.focus();
    input.select();
    const close = (restore) => {
      box.hidden = true;
      ac.abort();
      if (restore && invoker && invoker.isConnected && invoker.focus) invoker.focus({ preventScroll: true });
    };
    const ac = new AbortController();
    const opts = { signal: ac.signal };
    box.addEventListener("keydown", (e) => {
      if (e.key === "Escape" || (e.key === "Enter" && e.target === input)) { e.preventDefault(); close(true); }
    }, opts);
    done.addEventListener("click", () => close(true), opts);
    box.addEventListener("focusout", (e) => {
      if (!box.contains(e.relatedTarget)) close(false);
    }, opts);
  }
}
