/*
 * keys.mjs: the keyboard. Space plays and pauses, j/k or ↓/↑ step through sentences,
 * ←/→ seek, r replays the sentence, c copies a link, / searches, Shift+↓/↑ selects whole
 * sentences as a quote; the skip link goes to the lit sentence. Keys typed into a field
 * are left alone. Methods of `TranscriptPlayer` (player.js mixes them in).
 */
import { isTyping } from "./helpers.mjs";

export const keys = {
  setupKeys() {
    document.addEventListener("keydown", (e) => this.onKey(e), this.listen);
  },

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
      case "Enter":
        // a sentence is not a link once the script runs (player.js): Enter plays it
        if (!onSentence) return;
        this.playSentence(this.byId.get(onSentence.id));
        break;
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
        if (this.state.current >= 0) this.playSentence(this.state.current);
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
  },

  /** Focus the lit sentence (or the transcript's tab stop); true if one was focused. */
  focusCurrent() {
    const el = this.sentences[this.state.current] || this.rover;
    if (!el) return false;
    this.setRover(el);
    el.focus({ preventScroll: true });
    this.reveal();
    return true;
  },

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
  },

  setupSkip() {
    const skip = document.getElementById("skip-now");
    if (!skip) return;
    skip.addEventListener("click", (e) => {
      e.preventDefault();
      const el = this.sentences[this.state.current] || this.quoteEl || this.rover;
      if (!el) return;
      this.setRover(el);
      el.focus({ preventScroll: true });
      this.scrollTo(el, true);
    }, this.listen);
  },
};
