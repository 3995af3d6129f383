/* The dashboard's charts: the server sends the numbers (/app/dashboard/charts.json), Apache ECharts (vendored in
   /static/vendor/echarts) draws them. Amounts come in kopecks and are shown in roubles; each chart's numbers are
   also in the table under it (made on the server). A card that comes later (htmx: «Выручка, прибыль и заказы»
   after the page, and again at each use of its day / week / month switch) is drawn from its own `data-src`. */
(function () {
  "use strict";
  var rub = new Intl.NumberFormat("ru-RU", {maximumFractionDigits: 0});

  var COLOURS = {revenue: "#5470c6", profit: "#91cc75", orders: "#fac858", order_units: "#ee6666"};

  function unitOf(chart, s) { return s.unit || chart.unit; }
  function scaler(unit) { return function (v) { return v === null ? null : (unit === "money" ? v / 100 : v); }; }
  function sign(unit) { return unit === "money" ? " ₽" : unit === "count" ? " шт." : ""; }

  function combo(chart) {  // money as bars on the left axis, counts as a line on the right one
    var axis = function (unit) {
      return {type: "value", name: unit === "money" ? "₽" : "шт.",
        axisLabel: {formatter: function (v) { return rub.format(v); }}};
    };
    return {
      tooltip: {trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : rub.format(v); }},
      legend: {top: 0, type: "scroll"}, grid: {left: 70, right: 60, top: 40, bottom: 30},
      xAxis: {type: "category", data: chart.labels}, yAxis: [axis("money"), axis("count")],
      series: chart.series.map(function (s) {
        var unit = unitOf(chart, s);
        return {name: s.name + (unit === "count" ? ", шт." : ", ₽"), type: unit === "count" ? "line" : "bar",
          yAxisIndex: unit === "count" ? 1 : 0, data: s.values.map(scaler(unit)), color: COLOURS[s.code],
          tooltip: {valueFormatter: function (v) { return v === null ? "—" : rub.format(v) + sign(unit); }}};
      })};
  }

  function options(chart) {
    if (chart.type === "combo") { return combo(chart); }
    var money = chart.unit === "money";
    var scale = scaler(chart.unit);
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

  function drawAll(root, data) {
    data.charts.forEach(function (chart) {
      var el = root.querySelector('[data-chart="' + chart.code + '"]');
      if (!el || !chart.labels.length) { return; }
      var instance = echarts.getInstanceByDom(el) || echarts.init(el, null, {renderer: "canvas"});
      instance.setOption(options(chart), true);
      el.setAttribute("data-drawn", "yes");
    });
  }

  function load(url, root) {
    return fetch(url, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) { drawAll(root, data); });
  }

  function draw(root) {  // each chart from its own `data-src`, each distinct source asked once
    var box = root.querySelector("[data-charts]");
    if (!box || typeof echarts === "undefined" || box.getAttribute("data-loading")) { return; }
    box.setAttribute("data-loading", "yes");
    var sources = {};
    box.querySelectorAll("[data-chart][data-src]").forEach(function (el) { sources[el.getAttribute("data-src")] = 1; });
    Object.keys(sources).forEach(function (src) { load(src, box); });
  }

  function redrawCard(card) {  // a card swapped in by the switch: draw its chart from its own JSON
    var el = card.querySelector("[data-chart][data-src]");
    if (el && typeof echarts !== "undefined") { load(el.getAttribute("data-src"), card); }
  }

  document.addEventListener("htmx:load", function (event) {  // fired on each element htmx adds
    var elt = event.detail && event.detail.elt;
    if (elt && elt.matches && elt.matches("[data-card]")) { redrawCard(elt); }
  });

  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-drawn]").forEach(function (el) {
      var instance = typeof echarts !== "undefined" && echarts.getInstanceByDom(el);
      if (instance) { instance.resize(); }
    });
  });

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
