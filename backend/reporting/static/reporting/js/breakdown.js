// Breakdowns: draw the chart of the result after each load or change (htmx swaps #breakdown: the
// form with the result, since the measure decides which dimensions the form offers).
//
// Changes in quick succession (a new measure, or Show, while an answer is on its way): the form
// and its measure sync on #breakdown with "queue last", so the request on its way finishes (htmx 2
// logs every request it aborts as a console error) and the last one asked waits behind it. Once
// the form has changed since a request was asked, its answer is dropped here, never drawn, for two
// reasons: it would put back the choices the analyst has made since, and it would swap out the
// form whose elements hold the queued request, which htmx then never sends. Dropped, the form
// stays, and the queued request is sent from it as it stands. If none is queued (only a field
// changed since), the dropped request is asked again, for the form as it stands. So the last
// choices always win, and only their answer is drawn and announced. The result is aria-busy
// from the first request to the last one's drawing.
(function () {
  "use strict";
  var inFlight = null; // the xhr of the breakdown's request on its way, if any

  function form() { return document.getElementById("breakdown-form"); }

  // The question as the form shows it now, in the form's order.
  function chosen() {
    var element = form();
    return element ? new URLSearchParams(new FormData(element)).toString() : "";
  }

  function busy(on) {
    var element = document.getElementById("breakdown-results");
    if (!element) return;
    if (on) element.setAttribute("aria-busy", "true");
    else element.removeAttribute("aria-busy");
  }

  function ours(event) {
    return !!(event.detail && event.detail.target && event.detail.target.id === "breakdown");
  }

  // The same request as a dropped one (the measure's own, or Show), from the form as it stands.
  function askAgain(xhr) {
    var asker = xhr.breakdownAsker;
    if (!asker || !asker.isConnected) { busy(false); return; }
    htmx.trigger(asker, asker.tagName === "FORM" ? "submit" : "change");
  }

  function drawChart() {
    ReportingCharts.draw("chart-breakdown", ReportingCharts.readJson("breakdown-chart"));
  }

  document.addEventListener("DOMContentLoaded", drawChart);
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (!ours(event)) return;
    inFlight = event.detail.xhr;
    inFlight.breakdownAsked = chosen(); // what htmx has just read from the form
    inFlight.breakdownAsker = event.detail.elt;
    busy(true);
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (!ours(event)) return;
    var xhr = event.detail.xhr;
    if (xhr && xhr.breakdownAsked !== undefined && xhr.breakdownAsked !== chosen()) {
      event.detail.shouldSwap = false;
      xhr.breakdownDropped = true;
      return;
    }
    if (xhr) xhr.breakdownSwapped = event.detail.shouldSwap;
    if (event.detail.shouldSwap) ReportingCharts.release(event.detail.target);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (!xhr || xhr.breakdownAsked === undefined) return;
    if (xhr === inFlight) inFlight = null;
    if (xhr.breakdownDropped) {
      // htmx sends the queued request, if any, right after this event: ask again only if none.
      window.setTimeout(function () { if (!inFlight) askAgain(xhr); }, 0);
    } else if (!xhr.breakdownSwapped) {
      busy(false); // refused or failed: nothing to draw
    }
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!ours(event)) return;
    drawChart();
    if (!inFlight) busy(false);
  });
  // htmx keeps a copy of the page for Back and Forward just before it is replaced (by an answer, or
  // by the page gone back to): a copy not busy, and without the chart's inline styles, which the
  // CSP would refuse when the copy is put back.
  document.body.addEventListener("htmx:beforeHistorySave", function () {
    var container = document.getElementById("breakdown");
    if (container) ReportingCharts.release(container);
    busy(false);
  });
  // Back (or Forward) to a result htmx kept: its chart is drawn again.
  document.body.addEventListener("htmx:historyRestore", drawChart);
})();
