/*
 * outline.mjs: the chapters beside the transcript (webapp.chapters) and the speaker
 * filter. A chapter plays from its start and is marked (aria-current) while it plays.
 * "Only" one speaker shows that speaker's turns alone, and playing skips the others'
 * sentences (and stops after the last of theirs). Methods of `TranscriptPlayer`.
 */
import { chapterAt, nextOfSpeaker } from "./helpers.mjs";

export const outline = {
  setupOutline() {
    this.chapterLinks = Array.from(this.root.querySelectorAll("a.chapter[data-begin]"));
    this.chapterBegins = this.chapterLinks.map((a) => parseFloat(a.dataset.begin));
    this.chapterNow = -1;
    this.speakerFilter = "";
    this.root.addEventListener("click", (e) => {
      // a chapter, or a stretch of speech not in the transcript (its start, or past it)
      const a = e.target.closest("a.chapter[data-begin], a.gap-link[data-begin]");
      if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      this.state.attach();
      this.showBackToNow(false);
      this.seek(parseFloat(a.dataset.begin), { play: true });
      this.reveal();
    }, this.listen);
    const select = this.root.querySelector("#speaker-filter");
    if (select) {
      select.addEventListener("change", () => this.filterSpeaker(select.value), this.listen);
      if (select.value) this.filterSpeaker(select.value);
    }
  },

  /** The speaker of each sentence, by DOM position (read again with the sentences). */
  sentenceSpeakers() {
    return this.sentences.map((el) => this.speakerOf(el));
  },

  /** Show and play only `name`'s turns ("" for everyone). */
  filterSpeaker(name) {
    this.speakerFilter = name;
    this.speakerList = this.sentenceSpeakers();
    this.transcript.classList.toggle("filtered", !!name);
    this.transcript.querySelectorAll(".turn").forEach((turn) => {
      turn.classList.toggle("filtered-in", !!name && (turn.dataset.speaker || "") === name);
    });
    if (name) {
      const el = this.nowElement();
      if (el && this.speakerOf(el) !== name && !this.audio.paused) this.skipToSpeaker();
      this.toast(`Only ${name}: the others' turns are hidden and skipped.`);
    } else {
      this.toast("Everyone's turns again.");
    }
    this.reveal();
  },

  /** While filtering, playing into another speaker's sentence goes on to the next of
   *  the chosen speaker's, or stops after their last. Called by update(). */
  skipToSpeaker() {
    const current = this.state.current;
    const k = current >= 0 ? this.rank.get(current) : -1;
    const next = nextOfSpeaker(this.order, this.speakerList, k < 0 ? 0 : k, this.speakerFilter);
    if (next < 0) {
      // past their last sentence: stop at its end, so the lit sentence is still theirs
      this.audio.pause();
      for (let r = this.order.length - 1; r >= 0; r -= 1) {
        if (this.speakerList[this.order[r]] === this.speakerFilter) {
          this.audio.currentTime = Math.max(0, this.sortedEnds[r] / 1000 - 0.05);
          break;
        }
      }
      return;
    }
    const t = this.sortedBegins[next] / 1000;
    if (Math.abs(this.audio.currentTime - t) > 0.05) this.audio.currentTime = t;
  },

  /** Mark the chapter the audio is in. */
  markChapter(t) {
    if (!this.chapterLinks || !this.chapterLinks.length) return;
    const i = chapterAt(this.chapterBegins, t);
    if (i === this.chapterNow) return;
    const old = this.chapterLinks[this.chapterNow];
    if (old) old.removeAttribute("aria-current");
    if (this.chapterLinks[i]) this.chapterLinks[i].setAttribute("aria-current", "true");
    this.chapterNow = i;
  },
};

