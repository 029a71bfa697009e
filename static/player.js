/*
 * player.js: the live part of the transcript player page (and of its embed).
 *
 * The server renders everything a reader needs (the transcript with a link per sentence,
 * the audio element, search that works as a plain form), so this script only adds what
 * must happen in the browser: the lit sentence follows the audio, a click plays from a
 * sentence, follow mode, keys, study mode, share links, and the timeline strip.
 *
 * Shape borrowed from Hyperaudio Lite: one options object, one `setup*` step per job,
 * one AbortController for every listener, a binary search for the current sentence.
 * What a link or a time means (parsing, building, which sentence it lights) is in
 * moments.mjs, shared with the server's tests. No inline script or style is needed
 * (the page runs under a strict CSP).
 */
import {
  clock, fragmentMoment, quoteSpan, sentenceAt, sentenceFragment, shareQuery,
} from "./moments.mjs";

const DEFAULTS = {
  seekStep: 5,             // seconds for ← and →
  hoverDelay: 120,         // ms before the sentence tools move to a hovered sentence
  toastMs: 2600,
  maxClipMs: 5 * 60 * 1000, // the server cuts clips up to five minutes
  speeds: ["0.75", "1", "1.25", "1.5", "1.75", "2"],
  storageKey: "transcript-player:speed",
};

/** Seconds (the media element's unit) to integer milliseconds (the program's unit). */
const ms = (sec) => Math.round((sec || 0) * 1000);

function isTyping(el) {
  return !!(el && el.closest && el.closest("input, textarea, select, [contenteditable='true']"));
}

class TranscriptPlayer {
  constructor(root, options) {
    this.root = root;
    this.options = Object.assign({}, DEFAULTS, options || {});
    this.audio = root.querySelector("#audio");
    this.transcript = root.querySelector("#transcript");
    this.embedded = root.dataset.embed != null;
    this.controller = new AbortController();
    this.current = -1;        // position (in DOM order) of the lit sentence
    this.ahead = true;        // a seek into a pause lights the sentence after it
    this.stopAt = null;       // pause here (s): a quoted range's end, or study mode's
    this.range = null;        // {start, end} (s) of a quote being played
    this.following = true;    // the Follow toggle
    this.detached = false;    // the reader scrolled away while following
    this.autoScrollUntil = 0;
    this.rafId = 0;
    // update() timings, read by benchmarks/player_bench.py
    this.stats = { updates: 0, changes: 0, totalMs: 0, maxMs: 0 };
    this.reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  }

  get listen() {
    return { signal: this.controller.signal };
  }

  setup() {
    this.setupSentences();
    this.setupAudio();
    this.setupControls();
    this.setupTranscript();
    this.setupTimeline();
    this.setupFollow();
    this.setupKeys();
    this.setupSearch();
    this.setupShare();
    this.setupSkip();
    this.setupStart();
    window.addEventListener("hashchange", () => this.openFragment(true), this.listen);
    this.root.querySelectorAll(".js-only").forEach((el) => {
      if (!el.classList.contains("floating")) el.hidden = false;
    });
    this.update();
    return this;
  }

  destroy() {
    this.controller.abort();
    cancelAnimationFrame(this.rafId);
  }

  // -- sentences and the binary search --

  setupSentences() {
    this.sentences = Array.from(this.transcript.querySelectorAll("a.s[data-begin]"));
    const n = this.sentences.length;
    this.begins = new Float64Array(n);   // seconds, for seeking
    this.ends = new Float64Array(n);
    this.sentences.forEach((el, i) => {
      this.begins[i] = parseFloat(el.dataset.begin);
      this.ends[i] = parseFloat(el.dataset.end);
      // one tab stop for the whole transcript (the lit sentence); arrows and j/k move on
      el.tabIndex = -1;
    });
    // Sentences are in transcript order; an aligner may leave an estimated time out of
    // order, so search over a sorted copy that maps back to DOM positions.
    // Sentences not found in the audio have estimated times only: never lit by time.
    this.order = Array.from({ length: n }, (_, i) => i)
      .filter((i) => !this.sentences[i].classList.contains("unaligned"))
      .sort((a, b) => this.begins[a] - this.begins[b] || a - b);
    this.sortedBegins = Array.from(this.order, (i) => ms(this.begins[i]));
    this.sortedEnds = Array.from(this.order, (i) => ms(this.ends[i]));
    this.rank = new Map(this.order.map((i, k) => [i, k]));
    this.byId = new Map(this.sentences.map((el, i) => [el.id, i]));
    this.setRover(this.sentences[this.order.length ? this.order[0] : 0]);
  }

  /** Make `el` the transcript's one tab stop. */
  setRover(el) {
    if (!el || el === this.rover) return;
    if (this.rover) this.rover.tabIndex = -1;
    el.tabIndex = 0;
    this.rover = el;
  }

  /** Rank (in time order) of the sentence `t` (s) lights, or -1 (moments.sentenceAt). */
  rankAt(t, ahead = this.ahead) {
    return sentenceAt(this.sortedBegins, this.sortedEnds, ms(t), ahead);
  }

  /** DOM position of the sentence `t` lights, or -1. */
  indexAt(t, ahead) {
    const k = this.rankAt(t, ahead);
    return k < 0 ? -1 : this.order[k];
  }

  /** The end (s) of the sentence at `t`, or of the next one when `t` is past its end. */
  sentenceEndAfter(t) {
    const order = this.order;
    if (!order.length) return null;
    const k = this.rankAt(t, false);
    if (k < 0) return this.ends[order[0]];
    if (t < this.ends[order[k]] - 0.05) return this.ends[order[k]];
    return k + 1 < order.length ? this.ends[order[k + 1]] : null;
  }

  // -- the audio --

  setupAudio() {
    const a = this.audio;
    const on = (type, fn) => a.addEventListener(type, fn, this.listen);
    // The server put a media fragment on the audio URL for readers without script;
    // this script handles start and end itself, so play the plain URL.
    const src = a.getAttribute("src") || "";
    if (src.includes("#")) {
      a.setAttribute("src", src.split("#")[0]);
      a.load();
    }
    on("play", () => { this.onPlay(); });
    on("pause", () => { this.stopLoop(); this.update(); this.renderPlayState(); });
    on("ended", () => { this.stopLoop(); this.update(); this.renderPlayState(); });
    on("seeking", () => { this.onSeek(); });
    on("seeked", () => this.update());
    on("timeupdate", () => this.update());
    on("loadedmetadata", () => this.update());
    on("ratechange", () => this.renderSpeed());
  }

  onPlay() {
    if (this.studyMode && this.range == null) {
      this.stopAt = this.sentenceEndAfter(this.audio.currentTime);
    }
    this.hidePlayFrom();
    this.renderPlayState();
    this.startLoop();
  }

  onSeek() {
    const t = this.audio.currentTime;
    this.ahead = true;
    if (this.range && (t < this.range.start - 0.5 || t > this.range.end)) this.clearRange();
    if (this.studyMode && !this.audio.paused && this.range == null) {
      this.stopAt = this.sentenceEndAfter(t);
    }
    this.update();
  }

  startLoop() {
    cancelAnimationFrame(this.rafId);
    const tick = () => {
      this.update();
      if (!this.audio.paused) this.rafId = requestAnimationFrame(tick);
    };
    this.rafId = requestAnimationFrame(tick);
  }

  stopLoop() {
    cancelAnimationFrame(this.rafId);
    this.rafId = 0;
  }

  /** Light the sentence at the audio's time, move the playhead, stop where asked. */
  update() {
    const t0 = performance.now();
    const t = this.audio.currentTime || 0;
    if (this.stopAt != null && !this.audio.paused && t >= this.stopAt) {
      this.audio.pause();
      this.stopAt = null;
      if (this.range) this.range = null;
    }
    const k = this.rankAt(t);
    // once inside the sentence a seek lit ahead, playing on keeps it lit through the pause
    if (this.ahead && k >= 0 && ms(t) >= this.sortedBegins[k]) this.ahead = false;
    const i = k < 0 ? -1 : this.order[k];
    if (i !== this.current) {
      const old = this.sentences[this.current];
      if (old) old.removeAttribute("aria-current");
      const el = this.sentences[i];
      if (el) el.setAttribute("aria-current", "true");
      this.current = i;
      this.stats.changes += 1;
      if (el) {
        if (!this.transcript.contains(document.activeElement)) this.setRover(el);
        this.keepInView(el);
      }
    }
    if (this.playhead) {
      const x = String(ms(t));
      this.playhead.setAttribute("x1", x);
      this.playhead.setAttribute("x2", x);
    }
    const spent = performance.now() - t0;
    this.stats.updates += 1;
    this.stats.totalMs += spent;
    if (spent > this.stats.maxMs) this.stats.maxMs = spent;
  }

  duration() {
    const d = this.audio.duration;
    return Number.isFinite(d) && d > 0 ? d : parseFloat(this.root.dataset.duration) || 0;
  }

  seek(t, { play = false, keepRange = false } = {}) {
    const d = this.duration();
    t = Math.max(0, d ? Math.min(t, d - 0.05) : t);
    if (!keepRange) this.clearRange();
    this.audio.currentTime = t;
    this.ahead = true;
    if (this.studyMode) this.stopAt = this.sentenceEndAfter(t);
    if (play) this.play();
    this.update();
  }

  play() {
    const p = this.audio.play();
    if (p && p.catch) {
      p.catch((err) => {
        // a pause() before playback began also rejects (AbortError): nothing to say then
        if (err && err.name === "NotAllowedError") {
          this.toast("Press play to listen (the browser blocked starting on its own).");
        }
      });
    }
    return p;
  }

  toggle() {
    if (this.audio.paused) this.play(); else this.audio.pause();
  }

  /** Play from sentence `i`; the page stays where the reader is when it is in view. */
  playSentence(i) {
    if (i == null || i < 0 || i >= this.sentences.length) return;
    this.detached = false;
    this.showBackToNow(false);
    this.seek(this.begins[i], { play: true });
    this.reveal();
  }

  /** Go to the next (+1) or previous (-1) sentence in time, keeping play or pause. */
  step(delta) {
    const n = this.order.length;
    if (!n) return;
    const k = this.current < 0 ? (delta > 0 ? -1 : 0) : this.rank.get(this.current);
    const j = Math.min(n - 1, Math.max(0, k + delta));
    this.detached = false;
    this.showBackToNow(false);
    this.seek(this.begins[this.order[j]], { play: !this.audio.paused });
    this.reveal();
  }

  clearRange() {
    if (this.range) {
      this.range = null;
      this.stopAt = null;
    }
  }

  // -- controls --

  setupControls() {
    this.playButton = this.root.querySelector("[data-action='toggle']");
    this.speed = this.root.querySelector("#speed");
    this.followButton = this.root.querySelector("#follow");
    this.studyButton = this.root.querySelector("#study");
    this.moreButton = this.root.querySelector("#more");
    this.studyMode = false;
    this.root.addEventListener("click", (e) => {
      const button = e.target.closest("button[data-action]");
      if (!button || !this.root.contains(button)) return;
      const action = button.dataset.action;
      if (action === "toggle") this.toggle();
      else if (action === "prev") this.step(-1);
      else if (action === "next") this.step(1);
      else if (action === "share-now") this.shareNow();
      else if (action === "play-from") this.playFrom();
    }, this.listen);
    if (this.moreButton) {
      const panel = document.getElementById(this.moreButton.getAttribute("aria-controls"));
      const setOpen = (open) => {
        this.moreButton.setAttribute("aria-expanded", String(open));
        if (panel) panel.classList.toggle("open", open);
      };
      this.moreButton.addEventListener("click", () => {
        setOpen(this.moreButton.getAttribute("aria-expanded") !== "true");
      }, this.listen);
      document.addEventListener("click", (e) => {
        if (panel && !panel.contains(e.target) && !this.moreButton.contains(e.target)) setOpen(false);
      }, this.listen);
    }
    if (this.speed) {
      let saved = null;
      try { saved = window.localStorage.getItem(this.options.storageKey); } catch (e) { /* private mode */ }
      if (saved && this.options.speeds.includes(saved)) {
        this.speed.value = saved;
        this.audio.playbackRate = parseFloat(saved);
        this.audio.defaultPlaybackRate = parseFloat(saved);
      }
      this.speed.addEventListener("change", () => {
        const rate = parseFloat(this.speed.value);
        this.audio.playbackRate = rate;
        this.audio.defaultPlaybackRate = rate;
        try { window.localStorage.setItem(this.options.storageKey, this.speed.value); } catch (e) { /* ignore */ }
      }, this.listen);
    }
    if (this.followButton) {
      this.followButton.addEventListener("click", () => {
        this.following = !this.following;
        this.followButton.setAttribute("aria-pressed", String(this.following));
        if (this.following) this.attach();
        else this.showBackToNow(false);
      }, this.listen);
    }
    if (this.studyButton) {
      this.studyButton.addEventListener("click", () => {
        this.studyMode = !this.studyMode;
        this.studyButton.setAttribute("aria-pressed", String(this.studyMode));
        this.stopAt = this.studyMode && !this.audio.paused
          ? this.sentenceEndAfter(this.audio.currentTime)
          : (this.range ? this.range.end : null);
        this.toast(this.studyMode ? "Study mode: the player pauses after each sentence."
          : "Study mode off.");
      }, this.listen);
    }
    this.renderPlayState();
  }

  renderPlayState() {
    if (!this.playButton) return;
    const playing = !this.audio.paused;
    this.playButton.setAttribute("aria-label", playing ? "Pause" : "Play");
    this.playButton.querySelector(".icon-play").toggleAttribute("hidden", playing);
    this.playButton.querySelector(".icon-pause").toggleAttribute("hidden", !playing);
    this.playButton.querySelector(".play-label").textContent = playing ? "Pause" : "Play";
  }

  renderSpeed() {
    if (!this.speed) return;
    const value = String(this.audio.playbackRate);
    if (this.options.speeds.includes(value)) this.speed.value = value;
  }

  // -- the transcript: click or Enter plays a sentence --

  setupTranscript() {
    this.transcript.addEventListener("click", (e) => {
      const el = e.target.closest("a.s");
      if (!el) return;
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed && sel.toString().trim()) return; // selecting, not playing
      const i = this.byId.get(el.id);
      if (i != null) {
        this.setRover(el);
        this.playSentence(i);
        this.showTools(el);
      }
    }, this.listen);
    this.transcript.addEventListener("focusin", (e) => {
      const el = e.target.closest("a.s");
      if (el) this.setRover(el);
    }, this.listen);
  }

  // -- timeline strip --

  setupTimeline() {
    this.timeline = this.root.querySelector("#timeline svg");
    this.playhead = this.root.querySelector("#playhead");
    if (!this.timeline) return;
    const timeAt = (e) => {
      const rect = this.timeline.getBoundingClientRect();
      const f = Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
      return f * this.duration();
    };
    this.timeline.addEventListener("click", (e) => {
      this.detached = false;
      this.showBackToNow(false);
      this.seek(timeAt(e), { play: !this.audio.paused });
      this.reveal();
    }, this.listen);
    this.timeline.addEventListener("mousemove", (e) => {
      const t = timeAt(e);
      const i = this.indexAt(t, true);
      const who = i >= 0 ? this.speakerOf(this.sentences[i]) : "";
      this.timeline.parentElement.title = clock(ms(t)) + (who ? ` · ${who}` : "");
    }, this.listen);
  }

  speakerOf(el) {
    const turn = el.closest(".turn");
    return turn ? turn.dataset.speaker || "" : "";
  }

  // -- follow mode --

  setupFollow() {
    this.deck = this.root.querySelector(".deck");
    this.backToNow = this.root.querySelector("#back-to-now");
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
        const el = this.sentences[this.current];
        if (el) el.focus({ preventScroll: true });
      }, this.listen);
    }
  }

  /** Where the lit part of the page is: the window, or the embed's transcript box. */
  viewport() {
    if (this.embedded) {
      const r = this.transcript.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    }
    return { top: this.deckHeight || 0, bottom: window.innerHeight };
  }

  inView(el) {
    const r = el.getBoundingClientRect();
    const v = this.viewport();
    return r.bottom > v.top + 8 && r.top < v.bottom - 8;
  }

  comfortablyInView(el) {
    const r = el.getBoundingClientRect();
    const v = this.viewport();
    const margin = this.embedded ? 0 : 24;
    return r.top >= v.top + margin && r.bottom <= v.bottom - (this.embedded ? 0 : 48);
  }

  scrollTo(el, instant) {
    const jump = instant || this.reducedMotion.matches;
    this.autoScrollUntil = performance.now() + (jump ? 150 : 900);
    if (this.embedded) {
      // scrollIntoView would scroll the page that frames the embed too
      const box = this.transcript;
      const top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      box.scrollTo({ top: top - (box.clientHeight - el.offsetHeight) / 2,
                     behavior: jump ? "auto" : "smooth" });
      return;
    }
    el.scrollIntoView({ block: "center", behavior: jump ? "auto" : "smooth" });
  }

  keepInView(el) {
    if (!this.following || this.detached) {
      if (this.following && this.detached) this.showBackToNow(true);
      return;
    }
    if (!this.comfortablyInView(el)) this.scrollTo(el);
  }

  /** Follow again and bring the lit sentence into view if it is not. */
  reveal() {
    const el = this.nowElement();
    if (this.following && el && !this.comfortablyInView(el)) this.scrollTo(el);
  }

  onScroll() {
    if (this.tools && !this.tools.hidden && this.toolsFor) this.placeTools(this.toolsFor);
    if (!this.following) return;
    const el = this.nowElement();
    if (!el) return;
    if (performance.now() < this.autoScrollUntil) return;
    const visible = this.inView(el);
    if (!visible && !this.detached) {
      this.detached = true;
      this.showBackToNow(true);
    } else if (visible && this.detached) {
      this.detached = false;
      this.showBackToNow(false);
    } else if (this.detached) {
      this.showBackToNow(true);
    }
  }

  /** Follow again: bring the lit sentence into view and hide "back to now". */
  attach() {
    this.detached = false;
    this.showBackToNow(false);
    this.reveal();
  }

  /** The lit sentence, or before any is lit, the first one to be: where "now" is. */
  nowElement() {
    return this.sentences[this.current] || (this.order.length ? this.sentences[this.order[0]] : null);
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

  // -- keys --

  setupKeys() {
    document.addEventListener("keydown", (e) => this.onKey(e), this.listen);
  }

  onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    if (isTyping(target)) {
      if (e.key === "Escape" && target.id === "q") target.blur();
      return;
    }
    if (target === this.audio) return; // the native controls have their own keys
    const onControl = target.closest && target.closest("button, summary, select, a:not(.s)");
    const onSentence = target.closest && target.closest("#transcript a.s");
    let handled = true;
    if (e.shiftKey && onSentence && ["ArrowDown", "ArrowUp", "J", "K"].includes(e.key)) {
      this.extendSelection(onSentence, e.key === "ArrowDown" || e.key === "J" ? 1 : -1);
      e.preventDefault();
      return;
    }
    switch (e.key) {
      case " ":
      case "Spacebar":
        if (onControl) return;
        this.toggle();
        break;
      case "j":
      case "ArrowDown":
        this.step(1);
        if (onSentence) this.focusCurrent();
        break;
      case "k":
      case "ArrowUp":
        this.step(-1);
        if (onSentence) this.focusCurrent();
        break;
      case "ArrowLeft":
        this.seek(this.audio.currentTime - this.options.seekStep, { play: !this.audio.paused });
        break;
      case "ArrowRight":
        this.seek(this.audio.currentTime + this.options.seekStep, { play: !this.audio.paused });
        break;
      case "r":
        if (this.current >= 0) this.playSentence(this.current);
        else if (this.order.length) this.playSentence(this.order[0]);
        break;
      case "c":
        if (this.selected) this.copyLink(this.selected.url, "Link to the quote copied");
        else if (onSentence) this.shareSentence(onSentence);
        else this.shareNow();
        break;
      case "/": {
        const q = this.root.querySelector("#q");
        if (q) { q.focus(); q.select(); }
        break;
      }
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  }

  /** Focus the lit sentence (or the transcript's tab stop); true if one was focused. */
  focusCurrent() {
    const el = this.sentences[this.current] || this.rover;
    if (!el) return false;
    this.setRover(el);
    el.focus({ preventScroll: true });
    this.reveal();
    return true;
  }

  /** Shift+↓/↑ on a sentence: select whole sentences from it, as a quote to share. */
  extendSelection(el, delta) {
    const i = this.byId.get(el.id);
    if (i == null) return;
    if (!this.kbdQuote || this.kbdQuote.anchor !== i) this.kbdQuote = { anchor: i, head: i };
    const q = this.kbdQuote;
    q.head = Math.min(this.sentences.length - 1, Math.max(0, q.head + delta));
    const [a, b] = q.anchor <= q.head ? [q.anchor, q.head] : [q.head, q.anchor];
    const range = document.createRange();
    range.setStartBefore(this.sentences[a].firstChild || this.sentences[a]);
    range.setEndAfter(this.sentences[b].lastChild || this.sentences[b]);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    this.onSelection();
  }

  // -- search: hits jump there and play; Enter searches in place --

  setupSearch() {
    this.root.addEventListener("click", (e) => {
      const hit = e.target.closest("a.hit[data-begin]");
      if (!hit || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      const i = this.byId.get(hit.dataset.sid);
      if (i != null) this.playSentence(i);
      else {
        this.detached = false;
        this.seek(parseFloat(hit.dataset.begin), { play: true });
        this.reveal();
      }
    }, this.listen);
  }

  // -- the skip link: to the lit sentence (or the quote, or the first) --

  setupSkip() {
    const skip = document.getElementById("skip-now");
    if (!skip) return;
    skip.addEventListener("click", (e) => {
      e.preventDefault();
      const el = this.sentences[this.current] || this.quoteEl || this.rover;
      if (!el) return;
      this.setRover(el);
      el.focus({ preventScroll: true });
      this.scrollTo(el, true);
    }, this.listen);
  }

  // -- share: a sentence, the current moment, a selected quote --

  setupShare() {
    this.tools = this.root.querySelector("#sentence-tools");
    this.shareSel = this.root.querySelector("#share-selection");
    this.toastEl = this.root.querySelector("#toast");
    [this.tools, this.shareSel, this.backToNow, this.root.querySelector("#play-from")]
      .forEach((el) => { if (el) el.classList.add("floating"); });
    let timer = 0;
    let lastX = -1;
    let lastY = -1;
    // mousemove, not mouseover: text scrolled under a resting pointer does not move the tools
    this.transcript.addEventListener("mousemove", (e) => {
      if (e.clientX === lastX && e.clientY === lastY) return;
      lastX = e.clientX;
      lastY = e.clientY;
      const el = e.target.closest("a.s");
      if (!el || el === this.toolsFor) return;
      clearTimeout(timer);
      timer = setTimeout(() => this.showTools(el), this.options.hoverDelay);
    }, this.listen);
    this.transcript.addEventListener("mouseleave", () => clearTimeout(timer), this.listen);
    this.transcript.addEventListener("focusin", (e) => {
      const el = e.target.closest("a.s");
      if (el) this.showTools(el);
    }, this.listen);
    window.addEventListener("resize", () => {
      if (this.toolsFor && !this.tools.hidden) this.placeTools(this.toolsFor);
    }, this.listen);
    if (this.tools) {
      this.tools.addEventListener("mouseenter", () => clearTimeout(timer), this.listen);
      this.tools.addEventListener("click", (e) => {
        const button = e.target.closest("button[data-action]");
        const el = this.toolsFor;
        if (!button || !el) return;
        e.stopPropagation();
        if (button.dataset.action === "play-sentence") this.playSentence(this.byId.get(el.id));
        if (button.dataset.action === "share-sentence") this.shareSentence(el);
      }, this.listen);
    }
    const check = () => this.onSelection();
    document.addEventListener("selectionchange", () => {
      clearTimeout(this.selTimer);
      this.selTimer = setTimeout(check, 200);
    }, this.listen);
    if (this.shareSel) {
      // keep the selection when the menu is pressed
      this.shareSel.addEventListener("mousedown", (e) => e.preventDefault(), this.listen);
      this.shareSel.addEventListener("click", (e) => {
        const copy = e.target.closest("[data-action='copy-quote']");
        if (copy && this.selected) this.copyLink(this.selected.url, "Link to the quote copied");
      }, this.listen);
    }
  }

  showTools(el) {
    if (!this.tools) return;
    this.toolsFor = el;
    this.tools.hidden = false;
    this.placeTools(el);
  }

  /**
   * Wide screens: in the margin right of the transcript, level with the sentence's first
   * line, so no word is covered. Narrow ones: a strip above the control bar (CSS).
   */
  placeTools(el) {
    const tools = this.tools;
    if (window.matchMedia("(max-width: 40rem)").matches || this.embedded) {
      tools.style.removeProperty("top");
      tools.style.removeProperty("left");
      tools.classList.add("docked");
      return;
    }
    tools.classList.remove("docked");
    const first = el.getClientRects()[0] || el.getBoundingClientRect();
    const box = this.transcript.getBoundingClientRect();
    const parent = tools.offsetParent || document.body;
    const origin = parent.getBoundingClientRect();
    const w = tools.offsetWidth;
    const h = tools.offsetHeight;
    const room = document.documentElement.clientWidth - box.right;
    const left = room >= w + 12 ? box.right + 6 : box.right - w;
    tools.style.left = `${Math.max(4, left - origin.left)}px`;
    tools.style.top = `${first.top + first.height / 2 - h / 2 - origin.top}px`;
  }

  pageUrl(query) {
    const url = new URL(this.root.dataset.page, window.location.href);
    url.search = query || "";
    return url.toString();
  }

  shareSentence(el) {
    const url = new URL(this.root.dataset.page, window.location.href);
    url.pathname = url.pathname.replace(/\/$/, "") + "/s/" + encodeURIComponent(el.id);
    this.copyLink(url.toString(), "Link to the sentence copied");
  }

  shareNow() {
    // to the millisecond, so the link lights the sentence lit now, even at its first moment
    const t = ms(this.audio.currentTime);
    this.copyLink(this.pageUrl(shareQuery(t)), `Link to ${clock(t)} copied`);
  }

  clipUrl(startMs, endMs) {
    const url = new URL(this.root.dataset.page, window.location.href);
    url.pathname = url.pathname.replace(/\/$/, "") + "/clip.mp3";
    url.search = shareQuery(startMs, endMs);
    return url.toString();
  }

  onSelection() {
    if (!this.shareSel) return;
    const hide = () => { this.shareSel.hidden = true; this.selected = null; this.kbdQuote = null; };
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount || !sel.toString().trim()) { hide(); return; }
    const range = sel.getRangeAt(0);
    if (!this.transcript.contains(range.commonAncestorContainer)) { hide(); return; }
    let first = -1;
    let last = -1;
    const elementOf = (node) => (node.nodeType === 1 ? node : node.parentElement);
    const startEl = elementOf(range.startContainer).closest("a.s");
    const endEl = elementOf(range.endContainer).closest("a.s");
    if (startEl && endEl) {
      first = this.byId.get(startEl.id);
      last = this.byId.get(endEl.id);
    } else {
      this.sentences.forEach((el, i) => {
        if (range.intersectsNode(el)) { if (first < 0) first = i; last = i; }
      });
    }
    if (first == null || first < 0) { hide(); return; }
    const begin = ms(this.begins[first]);
    const end = Math.max(ms(this.ends[last]), begin + 100);
    const when = `${clock(begin)}–${clock(end)}`;
    this.selected = { url: this.pageUrl(shareQuery(begin, end)) };
    const copy = this.shareSel.querySelector("[data-action='copy-quote']");
    copy.textContent = `Share this quote (${when})`;
    const clip = this.shareSel.querySelector(".download-clip");
    if (clip) {
      const fits = end - begin <= this.options.maxClipMs;
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

  copyLink(url, message) {
    const invoker = document.activeElement;
    const fallback = () => this.showLinkBox(url, invoker);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(() => this.toast(message, url), fallback);
    } else {
      fallback();
    }
  }

  /** A short message in the live region; `copied` is kept for tests and scripts. */
  toast(message, copied) {
    const el = this.toastEl;
    if (!el) return;
    el.textContent = message;
    if (copied) el.dataset.copied = copied;
    el.classList.add("shown");
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => el.classList.remove("shown"), this.options.toastMs);
  }

  /**
   * Where the clipboard cannot be written: the link in a field, selected, to copy by hand.
   * It stays until Escape, Done or a click elsewhere, and focus goes back where it was.
   */
  showLinkBox(url, invoker) {
    const box = this.root.querySelector("#link-box");
    if (!box) { this.toast(`Copy this link: ${url}`); return; }
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

  // -- where the page opens: ?t=&end= (from the server), #t=start,end, #s-<id> --

  setupStart() {
    const data = this.root.dataset;
    let start = data.start != null ? parseFloat(data.start) : null;
    let end = data.end != null ? parseFloat(data.end) : null;
    let quote = data.quote ? document.getElementById(data.quote) : null;
    // a shared link plays at once where the browser allows it; an embed waits for a click
    const autoplay = !this.embedded;
    if (start == null && this.openFragment(autoplay)) return;
    const sid = start == null ? sentenceFragment(window.location.hash) : null;
    if (sid != null) {
      const i = this.byId.get(sid);
      if (i != null) {
        start = this.begins[i];
        quote = this.sentences[i];
        quote.classList.add("quote", "quote-first", "quote-last");
      }
    }
    if (start == null) return;
    this.openAt(start, end, quote, autoplay);
  }

  /** Open the moment of a `#t=` fragment; false when the address has none. */
  openFragment(play) {
    const durationMs = ms(parseFloat(this.root.dataset.duration)) || 0;
    const m = fragmentMoment(window.location.hash, durationMs);
    if (m.start == null) return false;
    this.transcript.querySelectorAll("a.s.quote").forEach((el) => {
      el.classList.remove("quote", "quote-first", "quote-last");
    });
    const quote = this.markQuote(m.start, m.end);
    // the address a reader copies should preview its quote: the server reads ?t=, not #t=
    if (!this.embedded && window.history.replaceState) {
      const url = new URL(window.location.href);
      url.search = shareQuery(m.start, m.end);
      url.hash = "";
      window.history.replaceState(null, "", url.toString());
    }
    this.openAt(m.start / 1000, m.end == null ? null : m.end / 1000, quote, play);
    return true;
  }

  /** Open at `start` (s), ready to play from there; plays at once where allowed. */
  openAt(start, end, quote, play) {
    this.range = end != null ? { start, end } : null;
    this.stopAt = end;
    this.quoteEl = quote;
    const apply = () => {
      this.audio.currentTime = start;
      this.ahead = true;
      this.update();
    };
    apply();
    if (this.audio.readyState < 1) {
      this.audio.addEventListener("loadedmetadata", apply, { once: true, signal: this.controller.signal });
    }
    if (quote) {
      this.setRover(quote);
      // the page just opened: jump, and again once images and fonts have settled
      this.scrollTo(quote, true);
      const settle = () => { if (!this.detached) this.scrollTo(quote, true); };
      if (document.readyState !== "complete") {
        window.addEventListener("load", settle, { once: true, signal: this.controller.signal });
      }
    }
    this.showPlayFrom(start, end);
    if (play) {
      // where the browser allows it, a shared link plays at once; else the button waits
      const p = this.audio.play();
      if (p && p.catch) p.catch(() => {});
    }
  }

  /** The one obvious way to hear a shared moment: "▶ Play from 3:39". */
  showPlayFrom(start, end) {
    const panel = this.root.querySelector("#play-from");
    if (!panel) return;
    this.playFromAt = { start, end };
    const label = panel.querySelector(".play-from-label");
    const when = end != null ? `${clock(ms(start))}–${clock(ms(end))}` : clock(ms(start));
    label.textContent = end != null ? `Play the quote ${when}` : `Play from ${when}`;
    const clip = panel.querySelector(".download-clip");
    if (clip) {
      const fits = end != null && ms(end) - ms(start) <= this.options.maxClipMs;
      clip.hidden = !fits;
      if (fits) clip.href = this.clipUrl(ms(start), ms(end));
    }
    panel.hidden = false;
  }

  hidePlayFrom() {
    const panel = this.root.querySelector("#play-from");
    if (panel) panel.hidden = true;
  }

  playFrom() {
    const at = this.playFromAt;
    if (!at) { this.play(); return; }
    if (at.end != null) {
      this.range = { start: at.start, end: at.end };
      this.stopAt = at.end;
    }
    this.seek(at.start, { keepRange: true });
    this.play();
  }

  /** Mark the sentences a `#t=` moment (ms) quotes, as the server marks a `?t=` one. */
  markQuote(startMs, endMs) {
    const span = quoteSpan(this.sortedBegins, this.sortedEnds, startMs, endMs);
    if (!span) return null; // not aligned yet: nothing to mark
    const a = Math.min(this.order[span[0]], this.order[span[1]]);
    const b = Math.max(this.order[span[0]], this.order[span[1]]);
    for (let k = a; k <= b; k += 1) this.sentences[k].classList.add("quote");
    this.sentences[a].classList.add("quote-first");
    this.sentences[b].classList.add("quote-last");
    return this.sentences[a];
  }
}

function boot() {
  const root = document.getElementById("player");
  if (!root || !root.querySelector("#audio")) return;
  performance.mark("transcript-player:setup-start");
  window.transcriptPlayer = new TranscriptPlayer(root).setup();
  performance.measure("transcript-player:setup", "transcript-player:setup-start");
}

window.TranscriptPlayer = TranscriptPlayer;
// a module runs after the document is parsed
boot();

export { TranscriptPlayer };
