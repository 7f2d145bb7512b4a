// Draw every chart from the inlined figure data; no network is needed.
(function () {
  "use strict";
  var figures = JSON.parse(document.getElementById("report-figures").textContent);
  var config = { displayModeBar: false, responsive: true, displaylogo: false };
  var drawn = [];
  Object.keys(figures).forEach(function (id) {
    var element = document.getElementById(id);
    if (element) {
      Plotly.newPlot(element, figures[id].data, figures[id].layout, config);
      drawn.push(element);
    }
  });
  // A chart drawn for the screen is wider than a printed page, and the browser would
  // shrink the whole page to fit it. Before printing, the page is laid out at a
  // printed page's width ("printing") and every chart redrawn to its box there; after,
  // the charts follow the window again.
  function forPrint() {
    document.documentElement.classList.add("printing");
    drawn.forEach(function (element) {
      Plotly.relayout(element, { width: element.clientWidth });
    });
  }
  function forScreen() {
    if (!document.documentElement.classList.contains("printing")) {
      return;
    }
    document.documentElement.classList.remove("printing");
    drawn.forEach(function (element) {
      Plotly.relayout(element, { width: null, autosize: true });
    });
  }
  window.addEventListener("beforeprint", forPrint);
  window.addEventListener("afterprint", forScreen);
})();
