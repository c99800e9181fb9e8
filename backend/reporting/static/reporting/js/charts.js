// Bar charts of the analysts' pages (Chart.js), drawn from JSON the page carries. Every chart
// has a table with the same figures beside it; the chart is never the only way to read them.
(function () {
  "use strict";
  // Colours distinguishable by most readers and dark enough on white (the table carries the values).
  // The legend's swatches take the same from reporting.css (.swatch.series-N), and the yearly
  // report's PDF from backend/reporting/palette.py. Each series says which it takes ("colour": a
  // category keeps its own on every chart); without one, series take them in order.
  var PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7030a0", "#8a6d00", "#2e75b6", "#6b6b6b", "#a4161a", "#0b6e6e", "#5c3d99"];
  var charts = {};
  var MARK = "—"; // as the table marks a suppressed cell

  // A suppressed cell (a count of people too small to show, null in the figures) is marked "—"
  // where its bar would stand, above what is drawn at that place: left blank, it read as a zero.
  // Each mark is kept on the chart ($suppressed) for the page's tests.
  var suppressedMarks = {
    id: "suppressedMarks",
    afterDatasetsDraw: function (chart) {
      var marks = [];
      var x = chart.scales.x, y = chart.scales.y, ctx = chart.ctx;
      chart.data.labels.forEach(function (_label, index) {
        var values = chart.data.datasets.map(function (set) { return set.data[index]; });
        if (!values.some(function (v) { return v === null; })) return;
        var shown = values.filter(function (v) { return v !== null; });
        var top = chart.options.scales.y.stacked
          ? shown.reduce(function (a, b) { return a + b; }, 0)
          : Math.max.apply(null, [0].concat(shown));
        marks.push({ index: index, x: x.getPixelForValue(index), y: y.getPixelForValue(top) - 3 });
      });
      ctx.save();
      ctx.fillStyle = "#444444";
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      ctx.font = "bold 14px sans-serif";
      marks.forEach(function (mark) { ctx.fillText(MARK, mark.x, mark.y); });
      ctx.restore();
      chart.$suppressed = marks;
    }
  };

  function draw(canvasId, data) {
    if (charts[canvasId]) { charts[canvasId].destroy(); delete charts[canvasId]; }
    var canvas = document.getElementById(canvasId);
    if (!canvas || !data || typeof Chart === "undefined") return null;
    var locale = document.documentElement.lang || "en";
    var datasets = data.datasets.map(function (set, index) {
      var colour = (typeof set.colour === "number" ? set.colour : index) % PALETTE.length;
      return { label: set.label, data: set.data, colour: colour, backgroundColor: PALETTE[colour], borderWidth: 0 };
    });
    charts[canvasId] = new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        locale: locale,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        // Every measure is a count: its axis steps by whole numbers (Chart.js put 0,5 pessoas
        // between 0 and 1 when the largest figure was small, as referrals by year are).
        scales: {
          x: { stacked: data.stacked },
          y: { stacked: data.stacked, beginAtZero: true, ticks: { precision: 0 }, title: { display: !!data.unit, text: data.unit } }
        },
        // Chart.js gives its own legend at most half the chart's height and drops the entries that
        // do not fit (on a phone, a category of six went unnamed): the legend is a list under it.
        plugins: { legend: { display: false } }
      },
      plugins: [suppressedMarks]
    });
    // The series stack from the axis up in their order (the first at the bottom); the legend
    // names them as the server ordered it (data.legend, by backend/reporting/palette.py's
    // legend_order: the top of the stack first), as the yearly report's PDF does.
    var legend = (data.legend || datasets.map(function (_set, index) { return index; }))
      .map(function (index) { return datasets[index]; });
    drawLegend(canvas, legend, data.suppressed_note);
    return charts[canvasId];
  }

  // The legend under the chart's box: one entry per series, its colour a class (console.css's
  // strict CSP refuses style attributes, and htmx's history copy would carry them), wrapping as
  // text does, so every series is named however narrow the screen.
  function drawLegend(canvas, datasets, suppressedNote) {
    var box = canvas.closest(".chart-box") || canvas.parentNode;
    var list = box.nextElementSibling;
    if (!list || !list.classList.contains("chart-legend")) {
      list = document.createElement("ul");
      list.className = "chart-legend";
      box.parentNode.insertBefore(list, box.nextSibling);
    }
    list.textContent = "";
    list.hidden = datasets.length < 2 && !suppressedNote;
    datasets.forEach(function (set) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch series-" + set.colour;
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(set.label));
      list.appendChild(item);
    });
    if (suppressedNote) {
      var note = document.createElement("li");
      note.className = "suppressed-note";
      note.textContent = suppressedNote;
      list.appendChild(note);
    }
  }

  // Figures travel in a data-json attribute, not a <script> block: htmx drops scripts from
  // swapped content when script tags are not allowed, as the console's strict setup says.
  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.getAttribute("data-json")) : null;
  }

  // Before htmx swaps new content in: htmx "settles" by copying the old element's attributes
  // (style included) onto the new one with the same id, which the strict CSP refuses as an
  // inline style. Destroy the charts and drop the styles their libraries set, so nothing is copied.
  function release(container) {
    Object.keys(charts).forEach(function (id) {
      if (container.contains(document.getElementById(id))) { charts[id].destroy(); delete charts[id]; }
    });
    container.querySelectorAll("[id][style]").forEach(function (el) { el.removeAttribute("style"); });
  }

  window.ReportingCharts = { draw: draw, readJson: readJson, release: release };
})();
