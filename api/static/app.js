// Small behaviours the pages share; every page also works without JavaScript.
"use strict";

// A reply-template picker fills the textarea it names with the chosen template's text.
document.addEventListener("change", (event) => {
  const picker = event.target.closest("select[data-fill]");
  if (!picker) return;
  const target = document.querySelector(picker.dataset.fill);
  if (target && picker.value) target.value = picker.value;
});
