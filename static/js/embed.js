// Photo page: switch the embed code between sizes; photo.js's data-copy button copies it.
(function () {
  "use strict";
  const select = document.getElementById("embed-size");
  if (!select) return;
  const shown = document.getElementById("embed-code");
  const copy = document.querySelector("[data-embed-copy]");
  select.addEventListener("change", () => {
    const source = document.getElementById("embed-code-" + select.value);
    if (!source) return;
    shown.value = source.value;
    copy.dataset.copy = source.id;
  });
})();
