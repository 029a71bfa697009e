// The player's word helpers (static/player/words.mjs) on the table of cases the server's
// (alignment.split_words, webapp/words.py) is tested on too: `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { parseWordTimes, splitWords, wordAtOffset, wordRuns } from "../../static/player/words.mjs";

const cases = JSON.parse(readFileSync(new URL("../data/word_cases.json", import.meta.url)));
// a word's runs as the server joins them: one space between
const joined = (text, [a, b]) => text.slice(a, b).split(/[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u).join(" ");

test("the page finds the server's words in a sentence's text", () => {
  for (const [text, words] of cases.split) {
    assert.deepEqual(splitWords(text).map((span) => joined(text, span)), words, JSON.stringify(text));
  }
});

test("a character belongs to the server's word (on a space, the next word)", () => {
  for (const [text, offset, k] of cases.word_at) {
    const spans = splitWords(text);
    const got = wordAtOffset(spans, offset, "start");
    assert.equal(got < 0 ? spans.length : got, k, `${JSON.stringify(text)} at ${offset}`);
  }
});

test("a selection's end takes the word it ends in, or the one before", () => {
  const text = "the enlargement of NATO";
  const spans = splitWords(text);
  assert.equal(wordAtOffset(spans, 7, "end"), 1); // inside "enlargement"
  assert.equal(wordAtOffset(spans, 15, "end"), 1); // just after it
  assert.equal(wordAtOffset(spans, 16, "end"), 1); // after the space that follows it
  assert.equal(wordAtOffset(spans, 17, "end"), 2);
  assert.equal(wordAtOffset(spans, 0, "end"), -1);
  assert.equal(wordAtOffset(spans, 23, "start"), -1);
});

test("data-words reads back as the words' times", () => {
  for (const [words, attr] of cases.page_times) {
    const got = parseWordTimes(attr);
    if (!words.length) { assert.equal(got, null); continue; }
    assert.deepEqual(got, { begins: words.map((w) => w[0]), ends: words.map((w) => w[1]) });
  }
  assert.equal(parseWordTimes("1 2 3"), null);
  assert.equal(parseWordTimes("1 x"), null);
});

test("a sentence with a search mark is laid out one element per word, every character kept", () => {
  const pieces = [{ text: "“Old ", mark: null }, { text: "harbour bri", mark: "m1" },
    { text: "dge”, she said.", mark: null }];
  const text = pieces.map((p) => p.text).join("");
  const runs = wordRuns(pieces, splitWords(text));
  assert.equal(runs.map((r) => r.parts.map((p) => p.text).join("")).join(""), text);
  const words = runs.filter((r) => r.word >= 0);
  assert.deepEqual(words.map((r) => r.word), [0, 1, 2, 3, 4]);
  assert.deepEqual(words.map((r) => r.parts.map((p) => p.text).join("")),
    ["“Old", "harbour", "bridge”,", "she", "said."]);
  // the mark is cut at the word's edge: its space stays between the words, marked
  assert.deepEqual(runs[2], { word: 1, parts: [{ text: "harbour", mark: "m1" }] });
  assert.deepEqual(runs[3], { word: -1, parts: [{ text: " ", mark: "m1" }] });
  assert.deepEqual(runs[4].parts, [{ text: "bri", mark: "m1" }, { text: "dge”,", mark: null }]);
  assert.deepEqual(wordRuns([], []), []);
});

test("any text cut into any marked pieces is laid out whole, one run per word", () => {
  let x = 7;
  const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x / 4294967296; };
  const chars = ["a", "é", "7", " ", "  ", "\u00a0", "—", "“", "”", ",", ".", "\n", "🙂", "_"];
  for (let n = 0; n < 2000; n += 1) {
    let text = "";
    for (let k = Math.floor(rnd() * 30); k > 0; k -= 1) text += chars[Math.floor(rnd() * chars.length)];
    // cut into pieces, every other one marked
    const pieces = [];
    let from = 0;
    while (from < text.length) {
      const to = Math.min(text.length, from + 1 + Math.floor(rnd() * 6));
      pieces.push({ text: text.slice(from, to), mark: pieces.length % 2 ? "m" : null });
      from = to;
    }
    const spans = splitWords(text);
    const runs = wordRuns(pieces, spans);
    const flat = runs.flatMap((r) => r.parts);
    assert.equal(flat.map((p) => p.text).join(""), text, JSON.stringify(text));
    // marked characters stay marked, and no part is empty
    let at = 0;
    const markedAt = (i) => { let o = 0; for (const p of pieces) { if (i < o + p.text.length) return p.mark; o += p.text.length; } return null; };
    for (const p of flat) {
      assert.ok(p.text.length > 0);
      for (let i = 0; i < p.text.length; i += 1) assert.equal(p.mark, markedAt(at + i));
      at += p.text.length;
    }
    const words = runs.filter((r) => r.word >= 0);
    assert.deepEqual(words.map((r) => r.word), spans.map((_, k) => k));
    words.forEach((r) => {
      assert.equal(r.parts.map((p) => p.text).join(""), text.slice(...spans[r.word]));
    });
    // between two words, only what is not part of a word
    runs.forEach((r, i) => { if (i) assert.notEqual(r.word, runs[i - 1].word); });
  }
});
