// Tag editing on the photo page without a reload: add (with autocomplete), remove, review.
(function () {
  "use strict";
  const box = document.getElementById("tags");
  if (!box) return;
  const photo = box.dataset.photo;
  const me = box.dataset.user;
  const isOwner = box.dataset.owner === "1";
  const isModerator = box.dataset.moderator === "1";
  const list = document.getElementById("tag-list");
  const status = document.getElementById("tag-status");
  const input = document.getElementById("tag-input");
  const options = document.getElementById("tag-options");
  const csrf = () => (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";

  async function api(method, path, body) {
    const response = await fetch("/api/v1/" + path, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return { status: response.status, data };
  }

  function say(text, bad) { if (status) { status.textContent = text; status.style.color = bad ? "var(--danger)" : ""; } }

  function render(tags) {
    list.replaceChildren();
    for (const tag of tags.filter((t) => !t.machine)) {
      const li = document.createElement("li");
      li.dataset.slug = tag.slug;
      const a = document.createElement("a");
      a.className = "badge tag-badge"; a.href = "/tags/" + encodeURIComponent(tag.slug) + "/";
      a.textContent = tag.name; a.title = "added by " + (tag.added_by || "someone");
      li.appendChild(a);
      if (isOwner || isModerator || tag.added_by === me) {
        const x = document.createElement("button");
        x.type = "button"; x.className = "secondary"; x.dataset.remove = tag.slug;
        x.setAttribute("aria-label", "Remove tag " + tag.name); x.textContent = "×";
        li.appendChild(x);
      }
      list.appendChild(li);
    }
  }

  async function refresh() {
    const { status: code, data } = await api("GET", "photos/" + photo + "/");
    if (code === 200) render(data.tags);
  }

  const form = document.getElementById("tag-add");
  if (form) form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const names = input.value.split(",").map((s) => s.trim()).filter(Boolean);
    if (!names.length) return;
    const { status: code, data } = await api("POST", "photos/" + photo + "/tags/", { tags: names });
    if (code === 201) { say("Added: " + data.added.join(", ")); input.value = ""; refresh(); }
    else if (code === 202) { say("Suggested to the owner: " + data.suggested.join(", ")); input.value = ""; }
    else say((data.error && data.error.message) || "Could not add the tag.", true);
  });

  list.addEventListener("click", async (e) => {
    const slug = e.target.dataset.remove;
    if (!slug) return;
    const { status: code, data } = await api("DELETE", "photos/" + photo + "/tags/" + encodeURIComponent(slug) + "/");
    if (code === 204) { say("Tag removed."); refresh(); } else say((data.error && data.error.message) || "Could not remove it.", true);
  });

  const queue = document.getElementById("suggestion-list");
  if (queue) queue.addEventListener("click", async (e) => {
    const decision = e.target.dataset.decision;
    if (!decision) return;
    const li = e.target.closest("li");
    const { status: code, data } = await api("POST", "photos/" + photo + "/suggestions/" + encodeURIComponent(li.dataset.slug) + "/", { decision });
    if (code === 200) {
      li.remove();
      if (!queue.children.length) document.getElementById("suggestions").hidden = true;
      say(decision === "accept" ? "Accepted: " + data.tag : "Rejected: " + data.tag);
      refresh();
    } else say((data.error && data.error.message) || "Could not decide.", true);
  });

  let timer = null;
  if (input) input.addEventListener("input", () => {
    clearTimeout(timer);
    const last = input.value.split(",").pop().trim();
    if (!last) return;
    timer = setTimeout(async () => {
      const { status: code, data } = await api("GET", "tags/?prefix=" + encodeURIComponent(last));
      if (code !== 200) return;
      options.replaceChildren(...data.map((t) => { const o = document.createElement("option"); o.value = t.name; return o; }));
    }, 150);
  });
})();
