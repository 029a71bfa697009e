/*
 * outline.mjs: the chapters beside the transcript (webapp.chapters) and the speaker
 * filter. A chapter plays from its start and is marked (aria-current) while it plays.
 * "Only" one speaker shows that speaker's turns alone, and playing skips the others'
 * sentences (and stops after the last of theirs). The player's `outline` (player.js).
 */
import { chapterAt, nextOfSpeaker } from "./helpers.mjs";

export class Outline {
  /** @param {import("../player.js").TranscriptPlayer} player */
  constructor(player) {
    this.player = player;
  }

  setupOutline() {
    const p = this.player;
    this.chapterLinks = Array.from(p.root.querySelectorAll("a.chapter[data-begin]"));
    this.chapterBegins = this.chapterLinks.map((a) => parseFloat(a.dataset.begin));
    this.chapterNow = -1;
    this.speakerFilter = "";
    p.root.addEventListener("click", (e) => {
      // a chapter, or a stretch of speech not in the transcript (its start, or past it)
      const a = e.target.closest("a.chapter[data-begin], a.gap-link[data-begin]");
      if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      p.jumpTo(parseFloat(a.dataset.begin), true);
    }, p.listen);
    const select = p.root.querySelector("#speaker-filter");
    if (select) {
      select.addEventListener("change", () => this.filterSpeaker(select.value), p.listen);
      if (select.value) this.filterSpeaker(select.value);
    }
  }

  /** The speaker of each sentence, by DOM position (read again with the sentences). */
  sentenceSpeakers() {
    const p = this.player;
    return p.sentences.map((el) => p.speakerOf(el));
  }

  /** The player read its sentences again: so does the filter, when one speaker is chosen. */
  refreshSpeakers() {
    if (this.speakerFilter) this.speakerList = this.sentenceSpeakers();
  }

  /** Show and play only `name`'s turns ("" for everyone). */
  filterSpeaker(name) {
    const p = this.player;
    this.speakerFilter = name;
    this.speakerList = this.sentenceSpeakers();
    p.transcript.classList.toggle("filtered", !!name);
    p.transcript.querySelectorAll(".turn").forEach((turn) => {
      turn.classList.toggle("filtered-in", !!name && (turn.dataset.speaker || "") === name);
    });
    if (name) {
      const el = p.highlight.nowElement();
      if (el && p.speakerOf(el) !== name && !p.audio.paused) this.skipToSpeaker();
      p.toast(`Only ${name}: the others' turns are hidden and skipped.`);
    } else {
      p.toast("Everyone's turns again.");
    }
    p.highlight.reveal();
  }

  /** While filtering, playing into another speaker's sentence goes on to the next of
   *  the chosen speaker's, or stops after their last. Called by update(). */
  skipToSpeaker() {
    const { audio, order, rank, sortedBegins, sortedEnds, state } = this.player;
    const current = state.current;
    const k = current >= 0 ? rank.get(current) : -1;
    const next = nextOfSpeaker(order, this.speakerList, k < 0 ? 0 : k, this.speakerFilter);
    if (next < 0) {
      // past their last sentence: stop at its end, so the lit sentence is still theirs
      audio.pause();
      for (let r = order.length - 1; r >= 0; r -= 1) {
        if (this.speakerList[order[r]] === this.speakerFilter) {
          audio.currentTime = Math.max(0, sortedEnds[r] / 1000 - 0.05);
          break;
        }
      }
      return;
    }
    const t = sortedBegins[next] / 1000;
    if (Math.abs(audio.currentTime - t) > 0.05) audio.currentTime = t;
  }

  /** Mark the chapter the audio is in. */
  markChapter(t) {
    if (!this.chapterLinks || !this.chapterLinks.length) return;
    const i = chapterAt(this.chapterBegins, t);
    if (i === this.chapterNow) return;
    const old = this.chapterLinks[this.chapterNow];
    if (old) old.removeAttribute("aria-current");
    if (this.chapterLinks[i]) this.chapterLinks[i].setAttribute("aria-current", "true");
    this.chapterNow = i;
  }
}
