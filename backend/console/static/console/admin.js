// The Django admin's widgets named for assistive technology (WCAG 2.2 AA, checked with axe).
// Django's own scripts draw these after the page loads (select2 for autocomplete_fields,
// SelectFilter2 for filter_horizontal, rows added to an inline), so they are mended as they appear:
// - a search-as-you-type picker (select2) is named by its field's label and its chosen value, its
//   search box by the label, and it says which list it controls while open (select2 says
//   aria-owns only, which a combobox lacks);
//   a message alone in its results ("No results found") is a disabled option, not an alert, as a
//   listbox holds options only;
// - the search icons beside SelectFilter2's boxes carry their hint as an image's name (an
//   aria-label on a plain span is not allowed);
// - a field of a tabular inline, which Django draws under a column heading without a label, is
//   named by that heading;
// - a date-time field's date and time boxes (labelled "Date:" and "Time:" by
//   backend.console.admin_site.LabelledSplitDateTime) are a group named by the field's label.
// No inline style is set anywhere: the Content Security Policy refuses them.
"use strict";
{
  const labelOf = (field) => {
    if (!field || !field.id) return null;
    const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
    if (label && !label.id) label.id = `${field.id}-label`;
    return label;
  };

  const namePicker = (selection) => {
    const container = selection.closest(".select2-container");
    const select = container && container.previousElementSibling;
    const label = labelOf(select && select.tagName === "SELECT" ? select : null);
    if (!label) return;
    const rendered = selection.querySelector(".select2-selection__rendered");
    if (rendered && rendered.getAttribute("role") === "textbox") {
      // The chosen value, as text of the picker's name ("Unit: Patrol (PSP)"); as a read-only
      // textbox of its own it had no name while nothing was chosen.
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
    const ids = [label.id, rendered && rendered.id].filter(Boolean).join(" ");
    if (selection.getAttribute("aria-labelledby") !== ids) selection.setAttribute("aria-labelledby", ids);
    const owns = selection.getAttribute("aria-owns");
    if (owns) {
      if (selection.getAttribute("aria-controls") !== owns) selection.setAttribute("aria-controls", owns);
      const search = document.querySelector(`.select2-search__field[aria-controls="${CSS.escape(owns)}"]`);
      if (search && search.getAttribute("aria-labelledby") !== label.id) {
        search.setAttribute("aria-labelledby", label.id);
      }
    } else if (selection.hasAttribute("aria-controls")) {
      selection.removeAttribute("aria-controls");
    }
  };

  const mend = () => {
    document.querySelectorAll(".select2-selection[role=combobox]").forEach(namePicker);
    document.querySelectorAll(".select2-results__message[role=alert]").forEach((message) => {
      message.setAttribute("role", "option");
      message.setAttribute("aria-disabled", "true");
    });
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
    document.querySelectorAll("p.datetime:not([role])").forEach((group) => {
      const label = group.parentElement.querySelector(":scope > label:not([for])");
      if (!label) return;
      if (!label.id) label.id = `${group.querySelector("input").id}-group-label`;
      group.setAttribute("role", "group");
      group.setAttribute("aria-labelledby", label.id);
    });
    document.querySelectorAll(".tabular tbody td:is([class*=field-], .delete)").forEach((cell) => {
      const column = [...cell.parentElement.children].indexOf(cell);
      const heading = cell.closest("table").querySelectorAll("thead th")[column];
      const name = heading && heading.textContent.trim();
      if (!name) return;
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((field) => {
        if (!field.labels.length && !field.hasAttribute("aria-label")) field.setAttribute("aria-label", name);
      });
    });
  };

  // A unit picker (data-agency-field, e.g. an officer's) searches the units of the agency chosen
  // in its form: the agency's id is added to its search (backend.registry.admin.UnitAdmin), so a
  // unit of another agency, refused on saving, is not offered.
  const $ = window.django && window.django.jQuery;
  if ($) {
    $.ajaxPrefilter((options) => {
      if (typeof options.data !== "string") return;
      const params = new URLSearchParams(options.data);
      const field = params.get("field_name");
      const picker = field && document.querySelector(`select[name="${CSS.escape(field)}"][data-agency-field]`);
      const agency = picker && document.querySelector(`[name="${CSS.escape(picker.dataset.agencyField)}"]`);
      if (agency && agency.value) options.data += `&agency=${encodeURIComponent(agency.value)}`;
    });
    // Another agency chosen: the unit picked for the one before is no longer offered, and would be
    // refused on saving; it is emptied at once, so the unit is chosen among the new agency's.
    // (select2 tells a choice by jQuery's change event, which a native listener does not hear.)
    // Only a change of value counts: Django's RelatedObjectLookups.js fires "change" on every
    // related field as the page loads, which emptied the unit of every officer opened, so that
    // any save (a leaver deactivated, a role given) was refused with "This field is required".
    const agencyShown = new WeakMap();
    const chosenAtLoad = (select) => {
      const option = [...select.options].find((o) => o.defaultSelected);
      return option ? option.value : "";
    };
    $(document).on("change", "select", (event) => {
      const agency = event.target;
      const pickers = document.querySelectorAll(`select[data-agency-field="${CSS.escape(agency.name)}"]`);
      if (!pickers.length) return;
      const before = agencyShown.has(agency) ? agencyShown.get(agency) : chosenAtLoad(agency);
      agencyShown.set(agency, agency.value);
      if (agency.value === before) return;
      pickers.forEach((picker) => {
        if (picker.value) $(picker).val(null).trigger("change");
      });
    });
  }

  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      mend();
    });
  });
  const start = () => {
    mend();
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["aria-owns", "role", "aria-label"],
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
