// The receipt's «In» button needs JavaScript: it stays hidden without it, and the page says to
// use the browser's own print command instead.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
}());
