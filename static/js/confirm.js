// Ask before a destructive form is sent: <form data-confirm="Question?">. Replaces inline
// onsubmit handlers, which the Content-Security-Policy forbids.
(function () {
  "use strict";
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset ? event.target.dataset.confirm : null;
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
