// The score-history chart (Chart.js); the same figures are in the table beside it.
(function () {
  "use strict";
  var node = document.getElementById("score-chart-data");
  var canvas = document.getElementById("score-chart");
  if (!node || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var lang = document.documentElement.lang || "en";
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [{ label: data.label, data: data.values, borderColor: "#0b5cad", backgroundColor: "#0b5cad", tension: 0.1 }]
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      locale: lang,
      scales: { y: { min: 0, max: 100 } },
      plugins: { legend: { display: true } }
    }
  });
})();
