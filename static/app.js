// Small touches on top of the server-rendered pages; everything works
// without this file.
(function () {
  "use strict";
  // Confirmation for buttons that archive or restore: data-confirm="…".
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
