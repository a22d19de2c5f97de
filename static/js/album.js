// Album page: reorder photos by drag and drop; the Move buttons are the keyboard alternative.
(() => {
  const grid = document.getElementById("album-grid");
  if (!grid || !grid.dataset.reorderUrl) return;
  const status = document.getElementById("reorder-status");
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]");
  let dragged = null;

  const tiles = () => [...grid.querySelectorAll("li[data-photo]")];
  const clear = () => {
    tiles().forEach((li) => li.classList.remove("drop-target", "dragging"));
  };

  grid.addEventListener("dragstart", (event) => {
    const li = event.target.closest("li[data-photo]");
    if (!li) return;
    dragged = li;
    li.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", li.dataset.photo);
  });
  grid.addEventListener("dragover", (event) => {
    if (!dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const li = event.target.closest("li[data-photo]");
    tiles().forEach((t) => t.classList.toggle("drop-target", t === li && li !== dragged));
  });
  grid.addEventListener("drop", (event) => {
    event.preventDefault();
    const li = event.target.closest("li[data-photo]");
    const moved = dragged;
    dragged = null;
    clear();
    if (!moved || !li || li === moved) return;
    const list = tiles();
    const forward = list.indexOf(moved) < list.indexOf(li);
    grid.insertBefore(moved, forward ? li.nextSibling : li);
    save();
  });
  grid.addEventListener("dragend", () => { dragged = null; clear(); });

  async function save() {
    const photos = tiles().map((li) => Number(li.dataset.photo));
    status.textContent = "Saving the new order…";
    try {
      const response = await fetch(grid.dataset.reorderUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        body: JSON.stringify({ photos, offset: Number(grid.dataset.offset || 0) }),
      });
      const body = await response.json();
      status.textContent = body.message;
      grid.dataset.saved = response.ok ? "yes" : "no";
    } catch (error) {
      status.textContent = "The new order could not be saved; reload the page and try again.";
      grid.dataset.saved = "no";
    }
  }
})();
