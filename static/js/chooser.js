// The license chooser: CC's two questions (or public domain / all rights reserved) pick the
// value of the real <select>, which stays the form field and works without JavaScript.
(function () {
  "use strict";
  const box = document.querySelector("[data-chooser]");
  if (!box) return;
  const select = document.getElementById(box.dataset.chooser);
  const licenses = JSON.parse(document.getElementById("licenses-data").textContent);
  const disabled = JSON.parse(document.getElementById("licenses-disabled").textContent);
  const radio = (name) => box.querySelector(`input[name$="__${name}"]:checked`);
  const ccPart = box.querySelector(".chooser-cc");

  function chosenId() {
    const mode = radio("mode").value;
    if (mode !== "cc") return mode;
    const adaptations = radio("adaptations").value;
    const commercial = radio("commercial").value === "yes";
    const match = Object.values(licenses).find((l) => l.cc && l.adaptations === adaptations
      && l.commercial === commercial && l.id.endsWith("-4.0"));
    return match ? match.id : select.value;
  }

  function show(id) {
    const lic = licenses[id];
    box.querySelector(".chooser-name").textContent = lic ? lic.name : id;
    box.querySelector(".chooser-icons").textContent = lic ? lic.icons.map((i) => i.toUpperCase()).join(" ") : "";
    box.querySelector(".chooser-summary").textContent = lic ? lic.summary : "";
    const why = box.querySelector(".chooser-disabled");
    why.hidden = !disabled[id];
    why.textContent = disabled[id] || "";
  }

  function update() {
    ccPart.hidden = radio("mode").value !== "cc";
    const id = chosenId();
    if (!disabled[id]) select.value = id;
    show(id);
  }

  function fromSelect() {
    const lic = licenses[select.value];
    if (!lic) return;
    const mode = lic.cc ? "cc" : lic.id;
    box.querySelector(`input[name$="__mode"][value="${mode}"]`).checked = true;
    if (lic.cc) {
      box.querySelector(`input[name$="__adaptations"][value="${lic.adaptations}"]`).checked = true;
      box.querySelector(`input[name$="__commercial"][value="${lic.commercial ? "yes" : "no"}"]`).checked = true;
    }
    ccPart.hidden = !lic.cc;
    show(lic.id);
  }

  box.addEventListener("change", (e) => { if (e.target.type === "radio") update(); });
  select.addEventListener("change", fromSelect);
  fromSelect();
})();
