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
// A field that belongs to one choice of another field: <input data-for-choice="outcome-outcome=penalty"
// data-needed="A penalty needs a positive amount (MOP)." data-not-needed="Only a penalty has an
// amount.">; several choices are separated by "|". At a submit button's click its validity is set
// from the rule (needed: a number above zero, or a box ticked, when the choice is made; not needed:
// empty otherwise), on the window in the capture phase,
// before console.js's confirmation, which is not asked of a form the browser will refuse: the
// browser shows the message at the field and nothing is sent. The server checks the same.
// A list (<select data-unset="pending">) is needed as another value than that one, and its message
// may differ by choice (data-needed-closed="..."): a referral's assessment, still pending, when it
// is closed; before, closing asked "Close this referral?" and only then said it was refused.
(function () {
  "use strict";
  function judge(input) {
    var rule = input.getAttribute("data-for-choice").split("=");
    var field = input.form.elements.namedItem(rule[0]);
    var chosen = !!field && rule[1].split("|").indexOf(field.value) !== -1;
    var box = input.type === "checkbox";  // needed: ticked
    var list = input.tagName === "SELECT";  // needed: another value than data-unset
    var filled = box ? input.checked
      : list ? input.value !== (input.getAttribute("data-unset") || "")
      : input.value.trim() !== "" || (input.validity && input.validity.badInput);
    var satisfied = box ? input.checked : list ? filled : filled && parseFloat(input.value) > 0;
    var message = "";
    if (chosen && !satisfied && list && input.hasAttribute("data-needed-" + field.value)) {
      message = input.getAttribute("data-needed-" + field.value);
    } else if (chosen && input.hasAttribute("data-needed") && !satisfied) {
      message = input.getAttribute("data-needed");
    } else if (!chosen && filled && input.hasAttribute("data-not-needed")) {
      message = input.getAttribute("data-not-needed");
    }
    input.setCustomValidity(message);
  }
  window.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[type=submit], input[type=submit]") : null;
    if (!button || !button.form) return;
    Array.prototype.forEach.call(button.form.querySelectorAll("[data-for-choice]"), judge);
  }, true);
  // Typing again clears the message until the next click, so it never stays stale beside the field.
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target instanceof Element && target.form) {
      Array.prototype.forEach.call(target.form.querySelectorAll("[data-for-choice]"), function (input) {
        input.setCustomValidity("");
      });
    }
  });
})();
// A region swapped after one of its forms was sent (#case-work, #review-work, #referral-work) holds
// other forms too, which the answer draws afresh: a half-written outcome was wiped by adding a
// comment, a service's provider by saving the status (found on a newcomer's walk). What the user
// had typed or chosen in those other forms, and not sent, is put back in the forms drawn anew
// (matched by action and field name); the form sent shows what the server answered for it.
(function () {
  "use strict";
  var kept = null;
  function isChoice(field) { return field.type === "checkbox" || field.type === "radio"; }
  function changed(field) {
    if (isChoice(field)) return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return field.value !== field.defaultValue;
  }
  function editable(field) {
    return field.name && !field.disabled && field.tagName !== "BUTTON" &&
      ["hidden", "submit", "button", "reset", "file", "image"].indexOf(field.type) === -1;
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    kept = null;
    var target = event.detail.target;
    var sent = event.detail.requestConfig && event.detail.requestConfig.elt;
    var sentForm = sent && (sent.tagName === "FORM" ? sent : sent.form || sent.closest("form"));
    if (!target) return;
    var forms = target.tagName === "FORM" ? [target] : Array.prototype.slice.call(target.querySelectorAll("form"));
    forms.forEach(function (form) {
      if (form === sentForm || !form.getAttribute("action")) return;
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!editable(field) || !changed(field)) return;
        kept = kept || [];
        kept.push({
          action: form.getAttribute("action"),
          name: field.name,
          choice: isChoice(field) ? field.value : null,
          checked: field.checked,
          value: field.tagName === "SELECT"
            ? Array.prototype.filter.call(field.options, function (o) { return o.selected; }).map(function (o) { return o.value; })
            : field.value,
        });
      });
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    var restore = kept;
    kept = null;
    if (!restore) return;
    restore.forEach(function (item) {
      Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
        if (form.getAttribute("action") !== item.action) return;
        Array.prototype.forEach.call(form.elements, function (field) {
          if (field.name !== item.name || !editable(field)) return;
          if (isChoice(field)) {
            if (field.value === item.choice) field.checked = item.checked;
          } else if (field.tagName === "SELECT") {
            Array.prototype.forEach.call(field.options, function (o) { o.selected = item.value.indexOf(o.value) !== -1; });
          } else {
            field.value = item.value;
          }
        });
      });
    });
  });
})();
// A field shown only for its choice: <input data-for-choice="outcome-outcome=penalty|..."
// data-shown-for-choice>. Its wrapper (.field) is hidden while another choice is made, so neither
// the eye, the keyboard nor a screen reader meets a question that does not concern that choice
// ("Decided before the notice's deadline" beside "rectified"); without the script it shows always
// and the server judges it as before. Judged at load, at each change of the choice, and after a
// swap (the kept values being put back first, by the listener above this one's). A hidden field is
// also disabled, so it is neither sent nor checked: an amount typed for a penalty, the outcome then
// changed to "rectified", was refused ("Only a penalty has an amount.") at a field no longer seen.
// Its value stays, for when its choice is made again.
(function () {
  "use strict";
  function show(input) {
    var rule = input.getAttribute("data-for-choice");
    var wrap = input.closest(".field") || input;
    if (!rule) { wrap.hidden = false; input.disabled = false; return; }
    rule = rule.split("=");
    var field = input.form && input.form.elements.namedItem(rule[0]);
    wrap.hidden = !(field && rule[1].split("|").indexOf(field.value) !== -1);
    input.disabled = wrap.hidden;
  }
  function all() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-shown-for-choice]"), show);
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.form || !target.name) return;
    Array.prototype.forEach.call(target.form.querySelectorAll("[data-shown-for-choice]"), function (input) {
      if ((input.getAttribute("data-for-choice") || "").split("=")[0] === target.name) show(input);
    });
  });
  document.addEventListener("htmx:afterSwap", all);
  all();
})();
// A required field left empty is refused in the page's language: the browser's own "Please fill
// out this field." / "Please select an item in the list." came in the browser's language, English
// on a page read in Chinese or Portuguese (found on a newcomer's walk). The field's wrapper
// carries the form's own message (<div class="field" data-required="這個欄位是必須的。">, the one the
// server would answer); at a submit button's click, in the capture phase before console.js's
// confirmation, an empty (or blank) required field is given it. Typing or choosing clears it.
(function () {
  "use strict";
  function requiredIn(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.required && !field.hasAttribute("data-for-choice") && field.closest(".field[data-required]");
    });
  }
  window.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[type=submit], input[type=submit]") : null;
    if (!button || !button.form || button.hasAttribute("formnovalidate") || button.form.noValidate) return;
    requiredIn(button.form).forEach(function (field) {
      // (A date half typed is empty too, but the browser's own "enter a valid value" says more.)
      var empty = field.type === "checkbox" ? !field.checked
        : String(field.value).trim() === "" && !(field.validity && field.validity.badInput);
      field.setCustomValidity(empty ? field.closest(".field[data-required]").getAttribute("data-required") : "");
    });
  }, true);
  function clear(event) {
    var target = event.target;
    if (target instanceof Element && target.required && target.closest(".field[data-required]") && !target.hasAttribute("data-for-choice")) {
      target.setCustomValidity("");
    }
  }
  document.addEventListener("input", clear);
  document.addEventListener("change", clear);
})();
// A number beyond its field's limits is refused in the page's language too: the browser's own
// "Value must be greater than or equal to 1." came in English on a case's corrective deadline read
// in Portuguese (found on a newcomer's walk). The field's wrapper carries the server's messages
// (<div class="field" data-below-minimum="…" data-above-maximum="…">); at a submit button's click,
// after the required fields are judged, a value out of range is given the one that fits. Typing
// clears it.
(function () {
  "use strict";
  function limited(field) {
    var wrap = field.closest ? field.closest(".field[data-below-minimum], .field[data-above-maximum]") : null;
    return wrap && field.validity ? wrap : null;
  }
  window.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[type=submit], input[type=submit]") : null;
    if (!button || !button.form || button.hasAttribute("formnovalidate") || button.form.noValidate) return;
    Array.prototype.forEach.call(button.form.elements, function (field) {
      var wrap = limited(field);
      if (!wrap) return;
      if (field.validity.rangeUnderflow && wrap.hasAttribute("data-below-minimum")) {
        field.setCustomValidity(wrap.getAttribute("data-below-minimum"));
      } else if (field.validity.rangeOverflow && wrap.hasAttribute("data-above-maximum")) {
        field.setCustomValidity(wrap.getAttribute("data-above-maximum"));
      }
    });
  }, true);
  function clear(event) {
    if (event.target instanceof Element && limited(event.target)) event.target.setCustomValidity("");
  }
  document.addEventListener("input", clear);
  document.addEventListener("change", clear);
})();
