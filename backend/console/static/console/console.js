// Loaded on every console page. Announces htmx swaps to screen readers and keeps focus sensible.
(function () {
  "use strict";
  var live = document.getElementById("live");
  function announce(text) {
    if (!live || !text) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }
  window.consoleAnnounce = announce;
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) return;
    // An outerHTML swap removed the target: what it swapped in is the element the event fires on.
    if (!target.isConnected) target = event.target;
    var note = target.querySelector("[data-announce]");
    if (note) announce(note.getAttribute("data-announce"));
    // A form refused for a field (no message of its own to focus): the first field refused, whose
    // error is read with it (its aria-describedby).
    // Only where the reader was: a swap nobody asked for just now (the job panel's last redraw, a
    // run ending while the planner types in another form) must not pull the focus out of their
    // hands; its words are announced above, and the focus stays where it is.
    var focus = target.querySelector("[data-focus]") || target.querySelector("[aria-invalid='true']");
    if (focus && mayFocus) focus.focus();
    // The focus was inside the part swapped out (a pager's "Next page", the job panel's "Cancel the
    // run" when the run ends) and fell to the page's body with it: the next Tab started again from
    // the top. It goes to the same control in what came in, else to the part itself. (A part
    // redrawn every second must leave its controls out of what it redraws: focused again each
    // time, a control is read out again each time.)
    var lost = focusWithin;
    focusWithin = null;
    if (!lost || (document.activeElement && document.activeElement !== document.body)) return;
    var again = Array.prototype.find.call(target.querySelectorAll(lost.tag), function (el) {
      return lost.id ? el.id === lost.id : el.getAttribute("name") === lost.name && el.textContent.trim() === lost.text;
    });
    if (!again) {
      again = target;
      if (!again.hasAttribute("tabindex")) again.setAttribute("tabindex", "-1");
    }
    again.focus();
  });
  var focusWithin = null;
  var mayFocus = true;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    var active = document.activeElement;
    // The reader's focus is theirs to give: on the page's body (nowhere), in the part swapped, or
    // on the control that asked for it (the form sent, the select changed) — not elsewhere.
    // (detail.elt is the target here; the asker is the request's own element.)
    var asker = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    // A part that answers a control beside it (the job panel, under the form whose "Plan" started
    // the run: both in a [data-focus-area]) takes it from that control too, not from a box being
    // typed in there.
    var area = target && target.closest && target.closest("[data-focus-area]");
    var typing = active && active.matches && active.matches(
      "input:not([type=button]):not([type=submit]):not([type=checkbox]):not([type=radio]), textarea, select, [contenteditable]");
    mayFocus = !active || active === document.body || active === document.documentElement ||
      (target && target.contains(active)) || (asker && asker.contains && asker.contains(active)) ||
      (area && area.contains(active) && !typing) || false;
    focusWithin = event.detail.shouldSwap && target && active && active !== document.body && target.contains(active)
      ? { tag: active.tagName, id: active.id, name: active.getAttribute("name"), text: active.textContent.trim() }
      : null;
  });
  // Buttons that ask before acting: <button data-confirm="Publish this plan?">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (!button) return;
    // A form the browser will refuse (a required field empty) is not confirmed first: the browser
    // says what is missing, and the question comes when the form can really be sent.
    var form = button.form;
    if (form && button.type === "submit" && !form.noValidate && !button.formNoValidate && !form.checkValidity()) return;
    if (!window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // A message after a redirect to a part of the page (".../#targets") was drawn at the page's top,
  // above the part the page opens at: a planner who saved the targets never saw "Targets saved".
  // It goes under that part's heading (a section of the page), where the reader is.
  var box = document.querySelector("body > .messages");
  var part = box && window.location.hash.length > 1 && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
  if (part && part.tagName === "SECTION") {
    var heading = part.querySelector("h1, h2");
    if (heading && heading.parentNode === part) heading.after(box); else part.prepend(box);
    box.classList.add("in-part");
  }
  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
