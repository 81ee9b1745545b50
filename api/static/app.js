// Small behaviours the pages share; every page also works without JavaScript.
"use strict";

// A reply-template picker fills the textarea it names with the chosen template's text.
document.addEventListener("change", (event) => {
  const picker = event.target.closest("select[data-fill]");
  if (!picker) return;
  const target = document.querySelector(picker.dataset.fill);
  if (target && picker.value) target.value = picker.value;
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
