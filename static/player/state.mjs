/*
 * state.mjs: what the player is doing, owned in one place.
 *
 * Which sentence is lit, whether a seek lights the sentence ahead of a pause, where
 * playing stops (a quote's end, or study mode's sentence end), the quote being played,
 * follow mode, and whether the reader scrolled away from the lit sentence. Every other
 * module reads these fields and changes them only through the transitions below, so a
 * change has a name and one place to look; the fields are read-only from outside.
 *
 * No DOM and no audio here (so node --test runs it: tests/js/player-state.test.mjs):
 * the core pauses the audio, lights the sentence and scrolls; this decides.
 * Times are seconds, as the audio element's.
 */

export class PlayerState {
  #current = -1;     // position (in DOM order) of the lit sentence, -1 for none
  #ahead = true;     // a seek into a pause lights the sentence after it
  #stopAt = null;    // pause here (s): a quoted range's end, or study mode's
  #range = null;     // {start, end} (s) of a quote being played
  #following = true; // the Follow toggle
  #detached = false; // the reader scrolled away while following
  #study = false;    // study mode: pause after each sentence
  #endAfter;

  /**
   * @param {object} options
   * @param {(t: number) => number} options.endAfter  the end (s) of the sentence at `t`,
   *   or of the next one when `t` is past its end: where study mode stops
   */
  constructor({ endAfter }) {
    this.#endAfter = endAfter;
  }

  /** Position (in DOM order) of the lit sentence, or -1. */
  get current() { return this.#current; }
  /** True while a pause between sentences lights the one after it (since a seek). */
  get ahead() { return this.#ahead; }
  /** Where playing pauses (s), or null. */
  get stopAt() { return this.#stopAt; }
  /** The quote being played, {start, end} (s), or null. */
  get range() { return this.#range; }
  /** The Follow toggle: the page keeps the lit sentence in view. */
  get following() { return this.#following; }
  /** The reader scrolled away from the lit sentence while following. */
  get detached() { return this.#detached; }
  /** Study mode: playing pauses after each sentence. */
  get study() { return this.#study; }

  // -- the lit sentence --

  /**
   * Sentence `i` (DOM position, -1 for none) is the lit one now.
   * @param {number} i
   */
  setCurrent(i) {
    this.#current = i;
  }

  /** A seek: until playing reaches a sentence, a pause lights the sentence after it. */
  lookAhead() {
    this.#ahead = true;
  }

  /** Playing is inside the sentence lit: playing on, it stays lit through the pause after. */
  reachedSentence() {
    this.#ahead = false;
  }

  // -- where playing stops --

  /**
   * Play the quote from `start` to `end` (s) and stop at its end.
   * @param {number} start
   * @param {number} end
   */
  playRange(start, end) {
    this.#range = { start, end };
    this.#stopAt = end;
  }

  /** The quote is left: forget it and its stop (nothing changes without one). */
  clearRange() {
    if (this.#range) {
      this.#range = null;
      this.#stopAt = null;
    }
  }

  /** No quote and no stop, whatever set them (study mode's stop too). */
  clearStop() {
    this.#range = null;
    this.#stopAt = null;
  }

  /**
   * Called on every update: true when playing has reached the stop, which is then
   * spent (with its quote); the caller pauses.
   * @param {number} t  the audio's time (s)
   * @param {boolean} playing
   * @returns {boolean}
   */
  reachedStop(t, playing) {
    if (this.#stopAt == null || !playing || t < this.#stopAt) return false;
    this.clearStop();
    return true;
  }

  /**
   * Playing starts at `t`: study mode stops at the end of this sentence, unless a
   * quote has its own end.
   * @param {number} t
   */
  started(t) {
    if (this.#study && this.#range == null) this.#stopAt = this.#endAfter(t);
  }

  /**
   * The player seeks to `t` itself: the quote is left unless `keepRange` (its "Play"
   * keeps it); study mode stops at the end of the sentence there.
   * @param {number} t
   * @param {boolean} [keepRange]
   */
  seek(t, keepRange = false) {
    if (!keepRange) this.clearRange();
    this.#ahead = true;
    if (this.#study) this.#stopAt = this.#endAfter(t);
  }

  /**
   * The audio is seeking to `t`, whoever asked (the native controls too): a time
   * outside the quote (half a second of slack before it) leaves it.
   * @param {number} t
   * @param {boolean} playing
   */
  seeking(t, playing) {
    this.#ahead = true;
    const r = this.#range;
    if (r && (t < r.start - 0.5 || t > r.end)) this.clearRange();
    if (this.#study && playing && this.#range == null) this.#stopAt = this.#endAfter(t);
  }

  /**
   * Study mode on or off at `t`; on while playing, it stops at this sentence's end; off,
   * only a quote's end stops. Returns whether it is on now.
   * @param {number} t
   * @param {boolean} playing
   * @returns {boolean}
   */
  toggleStudy(t, playing) {
    this.#study = !this.#study;
    this.#stopAt = this.#study && playing ? this.#endAfter(t)
      : (this.#range ? this.#range.end : null);
    return this.#study;
  }

  // -- following --

  /**
   * The Follow toggle; turned on, it follows from here (not detached).
   * @param {boolean} on
   */
  setFollowing(on) {
    this.#following = !!on;
    if (this.#following) this.#detached = false;
  }

  /** The reader left the lit sentence (scrolled or went to a search hit); only while following. */
  detach() {
    if (this.#following) this.#detached = true;
  }

  /** Back with the lit sentence: the page follows it again. */
  attach() {
    this.#detached = false;
  }
}
