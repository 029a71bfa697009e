// The upload form of the library page (templates/_upload_form.html): htmx posts it in
// the background; this shows the upload's progress (htmx's `htmx:xhr:progress`) in a
// <progress>, refuses files over the server's bound before sending them, and lets the
// form's problems (a 4xx with the problems partial) be swapped in. Without script the
// form is a plain multipart form and the server answers with the whole page.

/** Percent done (0 to 100, whole) of `loaded` out of `total` bytes. */
export function percentOf(loaded, total) {
  if (!(total > 0) || !(loaded >= 0)) return 0;
  return Math.min(100, Math.floor((loaded / total) * 100));
}

/** `2 GB`, `1.5 MB`, `512 KB`, `300 bytes`: powers of 1024, as the server's settings. */
export function formatBytes(n) {
  for (const [unit, size] of [["GB", 1024 ** 3], ["MB", 1024 ** 2], ["KB", 1024]]) {
    if (n >= size) {
      const v = n / size;
      return Number.isInteger(v) || v >= 10 ? `${Math.round(v)} ${unit}` : `${v.toFixed(1)} ${unit}`;
    }
  }
  return `${n} bytes`;
}

/** The total size of `files` when it is over `limit` bytes, else 0. */
export function oversize(files, limit) {
  const total = files.reduce((sum, f) => sum + (f.size || 0), 0);
  return limit > 0 && total > limit ? total : 0;
}

/** Whether a response with this status carries the form's problems to show in it (the
 *  problems partial); any other error is a page whose message is shown instead. */
export function showsProblems(status) {
  return status === 422;
}

/** The form's fields (selectors) a problem is about, by the problems partial's
 *  `data-field` keys; the file is what a size problem is about. */
export const FIELDS = {
  title: ["#upload-title"],
  audio: ["#upload-audio"],
  transcript: ["fieldset.transcript-choice", "#upload-transcript", "#upload-text"],
  language: ["#upload-language"],
};

/** The selectors of the fields to mark invalid for these problem keys, in the form's order. */
export function invalidFields(keys) {
  return Object.keys(FIELDS).filter((k) => keys.includes(k)).flatMap((k) => FIELDS[k]);
}

/**
 * The problems are shown where the sender is looking: each field they are about is marked
 * (aria-invalid, described by the message), the message comes into view and takes the
 * focus, so a screen reader reads it and the next Tab goes on into the form.
 */
function reportProblems(form, keys) {
  const marked = new Set(invalidFields(keys));
  Object.values(FIELDS).flat().forEach((sel) => {
    const el = form.querySelector(sel);
    if (!el) return;
    if (marked.has(sel)) {
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", "upload-error");
    } else {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    }
  });
  const box = form.querySelector("#upload-error");
  if (!box) return;
  box.tabIndex = -1;
  box.scrollIntoView({ block: "center" });
  box.focus({ preventScroll: true });
}

/** Put a message where the form's problems go, as the server writes them. */
function showMessage(form, text, keys = []) {
  const feedback = form.querySelector("#upload-feedback");
  const box = document.createElement("div");
  box.className = "form-error";
  box.setAttribute("role", "alert");
  box.id = "upload-error";
  const p = document.createElement("p");
  const strong = document.createElement("strong");
  strong.textContent = "Nothing was stored.";
  p.append(strong, " ", text);
  box.append(p);
  feedback.replaceChildren(box);
  reportProblems(form, keys);
}

/** The message of the server's error page (error.html), or `fallback`. */
function pageMessage(html, fallback) {
  const doc = new DOMParser().parseFromString(html || "", "text/html");
  const text = doc.querySelector("section.error p")?.textContent?.trim();
  return text || fallback;
}

/** Wire one upload form. */
export function setupUploadForm(form) {
  const box = form.querySelector("#upload-progress");
  const bar = form.querySelector("#upload-bar");
  const out = form.querySelector("#upload-percent");
  const limit = Number(form.dataset.maxUpload) || 0;
  let shown = 0;
  const show = (pct) => {
    shown = Math.max(shown, pct); // the response's own progress must not move it back
    bar.value = shown;
    bar.textContent = `${shown}%`;
    out.textContent = `${shown}%`;
  };
  // the form's own requests: `elt` is the form, or (in htmx:beforeSwap) the target in it
  const mine = (e) => !!(e.detail && e.detail.elt && form.contains(e.detail.elt));

  form.addEventListener("htmx:beforeRequest", (e) => {
    if (!mine(e)) return;
    const files = Array.from(form.querySelectorAll("input[type=file]"))
      .flatMap((input) => Array.from(input.files || []));
    const total = oversize(files, limit);
    if (total) {
      e.preventDefault();
      showMessage(form, `The files are ${formatBytes(total)} together; this server takes at most `
        + `${form.dataset.maxUploadText || formatBytes(limit)} per upload.`, ["audio"]);
      return;
    }
    form.querySelector("#upload-feedback").replaceChildren();
    shown = 0;
    show(0);
    box.hidden = false;
    form.setAttribute("aria-busy", "true");
  });
  form.addEventListener("htmx:xhr:progress", (e) => {
    if (e.detail && e.detail.lengthComputable) show(percentOf(e.detail.loaded, e.detail.total));
  });
  form.addEventListener("htmx:beforeSwap", (e) => {
    if (!mine(e)) return;
    const status = e.detail.xhr.status;
    if (showsProblems(status)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    } else if (status >= 400) {
      e.detail.shouldSwap = false;
      showMessage(form, pageMessage(e.detail.xhr.responseText,
        `The server refused the upload (${status}). Try again later.`));
    }
  });
  form.addEventListener("htmx:afterSwap", (e) => {
    if (!mine(e) || !form.querySelector("#upload-error")) return;
    const keys = Array.from(form.querySelectorAll("#upload-error [data-field]"),
      (li) => li.dataset.field);
    reportProblems(form, keys);
  });
  form.addEventListener("htmx:afterRequest", (e) => {
    if (!mine(e)) return;
    form.removeAttribute("aria-busy");
    if (e.detail.successful && e.detail.xhr.getResponseHeader("HX-Redirect")) show(100);
    else box.hidden = true;
  });
  form.addEventListener("htmx:sendError", (e) => {
    if (!mine(e)) return;
    showMessage(form, "The upload did not reach the server: the connection broke off (the "
      + `files may be over the server's bound of ${form.dataset.maxUploadText || formatBytes(limit)}). `
      + "Check them and send them again.");
  });
}

if (typeof document !== "undefined") {
  const form = document.getElementById("upload-form");
  if (form) setupUploadForm(form);
}
