// htmx leaves 4xx answers unswapped by default; a refused form's answer (400 bad input, 403 not
// allowed, 409 state conflict) carries the form again with the reason, so show it.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 403 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
