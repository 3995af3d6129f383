/* The cost-price history of one offer: the server puts the numbers (dates, totals in kopecks) into the element's
   data-cost-chart attribute as JSON; Apache ECharts (vendored) draws a step line, as SVG. */
(function () {
  "use strict";
  var rub = new Intl.NumberFormat("ru-RU", {minimumFractionDigits: 2, maximumFractionDigits: 2});

  function draw() {
    document.querySelectorAll("[data-cost-chart]").forEach(function (el) {
      var data = JSON.parse(el.getAttribute("data-cost-chart"));
      var today = new Date().toISOString().slice(0, 10);
      var points = data.days.map(function (d, i) { return [d, data.totals[i] / 100]; });
      var last = points[points.length - 1];
      if (last[0] < today) { points.push([today, last[1]]); }  // the last price holds until today
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, {renderer: "svg"});
      chart.setOption({
        tooltip: {trigger: "axis", valueFormatter: function (v) { return rub.format(v) + " ₽"; }},
        grid: {left: 10, right: 20, top: 20, bottom: 10, containLabel: true},
        xAxis: {type: "time"},
        yAxis: {type: "value", axisLabel: {formatter: function (v) { return rub.format(v); }}},
        series: [{type: "line", step: "end", name: "Себестоимость", data: points, symbolSize: 6}]
      });
      el.setAttribute("data-drawn", "yes");
    });
  }

  function whenLoaded(tries) {
    if (typeof echarts !== "undefined") { draw(); return; }
    if (tries > 0) { setTimeout(function () { whenLoaded(tries - 1); }, 50); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { whenLoaded(100); });
  } else {
    whenLoaded(100);
  }
})();
