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
// A button that asks before acting for one choice of a field only: <button
// data-confirm-if="update-status=closed" data-confirm-text="Close this referral? ...">. At the click
// its data-confirm (which console.js asks) is set from the field's value then, or removed; on the
// window, in the capture phase, so it runs before console.js's listener on the document.
(function () {
  "use strict";
  window.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-confirm-if]") : null;
    if (!button || !button.form) return;
    var rule = button.getAttribute("data-confirm-if").split("=");
    var field = button.form.elements.namedItem(rule[0]);
    if (field && field.value === rule[1]) {
      button.setAttribute("data-confirm", button.getAttribute("data-confirm-text"));
    } else {
      button.removeAttribute("data-confirm");
    }
  }, true);
})();
