// Targets of an operation on a map. The sites come from the page's sites URL (every active
// site: the demo city has some 840, too many to write into the page). Clicking a site's marker
// ticks or unticks its checkbox; a site not listed on the page gets a row in the targets table,
// where its wave is chosen. The lists stay the keyboard and screen-reader way to choose, so the
// markers are not tab stops (840 of them would be). Ticked rows of the other sites move into the
// targets table before htmx swaps in another page of them, so no tick is lost.
(function () {
  "use strict";
  var element = document.getElementById("targets-map");
  var source = document.getElementById("targets-data");
  if (!element || !source || !window.ConsoleMap) return;
  var data = JSON.parse(source.textContent);
  var texts = data.texts;
  var map = ConsoleMap.create(element);
  var markers = {};
  var lang = document.documentElement.lang || "en";
  var riskFormat = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  function box(id) { return document.getElementById("site-" + id); }
  // A Chinese name takes no space beside Chinese words: the translation's space is for a Latin
  // name ("%(name)s 的梯次"), as the server's `tight` filter does.
  var CJK_SPACE = /([\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]) (?=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])/g;
  var chinese = /^zh/i.test(document.documentElement.lang);
  function fill(text, name) {
    var filled = text.replace("%(name)s", name);
    return chinese ? filled.replace(CJK_SPACE, "$1") : filled;
  }

  // Targets stand out; the hundreds of other sites are small dots, so the city stays readable.
  function icon(chosen) {
    var size = chosen ? 22 : 12;
    return L.divIcon({
      className: "",
      html: '<span class="site-marker' + (chosen ? " chosen" : "") + '"></span>',
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2]
    });
  }

  function label(site, chosen) {
    return site.name + " — " + (chosen ? texts.chosen : texts.not_chosen) + " — " + texts.hours + (texts.colon || ": ") + site.hours;
  }

  function refresh(site) {
    var input = box(site.id);
    var chosen = !!(input && input.checked);
    var marker = markers[site.id];
    if (!marker) return;
    marker.setIcon(icon(chosen));
    marker.setTooltipContent(label(site, chosen));
    var el = marker.getElement();
    if (el) el.setAttribute("aria-hidden", "true");
  }

  // A row in the targets table for a site the page does not list (picked on the map).
  function addRow(site) {
    var template = document.getElementById("target-row");
    var body = document.getElementById("chosen-rows");
    if (!template || !body) return null;
    var row = template.content.firstElementChild.cloneNode(true);
    row.setAttribute("data-site", site.id);
    var input = row.querySelector("input[name=site]");
    input.value = site.id;
    input.id = "site-" + site.id;
    row.querySelector(".name").textContent = site.name;
    var select = row.querySelector("select");
    if (select) {
      select.name = "wave-" + site.id;
      select.setAttribute("aria-label", fill(texts.wave_of, site.name));
    }
    row.querySelector(".kind").textContent = site.kind;
    row.querySelector(".parish").textContent = site.parish;
    row.querySelector(".risk").textContent = riskFormat.format(site.risk);
    row.querySelector(".hours").textContent = site.hours;
    var empty = body.querySelector(".no-target");
    if (empty) empty.remove();
    body.appendChild(row);
    return input;
  }

  // Ticks and waves not saved yet live only in this page: leaving it (another link, the
  // selection's form, a language) would lose them without a word, and "Plan" plans the targets as
  // saved. Until they are saved, leaving asks first and Plan says the changes are not in it.
  var unsaved = false;
  var planButton = document.querySelector("#planning form button[type=submit]");
  // Beside "Save the targets", how many sites are ticked now: the counts above are the saved
  // targets, the ones the planner plans.
  var tally = document.getElementById("targets-tally");
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  function showTally() {
    if (!tally || !texts.ticked_other) return;
    var n = document.querySelectorAll('input[name=site][form="targets-form"]:checked').length;
    tally.textContent = (n === 1 ? texts.ticked_one : texts.ticked_other).replace("%(n)s", numbers.format(n));
  }
  function changed() {
    unsaved = true;
    if (planButton && texts.unsaved_plan) planButton.setAttribute("data-confirm", texts.unsaved_plan);
    showTally();
  }
  window.addEventListener("beforeunload", function (event) {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = "";
  });
  document.addEventListener("submit", function (event) {
    if (event.target && event.target.id === "targets-form") unsaved = false;
  });

  function toggle(site) {
    var input = box(site.id);
    if (input && input.disabled) return;
    if (!input) {
      input = addRow(site);
      if (!input) return;
    } else {
      input.checked = !input.checked;
    }
    changed();
    refresh(site);
    window.consoleAnnounce(fill(input.checked ? texts.added : texts.removed, site.name));
  }

  var byId = {};
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.getAttribute("form") !== "targets-form") return;
    changed();
    if (input.name === "site" && byId[input.value]) refresh(byId[input.value]);
  });

  // Keep the ticks of the page of other sites that is about to be replaced.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "candidates") return;
    var body = document.getElementById("chosen-rows");
    target.querySelectorAll("input[name=site]:checked").forEach(function (input) {
      var row = input.closest("tr");
      var empty = body.querySelector(".no-target");
      if (empty) empty.remove();
      body.appendChild(row);
    });
  });

  Promise.all([
    map.consoleReady,
    fetch(data.sites_url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) { return r.json(); })
  ]).then(function (results) {
    var sites = results[1].sites;
    var bounds = [], chosenBounds = [];
    var layer = L.layerGroup();
    sites.forEach(function (site) {
      byId[site.id] = site;
      var input = box(site.id);
      var marker = L.marker([site.lat, site.lon], { icon: icon(input && input.checked), keyboard: false, title: site.name });
      ConsoleMap.tooltip(marker, label(site, input && input.checked));
      marker.on("click", function () { toggle(site); });
      marker.addTo(layer);
      markers[site.id] = marker;
      bounds.push([site.lat, site.lon]);
      if (input && input.checked) chosenBounds.push([site.lat, site.lon]);
    });
    layer.addTo(map);
    sites.forEach(refresh);
    // Open on the targets already chosen (the planner's area), else on every site.
    var view = chosenBounds.length > 1 ? chosenBounds : bounds;
    if (view.length) map.fitBounds(view, { padding: [24, 24], maxZoom: 15 });
    element.setAttribute("data-ready", "true");
  });
})();
