// Search filters apply as soon as a box is ticked or a menu changes; the URL stays shareable.
(function () {
  const form = document.getElementById("filters");
  if (!form) return;
  form.addEventListener("change", (event) => {
    if (event.target.matches("input[type=checkbox], input[type=radio], select")) {
      for (const field of form.elements) {
        if (field.name && !field.value && field.type !== "checkbox" && field.type !== "radio") field.disabled = true;
      }
      form.submit();
    }
  });
})();
