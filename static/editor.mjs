/*
 * editor.mjs: correcting a transcript on the player page (loaded by edit-mode.mjs, for
 * editors, when the Edit switch is pressed).
 *
 * The editor chooses a sentence (a click, or j/k to it) and then:
 *   e, a double click     edit its words and speaker in place: the server's form, by htmx;
 *   (or "Edit words")     saving re-aligns the stretch around it and plays it again
 *   [ ]  , .              move its start, its end, 50 ms (250 ms with Shift)
 *   drag an edge          moves its start or end, on a zoomed strip under the page's own
 *                         timeline (fine), or on that timeline itself (coarse)
 *   p                     plays it; every move plays it too (near the moved edge when long)
 *   Ctrl+Z                undoes the latest edit still standing, then the one before...
 *   Ctrl+Shift+Z, Ctrl+Y  redoes the latest undo (since the last edit)
 * Moves show at once and are saved a moment after the last one (one change in the history
 * for a burst of nudges). The server decides what is stored and answers with the
 * sentences it moved (a touching neighbour moves along) and the timeline's segments.
 *
 * finetuneas (+/- steps, "couple" neighbours, the play window) and Hyperaudio's editor
 * (words edited where they are read) are the models. player.js keeps the page playing;
 * this module only asks it to re-read the sentences after they change.
 */
import {
  edgeNear, moveEdge, nudgeForKey, precise, previewRange, seconds, stripWindow, xToMs,
} from "./edit-times.mjs";

const SAVE_DELAY_MS = 600;
const SVG = "http://www.w3.org/2000/svg";
const ms = (s) => Math.round(parseFloat(s || "0") * 1000);

function isTyping(el) {
  return !!(el && el.closest && el.closest("input, textarea, select, [contenteditable='true']"));
}

/** The message of an error page the server answered with (its first paragraph). */
function errorText(html, fallback) {
  try {
    const doc = new DOMParser().parseFromString(html || "", "text/html");
    const p = doc.querySelector(".error p") || doc.querySelector("main p");
    return (p && p.textContent.trim()) || fallback;
  } catch (err) {
    return fallback;
  }
}

class Editor {
  constructor(root) {
    this.root = root;
    this.bar = root.querySelector("#edit-bar");
    this.audio = root.querySelector("#audio");
    this.transcript = root.querySelector("#transcript");
    this.strip = this.bar.querySelector("#edit-strip svg");
    this.status = this.bar.querySelector("#edit-status");
    this.duration = parseInt(this.bar.dataset.duration, 10) || 0;
    this.csrf = this.bar.dataset.csrf;
    this.selected = null;   // the sentence element being corrected
    this.saved = null;      // its times as the server has them
    this.saveTimer = 0;
    this.stopAt = null;     // ms: where a preview pauses
    this.drag = null;
    this.controller = new AbortController();
  }

  get listen() {
    return { signal: this.controller.signal };
  }

  setup() {
    const on = (el, type, fn, opts) => el.addEventListener(type, fn, Object.assign({}, this.listen, opts));
    on(this.transcript, "click", (e) => {
      const el = e.target.closest("a.s");
      if (el && !e.target.closest("form")) this.select(el);
    });
    on(this.transcript, "focusin", (e) => {
      const el = e.target.closest("a.s");
      if (el) this.select(el);
    });
    // a double click edits the words, as in Hyperaudio's editor (the clicks also play it)
    on(this.transcript, "dblclick", (e) => {
      const el = e.target.closest("a.s");
      if (!el || e.target.closest("form")) return;
      window.getSelection()?.removeAllRanges();
      this.select(el);
      this.openForm();
    });
    on(document, "keydown", (e) => this.onKey(e));
    on(this.bar, "click", (e) => this.onBarClick(e));
    on(this.transcript, "click", (e) => {
      if (e.target.closest("[data-action='cancel-edit']")) this.closeForm();
    });
    on(this.transcript, "keydown", (e) => this.onFormKey(e));
    // the edges are dragged on the zoomed strip, or on the page's own timeline
    const page = this.root.querySelector("#timeline svg");
    for (const [svg, win] of [[this.strip, () => this.win],
      [page, () => ({ from: 0, to: this.duration })]]) {
      if (!svg) continue;
      on(svg, "pointerdown", (e) => this.onPointerDown(e, svg, win()));
      on(svg, "pointermove", (e) => this.onPointerMove(e));
      on(svg, "pointerup", (e) => this.onPointerUp(e));
      on(svg, "pointercancel", () => { this.drag = null; });
    }
    if (page) {
      // a drag on the page's timeline is not also a click that seeks there (player.js)
      on(page.parentElement, "click", (e) => {
        if (this.dragged) {
          this.dragged = false;
          e.stopPropagation();
        }
      }, { capture: true });
    }
    on(this.audio, "timeupdate", () => this.checkStop());
    on(this.audio, "pause", () => { this.stopAt = null; this.drawPlayhead(); });
    on(this.audio, "timeupdate", () => this.drawPlayhead());
    on(document.body, "htmx:afterSwap", (e) => this.afterSwap(e));
    on(document.body, "htmx:responseError", (e) => this.onResponseError(e));
    on(document.body, "transcript-edited", (e) => this.afterEdit(e.detail || {}));
    this.root.querySelectorAll(".edit-help").forEach((el) => { el.hidden = false; });
    this.bar.hidden = false; // from the start, so choosing a sentence moves nothing
    return this;
  }

  // -- choosing a sentence --

  sentences() {
    return Array.from(this.transcript.querySelectorAll("a.s[data-begin]"));
  }

  times(el) {
    return { begin: ms(el.dataset.begin), end: ms(el.dataset.end) };
  }

  select(el) {
    if (!el) return;
    if (this.selected && this.selected !== el) {
      this.flush();
      this.selected.classList.remove("edit-target");
    }
    this.selected = el;
    this.saved = this.times(el);
    el.classList.add("edit-target");
    this.bar.hidden = false;
    this.render();
  }

  render() {
    const el = this.selected;
    if (!el) return;
    const t = this.times(el);
    const n = this.sentences().indexOf(el) + 1;
    this.bar.querySelector("#edit-n").textContent = `Sentence ${n}`;
    this.bar.querySelector("#edit-begin").textContent = precise(t.begin);
    this.bar.querySelector("#edit-end").textContent = precise(t.end);
    this.drawStrip();
  }

  // -- the zoomed strip --

  drawStrip() {
    const el = this.selected;
    const t = this.times(el);
    const win = this.drag && this.drag.strip ? this.drag.win : stripWindow(t, this.duration);
    this.win = win;
    const svg = this.strip;
    const span = win.to - win.from;
    svg.setAttribute("viewBox", `${win.from} 0 ${span} 36`);
    svg.replaceChildren();
    const rect = (cls, x, w, y, h, extra) => {
      const r = document.createElementNS(SVG, "rect");
      r.setAttribute("class", cls);
      r.setAttribute("x", x);
      r.setAttribute("width", Math.max(w, span / 1000));
      r.setAttribute("y", y);
      r.setAttribute("height", h);
      if (extra) Object.entries(extra).forEach(([k, v]) => r.setAttribute(k, v));
      svg.appendChild(r);
      return r;
    };
    rect("strip-track", win.from, span, 8, 20);
    for (const other of this.sentences()) {
      if (other === el) continue;
      const o = this.times(other);
      if (o.end < win.from || o.begin > win.to) continue;
      rect("strip-other", o.begin, o.end - o.begin, 10, 16);
    }
    rect("strip-sel", t.begin, t.end - t.begin, 6, 24);
    const handle = span / 120;
    rect("strip-handle", t.begin - handle / 2, handle, 0, 36, { "data-edge": "begin" });
    rect("strip-handle", t.end - handle / 2, handle, 0, 36, { "data-edge": "end" });
    const head = document.createElementNS(SVG, "line");
    head.setAttribute("class", "strip-playhead");
    head.setAttribute("y1", "0");
    head.setAttribute("y2", "36");
    head.setAttribute("vector-effect", "non-scaling-stroke");
    svg.appendChild(head);
    this.playhead = head;
    this.drawPlayhead();
  }

  drawPlayhead() {
    if (!this.playhead) return;
    const x = Math.round((this.audio.currentTime || 0) * 1000);
    this.playhead.setAttribute("x1", x);
    this.playhead.setAttribute("x2", x);
  }

  /** The time under the pointer on the surface being dragged on. */
  pointerMs(e, svg, win) {
    const box = svg.getBoundingClientRect();
    return xToMs(e.clientX - box.left, box.width, win);
  }

  onPointerDown(e, svg, win) {
    if (!this.selected || e.button !== 0) return;
    const box = svg.getBoundingClientRect();
    const tol = ((win.to - win.from) / Math.max(1, box.width)) * 8; // 8 px either side
    const edge = edgeNear(this.pointerMs(e, svg, win), this.times(this.selected), tol);
    if (!edge) return;
    e.preventDefault();
    svg.setPointerCapture(e.pointerId);
    // the strip keeps its window while dragging, so the edge stays under the pointer
    this.drag = { edge, svg, win, strip: svg === this.strip, moved: false };
    this.bar.classList.add("dragging");
  }

  onPointerMove(e) {
    const d = this.drag;
    if (!d) return;
    d.moved = true;
    const at = this.pointerMs(e, d.svg, d.win);
    this.setLocal(this.selected, moveEdge(this.times(this.selected), d.edge, at, this.duration));
  }

  onPointerUp(e) {
    const d = this.drag;
    if (!d) return;
    this.drag = null;
    this.bar.classList.remove("dragging");
    if (!d.moved) return; // a press that did not move is a click (on the timeline, a seek)
    this.onPointerMove(e);
    this.dragged = !d.strip;
    this.render();
    this.changed(d.edge);
  }

  // -- moving edges --

  nudge(edge, delta) {
    const el = this.selected;
    if (!el) return;
    const t = this.times(el);
    this.setLocal(el, moveEdge(t, edge, t[edge] + delta, this.duration));
    this.changed(edge);
  }

  /** Show new times at once: the sentence's data, the page's timeline, the player. */
  setLocal(el, t) {
    el.dataset.begin = seconds(t.begin);
    el.dataset.end = seconds(t.end);
    const seg = this.root.querySelector(`#timeline rect.seg[data-sid="${CSS.escape(el.id)}"]`);
    if (seg) {
      seg.setAttribute("x", t.begin);
      seg.setAttribute("width", Math.max(1, t.end - t.begin));
    }
    this.refreshPlayer();
    this.render();
  }

  changed(edge) {
    this.preview(edge);
    this.say("Moved; saving…");
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  /** Save now a move still waiting (before another sentence is chosen). */
  flush() {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.save();
    }
  }

  async save() {
    this.saveTimer = 0;
    const el = this.selected;
    if (!el) return;
    const t = this.times(el);
    if (this.saved && t.begin === this.saved.begin && t.end === this.saved.end) {
      this.say("");
      return;
    }
    const body = new FormData();
    body.set("begin", seconds(t.begin));
    body.set("end", seconds(t.end));
    body.set("csrf_token", this.csrf);
    const url = this.bar.dataset.timingUrl.replace("SID", encodeURIComponent(el.id));
    let resp;
    try {
      resp = await fetch(url, {
        method: "POST", body, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRF-Token": this.csrf },
      });
    } catch (err) {
      this.revert(el, "Not saved: the server did not answer. Try again.");
      return;
    }
    if (!resp.ok) {
      this.revert(el, errorText(await resp.text(), `Not saved (${resp.status}).`));
      return;
    }
    const data = await resp.json();
    for (const s of data.sentences || []) {
      const other = document.getElementById(s.id);
      if (!other) continue;
      other.dataset.begin = s.begin.toFixed(3);
      other.dataset.end = s.end.toFixed(3);
      // its words as found again over its new span, or none (the player re-reads them)
      if (s.words) other.dataset.words = s.words;
      else delete other.dataset.words;
      other.classList.remove("low", "unaligned");
      if (s.css) other.classList.add(s.css);
      other.removeAttribute("title");
    }
    this.freshSegments(data.segments || "");
    if (el === this.selected) this.saved = this.times(el);
    this.refreshPlayer();
    this.render();
    this.say(data.summary ? `Saved: ${data.summary}` : "Saved.");
    document.body.dispatchEvent(new CustomEvent("transcript-edited", {
      detail: { change: data.change, sid: el.id, timing: true },
    }));
  }

  revert(el, message) {
    if (this.saved && el === this.selected) this.setLocal(el, this.saved);
    this.say(message, true);
  }

  // -- hearing it --

  preview(edge) {
    const el = this.selected;
    if (!el) return;
    const r = previewRange(this.times(el), edge);
    this.stopAt = r.to;
    this.audio.currentTime = r.from / 1000;
    const played = this.audio.play();
    if (played && played.catch) played.catch(() => { this.stopAt = null; });
    // checked every frame (timeupdate comes only every quarter second or so); a pause
    // by the reader clears stopAt and so ends the loop; one loop for any number of moves
    if (this.previewing) return;
    this.previewing = true;
    const tick = () => {
      if (this.checkStop()) requestAnimationFrame(tick);
      else this.previewing = false;
    };
    requestAnimationFrame(tick);
  }

  /** Pause at the end of a preview; true while one is playing. */
  checkStop() {
    if (this.stopAt == null) return false;
    if (this.audio.currentTime * 1000 >= this.stopAt - 15) {
      this.stopAt = null;
      this.audio.pause();
      return false;
    }
    return true;
  }

  // -- words and speaker (the server's form, by htmx) --

  openForm() {
    const el = this.selected;
    if (!el || !window.htmx) return;
    if (this.transcript.querySelector("#s-edit")) this.closeForm();
    const url = this.bar.dataset.editUrl.replace("SID", encodeURIComponent(el.id));
    window.htmx.ajax("GET", url, { target: el, swap: "afterend" }).then(() => {
      const form = this.transcript.querySelector("#s-edit");
      if (!form) return;
      el.classList.add("being-edited");
      const area = form.querySelector("textarea");
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
    });
  }

  closeForm() {
    const form = this.transcript.querySelector("#s-edit");
    if (!form) return;
    const el = document.getElementById(form.dataset.sid);
    form.remove();
    if (el) {
      el.classList.remove("being-edited");
      el.focus({ preventScroll: true });
    }
  }

  onFormKey(e) {
    const form = e.target.closest && e.target.closest("#s-edit");
    if (!form) return;
    if (e.key === "Escape") {
      e.preventDefault();
      this.closeForm();
    } else if (e.key === "Enter" && !e.shiftKey && e.target.tagName === "TEXTAREA") {
      e.preventDefault();  // one sentence is one line; Enter saves
      // htmx takes a form it has inserted only once it settles; a quick Enter must not
      // send it as a plain form (that works, but reloads the page)
      if (window.htmx) window.htmx.process(form);
      form.requestSubmit();
    }
  }

  afterSwap(e) {
    const target = e.detail && e.detail.target;
    if (!target || target.id !== "transcript-body") return;
    this.refreshPlayer();
    const fresh = document.getElementById("edit-fresh");
    if (fresh) {
      const segs = fresh.querySelector("svg.fresh-segments");
      if (segs) this.freshSegments(segs.innerHTML);
      const names = fresh.querySelector("#rename-old-fresh");
      const select = this.root.querySelector("#rename-old");
      if (names && select) {
        select.replaceChildren(...Array.from(names.children).map((o) => o.cloneNode(true)));
      }
      fresh.replaceChildren();
    }
  }

  /** After any change: choose its sentence again; after new words, play them. */
  afterEdit(detail) {
    if (detail.timing) return;
    const el = detail.sid ? document.getElementById(detail.sid) : null;
    this.selected = null;
    if (el) {
      this.select(el);
      el.focus({ preventScroll: false });
      if (detail.play) this.preview(null);
    } else {
      this.bar.hidden = true;
    }
    if (detail.message) this.say(detail.message, !!detail.warn);
  }

  onResponseError(e) {
    const xhr = e.detail && e.detail.xhr;
    const message = errorText(xhr && xhr.responseText, "Not saved: the server refused it.");
    const form = this.transcript.querySelector("#s-edit");
    const box = form && form.querySelector(".s-edit-error");
    if (box && e.detail.elt && form.contains(e.detail.elt)) {
      box.textContent = message;
      box.hidden = false;
    } else if (this.selected) {
      this.say(message, true);
    } else {
      // no sentence chosen, so no bar to say it in (an undo from the history)
      const player = window.transcriptPlayer;
      if (player && typeof player.toast === "function") player.toast(message);
      else window.alert(message);
    }
  }

  /** Replace the page timeline's segments with the server's (the playhead stays). */
  freshSegments(markup) {
    const svg = this.root.querySelector("#timeline svg");
    if (!svg || !markup) return;
    const doc = new DOMParser().parseFromString(`<svg xmlns="${SVG}">${markup}</svg>`, "image/svg+xml");
    svg.querySelectorAll("rect.seg, rect.tick").forEach((r) => r.remove());
    const head = svg.querySelector(".playhead");
    for (const node of Array.from(doc.documentElement.children)) {
      svg.insertBefore(document.importNode(node, true), head);
    }
  }

  /**
   * Ask the player to re-read the sentences (player.js caches their elements and times),
   * and to light the sentence at the audio's time again: the one it lit may be gone.
   */
  refreshPlayer() {
    const player = window.transcriptPlayer;
    if (!player) return;
    // the sentence it lit may have been replaced: light afresh from the audio's time
    this.transcript.querySelectorAll("a.s[aria-current]").forEach((el) => {
      el.removeAttribute("aria-current");
    });
    if (player.state) player.state.setCurrent(-1);
    if (typeof player.refresh === "function") {
      player.refresh();
    } else if (typeof player.setupSentences === "function") {
      player.setupSentences();
      player.update();
    }
  }

  // -- keys and buttons --

  onKey(e) {
    if (e.defaultPrevented || e.altKey) return;
    const target = e.target;
    if (isTyping(target)) return;
    const key = e.key.toLowerCase();
    if ((e.ctrlKey || e.metaKey) && (key === "z" || key === "y")) {
      // Ctrl+Z steps back through the edits; Ctrl+Shift+Z (or Ctrl+Y) redoes an undo
      const redo = e.shiftKey || key === "y";
      const undo = this.root.querySelector(redo ? "#history form.redo button"
        : "#history form.next-undo button");
      if (undo) {
        e.preventDefault();
        // a list swapped in a moment ago may not be wired by htmx yet (it does so as
        // the swap settles): wire it now, or the click sends a plain form and reloads
        if (window.htmx) window.htmx.process(undo.form);
        undo.click();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey) return;
    const onSentence = target.closest && target.closest("#transcript a.s");
    if (onSentence && onSentence !== this.selected) this.select(onSentence);
    if (!this.selected || !this.selected.isConnected) return;
    const nudge = nudgeForKey(e.code, e.shiftKey);
    if (nudge) {
      e.preventDefault();
      this.nudge(nudge.edge, nudge.delta);
    } else if (e.key === "e") {
      e.preventDefault();
      this.openForm();
    } else if (e.key === "p") {
      e.preventDefault();
      this.preview(null);
    }
  }

  onBarClick(e) {
    const button = e.target.closest("button");
    if (!button || !this.selected) return;
    if (button.dataset.nudge) {
      this.nudge(button.dataset.nudge, parseInt(button.dataset.step, 10) * (e.shiftKey ? 250 : 50));
    } else if (button.dataset.action === "edit-play") {
      this.preview(null);
    } else if (button.dataset.action === "edit-words") {
      this.openForm();
    }
  }

  /** Put the tools away and unbind every key and listener (the Edit switch, off). */
  destroy() {
    this.flush();
    this.controller.abort();
    if (this.selected) this.selected.classList.remove("edit-target");
    this.selected = null;
    this.closeForm();
    this.bar.hidden = true;
    this.root.querySelectorAll(".edit-help").forEach((el) => { el.hidden = true; });
  }

  say(message, bad = false) {
    this.status.textContent = message;
    this.status.classList.toggle("bad", bad);
  }
}

// set up by edit-mode.mjs when the Edit switch is pressed (reading and editing are two modes)

export { Editor };
