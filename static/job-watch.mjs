// The player of a recording that is being aligned polls its job (templates/_job_status.html).
// When the job is done, the poll's answer is the aligned player, which htmx swaps in for
// the page's (#player): this starts the player's script on it, so the transcript plays
// without a reload. The <audio> element is kept across the swap (hx-preserve), so what
// was playing plays on. Others that set up on the player listen for
// `transcript-player:replaced` on document.

/** Whether `root` is a player the running script does not drive yet. */
export function needsStart(root, running) {
  return !!root && (!running || running.root !== root);
}

function restart() {
  const root = document.getElementById("player");
  const running = window.transcriptPlayer;
  if (!needsStart(root, running) || !root.querySelector("#audio")) return;
  if (!window.TranscriptPlayer) {
    window.location.reload(); // the player's script is not there to start: load it anew
    return;
  }
  if (running) running.destroy();
  window.transcriptPlayer = new window.TranscriptPlayer(root).setup();
  document.dispatchEvent(new CustomEvent("transcript-player:replaced", { detail: { root } }));
}

if (typeof document !== "undefined") {
  document.addEventListener("htmx:afterSettle", restart);
}
