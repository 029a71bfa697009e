/*
 * theme.js: light or dark. The page follows the system's `prefers-color-scheme` until the
 * reader presses the switch; the choice is remembered on this device. Loaded in <head>
 * without `defer`, so a remembered choice applies before the first paint (no flash).
 */
(function () {
  "use strict";
  const KEY = "transcript-player:theme";
  const root = document.documentElement;
  const system = window.matchMedia("(prefers-color-scheme: dark)");
  let saved = null;
  try { saved = window.localStorage.getItem(KEY); } catch (e) { /* storage blocked */ }
  if (saved === "dark" || saved === "light") root.dataset.theme = saved;

  const isDark = () => (root.dataset.theme ? root.dataset.theme === "dark" : system.matches);

  function render(button) {
    const dark = isDark();
    button.setAttribute("aria-pressed", String(dark));
    button.title = dark ? "Switch to the light theme" : "Switch to the dark theme";
  }

  function wire() {
    const button = document.getElementById("theme-toggle");
    if (!button) return;
    button.hidden = false;
    render(button);
    button.addEventListener("click", () => {
      const next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      try { window.localStorage.setItem(KEY, next); } catch (e) { /* not remembered */ }
      render(button);
    });
    system.addEventListener("change", () => render(button));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
