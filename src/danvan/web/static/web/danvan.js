/* danvan – small progressive enhancements on top of htmx. Every page works without this file.
   Texts shown to people come from the page (data-msg-* attributes, translated on the server),
   never from this file. */
(function () {
  "use strict";

  // When filtering as you type fails (a weak mobile connection, a server error), say so in
  // the status region next to the results instead of silently showing stale results; the
  // form's own button still submits a normal request.
  function showLoadError(event) {
    var source = event.detail && event.detail.elt;
    var form = source && source.closest ? source.closest("form") : null;
    var message = document.body.getAttribute("data-msg-load-error");
    if (!form || !message) { return; }
    var statusId = form.getAttribute("data-status");
    var status = statusId ? document.getElementById(statusId) : null;
    if (!status) { return; }
    status.textContent = message;
    status.classList.remove("visually-hidden");
    status.classList.add("load-error");
  }

  function clearLoadError(event) {
    var source = event.detail && event.detail.elt;
    var form = source && source.closest ? source.closest("form") : null;
    var statusId = form ? form.getAttribute("data-status") : null;
    var status = statusId ? document.getElementById(statusId) : null;
    if (status && status.classList.contains("load-error")) {
      status.classList.remove("load-error");
      status.classList.add("visually-hidden");
    }
  }

  document.addEventListener("htmx:sendError", showLoadError);
  document.addEventListener("htmx:responseError", showLoadError);
  document.addEventListener("htmx:beforeRequest", clearLoadError);
})();
