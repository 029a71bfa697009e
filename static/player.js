/*
 * player.js: the live part of the transcript player page (and of its embed).
 *
 * The server renders everything a reader needs (the transcript with a link per sentence,
 * the audio element, search that works as a plain form), so this script only adds what
 * must happen in the browser: the lit sentence follows the audio, a click plays from a
 * sentence (or a word), follow mode, keys, study mode, share links, and the timeline strip.
 *
 * Shape borrowed from Hyperaudio Lite: one options object, one `setup*` step per job,
 * one AbortController for every listener, a binary search for the current sentence.
 * This module is the core (sentences, audio, controls); each other job is a module of
 * its own under player/, a class the player holds one of (`player.highlight`,
 * `player.share`...), given the player to read what it needs and to call the others:
 *
 *   player/state.mjs       what the player is doing (the lit sentence, where playing stops,
 *                          the quote, follow mode): the one owner of that state; the
 *                          modules read it and change it through its named transitions
 *   player/toast.mjs       the short message in the page's live region (player.toast)
 *   player/helpers.mjs     pure helpers (time index, steps, clamps), tested by node --test
 *   player/highlight.mjs   .highlight  the lit sentence follows the audio; follow mode,
 *                                      "Back to now"
 *   player/karaoke.mjs     .karaoke    the word being said is lit; a click on a word
 *                                      plays from it
 *   player/search.mjs      .search     search hits play from their sentence
 *   player/share.mjs       .share      sentence tools, links to a moment or a quote,
 *                                      a selection as a quote, clips, clipboard
 *   player/opening.mjs     .opening    where a shared link opens the page, "Play from"
 *   player/keys.mjs        .keys       the keyboard and the skip link
 *   player/place.mjs       .place      the listener's place, kept over a reload
 *   player/outline.mjs     .outline    chapters, and the speaker filter ("Only" one)
 *
 * Each module's fields are its own: another module reads them, or calls a method.
 *
 * What a link or a time means (parsing, building, which sentence it lights) is in
 * moments.mjs, shared with the server's tests. No inline script or style is needed
 * (the page runs under a strict CSP). Served as they are: no build step.
 *
 * Public surface (for the editor's script and the page's other modules):
 *
 *   window.transcriptPlayer      the page's player, once set up; its root (#player)
 *                                then has `data-player-ready` and has dispatched
 *                                "transcript-player:ready" (bubbles; detail: the player)
 *   player.refresh()             read the sentences again after the transcript changed
 *                                (dispatches "transcript-player:refreshed")
 *   player.seek(seconds, {play}) go to a time; player.playSentence(i) play sentence i
 *   player.toast(message)        a short message in the page's live region
 *   player.state                 what it is doing (read-only fields: current, stopAt,
 *                                range, following, detached...; player/state.mjs)
 *   player.destroy()             remove every listener
 *   the <audio id="audio">       its own events say what plays (timeupdate, seeked...)
 *
 * The page's settings come from what the server rendered: the root's data attributes
 * (data-page, data-duration, data-max-clip-ms, data-start...) and the speed menu's options.
 */
import { clock, sentenceAt } from "./moments.mjs";
import { setupParts } from "./parts.mjs";
import { clampSeek, endAfter, ms, stepFrom, timeIndex } from "./player/helpers.mjs";
import { Highlight } from "./player/highlight.mjs";
import { Karaoke } from "./player/karaoke.mjs";
import { Keys } from "./player/keys.mjs";
import { Opening } from "./player/opening.mjs";
import { Outline } from "./player/outline.mjs";
import { Place } from "./player/place.mjs";
import { Search } from "./player/search.mjs";
import { Share } from "./player/share.mjs";
import { PlayerState } from "./player/state.mjs";
import { toaster } from "./player/toast.mjs";

const DEFAULTS = {
  seekStep: 5,             // seconds for ← and →
  hoverDelay: 120,         // ms before the sentence tools move to a hovered sentence
  toastMs: 2600,
  storageKey: "transcript-player:speed",
};

class TranscriptPlayer {
  constructor(root, options) {
    this.root = root;
    // the longest clip the server cuts (webapp.limits.MAX_CLIP_MS), as the page says
    this.options = Object.assign({ maxClipMs: Number(root.dataset.maxClipMs) || 0 },
      DEFAULTS, options || {});
    this.audio = root.querySelector("#audio");
    this.transcript = root.querySelector("#transcript");
    this.embedded = root.dataset.embed != null;
    this.controller = new AbortController();
    // what the player is doing (the lit sentence, where it stops, the quote, follow
    // mode): read from it, changed only through its transitions (player/state.mjs)
    this.state = new PlayerState({ endAfter: (t) => this.sentenceEndAfter(t) });
    // player.toast(message, copied): a short message in the page's #toast (toast.mjs);
    // `copied` is kept for tests and scripts
    this.toast = toaster(root, this.options.toastMs);
    // update() timings, read by benchmarks/player_bench.py
    this.stats = { updates: 0, changes: 0, totalMs: 0, maxMs: 0 };
    // the jobs, each a module of its own; all made before any is set up, since set-up
    // steps call each other (setupSentences asks karaoke and outline)
    this.highlight = new Highlight(this);
    this.karaoke = new Karaoke(this);
    this.search = new Search(this);
    this.share = new Share(this);
    this.opening = new Opening(this);
    this.keys = new Keys(this);
    this.place = new Place(this);
    this.outline = new Outline(this);
  }

  get listen() {
    return { signal: this.controller.signal };
  }

  setup() {
    // a long transcript comes in parts (parts.mjs): first, so its listeners run first
    this.parts = setupParts(this);
    this.karaoke.setupWords();
    this.setupSentences();
    this.setupAudio();
    this.setupControls();
    this.setupTranscript();
    this.setupTimeline();
    this.highlight.setupFollow();
    this.keys.setupKeys();
    this.search.setupSearch();
    this.share.setupShare();
    this.keys.setupSkip();
    this.outline.setupOutline();
    this.place.setupPlace();
    this.opening.setupStart();
    window.addEventListener("hashchange", () => this.opening.openFragment(true), this.listen);
    this.root.querySelectorAll(".js-only").forEach((el) => {
      if (!el.classList.contains("floating")) el.hidden = false;
    });
    this.update();
    return this;
  }

  destroy() {
    this.controller.abort();
    this.highlight.stopLoop();
  }

  /** Light the sentence at the audio's time, and all that goes with it (highlight.mjs). */
  update() {
    this.highlight.update();
  }

  /**
   * Read the sentences again after the transcript changed under the player (an editor's
   * change, more of a long page loaded), and light the one playing.
   */
  refresh() {
    this.setupSentences();
    this.update();
    this.root.dispatchEvent(new CustomEvent("transcript-player:refreshed", { bubbles: true }));
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
      // a link only for readers without script: a link's text cannot be selected by a
      // drag in Chromium, so with script a sentence is plain text that a click plays
      // (and Enter, keys.mjs), and a drag selects as in any text
      if (el.hasAttribute("href")) {
        el.dataset.href = el.getAttribute("href");
        el.removeAttribute("href");
      }
    });
    // searched in time order (helpers.timeIndex); sentences not found in the audio have
    // estimated times only: never lit by time
    this.index = timeIndex(this.begins, this.ends,
      this.sentences.map((el) => !el.classList.contains("unaligned")));
    ({ order: this.order, sortedBegins: this.sortedBegins, sortedEnds: this.sortedEnds,
      rank: this.rank } = this.index);
    this.byId = new Map(this.sentences.map((el, i) => [el.id, i]));
    // words wrapped in sentences replaced or re-timed since (an edit) are forgotten
    this.karaoke.forgetWords();
    this.outline.refreshSpeakers();
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
  rankAt(t, ahead = this.state.ahead) {
    return sentenceAt(this.sortedBegins, this.sortedEnds, ms(t), ahead);
  }

  /** DOM position of the sentence `t` lights, or -1. */
  indexAt(t, ahead) {
    const k = this.rankAt(t, ahead);
    return k < 0 ? -1 : this.order[k];
  }

  /** The end (s) of the sentence at `t`, or of the next one when `t` is past its end. */
  sentenceEndAfter(t) {
    return endAfter(this.index, this.ends, t);
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
    on("pause", () => { this.highlight.stopLoop(); this.update(); this.renderPlayState(); });
    on("ended", () => { this.highlight.stopLoop(); this.update(); this.renderPlayState(); });
    on("seeking", () => { this.onSeek(); });
    on("seeked", () => this.update());
    on("timeupdate", () => this.update());
    on("loadedmetadata", () => this.update());
    on("ratechange", () => this.renderSpeed());
  }

  onPlay() {
    this.state.started(this.audio.currentTime);
    this.opening.hidePlayFrom();
    this.renderPlayState();
    this.highlight.startLoop();
  }

  onSeek() {
    this.state.seeking(this.audio.currentTime, !this.audio.paused);
    this.update();
  }

  duration() {
    const d = this.audio.duration;
    return Number.isFinite(d) && d > 0 ? d : parseFloat(this.root.dataset.duration) || 0;
  }

  seek(t, { play = false, keepRange = false } = {}) {
    t = clampSeek(t, this.duration());
    this.state.seek(t, keepRange);
    this.audio.currentTime = t;
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

  /**
   * Play from sentence `i` (from `at`, seconds, when given: one of its words); the page
   * stays where the reader is when it is in view.
   */
  playSentence(i, at = null) {
    if (i == null || i < 0 || i >= this.sentences.length) return;
    if (this.sentences[i].classList.contains("unaligned")) {
      // not in the recording: there is no moment to play
      this.toast("This line is not in the recording.");
      return;
    }
    this.jumpTo(at != null && Number.isFinite(at) ? at : this.begins[i], true);
  }

  /** Go to the next (+1) or previous (-1) sentence in time, keeping play or pause. */
  step(delta) {
    let i = stepFrom(this.index, this.state.current, delta);
    // with one speaker chosen ("Only", outline.mjs), the steps go through theirs alone
    const { speakerFilter, speakerList } = this.outline;
    for (let n = this.order.length; speakerFilter && i >= 0 && n > 0; n -= 1) {
      if (speakerList[i] === speakerFilter) break;
      const j = stepFrom(this.index, i, delta);
      i = j === i ? -1 : j;
    }
    if (i < 0) return;
    this.jumpTo(this.begins[i], !this.audio.paused);
  }

  /**
   * Go to `t` (s) where the listener asked (a sentence, a step, the timeline, a
   * chapter): the page follows there again, playing if `play`.
   */
  jumpTo(t, play) {
    this.state.attach();
    this.highlight.showBackToNow(false);
    this.seek(t, { play });
    this.highlight.reveal();
  }

  // -- controls --

  setupControls() {
    this.playButton = this.root.querySelector("[data-action='toggle']");
    this.speed = this.root.querySelector("#speed");
    this.followButton = this.root.querySelector("#follow");
    this.studyButton = this.root.querySelector("#study");
    this.moreButton = this.root.querySelector("#more");
    this.root.addEventListener("click", (e) => {
      const button = e.target.closest("button[data-action]");
      if (!button || !this.root.contains(button)) return;
      const action = button.dataset.action;
      if (action === "toggle") this.toggle();
      else if (action === "prev") this.step(-1);
      else if (action === "next") this.step(1);
      else if (action === "share-now") this.share.shareNow();
      else if (action === "play-from") this.opening.playFrom();
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
      // the speeds offered are the menu's (the server's one list, webapp.player.SPEEDS)
      this.speeds = Array.from(this.speed.options, (o) => o.value);
      let saved = null;
      try { saved = window.localStorage.getItem(this.options.storageKey); } catch (e) { /* private mode */ }
      if (saved && this.speeds.includes(saved)) {
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
        this.state.setFollowing(!this.state.following);
        this.followButton.setAttribute("aria-pressed", String(this.state.following));
        if (this.state.following) this.highlight.attach();
        else this.highlight.showBackToNow(false);
      }, this.listen);
    }
    if (this.studyButton) {
      this.studyButton.addEventListener("click", () => {
        const on = this.state.toggleStudy(this.audio.currentTime, !this.audio.paused);
        this.studyButton.setAttribute("aria-pressed", String(on));
        this.toast(on ? "Study mode: the player pauses after each sentence."
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
    if (this.speeds.includes(value)) this.speed.value = value;
  }

  // -- the transcript: click or Enter plays a sentence --

  setupTranscript() {
    this.transcript.addEventListener("click", (e) => {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      const time = e.target.closest("a.para-time[data-begin]");
      if (time) {
        // a paragraph's time plays from there
        e.preventDefault();
        this.jumpTo(parseFloat(time.dataset.begin), true);
        return;
      }
      const el = e.target.closest("a.s");
      if (!el) return;
      e.preventDefault();
      // a drag selects words, and the second click of a double click selects one: only a
      // click where the pointer went down plays
      const down = this.pointerDown;
      if (e.detail > 1 || (down && Math.hypot(e.clientX - down.x, e.clientY - down.y) > 4)) return;
      const i = this.byId.get(el.id);
      if (i != null) {
        // on a word, from that word (karaoke.mjs); on the space between words, from the
        // sentence's start
        const word = e.target.closest("[data-word]")
          || this.karaoke.wordAtPoint(el, e.clientX, e.clientY);
        this.setRover(el);
        this.playSentence(i, word ? parseFloat(word.dataset.begin) : null);
        this.share.showTools(el);
      }
    }, this.listen);
    this.transcript.addEventListener("pointerdown", (e) => {
      this.pointerDown = { x: e.clientX, y: e.clientY };
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
      this.jumpTo(timeAt(e), !this.audio.paused);
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
}

function boot() {
  const root = document.getElementById("player");
  if (!root || !root.querySelector("#audio")) return;
  performance.mark("transcript-player:setup-start");
  window.transcriptPlayer = new TranscriptPlayer(root).setup();
  performance.measure("transcript-player:setup", "transcript-player:setup-start");
  root.dataset.playerReady = "";
  root.dispatchEvent(new CustomEvent("transcript-player:ready",
    { bubbles: true, detail: window.transcriptPlayer }));
}

window.TranscriptPlayer = TranscriptPlayer;
// a module runs after the document is parsed
boot();

export { TranscriptPlayer };
