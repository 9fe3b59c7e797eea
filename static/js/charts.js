// Draws the charts a page declares: <div data-chart="tree|coverage|…" data-source="json-script-id">.
(function () {
  const text = (id) => JSON.parse(document.getElementById(id).textContent);
  const labels = text("chart-labels");
  const html = (value) => echarts.format.encodeHTML(value == null ? "" : String(value));

  const draw = {
    tree(element, data) {
      const chart = echarts.init(element);
      chart.setOption({
        // ECharts puts a formatter's string in the page as HTML: every value from the database
        // (an organisation's name is typed by a user) is escaped first.
        tooltip: {
          trigger: "item",
          formatter: (p) => `${html(p.data.name)}<br>${html(p.data.kind)} · ${html(labels.members)} ${html(p.data.members)}`,
        },
        series: [{
          type: "tree",
          data: data.length === 1 ? data : [{ name: labels.all, kind: "", members: "", children: data }],
          orient: "LR",
          left: "14%",
          right: "22%",
          initialTreeDepth: 2,
          expandAndCollapse: true,
          label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12 },
          leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
          itemStyle: { color: "#dc3545" },
          symbol: (value, params) => (params.data.advisories ? "diamond" : "circle"),
          symbolSize: 10,
        }],
      });
      chart.on("click", (p) => { if (p.data.id) window.location = `${element.dataset.detailUrl}${p.data.id}/`; });
      return chart;
    },
    coverage(element, data) {
      const chart = echarts.init(element);
      const names = Object.keys(data.series);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 56, containLabel: true },
        xAxis: { type: "category", data: data.communities, axisLabel: { interval: 0, rotate: data.communities.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: names.map((name) => ({ name: labels[name], type: "bar", stack: "gaps", data: data.series[name] })),
      });
      return chart;
    },
    // Each coverage rate beside its target (both in per cent).
    rates(element, data) {
      const chart = echarts.init(element);
      chart.setOption({
        tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : `${v}%`) },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: data.names },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: labels.rate, type: "bar", data: data.rates },
          { name: labels.target, type: "line", data: data.targets, symbol: "rect", lineStyle: { type: "dashed" } },
        ],
      });
      return chart;
    },
    pay(element, data) {
      const chart = echarts.init(element);
      const years = Object.keys(data.series);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: data.communities, axisLabel: { interval: 0, rotate: data.communities.length > 4 ? 30 : 0 } },
        yAxis: { type: "value" },
        series: years.map((year) => ({ name: year, type: "bar", data: data.series[year].map(Number) })),
      });
      return chart;
    },
    budget(element, data) {
      const chart = echarts.init(element);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: data.communities, axisLabel: { interval: 0, rotate: data.communities.length > 4 ? 30 : 0 } },
        yAxis: { type: "value" },
        series: ["city", "local"].map((key) => ({ name: labels[key], type: "bar", stack: "shares", data: data[key].map(Number) })),
      });
      return chart;
    },
    // 分色治理: each colour drawn in its own colour, stacked per status.
    colours(element, data) {
      const chart = echarts.init(element);
      const paint = { red: "#c0392b", orange: "#e67e22", yellow: "#f1c40f", blue: "#2471a3" };
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: data.statuses, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map((s) => ({ name: s.name, type: "bar", stack: "colour", data: s.data, itemStyle: { color: paint[s.key] } })),
      });
      return chart;
    },
    trend(element, data) {
      const chart = echarts.init(element);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: data.days },
        yAxis: { type: "value", minInterval: 1 },
        series: ["reported", "closed"].map((key) => ({ name: labels[key], type: "line", data: data[key] })),
      });
      return chart;
    },
    // A horizontal bar per name, largest on top.
    ranked(element, data) {
      const chart = echarts.init(element);
      chart.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 24, bottom: 8, top: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: [...data.names].reverse() },
        series: [{ name: labels.cases, type: "bar", data: [...data.counts].reverse(), itemStyle: { color: "#dc3545" } }],
      });
      return chart;
    },
    // 三率: response, resolution and satisfaction per unit, in percent.
    rates(element, data) {
      const chart = echarts.init(element);
      chart.setOption({
        tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : `${v}%`) },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 5 ? 30 : 0 } },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: data.series.map((s) => ({ name: s.name, type: "bar", data: s.data.map((v) => (v == null ? null : Number(v))) })),
      });
      return chart;
    },
  };

  document.querySelectorAll("[data-chart]").forEach((element) => {
    const chart = draw[element.dataset.chart](element, text(element.dataset.source));
    window.addEventListener("resize", () => chart.resize());
  });
})();
