// The leadership and transparency pages: the weekly trend and backlog charts, drawn with the
// vendored Chart.js from the JSON the page carries (#trend-data, #backlog-data; the same
// numbers are in the tables beside them), and sorting a table in place.
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

document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("backlog-data");
  const canvas = document.getElementById("chart-backlog");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const brand = getComputedStyle(document.documentElement).getPropertyValue("--brand").trim() || "#0b5d8c";
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [{ label: data.name, data: data.open, borderColor: brand, backgroundColor: brand }],
    },
    options: { animation: false, responsive: true, aspectRatio: 4, scales: { y: { beginAtZero: true } } },
  });
});

// A sortable table (table[data-sortable]): each header link (th[data-sort]) asks the server
// for the sorted page (`sort=key` ascending, `sort=-key` descending); with JavaScript the rows
// are sorted in place by each cell's data-value instead, empty values last, and the address
// keeps the order for a reload or a shared link.
function sortTable(table, th) {
  const key = th.dataset.sort;
  const now = th.getAttribute("aria-sort");
  const descending = now ? now === "ascending" : th.dataset.first !== "asc";
  const index = [...th.parentElement.children].indexOf(th);
  const body = table.tBodies[0];
  const cellOf = (row) =>
    row.querySelector(`[data-metric="${key}"]`) ||
    (key === "name" ? row.querySelector("th[data-value]") : row.children[index]);
  const valueOf = (row) => {
    const raw = cellOf(row)?.dataset.value ?? "";
    if (raw === "") return null;
    const number = Number(raw);
    return Number.isNaN(number) ? raw : number;
  };
  const rows = [...body.rows].map((row) => [valueOf(row), row]);
  rows.sort(([a], [b]) => {
    if (a === null || b === null) return (a === null) - (b === null);
    const order = typeof a === "string" ? a.localeCompare(b) : a - b;
    return descending ? -order : order;
  });
  for (const [, row] of rows) body.appendChild(row);
  for (const other of table.querySelectorAll("th[aria-sort]")) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  const url = new URL(window.location.href);
  url.searchParams.set("sort", (descending ? "-" : "") + key);
  history.replaceState(null, "", url);
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("table[data-sortable] th[data-sort] a");
  if (!link) return;
  event.preventDefault();
  sortTable(link.closest("table"), link.closest("th"));
});

// "Print" on the evaluation page.
document.addEventListener("click", (event) => {
  if (event.target.closest("button.print-page")) window.print();
});
