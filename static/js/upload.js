// Send each chosen file on its own request, with its own progress bar and result.
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("id_file");
  const list = document.getElementById("upload-list");
  const zone = document.getElementById("drop-zone");
  let queued = [];

  function row(file) {
    const li = document.createElement("li");
    li.className = "card upload-item";
    li.style.cssText = "padding:.7rem 1rem;margin-bottom:.5rem";
    const name = document.createElement("strong");
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100; bar.value = 0; bar.style.cssText = "width:100%;display:block";
    bar.setAttribute("aria-label", "Upload progress of " + file.name);
    const status = document.createElement("span");
    status.className = "upload-status meta"; status.textContent = "Waiting";
    li.append(name, bar, status);
    list.appendChild(li);
    return { li, bar, status };
  }

  function fields() {
    const data = new FormData();
    for (const el of form.elements) {
      if (el.name && el.type !== "file" && el.type !== "submit") data.append(el.name, el.value);
    }
    return data;
  }

  function send(file, ui) {
    return new Promise((resolve) => {
      const data = fields();
      data.append("file", file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) ui.bar.value = Math.round((e.loaded / e.total) * 100);
        ui.status.textContent = "Uploading… " + ui.bar.value + "%";
      };
      xhr.onload = () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = { ok: false, message: "The server answered " + xhr.status + "." }; }
        ui.bar.value = 100;
        ui.li.dataset.result = body.ok ? "done" : "refused";
        ui.status.textContent = (body.ok ? "Done: " : "Refused: ") + (body.message || "");
        ui.status.style.color = body.ok ? "var(--accent)" : "var(--danger)";
        if (body.url) {
          const a = document.createElement("a");
          a.href = body.url; a.textContent = " View photo";
          ui.status.appendChild(a);
        }
        resolve(body.ok);
      };
      xhr.onerror = () => {
        ui.li.dataset.result = "refused";
        ui.status.textContent = "Refused: the connection failed; try this file again.";
        resolve(false);
      };
      xhr.send(data);
    });
  }

  async function uploadAll(files) {
    const items = Array.from(files).map((f) => [f, row(f)]);
    for (const [file, ui] of items) await send(file, ui);  // one at a time keeps memory low
    document.getElementById("upload-done").hidden = false;
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const files = queued.length ? queued : input.files;
    if (!files.length) { input.focus(); return; }
    uploadAll(files);
    queued = []; input.value = "";
  });
  ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.style.background = "#eef6f1"; }));
  ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.style.background = ""; }));
  zone.addEventListener("drop", (e) => { queued = Array.from(e.dataTransfer.files); uploadAll(queued); queued = []; });
})();
