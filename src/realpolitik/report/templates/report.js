// Draw every chart from the inlined figure data; no network is needed.
(function () {
  "use strict";
  var figures = JSON.parse(document.getElementById("report-figures").textContent);
  var config = { displayModeBar: false, responsive: true, displaylogo: false };
  Object.keys(figures).forEach(function (id) {
    var element = document.getElementById(id);
    if (element) {
      Plotly.newPlot(element, figures[id].data, figures[id].layout, config);
    }
  });
})();
