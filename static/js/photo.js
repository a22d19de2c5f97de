// Photo page: one-click copy of the credit, and the "modified" form of the credit.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach((button) => button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    try { await navigator.clipboard.writeText(field.value); }
    catch (e) { field.hidden = false; field.select(); document.execCommand("copy"); field.hidden = field.id !== "credit-text"; }
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; }, 1500);
  }));
  const changes = document.getElementById("credit-changes");
  if (!changes) return;
  let timer = null;
  changes.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const url = new URL(changes.dataset.attributionUrl, window.location.href);
      url.searchParams.set("format", "json");
      if (changes.value.trim()) url.searchParams.set("changes", changes.value.trim());
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const body = await response.json();
      document.getElementById("credit-text").value = body.text;
      document.getElementById("credit-html-src").value = body.html;
      document.getElementById("credit-markdown").value = body.markdown;
    }, 250);
  });
})();
