/*
 * toast.mjs: a short message in the page's live region (#toast): "Link to the sentence
 * copied", "Study mode off." This module alone holds the element and its timer; the
 * player and its modules show a message through the function it gives
 * (`player.toast(message)`).
 */

/**
 * The page's toaster: a function that shows `message` in `root`'s #toast for `ms`
 * milliseconds (a later message replaces it and starts the time again). Without a
 * #toast, messages are dropped.
 * @param {Element} root  the player's root
 * @param {number} ms  how long a message stays
 * @returns {(message: string, copied?: string) => void}  `copied` (the text that was
 *   copied) is kept on the element for tests and scripts
 */
export function toaster(root, ms) {
  const el = root.querySelector("#toast");
  let timer = 0;
  return (message, copied) => {
    if (!el) return;
    el.textContent = message;
    if (copied) el.dataset.copied = copied;
    el.classList.add("shown");
    clearTimeout(timer);
    timer = setTimeout(() => el.classList.remove("shown"), ms);
  };
}
