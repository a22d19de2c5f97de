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

  function csrf() {
    return form.querySelector("[name=csrfmiddlewaretoken]").value;
  }

  function finish(ui, body) {
    ui.bar.value = 100;
    ui.li.dataset.result = body.ok ? "done" : "refused";
    ui.status.textContent = (body.ok ? "Done: " : "Refused: ") + (body.message || "");
    ui.status.style.color = body.ok ? "var(--accent)" : "var(--danger)";
    if (body.url) {
      const a = document.createElement("a");
      a.href = body.url; a.textContent = " View photo";
      ui.status.appendChild(a);
    }
    return body.ok;
  }

  function xhrPost(url, data, ui, headers) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      for (const [k, v] of Object.entries(headers || {})) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) ui.bar.value = Math.round((e.loaded / e.total) * 100);
        ui.status.textContent = "Uploading… " + ui.bar.value + "%";
      };
      xhr.onload = () => resolve(xhr);
      xhr.onerror = () => resolve(null);
      xhr.send(data);
    });
  }

  async function apiPost(url, payload) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify(payload || {}),
    });
    let body = {};
    try { body = await response.json(); } catch (err) { body = {}; }
    return { status: response.status, body };
  }

  // S3 mode: the bytes go straight to the bucket; the server then checks the stored object.
  async function sendDirect(file, ui) {
    const start = await apiPost(form.dataset.direct);
    if (start.status !== 200) return finish(ui, { ok: false, message: (start.body.error || {}).message });
    const data = new FormData();
    for (const [k, v] of Object.entries(start.body.fields)) data.append(k, v);
    data.append("file", file, file.name);
    const xhr = await xhrPost(start.body.url, data, ui);
    if (!xhr || xhr.status >= 300) {
      return finish(ui, { ok: false, message: "The photo store refused the file (too large?)." });
    }
    ui.status.textContent = "Checking…";
    const payload = { token: start.body.token, original_name: file.name };
    for (const el of form.elements) {
      if (["title", "description", "tags", "license", "visibility"].includes(el.name)) payload[el.name] = el.value;
    }
    const done = await apiPost(form.dataset.finish, payload);
    if (done.status === 201) return finish(ui, { ok: true, message: "Uploaded.", url: done.body.url });
    if (done.status === 409) return finish(ui, { ok: true, message: done.body.error.message, url: done.body.error.photo.url });
    return finish(ui, { ok: false, message: (done.body.error || {}).message || "The upload failed." });
  }

  async function send(file, ui) {
    if (form.dataset.direct) return sendDirect(file, ui);
    const data = fields();
    data.append("file", file, file.name);
    const xhr = await xhrPost(form.action || window.location.href, data, ui, { Accept: "application/json" });
    if (!xhr) return finish(ui, { ok: false, message: "the connection failed; try this file again." });
    let body;
    try { body = JSON.parse(xhr.responseText); } catch (err) { body = { ok: false, message: "The server answered " + xhr.status + "." }; }
    if (body.error) body = { ok: false, message: body.error.message };  // e.g. 429, rate limited
    return finish(ui, body);
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
