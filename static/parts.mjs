/*
 * parts.mjs: a long transcript arrives in parts (webapp/paging.py).
 *
 * The server renders one part (the quote's, the asked page's, or the first) and, for
 * each other one, a placeholder `.part-pending` with its number, its sentences' time
 * span and a plain link to its page (which is what a reader without script follows).
 * Here a placeholder is filled in place from `/r/<id>/part/<n>` when it comes near the
 * view, and the part holding the audio's time (with its neighbours, so j/k and a pause
 * at a part's end find their sentence) is fetched as soon as the time gets there: by
 * playing, a seek, the timeline, a search hit or a `#t=` link. After each part arrives
 * the player gathers its sentences again and lights the one of the moment.
 *
 * The player calls `setupParts(player)` first thing in its setup; nothing else of the
 * player knows about parts. Pure helpers are exported for `node --test`.
 */
import { fragmentMoment, sentenceFragment } from "./moments.mjs";

/** Index of the part whose time `t` (s) is: the last one begun by then, else the first. */
export function partAt(begins, t) {
  let found = 0;
  for (let i = 0; i < begins.length; i += 1) {
    if (begins[i] <= t) found = i;
  }
  return found;
}

/** The indices of parts to have at `t`: its own, and the ones before and after it. */
export function partsAround(begins, t) {
  const k = partAt(begins, t);
  return [k, k + 1, k - 1].filter((i) => i >= 0 && i < begins.length);
}

const NEAR = "1200px 0px"; // a placeholder this close to the view is fetched

class Parts {
  constructor(player, root) {
    this.player = player;
    this.loading = new Map();
    this.listen = player.listen;
    this.read(root);
  }

  /** Take the parts under `root` (the page's, or what an editor's change put there). */
  read(root) {
    this.root = root;
    this.els = Array.from(root.querySelectorAll(":scope > .part"));
    this.begins = this.els.map((el) => parseFloat(el.dataset.begin) || 0);
    this.ends = this.els.map((el) => parseFloat(el.dataset.end) || 0);
    this.loading.clear();
  }

  /** False when the transcript has no parts any more: an editor's change swaps in the
   * whole transcript (webapp/editing.py), and then every sentence is on the page. */
  current() {
    if (this.root.isConnected) return true;
    const root = this.player.transcript.querySelector(".parts");
    if (!root) return false;
    this.read(root);
    this.sizePlaceholders();
    if (this.observer) this.els.forEach((el) => { if (this.pending(el)) this.observer.observe(el); });
    return true;
  }

  setup() {
    // Nothing is lit while the sentence of the moment is in a part still on its way:
    // the nearest sentence on the page would be the wrong one.
    const rankAt = this.player.rankAt.bind(this.player);
    this.player.rankAt = (t, ahead) => (this.covers(t) ? rankAt(t, ahead) : -1);
    this.sizePlaceholders();
    if ("IntersectionObserver" in window) {
      this.observer = new IntersectionObserver((entries) => {
        entries.forEach((e) => {
          if (e.isIntersecting) this.load(this.els.indexOf(e.target)).catch(() => {});
        });
      }, { rootMargin: NEAR });
      this.els.forEach((el) => { if (this.pending(el)) this.observer.observe(el); });
      this.player.controller.signal.addEventListener("abort", () => this.observer.disconnect());
    }
    const audio = this.player.audio;
    ["seeking", "timeupdate", "play"].forEach((type) => {
      audio.addEventListener(type, () => this.follow(), this.listen);
    });
    // a page link inside the player fills its part in place instead of leaving the page
    this.root.addEventListener("click", (e) => {
      const link = e.target.closest(".part-pending .part-link a");
      if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      const i = this.els.indexOf(link.closest(".part"));
      this.load(i).then(() => {
        const first = this.els[i].querySelector("a.s[data-begin]");
        if (first) this.player.highlight.scrollTo(first, true);
      }).catch(() => { window.location.href = link.href; });
    }, this.listen);
    window.addEventListener("hashchange", (e) => this.onHash(e), this.listen);
    return this.openedFromHash();
  }

  pending(el) {
    return el.classList.contains("part-pending");
  }

  /** Give placeholders about the height their part will have, so the scrollbar tells
   * the truth and fetching one never makes the page jump far. */
  sizePlaceholders() {
    const shown = this.els.find((el) => !this.pending(el));
    const count = (el) => (parseInt(el.dataset.stop, 10) - parseInt(el.dataset.first, 10)) || 1;
    const perSentence = shown && shown.offsetHeight ? shown.offsetHeight / count(shown) : 24;
    this.els.forEach((el) => {
      if (this.pending(el)) el.style.minHeight = `${Math.round(perSentence * count(el))}px`;
    });
  }

  /** True when the sentence a moment `t` (s) lights is on the page. */
  covers(t) {
    if (!this.current()) return true;
    const k = partAt(this.begins, t);
    if (this.pending(this.els[k])) return false;
    // in the pause after a part's last sentence a seek lights the next part's first
    return t <= this.ends[k] || k + 1 >= this.els.length || !this.pending(this.els[k + 1]);
  }

  /** Fetch the parts around the audio's time, if they are not on the page. */
  follow() {
    if (!this.current()) return;
    const t = this.player.audio.currentTime || 0;
    partsAround(this.begins, t).forEach((i) => { this.load(i).catch(() => {}); });
  }

  /** Fill part `i` in; resolves when it is on the page. */
  load(i) {
    const el = this.els[i];
    if (!el || !this.pending(el)) return Promise.resolve();
    if (this.loading.has(i)) return this.loading.get(i);
    el.setAttribute("aria-busy", "true");
    const done = fetch(el.dataset.src, { credentials: "same-origin" })
      .then((resp) => {
        if (!resp.ok) throw new Error(`part ${i + 1}: HTTP ${resp.status}`);
        return resp.text();
      })
      .then((html) => {
        const tpl = document.createElement("template");
        tpl.innerHTML = html;
        const fresh = tpl.content.querySelector(".part");
        if (!fresh) throw new Error(`part ${i + 1}: no part in the answer`);
        if (this.observer) this.observer.unobserve(el);
        el.replaceWith(fresh);
        this.els[i] = fresh;
        this.refresh();
      })
      .finally(() => {
        this.loading.delete(i);
        el.removeAttribute("aria-busy");
      });
    this.loading.set(i, done);
    return done;
  }

  /** The player gathers its sentences again; the lit one and the tab stop stay. */
  refresh() {
    const p = this.player;
    const lit = p.sentences[p.state.current];
    const rover = p.rover;
    p.setupSentences();
    if (rover && rover.isConnected) p.setRover(rover);
    p.state.setCurrent(lit ? p.sentences.indexOf(lit) : -1);
    p.update();
    this.root.dispatchEvent(new CustomEvent("parts:loaded", { bubbles: true }));
  }

  /** A `#t=` or `#s-` address whose sentence is in a part not on the page: open the
   * page that has it (the server renders the part of a `?t=` or a permalink). */
  openedFromHash() {
    const hash = window.location.hash;
    const durationMs = Math.round((parseFloat(this.player.root.dataset.duration) || 0) * 1000);
    const m = fragmentMoment(hash, durationMs);
    const url = new URL(window.location.href);
    if (m.start != null && !this.covers(m.start / 1000)) {
      url.hash = "";
      url.searchParams.delete("page");
      url.searchParams.set("t", String(m.start / 1000));
      if (m.end != null) url.searchParams.set("end", String(m.end / 1000));
      else url.searchParams.delete("end");
      window.location.replace(url.toString());
      return false;
    }
    const sid = sentenceFragment(hash);
    if (sid != null && !document.getElementById(sid) && /^\/r\/[^/]+\/?$/.test(url.pathname)) {
      window.location.replace(`${url.pathname.replace(/\/$/, "")}/s/${encodeURIComponent(sid)}`);
      return false;
    }
    return true;
  }

  /** A `#t=` set on the open page: fetch its part before the player opens it. */
  onHash(e) {
    const durationMs = Math.round((parseFloat(this.player.root.dataset.duration) || 0) * 1000);
    const m = fragmentMoment(window.location.hash, durationMs);
    if (m.start == null || this.covers(m.start / 1000)) return;
    e.stopImmediatePropagation();
    const t = m.start / 1000;
    Promise.all(partsAround(this.begins, t).map((i) => this.load(i)))
      .then(() => this.player.opening.openFragment(true))
      .catch(() => this.openedFromHash());
  }
}

/** Set up parts for `player` when its transcript comes in parts; null otherwise. */
export function setupParts(player) {
  const root = player.transcript && player.transcript.querySelector(".parts");
  if (!root) return null;
  const parts = new Parts(player, root);
  parts.setup();
  return parts;
}
