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
  // Chromium draws the kept (hx-preserve) audio element's controls blank after it is
  // moved into the new player while it plays: take them away and give them back
  const audio = root.querySelector("#audio");
  if (audio.controls) {
    audio.controls = false;
    requestAnimationFrame(() => { audio.controls = true; });
  }
  // an editor's page of an aligned recording has the Edit switch, whose script and
  // style the page of the job did not load: load them now (they start on import)
  for (const [marker, files] of Object.entries(LATE)) {
    if (root.querySelector(marker)) files.forEach(load);
  }
  document.dispatchEvent(new CustomEvent("transcript-player:replaced", { detail: { root } }));
}

/** What a swapped-in player may need that the job's page did not: marker -> files. */
const LATE = { "#edit-switch": ["editor.css", "edit-mode.mjs"] };

/** Load a file of static/ once: a stylesheet, or a module (run on import). */
function load(name) {
  const url = new URL(name, import.meta.url);
  url.search = "";
  const seen = Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"))
    .some((el) => new URL(el.href || el.src, document.baseURI).pathname === url.pathname);
  if (seen) return;
  if (name.endsWith(".css")) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url.href;
    document.head.append(link);
  } else {
    import(url.href);
  }
}

if (typeof document !== "undefined") {
  document.addEventListener("htmx:afterSettle", restart);
}
