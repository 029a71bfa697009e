/*
 * highlight.mjs: the lit sentence follows the audio, and the page follows the lit sentence.
 *
 * `update()` (run on every frame while playing and on every media event) lights the
 * sentence at the audio's time with `aria-current` (and its word being said), moves the
 * timeline's playhead and pauses where a quote or study mode asks. Follow mode keeps the
 * lit sentence in view until the reader scrolls away; then "Back to now" offers the way
 * back.
 * Methods of `TranscriptPlayer` (player.js mixes them in).
 */
import { ms } from "./helpers.mjs";

export const highlight = {
  startLoop() {
    cancelAnimationFrame(this.rafId);
    const tick = () => {
      this.update();
      if (!this.audio.paused) this.rafId = requestAnimationFrame(tick);
    };
    this.rafId = requestAnimationFrame(tick);
  },

  stopLoop() {
    cancelAnimationFrame(this.rafId);
    this.rafId = 0;
  },

  /** Light the sentence at the audio's time, move the playhead, stop where asked. */
  update() {
    const t0 = performance.now();
    const t = this.audio.currentTime || 0;
    // a quote's end or study mode's (the stop is spent with it)
    if (this.state.reachedStop(t, !this.audio.paused)) this.audio.pause();
    const k = this.rankAt(t);
    // once inside the sentence a seek lit ahead, playing on keeps it lit through the pause
    if (this.state.ahead && k >= 0 && ms(t) >= this.sortedBegins[k]) this.state.reachedSentence();
    const i = k < 0 ? -1 : this.order[k];
    const was = this.state.current;
    if (i !== was) {
      const old = this.sentences[was];
      if (old) old.removeAttribute("aria-current");
      const el = this.sentences[i];
      if (el) el.setAttribute("aria-current", "true");
      this.state.setCurrent(i);
      this.stats.changes += 1;
      // on a phone the docked sentence tools are for the sentence tapped: once playing
      // moves on they go, so they do not sit over the words being read
      if (this.tools && !this.tools.hidden && this.tools.classList.contains("docked")
          && this.toolsFor && el !== this.toolsFor && !this.audio.paused) {
        this.tools.hidden = true;
        this.toolsFor = null;
      }
      if (el) {
        if (!this.transcript.contains(document.activeElement)) this.setRover(el);
        this.keepInView(el);
      }
    }
    // the word being said, inside the lit sentence (karaoke.mjs)
    this.lightWord(i, t);
    if (this.speakerFilter && !this.audio.paused && i >= 0
        && this.speakerList[i] !== this.speakerFilter) this.skipToSpeaker();
    this.markChapter(t);
    if (this.playhead) {
      const x = String(ms(t));
      this.playhead.setAttribute("x1", x);
      this.playhead.setAttribute("x2", x);
    }
    const spent = performance.now() - t0;
    this.stats.updates += 1;
    this.stats.totalMs += spent;
    if (spent > this.stats.maxMs) this.stats.maxMs = spent;
  },

  setupFollow() {
    this.deck = this.root.querySelector(".deck");
    this.backToNow = this.root.querySelector("#back-to-now");
    this.controlsBar = this.root.querySelector(".controls");
    const measure = () => {
      const h = this.deck && !this.embedded ? this.deck.offsetHeight : 0;
      document.documentElement.style.setProperty("--deck-h", `${h}px`);
      this.deckHeight = h;
    };
    measure();
    if (window.ResizeObserver && this.deck) new ResizeObserver(measure).observe(this.deck);
    const userScroll = () => { this.autoScrollUntil = 0; };
    const passive = { passive: true, signal: this.controller.signal };
    window.addEventListener("wheel", userScroll, passive);
    window.addEventListener("touchmove", userScroll, passive);
    window.addEventListener("scroll", () => this.onScroll(), passive);
    if (this.embedded) this.transcript.addEventListener("scroll", () => this.onScroll(), passive);
    if (this.backToNow) {
      this.backToNow.addEventListener("click", () => {
        this.attach();
        const el = this.sentences[this.state.current];
        if (el) el.focus({ preventScroll: true });
      }, this.listen);
    }
  },

  /** Where the lit part of the page is: the window, or the embed's transcript box. */
  viewport() {
    if (this.embedded) {
      const r = this.transcript.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    }
    // on a phone the control bar, the docked sentence tools and "Back to now" float
    // over the bottom of the page: the lit sentence is kept above them
    let bottom = window.innerHeight;
    const floating = [this.controlsBar, this.tools, this.backToNow];
    for (const el of floating) {
      if (!el || el.hidden || getComputedStyle(el).position !== "fixed") continue;
      const r = el.getBoundingClientRect();
      if (r.height && r.top > bottom / 2 && r.top < bottom) bottom = r.top;
    }
    return { top: this.deckHeight || 0, bottom };
  },

  inView(el) {
    const r = el.getBoundingClientRect();
    const v = this.viewport();
    return r.bottom > v.top + 8 && r.top < v.bottom - 8;
  },

  comfortablyInView(el) {
    const r = el.getBoundingClientRect();
    const v = this.viewport();
    const margin = this.embedded ? 0 : 24;
    return r.top >= v.top + margin && r.bottom <= v.bottom - (this.embedded ? 0 : 48);
  },

  scrollTo(el, instant) {
    const jump = instant || this.reducedMotion.matches;
    this.autoScrollUntil = performance.now() + (jump ? 150 : 900);
    if (this.embedded) {
      // scrollIntoView would scroll the page that frames the embed too
      const box = this.transcript;
      const r = el.getBoundingClientRect();
      const top = r.top - box.getBoundingClientRect().top + box.scrollTop;
      // centred; a sentence taller than the window shows its start
      const slack = Math.max(0, (box.clientHeight - r.height) / 2);
      box.scrollTo({ top: top - slack, behavior: jump ? "auto" : "smooth" });
      return;
    }
    el.scrollIntoView({ block: "center", behavior: jump ? "auto" : "smooth" });
  },

  keepInView(el) {
    const { following, detached } = this.state;
    if (!following || detached) {
      if (following && detached) this.showBackToNow(true);
      return;
    }
    if (!this.comfortablyInView(el)) this.scrollTo(el);
  },

  /** Follow again and bring the lit sentence into view if it is not. */
  reveal() {
    const el = this.nowElement();
    if (this.state.following && el && !this.comfortablyInView(el)) this.scrollTo(el);
  },

  onScroll() {
    if (this.tools && !this.tools.hidden && this.toolsFor) this.placeTools(this.toolsFor);
    if (!this.state.following) return;
    const el = this.nowElement();
    if (!el) return;
    if (performance.now() < this.autoScrollUntil) return;
    const visible = this.inView(el);
    const detached = this.state.detached;
    if (!visible && !detached) {
      this.state.detach();
      this.showBackToNow(true);
    } else if (visible && detached) {
      this.state.attach();
      this.showBackToNow(false);
    } else if (detached) {
      this.showBackToNow(true);
    }
  },

  /** Follow again: bring the lit sentence into view and hide "back to now". */
  attach() {
    this.state.attach();
    this.showBackToNow(false);
    this.reveal();
  },

  /** The lit sentence, or before any is lit, the first one to be: where "now" is. */
  nowElement() {
    return this.sentences[this.state.current] || (this.order.length ? this.sentences[this.order[0]] : null);
  },

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
  },
};
