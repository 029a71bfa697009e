/*
 * moments.mjs: the pure helpers of the player's links, shared by the page and its tests.
 *
 * Times are integer milliseconds, as in `webapp/moments.py`, which does the same on the
 * server; both are run on one table of cases (tests/data/moment_cases.json), so what a
 * link means cannot differ between a `?t=` the server reads and a `#t=` the page reads.
 */

const CLOCK = /^(?:([0-9]{1,3}):)?([0-9]{1,2}):([0-9]{1,2}(?:\.[0-9]+)?)$/;
const DECIMAL = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
const MAX_TEXT = 32;
// ASCII whitespace only, as the server trims (JS trim and Python strip differ beyond it)
const SPACE = /^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g;

/** Seconds to integer ms, rounding half up (the same arithmetic as the server's). */
function toMs(seconds) {
  return Math.floor(seconds * 1000 + 0.5);
}

/**
 * A time as a link writes it (`83.2`, `83.2s`, `npt:83.2`, `1:23.5`, `01:02:03`) in
 * integer milliseconds, or null when it is not one.
 */
export function parseClock(value) {
  if (value == null) return null;
  let text = String(value).replace(SPACE, "").toLowerCase();
  if (text.startsWith("npt:")) text = text.slice(4);
  if (text.endsWith("s")) text = text.slice(0, -1);
  if (!text || text.length > MAX_TEXT) return null;
  let total;
  const m = CLOCK.exec(text);
  if (m) {
    const hours = m[1] ? parseFloat(m[1]) : 0;
    const minutes = parseFloat(m[2]);
    const seconds = parseFloat(m[3]);
    if ((m[1] && minutes >= 60) || seconds >= 60) return null;
    total = hours * 3600 + minutes * 60 + seconds;
  } else {
    if (!DECIMAL.test(text)) return null;
    total = parseFloat(text);
  }
  if (!Number.isFinite(total) || total < 0) return null;
  return toMs(total);
}

/**
 * The moment `t` and `end` name, in ms, with what does not fit the recording dropped:
 * `{start, end}`, each possibly null. A start at or past the end of the recording means
 * nothing; an end not after the start is dropped; an end past the recording is clamped.
 */
export function resolve(t, end, durationMs) {
  let start = parseClock(t);
  let stop = parseClock(end);
  if (start != null && durationMs && start >= durationMs) start = null;
  if (start == null) return { start: null, end: null };
  if (stop != null) {
    if (stop <= start) stop = null;
    else if (durationMs) stop = Math.min(stop, durationMs);
  }
  return { start, end: stop };
}

/** The W3C media fragment `t=start[,end]` of a URL hash, resolved like `resolve`. */
export function fragmentMoment(hash, durationMs) {
  const params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
  const t = params.get("t");
  if (t == null) return { start: null, end: null };
  const comma = t.indexOf(",");
  const a = comma < 0 ? t : t.slice(0, comma);
  const b = comma < 0 ? null : t.slice(comma + 1);
  return resolve(a === "" ? "0" : a, b, durationMs);
}

/**
 * The sentence id a `#s-<id>` fragment names, or null. A fragment that is not valid
 * percent-encoding (a link cut short: `#s-%E0%A4%A`) is taken as written rather than
 * thrown on, so a broken link still opens the player.
 */
export function sentenceFragment(hash) {
  const raw = String(hash || "").replace(/^#/, "");
  if (!raw.startsWith("s-")) return null;
  try {
    return decodeURIComponent(raw);
  } catch (err) {
    if (err instanceof URIError) return raw;
    throw err;
  }
}

/** Milliseconds as a link writes seconds: `83.2`, `14399.123`, `12` (no trailing zeros). */
export function linkSeconds(ms) {
  return (ms / 1000).toFixed(3).replace(/0+$/, "").replace(/\.$/, "");
}

/** Milliseconds as a reading clock: `m:ss` or `h:mm:ss`. */
export function clock(ms) {
  const total = Math.max(0, Math.floor((ms || 0) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The query string of a share link: `t=83.2` or `t=83.2&end=91`. */
export function shareQuery(startMs, endMs) {
  const params = new URLSearchParams({ t: linkSeconds(startMs) });
  if (endMs != null) params.set("end", linkSeconds(endMs));
  return params.toString();
}

/**
 * Which sentence a time lights, as a rank in `begins` (sorted begin times in ms of the
 * sentences found in the audio; `ends` beside them), or -1 before the first.
 *
 * It is the last sentence begun by `ms`. In the pause after a sentence that sentence
 * stays lit while playing on from it; with `ahead` (a link or a seek landing in the
 * pause) the next one is lit instead, since it is what will be heard next.
 */
export function sentenceAt(begins, ends, ms, ahead = false) {
  let lo = 0;
  let hi = begins.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (begins[mid] <= ms) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
  }
  if (ahead && found >= 0 && ms >= ends[found] && found + 1 < begins.length) found += 1;
  return found;
}

/**
 * The ranks `[first, last]` a link quotes: the sentence its start lights (ahead, so a
 * start in a pause quotes the sentence after it; the first sentence before any), through
 * the last sentence begun before its end. Null when there is no sentence.
 */
export function quoteSpan(begins, ends, startMs, endMs = null) {
  if (!begins.length || startMs == null) return null;
  let first = sentenceAt(begins, ends, startMs, true);
  if (first < 0) first = 0;
  let last = first;
  if (endMs != null) last = Math.max(first, sentenceAt(begins, ends, endMs - 1));
  return [first, last];
}
