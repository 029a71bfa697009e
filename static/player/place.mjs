/*
 * place.mjs: the listener's place is kept in the browser (localStorage, nothing on the
 * server). While it plays, the time is written every few seconds and on pause or leaving;
 * a reload or a later visit opened without a link to a moment comes back there, paused,
 * with the sentence lit and in view, and offers "▶ Resume from 3:12".
 * Methods of `TranscriptPlayer` (player.js mixes them in).
 */
import { clock } from "../moments.mjs";
import { ms, resumeAt } from "./helpers.mjs";

const PREFIX = "transcript-player:place:";
const EVERY_MS = 2000;

export const place = {
  placeKey() {
    return PREFIX + (this.root.dataset.recording || window.location.pathname);
  },

  setupPlace() {
    if (this.embedded) return;
    let last = 0;
    const save = (force) => {
      const now = Date.now();
      if (!force && now - last < EVERY_MS) return;
      last = now;
      const t = this.audio.currentTime || 0;
      try {
        if (this.audio.ended) window.localStorage.removeItem(this.placeKey());
        else if (t > 0) window.localStorage.setItem(this.placeKey(), JSON.stringify({ t, at: now }));
      } catch (e) { /* storage refused (private mode, quota): nothing is kept */ }
    };
    const on = (type, fn) => this.audio.addEventListener(type, fn, this.listen);
    on("timeupdate", () => { if (!this.audio.paused) save(false); });
    on("pause", () => save(true));
    on("ended", () => save(true));
    // leaving (a reload): where it is now, once anything was listened to on this page
    window.addEventListener("pagehide", () => {
      if (this.audio.played && this.audio.played.length) save(true);
    }, this.listen);
  },

  /** Open at the kept place (when the page was opened without a moment); true if so. */
  resumePlace() {
    if (this.embedded) return false;
    let saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(this.placeKey()) || "null"); } catch (e) { saved = null; }
    const t = resumeAt(saved, parseFloat(this.root.dataset.duration) || 0, Date.now());
    if (t == null) return false;
    const i = this.indexAt(t, false);
    const el = i >= 0 ? this.sentences[i] : null;
    this.openAt(t, null, el, false);
    if (el) el.classList.add("resumed");
    this.showPlayFrom(t, null, `Resume from ${clock(ms(t))}`);
    return true;
  },
};
