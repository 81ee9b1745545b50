// Small behaviours the pages share; every page also works without JavaScript.
"use strict";

// A reply-template picker fills the textarea it names with the chosen template's text.
document.addEventListener("change", (event) => {
  const picker = event.target.closest("select[data-fill]");
  if (!picker) return;
  const target = document.querySelector(picker.dataset.fill);
  if (target && picker.value) target.value = picker.value;
});

// A file field with data-max-files and data-max-bytes stops a form whose files the server
// would refuse anyway (it checks them again), before megabytes are sent for nothing; the
// messages are the server's own, in data-too-many and data-too-big ("{n}": the file's number).
document.addEventListener("submit", (event) => {
  for (const input of event.target.querySelectorAll("input[type=file][data-max-files]")) {
    const files = Array.from(input.files || []);
    let problem = "";
    if (files.length > Number(input.dataset.maxFiles)) {
      problem = input.dataset.tooMany;
    } else {
      const big = files.findIndex((file) => file.size > Number(input.dataset.maxBytes));
      if (big >= 0) problem = input.dataset.tooBig.replace("{n}", String(big + 1));
    }
    let shown = input.parentElement.querySelector(".field-error[data-client]");
    if (!problem) {
      if (shown) shown.remove();
      continue;
    }
    event.preventDefault();
    if (!shown) {
      shown = document.createElement("div");
      shown.className = "field-error";
      shown.setAttribute("role", "alert");
      shown.dataset.client = "";
      shown.dataset.field = input.name;
      input.insertAdjacentElement("afterend", shown);
    }
    shown.textContent = problem;
    input.focus();
  }
});

// A table wider than the screen scrolls inside its frame (.table-wrap): the frame takes the
// keyboard focus then, so arrow keys scroll it too.
function focusableScrolling() {
  for (const frame of document.querySelectorAll(".table-wrap")) {
    if (frame.scrollWidth > frame.clientWidth) frame.setAttribute("tabindex", "0");
    else frame.removeAttribute("tabindex");
  }
}
document.addEventListener("DOMContentLoaded", focusableScrolling);
window.addEventListener("resize", focusableScrolling);
