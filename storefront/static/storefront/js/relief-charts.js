/* Draws the relief dashboards' charts with the vendored ECharts from the JSON the page embeds
   (json_script id="relief-charts"). Every figure is also in the table under its chart, so without
   JavaScript, or if this fails, the page still reads the same. */
(function () {
  "use strict";

  var RED = "#c8161d";
  var PALETTE = [RED, "#e8833a", "#f2c14e", "#5b8e7d", "#3f6fb5", "#8a5fbf", "#b0413e", "#6b8f2b"];

  function yuan(value) {
    return "¥" + Number(value).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function pie(data) {
    return {
      color: PALETTE,
      tooltip: { trigger: "item", valueFormatter: yuan },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie",
        radius: ["35%", "65%"],
        center: ["50%", "45%"],
        label: { formatter: "{b}\n{d}%" },
        data: data.labels.map(function (label, i) { return { name: label, value: Number(data.values[i]) }; })
      }]
    };
  }

  function line(data) {
    return {
      color: [RED],
      tooltip: { trigger: "axis", valueFormatter: yuan },
      grid: { left: 56, right: 16, top: 24, bottom: 32 },
      xAxis: { type: "category", data: data.labels, boundaryGap: false },
      yAxis: { type: "value" },
      series: [{ type: "line", smooth: true, areaStyle: { opacity: 0.12 }, data: data.values.map(Number) }]
    };
  }

  function bar(data) {
    // Horizontal bars read best on a phone: long union names sit on the axis, largest at the top.
    return {
      color: [RED],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: yuan },
      grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: "value" },
      yAxis: {
        type: "category",
        inverse: true,
        data: data.labels,
        axisLabel: { width: 120, overflow: "truncate" }
      },
      series: [{ type: "bar", data: data.values.map(Number), barMaxWidth: 18 }]
    };
  }

  var BUILDERS = { pie: pie, line: line, bar: bar };

  function draw() {
    var source = document.getElementById("relief-charts");
    if (!source || typeof window.echarts === "undefined") return;
    var charts = JSON.parse(source.textContent);
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var data = charts[element.getAttribute("data-chart")];
      var build = BUILDERS[element.getAttribute("data-chart-type")];
      if (!data || !build || !data.labels.length) return;
      element.classList.add("relief-chart--drawn");
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(build(data));
      drawn.push(chart);
    });
    window.addEventListener("resize", function () {
      drawn.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
