/*
 * opening.mjs: where a shared link opens the page. `?t=&end=` (the server marks the
 * quote), `#t=start,end` (a media fragment) and `#s-<id>` (a sentence) start there, ready
 * to play, with "Play from 3:39" as the one obvious way to hear it.
 * Methods of `TranscriptPlayer` (player.js mixes them in).
 */
import { clock, fragmentMoment, quoteSpan, sentenceFragment, shareQuery } from "../moments.mjs";
import { clipFits, ms } from "./helpers.mjs";

export const opening = {
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
    if (start == null) {
      this.resumePlace(); // where the listener was (place.mjs), if anywhere
      return;
    }
    this.openAt(start, end, quote, autoplay);
  },

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
  },

  /** Open at `start` (s), ready to play from there; plays at once where allowed. */
  openAt(start, end, quote, play) {
    // a range plays to its end; a moment alone ends any stop set before
    if (end != null) this.state.playRange(start, end);
    else this.state.clearStop();
    this.quoteEl = quote;
    const apply = () => {
      this.audio.currentTime = start;
      this.state.lookAhead();
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
      const settle = () => { if (!this.state.detached) this.scrollTo(quote, true); };
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
  },

  /** The one obvious way to hear a shared moment: "▶ Play from 3:39". */
  showPlayFrom(start, end, text) {
    const panel = this.root.querySelector("#play-from");
    if (!panel) return;
    this.playFromAt = { start, end };
    const label = panel.querySelector(".play-from-label");
    const when = end != null ? `${clock(ms(start))}–${clock(ms(end))}` : clock(ms(start));
    label.textContent = text || (end != null ? `Play the quote ${when}` : `Play from ${when}`);
    const clip = panel.querySelector(".download-clip");
    if (clip) {
      const fits = end != null && clipFits(ms(start), ms(end), this.options.maxClipMs);
      clip.hidden = !fits;
      if (fits) clip.href = this.clipUrl(ms(start), ms(end));
    }
    panel.hidden = false;
  },

  hidePlayFrom() {
    const panel = this.root.querySelector("#play-from");
    if (panel) panel.hidden = true;
  },

  playFrom() {
    const at = this.playFromAt;
    if (!at) { this.play(); return; }
    if (at.end != null) this.state.playRange(at.start, at.end);
    this.seek(at.start, { keepRange: true });
    this.play();
  },

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
  },
};
