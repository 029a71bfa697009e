/*
 * player.js: the live part of the transcript player page.
 *
 * The server renders everything a reader needs (the transcript with a link per sentence,
 * the audio element, search that works as a plain form), so this script only adds what
 * must happen in the browser: the lit sentence follows the audio, a click plays from a
 * sentence, follow mode, keys, study mode, share links, and the timeline strip.
 *
 * Shape borrowed from Hyperaudio Lite: one options object, one `setup*` step per job,
 * one AbortController for every listener, a binary search for the current sentence.
 * No inline script or style is needed (the page runs under a strict CSP).
 */
(function () {
  "use strict";

  const DEFAULTS = {
    seekStep: 5,             // seconds for ← and →
    epsilon: 0.02,           // a seek lands a hair before a begin time; count it as there
    hoverDelay: 120,         // ms before the sentence tools move to a hovered sentence
    toastMs: 2600,
    speeds: ["0.75", "1", "1.25", "1.5", "1.75", "2"],
    storageKey: "transcript-player:speed",
  };

  // ---- helpers -------------------------------------------------------------------

  /** A time as links write it (83.2, 83.2s, npt:83.2, 1:23, 1:02:03.5) in seconds, or null. */
  function parseClock(value) {
    if (value == null) return null;
    let text = String(value).trim().toLowerCase();
    if (text.startsWith("npt:")) text = text.slice(4);
    if (text.endsWith("s")) text = text.slice(0, -1);
    if (!text) return null;
    let seconds;
    if (text.includes(":")) {
      const parts = text.split(":");
      if (parts.length > 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) return null;
      seconds = parts.reduce((acc, p) => acc * 60 + parseFloat(p), 0);
    } else {
      if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) return null;
      seconds = parseFloat(text);
    }
    return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
  }

  /** The W3C media fragment `t=start[,end]` of a URL hash, or null. */
  function parseMediaFragment(hash) {
    const params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
    const t = params.get("t");
    if (t == null) return null;
    const [a, b] = t.split(",");
    const start = a === "" ? 0 : parseClock(a);
    const end = b === undefined ? null : parseClock(b);
    if (start == null) return null;
    return { start, end: end != null && end > start ? end : null };
  }

  /** Seconds as m:ss or h:mm:ss. */
  function clock(sec) {
    const total = Math.max(0, Math.floor(sec || 0));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
  }

  /** Seconds as a link writes them: at most three decimals, no trailing zeros. */
  function linkSeconds(sec) {
    return String(Math.round(sec * 1000) / 1000);
  }

  function isTyping(el) {
    return !!(el && el.closest && el.closest("input, textarea, select, [contenteditable='true']"));
  }

  // ---- the player ----------------------------------------------------------------

  class TranscriptPlayer {
    constructor(root, options) {
      this.root = root;
      this.options = Object.assign({}, DEFAULTS, options || {});
      this.audio = root.querySelector("#audio");
      this.transcript = root.querySelector("#transcript");
      this.controller = new AbortController();
      this.current = -1;        // position (in DOM order) of the lit sentence
      this.stopAt = null;       // pause here (a quoted range's end, or study mode's)
      this.range = null;        // {start, end} of a quote being played
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
      this.setupStart();
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
      this.begins = new Float64Array(n);
      this.ends = new Float64Array(n);
      this.sentences.forEach((el, i) => {
        this.begins[i] = parseFloat(el.dataset.begin);
        this.ends[i] = parseFloat(el.dataset.end);
      });
      // Sentences are in transcript order; an aligner may leave an estimated time out of
      // order, so search over a sorted copy that maps back to DOM positions.
      // Sentences not found in the audio have estimated times only: never lit by time.
      this.order = Array.from({ length: n }, (_, i) => i)
        .filter((i) => !this.sentences[i].classList.contains("unaligned"))
        .sort((a, b) => this.begins[a] - this.begins[b] || a - b);
      this.sortedBegins = Float64Array.from(this.order, (i) => this.begins[i]);
      this.rank = new Map(this.order.map((i, k) => [i, k]));
      this.byId = new Map(this.sentences.map((el, i) => [el.id, i]));
    }

    /** Rank (in time order) of the last sentence begun by `t`, or -1: a binary search. */
    rankAt(t) {
      const begins = this.sortedBegins;
      let lo = 0;
      let hi = begins.length - 1;
      let found = -1;
      t += this.options.epsilon;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (begins[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      return found;
    }

    /** DOM position of the sentence being said at `t`, or -1. */
    indexAt(t) {
      const k = this.rankAt(t);
      return k < 0 ? -1 : this.order[k];
    }

    /** The end of the sentence at `t`, or of the next one when `t` is past its end. */
    sentenceEndAfter(t) {
      const order = this.order;
      if (!order.length) return null;
      const k = this.rankAt(t);
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
      this.renderPlayState();
      this.startLoop();
    }

    onSeek() {
      const t = this.audio.currentTime;
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
      const i = this.indexAt(t);
      if (i !== this.current) {
        const old = this.sentences[this.current];
        if (old) old.removeAttribute("aria-current");
        const el = this.sentences[i];
        if (el) el.setAttribute("aria-current", "true");
        this.current = i;
        this.stats.changes += 1;
        if (el) this.keepInView(el);
      }
      if (this.playhead) {
        const x = String(Math.round(t * 1000));
        this.playhead.setAttribute("x1", x);
        this.playhead.setAttribute("x2", x);
      }
      const ms = performance.now() - t0;
      this.stats.updates += 1;
      this.stats.totalMs += ms;
      if (ms > this.stats.maxMs) this.stats.maxMs = ms;
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
      if (this.studyMode) this.stopAt = this.sentenceEndAfter(t);
      if (play) this.play();
      this.update();
    }

    play() {
      const p = this.audio.play();
      if (p && p.catch) {
        p.catch(() => this.toast("Press play to listen (the browser blocked starting on its own)."));
      }
    }

    toggle() {
      if (this.audio.paused) this.play(); else this.audio.pause();
    }

    playSentence(i) {
      if (i < 0 || i >= this.sentences.length) return;
      this.attach();
      this.seek(this.begins[i], { play: true });
    }

    /** Go to the next (+1) or previous (-1) sentence in time, keeping play or pause. */
    step(delta) {
      const n = this.order.length;
      if (!n) return;
      const k = this.current < 0 ? (delta > 0 ? -1 : 0) : this.rank.get(this.current);
      const j = Math.min(n - 1, Math.max(0, k + delta));
      this.attach();
      this.seek(this.begins[this.order[j]], { play: !this.audio.paused });
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
      this.studyMode = false;
      this.root.addEventListener("click", (e) => {
        const button = e.target.closest("button[data-action]");
        if (!button || !this.root.contains(button)) return;
        const action = button.dataset.action;
        if (action === "toggle") this.toggle();
        else if (action === "prev") this.step(-1);
        else if (action === "next") this.step(1);
        else if (action === "share-now") this.shareNow();
      }, this.listen);
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
          this.playSentence(i);
          this.showTools(el);
        }
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
        this.attach();
        this.seek(timeAt(e), { play: !this.audio.paused });
      }, this.listen);
      this.timeline.addEventListener("mousemove", (e) => {
        const t = timeAt(e);
        const i = this.indexAt(t);
        const who = i >= 0 ? this.speakerOf(this.sentences[i]) : "";
        this.timeline.parentElement.title = clock(t) + (who ? ` · ${who}` : "");
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
        const h = this.deck ? this.deck.offsetHeight : 0;
        document.documentElement.style.setProperty("--deck-h", `${h}px`);
        this.deckHeight = h;
      };
      measure();
      if (window.ResizeObserver && this.deck) new ResizeObserver(measure).observe(this.deck);
      const userScroll = () => { this.autoScrollUntil = 0; };
      window.addEventListener("wheel", userScroll, { passive: true, signal: this.controller.signal });
      window.addEventListener("touchmove", userScroll, { passive: true, signal: this.controller.signal });
      window.addEventListener("scroll", () => this.onScroll(), { passive: true, signal: this.controller.signal });
      if (this.backToNow) {
        this.backToNow.addEventListener("click", () => {
          this.attach();
          const el = this.sentences[this.current];
          if (el) el.focus({ preventScroll: true });
        }, this.listen);
      }
    }

    inView(el) {
      const r = el.getBoundingClientRect();
      const top = (this.deckHeight || 0) + 8;
      return r.bottom > top && r.top < window.innerHeight - 8;
    }

    comfortablyInView(el) {
      const r = el.getBoundingClientRect();
      const top = (this.deckHeight || 0) + 24;
      return r.top >= top && r.bottom <= window.innerHeight - 48;
    }

    scrollTo(el, instant) {
      const jump = instant || this.reducedMotion.matches;
      this.autoScrollUntil = performance.now() + (jump ? 150 : 900);
      el.scrollIntoView({ block: "center", behavior: jump ? "auto" : "smooth" });
    }

    keepInView(el) {
      if (!this.following || this.detached) {
        if (this.following && this.detached) this.showBackToNow(true);
        return;
      }
      if (!this.comfortablyInView(el)) this.scrollTo(el);
    }

    onScroll() {
      if (!this.following || performance.now() < this.autoScrollUntil) return;
      const el = this.sentences[this.current];
      if (!el) return;
      const visible = this.inView(el);
      if (!visible && !this.detached) {
        this.detached = true;
        this.showBackToNow(true);
      } else if (visible && this.detached) {
        this.detached = false;
        this.showBackToNow(false);
      }
    }

    /** Follow again: bring the lit sentence into view and hide "back to now". */
    attach() {
      this.detached = false;
      this.showBackToNow(false);
      const el = this.sentences[this.current];
      if (this.following && el && !this.comfortablyInView(el)) this.scrollTo(el);
    }

    showBackToNow(show) {
      if (this.backToNow) this.backToNow.hidden = !(show && this.current >= 0);
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
      const onControl = target.closest && target.closest("button, summary, select");
      let handled = true;
      switch (e.key) {
        case " ":
        case "Spacebar":
          if (onControl) return;
          this.toggle();
          break;
        case "j":
        case "ArrowDown":
          this.step(1);
          break;
        case "k":
        case "ArrowUp":
          this.step(-1);
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

    // -- search hits jump there and play --

    setupSearch() {
      this.root.addEventListener("click", (e) => {
        const hit = e.target.closest("a.hit[data-begin]");
        if (!hit || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        const i = this.byId.get(hit.dataset.sid);
        this.attach();
        if (i != null) this.playSentence(i);
        else this.seek(parseFloat(hit.dataset.begin), { play: true });
        const el = this.sentences[this.current];
        if (el) this.scrollTo(el);
      }, this.listen);
    }

    // -- share: a sentence, the current moment, a selected quote --

    setupShare() {
      this.tools = this.root.querySelector("#sentence-tools");
      this.shareSel = this.root.querySelector("#share-selection");
      this.toastEl = this.root.querySelector("#toast");
      if (this.tools) this.tools.classList.add("floating");
      if (this.shareSel) this.shareSel.classList.add("floating");
      if (this.backToNow) this.backToNow.classList.add("floating");
      let timer = 0;
      this.transcript.addEventListener("mouseover", (e) => {
        const el = e.target.closest("a.s");
        if (!el || (this.tools && this.tools.contains(e.target))) return;
        clearTimeout(timer);
        timer = setTimeout(() => this.showTools(el), this.options.hoverDelay);
      }, this.listen);
      this.transcript.addEventListener("mouseleave", () => clearTimeout(timer), this.listen);
      this.transcript.addEventListener("focusin", (e) => {
        const el = e.target.closest("a.s");
        if (el) this.showTools(el);
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
        // keep the selection when the button is pressed
        this.shareSel.addEventListener("mousedown", (e) => e.preventDefault(), this.listen);
        this.shareSel.addEventListener("click", () => {
          if (this.selected) this.copyLink(this.selected.url, "Link to the quote copied");
          this.shareSel.hidden = true;
        }, this.listen);
      }
    }

    showTools(el) {
      if (!this.tools) return;
      this.toolsFor = el;
      if (el.nextSibling !== this.tools) el.after(this.tools);
      this.tools.hidden = false;
    }

    pageUrl(params) {
      const url = new URL(this.root.dataset.page, window.location.href);
      Object.entries(params || {}).forEach(([k, v]) => url.searchParams.set(k, v));
      return url.toString();
    }

    shareSentence(el) {
      const url = new URL(this.root.dataset.page, window.location.href);
      url.pathname = url.pathname.replace(/\/$/, "") + "/s/" + encodeURIComponent(el.id);
      this.copyLink(url.toString(), "Link to the sentence copied");
    }

    shareNow() {
      const t = Math.floor(this.audio.currentTime * 10) / 10;
      this.copyLink(this.pageUrl({ t: linkSeconds(t) }), `Link to ${clock(t)} copied`);
    }

    onSelection() {
      if (!this.shareSel) return;
      const sel = window.getSelection();
      if (!sel || sel.isCollapsed || !sel.rangeCount || !sel.toString().trim()) {
        this.shareSel.hidden = true;
        this.selected = null;
        return;
      }
      const range = sel.getRangeAt(0);
      if (!this.transcript.contains(range.commonAncestorContainer)) {
        this.shareSel.hidden = true;
        return;
      }
      let first = -1;
      let last = -1;
      const startEl = (range.startContainer.nodeType === 1 ? range.startContainer
        : range.startContainer.parentElement).closest("a.s");
      const endEl = (range.endContainer.nodeType === 1 ? range.endContainer
        : range.endContainer.parentElement).closest("a.s");
      if (startEl && endEl) {
        first = this.byId.get(startEl.id);
        last = this.byId.get(endEl.id);
      } else {
        this.sentences.forEach((el, i) => {
          if (range.intersectsNode(el)) { if (first < 0) first = i; last = i; }
        });
      }
      if (first == null || first < 0) { this.shareSel.hidden = true; return; }
      const begin = this.begins[first];
      const end = Math.max(this.ends[last], begin + 0.1);
      this.selected = { url: this.pageUrl({ t: linkSeconds(begin), end: linkSeconds(end) }) };
      this.shareSel.textContent = `Share this quote (${clock(begin)}–${clock(end)})`;
      const rect = range.getBoundingClientRect();
      this.shareSel.hidden = false;
      const w = this.shareSel.offsetWidth;
      const left = Math.min(Math.max(8, rect.left + rect.width / 2 - w / 2),
        document.documentElement.clientWidth - w - 8);
      this.shareSel.style.left = `${left + window.scrollX}px`;
      this.shareSel.style.top = `${rect.bottom + window.scrollY + 8}px`;
    }

    copyLink(url, message) {
      const fallback = () => this.toast("Copy this link:", url);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(() => this.toast(message, null, url), fallback);
      } else {
        fallback();
      }
    }

    /** A short message in the live region; with `url`, a field holding the link to copy. */
    toast(message, url, copied) {
      const el = this.toastEl;
      if (!el) return;
      el.textContent = message;
      if (copied) el.dataset.copied = copied;
      if (url) {
        const input = document.createElement("input");
        input.type = "text";
        input.readOnly = true;
        input.value = url;
        input.setAttribute("aria-label", "Link");
        el.append(input);
        input.focus();
        input.select();
      }
      el.classList.add("shown");
      clearTimeout(this.toastTimer);
      this.toastTimer = setTimeout(() => el.classList.remove("shown"),
        url ? this.options.toastMs * 3 : this.options.toastMs);
    }

    // -- where the page opens: ?t=&end= (from the server), #t=start,end, #s-<id> --

    setupStart() {
      const data = this.root.dataset;
      let start = data.start != null ? parseFloat(data.start) : null;
      let end = data.end != null ? parseFloat(data.end) : null;
      let quote = data.quote ? document.getElementById(data.quote) : null;
      const fragment = parseMediaFragment(window.location.hash);
      if (start == null && fragment) {
        const d = parseFloat(data.duration) || Infinity;
        if (fragment.start < d) {
          start = fragment.start;
          end = fragment.end != null ? Math.min(fragment.end, d) : null;
          this.markQuote(start, end);
          quote = this.transcript.querySelector("a.s.quote");
        }
      } else if (start == null && window.location.hash.startsWith("#s-")) {
        const i = this.byId.get(decodeURIComponent(window.location.hash.slice(1)));
        if (i != null) {
          start = this.begins[i];
          quote = this.sentences[i];
          quote.classList.add("quote", "quote-first", "quote-last");
        }
      }
      if (start == null) return;
      if (end != null) {
        this.range = { start, end };
        this.stopAt = end;
      }
      const apply = () => {
        this.audio.currentTime = start;
        this.update();
      };
      apply();
      if (this.audio.readyState < 1) {
        this.audio.addEventListener("loadedmetadata", apply, { once: true, signal: this.controller.signal });
      }
      if (quote) {
        // the page just opened: jump, and again once images and fonts have settled
        this.scrollTo(quote, true);
        const settle = () => { if (!this.detached) this.scrollTo(quote, true); };
        if (document.readyState !== "complete") {
          window.addEventListener("load", settle, { once: true, signal: this.controller.signal });
        }
        const what = end != null ? `the quote ${clock(start)}–${clock(end)}` : clock(start);
        this.toast(`Opened at ${what}. Press play to listen.`);
      }
    }

    markQuote(start, end) {
      if (!this.sentences.length) return; // not aligned yet: nothing to mark
      let i = this.indexAt(start);
      if (i < 0) i = 0;
      else if (start >= this.ends[i] && i + 1 < this.sentences.length) i += 1;
      const last = end == null ? i : Math.max(i, this.indexAt(end - 0.001));
      for (let k = i; k <= last; k += 1) this.sentences[k].classList.add("quote");
      this.sentences[i].classList.add("quote-first");
      this.sentences[last].classList.add("quote-last");
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
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
