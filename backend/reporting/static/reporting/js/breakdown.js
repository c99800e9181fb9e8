// Breakdowns: draw the chart of the result after each load or change (htmx swaps #breakdown).
(function () {
  "use strict";
  function drawChart() {
    ReportingCharts.draw("chart-breakdown", ReportingCharts.readJson("breakdown-chart"));
  }
  document.addEventListener("DOMContentLoaded", drawChart);
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "breakdown") ReportingCharts.release(event.detail.target);
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "breakdown") drawChart();
  });
})();
