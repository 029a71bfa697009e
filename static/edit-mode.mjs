/*
 * edit-mode.mjs: reading and editing are two modes (loaded for editors only).
 *
 * The player opens for listening, with no editing tool in sight and no editing key
 * bound. The "Edit" switch (aria-pressed) shows the tools (the bar under the timeline,
 * the corrections beside the transcript) and loads the editor (editor.mjs) on first use;
 * pressing it again puts them away and unbinds its keys. The mode is kept in the address
 * (`?edit=1`), so a reload stays in it; without script that address is the way in.
 */
const root = document.getElementById("player");
const button = root && root.querySelector("#edit-switch");

async function setMode(on) {
  button.setAttribute("aria-pressed", String(on));
  button.textContent = on ? "Done editing" : "Edit";
  root.classList.toggle("editing", on);
  const side = root.querySelector("#edit-tools");
  if (side) side.hidden = !on;
  const url = new URL(window.location.href);
  if (on) url.searchParams.set("edit", "1"); else url.searchParams.delete("edit");
  window.history.replaceState(window.history.state, "", url.toString());
  if (on) {
    const { Editor } = await import("./editor.mjs");
    if (!window.transcriptEditor && root.classList.contains("editing")) {
      window.transcriptEditor = new Editor(root).setup();
    }
  } else if (window.transcriptEditor) {
    window.transcriptEditor.destroy();
    window.transcriptEditor = null;
  }
}

if (button) {
  button.hidden = false;
  button.addEventListener("click", () => setMode(button.getAttribute("aria-pressed") !== "true"));
  if (root.classList.contains("editing")) setMode(true);
}
