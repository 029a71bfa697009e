/*
 * keys.mjs: the keyboard. Space plays and pauses, j/k or ↓/↑ step through sentences,
 * ←/→ seek, r replays the sentence, c copies a link, / searches, Shift+↓/↑ selects whole
 * sentences as a quote (share.mjs); the skip link goes to the lit sentence. Keys typed
 * into a field are left alone. The player's `keys` (player.js).
 */
import { isTyping } from "./helpers.mjs";

export class Keys {
  /** @param {import("../player.js").TranscriptPlayer} player */
  constructor(player) {
    this.player = player;
  }

  setupKeys() {
    document.addEventListener("keydown", (e) => this.onKey(e), this.player.listen);
  }

  onKey(e) {
    const p = this.player;
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    if (isTyping(target)) {
      if (e.key === "Escape" && target.id === "q") target.blur();
      return;
    }
    if (target === p.audio) return; // the native controls have their own keys
    const onControl = target.closest && target.closest("button, summary, select, a:not(.s)");
    const onSentence = target.closest && target.closest("#transcript a.s");
    let handled = true;
    if (e.shiftKey && onSentence && ["ArrowDown", "ArrowUp", "J", "K"].includes(e.key)) {
      p.share.extendSelection(onSentence, e.key === "ArrowDown" || e.key === "J" ? 1 : -1);
      e.preventDefault();
      return;
    }
    switch (e.key) {
      case "Enter":
        // a sentence is not a link once the script runs (player.js): Enter plays it
        if (!onSentence) return;
        p.playSentence(p.byId.get(onSentence.id));
        break;
      case " ":
      case "Spacebar":
        if (onControl) return;
        p.toggle();
        break;
      case "j":
      case "ArrowDown":
        p.step(1);
        if (onSentence) this.focusCurrent();
        break;
      case "k":
      case "ArrowUp":
        p.step(-1);
        if (onSentence) this.focusCurrent();
        break;
      case "ArrowLeft":
        p.seek(p.audio.currentTime - p.options.seekStep, { play: !p.audio.paused });
        break;
      case "ArrowRight":
        p.seek(p.audio.currentTime + p.options.seekStep, { play: !p.audio.paused });
        break;
      case "r":
        if (p.state.current >= 0) p.playSentence(p.state.current);
        else if (p.order.length) p.playSentence(p.order[0]);
        break;
      case "c":
        if (p.share.selected) p.share.copyLink(p.share.selected.url, "Link to the quote copied");
        else if (onSentence) p.share.shareSentence(onSentence);
        else p.share.shareNow();
        break;
      case "/": {
        const q = p.root.querySelector("#q");
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
    const p = this.player;
    const el = p.sentences[p.state.current] || p.rover;
    if (!el) return false;
    p.setRover(el);
    el.focus({ preventScroll: true });
    p.highlight.reveal();
    return true;
  }

  setupSkip() {
    const p = this.player;
    const skip = document.getElementById("skip-now");
    if (!skip) return;
    skip.addEventListener("click", (e) => {
      e.preventDefault();
      const el = p.sentences[p.state.current] || p.opening.quoteEl || p.rover;
      if (!el) return;
      p.setRover(el);
      el.focus({ preventScroll: true });
      p.highlight.scrollTo(el, true);
    }, p.listen);
  }
}
