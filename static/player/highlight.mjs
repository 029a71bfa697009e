/*
 * highlight.mjs: the lit sentence follows the audio, and the page follows the lit sentence.
 *
 * `update()` (run on every frame while playing and on every media event) lights the
 * sentence at the audio's time with `aria-current` (and its word being said), moves the
 * timeline's playhead and pauses where a quote or study mode asks. Follow mode keeps the
 * lit sentence in view until the reader scrolls away; then "Back to now" offers the way
 * back. Which sentence is lit, the stop and follow mode are the player's state
 * (state.mjs): read here, changed through its transitions.
 */
import { ms } from "./helpers.mjs";

export class Highlight {
  /** @param {import("../player.js").TranscriptPlayer} player */
  constructor(player) {
    this.player = player;
    this.rafId = 0;
    this.autoScrollUntil = 0; // until then (performance.now()) a scroll is ours, not the reader's
    this.reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  }

  startLoop() {
    cancelAnimationFrame(this.rafId);
    const tick = () => {
      this.update();
      if (!this.player.audio.paused) this.rafId = requestAnimationFrame(tick);
    };
    this.rafId = requestAnimationFrame(tick);
  }

  stopLoop() {
    cancelAnimationFrame(this.rafId);
    this.rafId = 0;
  }

  /** Light the sentence at the audio's time, move the playhead, stop where asked. */
  update() {
    const p = this.player;
    const { audio, state, stats } = p;
    const t0 = performance.now();
    const t = audio.currentTime || 0;
    // a quote's end or study mode's (the stop is spent with it)
    if (state.reachedStop(t, !audio.paused)) audio.pause();
    const k = p.rankAt(t);
    // once inside the sentence a seek lit ahead, playing on keeps it lit through the pause
    if (state.ahead && k >= 0 && ms(t) >= p.sortedBegins[k]) state.reachedSentence();
    const i = k < 0 ? -1 : p.order[k];
    const was = state.current;
    if (i !== was) {
      const old = p.sentences[was];
      if (old) old.removeAttribute("aria-current");
      const el = p.sentences[i];
      if (el) el.setAttribute("aria-current", "true");
      state.setCurrent(i);
      stats.changes += 1;
      p.share.litMoved(el);
      if (el) {
        if (!p.transcript.contains(document.activeElement)) p.setRover(el);
        this.keepInView(el);
      }
    }
    // the word being said, inside the lit sentence (karaoke.mjs)
    p.karaoke.lightWord(i, t);
    const { outline } = p;
    if (outline.speakerFilter && !audio.paused && i >= 0
        && outline.speakerList[i] !== outline.speakerFilter) outline.skipToSpeaker();
    outline.markChapter(t);
    if (p.playhead) {
      const x = String(ms(t));
      p.playhead.setAttribute("x1", x);
      p.playhead.setAttribute("x2", x);
    }
    const spent = performance.now() - t0;
    stats.updates += 1;
    stats.totalMs += spent;
    if (spent > stats.maxMs) stats.maxMs = spent;
  }

  setupFollow() {
    const p = this.player;
    this.deck = p.root.querySelector(".deck");
    this.backToNow = p.root.querySelector("#back-to-now");
    this.controlsBar = p.root.querySelector(".controls");
    const measure = () => {
      const h = this.deck && !p.embedded ? this.deck.offsetHeight : 0;
      document.documentElement.style.setProperty("--deck-h", `${h}px`);
      this.deckHeight = h;
    };
    measure();
    if (window.ResizeObserver && this.deck) new ResizeObserver(measure).observe(this.deck);
    const userScroll = () => { this.autoScrollUntil = 0; };
    const passive = { passive: true, signal: p.controller.signal };
    window.addEventListener("wheel", userScroll, passive);
    window.addEventListener("touchmove", userScroll, passive);
    window.addEventListener("scroll", () => this.onScroll(), passive);
    if (p.embedded) p.transcript.addEventListener("scroll", () => this.onScroll(), passive);
    if (this.backToNow) {
      this.backToNow.addEventListener("click", () => {
        this.attach();
        const el = p.sentences[p.state.current];
        if (el) el.focus({ preventScroll: true });
      }, p.listen);
    }
  }

  /** Where the lit part of the page is: the window, or the embed's transcript box. */
  viewport() {
    const p = this.player;
    if (p.embedded) {
      const r = p.transcript.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    }
    // on a phone the control bar, the docked sentence tools and "Back to now" float
    // over the bottom of the page: the lit sentence is kept above them
    let bottom = window.innerHeight;
    const floating = [this.controlsBar, p.share.tools, this.backToNow];
    for (const el of floating) {
      if (!el || el.hidden || getComputedStyle(el).position !== "fixed") continue;
      const r = el.getBoundingClientRect();
      if (r.height && r.top > bottom / 2 && r.top < bottom) bottom = r.top;
    }
    return { top: this.deckHeight || 0, bottom };
  }

  inView(el) {
    const r = el.getBoundingClientRect();
    const v = this.viewport();
    return r.bottom > v.top + 8 && r.top < v.bottom - 8;
  }

  comfortablyInView(el) {
    const embedded = this.player.embedded;
    const r = el.getBoundingClientRect();
    const v = this.viewport();
    const margin = embedded ? 0 : 24;
    return r.top >= v.top + margin && r.bottom <= v.bottom - (embedded ? 0 : 48);
  }

  scrollTo(el, instant) {
    const jump = instant || this.reducedMotion.matches;
    this.autoScrollUntil = performance.now() + (jump ? 150 : 900);
    if (this.player.embedded) {
      // scrollIntoView would scroll the page that frames the embed too
      const box = this.player.transcript;
      const r = el.getBoundingClientRect();
      const top = r.top - box.getBoundingClientRect().top + box.scrollTop;
      // centred; a sentence taller than the window shows its start
      const slack = Math.max(0, (box.clientHeight - r.height) / 2);
      box.scrollTo({ top: top - slack, behavior: jump ? "auto" : "smooth" });
      return;
    }
    el.scrollIntoView({ block: "center", behavior: jump ? "auto" : "smooth" });
  }

  keepInView(el) {
    const { following, detached } = this.player.state;
    if (!following || detached) {
      if (following && detached) this.showBackToNow(true);
      return;
    }
    if (!this.comfortablyInView(el)) this.scrollTo(el);
  }

  /** Follow again and bring the lit sentence into view if it is not. */
  reveal() {
    const el = this.nowElement();
    if (this.player.state.following && el && !this.comfortablyInView(el)) this.scrollTo(el);
  }

  onScroll() {
    const state = this.player.state;
    this.player.share.moveTools();
    if (!state.following) return;
    const el = this.nowElement();
    if (!el) return;
    if (performance.now() < this.autoScrollUntil) return;
    const visible = this.inView(el);
    const detached = state.detached;
    if (!visible && !detached) {
      state.detach();
      this.showBackToNow(true);
    } else if (visible && detached) {
      state.attach();
      this.showBackToNow(false);
    } else if (detached) {
      this.showBackToNow(true);
    }
  }

  /** Follow again: bring the lit sentence into view and hide "back to now". */
  attach() {
    this.player.state.attach();
    this.showBackToNow(false);
    this.reveal();
  }

  /** The lit sentence, or before any is lit, the first one to be: where "now" is. */
  nowElement() {
    const p = this.player;
    return p.sentences[p.state.current] || (p.order.length ? p.sentences[p.order[0]] : null);
  }

  showBackToNow(show) {
    if (!this.backToNow) return;
    const el = this.nowElement();
    const visible = !!(show && el);
    this.backToNow.hidden = !visible;
    if (visible) {
      // the arrow points to where the lit sentence is
      const above = el.getBoundingClientRect().bottom < this.viewport().top + 8;
      this.backToNow.textContent = `${above ? "↑" : "↓"} Back to now`;
      this.backToNow.dataset.direction = above ? "up" : "down";
    }
  }
}
