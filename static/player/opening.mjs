/*
 * opening.mjs: where a shared link opens the page. `?t=&end=` (the server marks the
 * quote), `#t=start,end` (a media fragment) and `#s-<id>` (a sentence) start there, ready
 * to play, with "Play from 3:39" as the one obvious way to hear it. A range is played
 * through the player's state (state.mjs: `playRange`), which stops at its end.
 * The player's `opening` (player.js).
 */
import { clock, fragmentMoment, quoteSpan, sentenceFragment, shareQuery } from "../moments.mjs";
import { clipFits, ms } from "./helpers.mjs";

export class Opening {
  /** @param {import("../player.js").TranscriptPlayer} player */
  constructor(player) {
    this.player = player;
    this.quoteEl = null;    // the sentence the page opened at
    this.playFromAt = null; // {start, end} (s) that "Play from" plays
  }

  setupStart() {
    const p = this.player;
    const data = p.root.dataset;
    let start = data.start != null ? parseFloat(data.start) : null;
    let end = data.end != null ? parseFloat(data.end) : null;
    let quote = data.quote ? document.getElementById(data.quote) : null;
    // a shared link plays at once where the browser allows it; an embed waits for a click
    const autoplay = !p.embedded;
    if (start == null && this.openFragment(autoplay)) return;
    const sid = start == null ? sentenceFragment(window.location.hash) : null;
    if (sid != null) {
      const i = p.byId.get(sid);
      if (i != null) {
        start = p.begins[i];
        quote = p.sentences[i];
        quote.classList.add("quote", "quote-first", "quote-last");
      }
    }
    if (start == null) {
      p.place.resumePlace(); // where the listener was (place.mjs), if anywhere
      return;
    }
    this.openAt(start, end, quote, autoplay);
  }

  /** Open the moment of a `#t=` fragment; false when the address has none. */
  openFragment(play) {
    const p = this.player;
    const durationMs = ms(parseFloat(p.root.dataset.duration)) || 0;
    const m = fragmentMoment(window.location.hash, durationMs);
    if (m.start == null) return false;
    p.transcript.querySelectorAll("a.s.quote").forEach((el) => {
      el.classList.remove("quote", "quote-first", "quote-last");
    });
    const quote = this.markQuote(m.start, m.end);
    // the address a reader copies should preview its quote: the server reads ?t=, not #t=
    if (!p.embedded && window.history.replaceState) {
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
    const p = this.player;
    // a range plays to its end; a moment alone ends any stop set before
    if (end != null) p.state.playRange(start, end);
    else p.state.clearStop();
    this.quoteEl = quote;
    const apply = () => {
      p.audio.currentTime = start;
      p.state.lookAhead();
      p.update();
    };
    apply();
    if (p.audio.readyState < 1) {
      p.audio.addEventListener("loadedmetadata", apply, { once: true, signal: p.controller.signal });
    }
    if (quote) {
      p.setRover(quote);
      // the page just opened: jump, and again once images and fonts have settled
      p.highlight.scrollTo(quote, true);
      const settle = () => { if (!p.state.detached) p.highlight.scrollTo(quote, true); };
      if (document.readyState !== "complete") {
        window.addEventListener("load", settle, { once: true, signal: p.controller.signal });
      }
    }
    this.showPlayFrom(start, end);
    if (play) {
      // where the browser allows it, a shared link plays at once; else the button waits
      const played = p.audio.play();
      if (played && played.catch) played.catch(() => {});
    }
  }

  /** The one obvious way to hear a shared moment: "▶ Play from 3:39". */
  showPlayFrom(start, end, text) {
    const p = this.player;
    const panel = p.root.querySelector("#play-from");
    if (!panel) return;
    this.playFromAt = { start, end };
    const label = panel.querySelector(".play-from-label");
    const when = end != null ? `${clock(ms(start))}–${clock(ms(end))}` : clock(ms(start));
    label.textContent = text || (end != null ? `Play the quote ${when}` : `Play from ${when}`);
    const clip = panel.querySelector(".download-clip");
    if (clip) {
      const fits = end != null && clipFits(ms(start), ms(end), p.options.maxClipMs);
      clip.hidden = !fits;
      if (fits) clip.href = p.share.clipUrl(ms(start), ms(end));
    }
    panel.hidden = false;
  }

  hidePlayFrom() {
    const panel = this.player.root.querySelector("#play-from");
    if (panel) panel.hidden = true;
  }

  playFrom() {
    const p = this.player;
    const at = this.playFromAt;
    if (!at) { p.play(); return; }
    if (at.end != null) p.state.playRange(at.start, at.end);
    p.seek(at.start, { keepRange: true });
    p.play();
  }

  /** Mark the sentences a `#t=` moment (ms) quotes, as the server marks a `?t=` one. */
  markQuote(startMs, endMs) {
    const { sortedBegins, sortedEnds, order, sentences } = this.player;
    const span = quoteSpan(sortedBegins, sortedEnds, startMs, endMs);
    if (!span) return null; // not aligned yet: nothing to mark
    const a = Math.min(order[span[0]], order[span[1]]);
    const b = Math.max(order[span[0]], order[span[1]]);
    for (let k = a; k <= b; k += 1) sentences[k].classList.add("quote");
    sentences[a].classList.add("quote-first");
    sentences[b].classList.add("quote-last");
    return sentences[a];
  }
}
