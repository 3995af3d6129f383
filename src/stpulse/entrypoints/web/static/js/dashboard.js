/* The dashboard's charts: the server sends the numbers (/app/dashboard/charts.json), Apache ECharts (vendored in
   /static/vendor/echarts) draws them. Amounts come in kopecks and are shown in roubles; each chart's numbers are
   also in the table under it. */
(function () {
  "use strict";
  var rub = new Intl.NumberFormat("ru-RU", {maximumFractionDigits: 0});

  function options(chart) {
    var money = chart.unit === "money";
    var scale = function (v) { return v === null ? null : (money ? v / 100 : v); };
    var fmt = function (v) { return rub.format(v) + (money ? " ₽" : ""); };
    var tooltip = {trigger: chart.type === "pie" ? "item" : "axis", valueFormatter: fmt};
    if (chart.type === "pie") {
      return {tooltip: tooltip, legend: {type: "scroll", bottom: 0},
        series: [{type: "pie", radius: ["35%", "65%"], data: chart.labels.map(function (l, i) {
          return {name: l, value: scale(chart.series[0].values[i])}; })}]};
    }
    var horizontal = chart.type === "hbar";
    var category = {type: "category", data: chart.labels, axisLabel: {width: 180, overflow: "truncate"}};
    var value = {type: "value", axisLabel: {formatter: function (v) { return rub.format(v); }}};
    if (horizontal) { category.inverse = true; }
    return {tooltip: tooltip, legend: {top: 0}, grid: {left: horizontal ? 200 : 60, right: 20, top: 30, bottom: 30},
      xAxis: horizontal ? value : category, yAxis: horizontal ? category : value,
      series: chart.series.map(function (s) {
        return {name: s.name, type: chart.type === "line" ? "line" : "bar", data: s.values.map(scale)}; })};
  }

  function draw(root) {
    var box = root.querySelector("[data-charts]");
    if (!box || typeof echarts === "undefined" || box.getAttribute("data-loading")) { return; }
    box.setAttribute("data-loading", "yes");
    fetch(box.getAttribute("data-src") + window.location.search, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        data.charts.forEach(function (chart) {
          var el = box.querySelector('[data-chart="' + chart.code + '"]');
          if (!el || !chart.labels.length) { return; }
          var instance = echarts.getInstanceByDom(el) || echarts.init(el, null, {renderer: "canvas"});
          instance.setOption(options(chart));
          el.setAttribute("data-drawn", "yes");
          window.addEventListener("resize", function () { instance.resize(); });
        });
      });
  }

  function whenLoaded(tries) {  // the scripts of a swapped-in fragment load in any order
    if (typeof echarts !== "undefined") { draw(document); return; }
    if (tries > 0) { setTimeout(function () { whenLoaded(tries - 1); }, 50); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { whenLoaded(100); });
  } else {
    whenLoaded(100);
  }
})();
