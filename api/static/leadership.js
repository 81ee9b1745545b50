// The weekly trend charts of the leadership pages, drawn with the vendored Chart.js from the
// JSON the page carries (#trend-data); the same numbers are in the table beside them.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("trend-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const brand = getComputedStyle(document.documentElement).getPropertyValue("--brand").trim() || "#0b5d8c";
  const charts = [
    ["chart-received", "bar", data.received, data.names.received, {}],
    ["chart-compliance", "line", data.compliance, data.names.first_response_compliance,
      { min: 0, max: 100 }],
    ["chart-median", "line", data.median, data.names.median_first_response, { min: 0 }],
  ];
  for (const [id, type, values, label, scale] of charts) {
    const canvas = document.getElementById(id);
    if (!canvas) continue;
    new Chart(canvas, {
      type,
      data: {
        labels: data.labels,
        datasets: [{ label, data: values, backgroundColor: brand, borderColor: brand, spanGaps: true }],
      },
      options: {
        animation: false,
        responsive: true,
        plugins: { legend: { display: true } },
        scales: { y: { beginAtZero: true, ...scale } },
      },
    });
  }
});

// "Print" on the evaluation page.
document.addEventListener("click", (event) => {
  if (event.target.closest("button.print-page")) window.print();
});
