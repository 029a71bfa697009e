/*
 * place.mjs: the listener's place is kept in the browser (localStorage, nothing on the
 * server). While it plays, the time is written every few seconds and on pause or leaving;
 * a reload or a later visit opened without a link to a moment comes back there, paused,
 * with the sentence lit and in view, and offers "▶ Resume from 3:12".
 * The player's `place` (player.js).
 */
import { clock } from "../moments.mjs";
import { ms, resumeAt } from "./helpers.mjs";

const PREFIX = "transcript-player:place:";
const EVERY_MS = 2000;

export class Place {
  /** @param {import("../player.js").TranscriptPlayer} player */
  constructor(player) {
    this.player = player;
  }

  placeKey() {
    return PREFIX + (this.player.root.dataset.recording || window.location.pathname);
  }

  setupPlace() {
    const p = this.player;
    if (p.embedded) return;
    const audio = p.audio;
    let last = 0;
    const save = (force) => {
      const now = Date.now();
      if (!force && now - last < EVERY_MS) return;
      last = now;
      const t = audio.currentTime || 0;
      try {
        if (audio.ended) window.localStorage.removeItem(this.placeKey());
        else if (t > 0) window.localStorage.setItem(this.placeKey(), JSON.stringify({ t, at: now }));
      } catch (e) { /* storage refused (private mode, quota): nothing is kept */ }
    };
    const on = (type, fn) => audio.addEventListener(type, fn, p.listen);
    on("timeupdate", () => { if (!audio.paused) save(false); });
    on("pause", () => save(true));
    on("ended", () => save(true));
    // leaving (a reload): where it is now, once anything was listened to on this page
    window.addEventListener("pagehide", () => {
      if (audio.played && audio.played.length) save(true);
    }, p.listen);
  }

  /** Open at the kept place (when the page was opened without a moment); true if so. */
  resumePlace() {
    const p = this.player;
    if (p.embedded) return false;
    let saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(this.placeKey()) || "null"); } catch (e) { saved = null; }
    const t = resumeAt(saved, parseFloat(p.root.dataset.duration) || 0, Date.now());
    if (t == null) return false;
    const i = p.indexAt(t, false);
    const el = i >= 0 ? p.sentences[i] : null;
    p.opening.openAt(t, null, el, false);
    if (el) el.classList.add("resumed");
    p.opening.showPlayFrom(t, null, `Resume from ${clock(ms(t))}`);
    return true;
  }
}
