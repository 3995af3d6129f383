// Small progressive enhancements; everything works without them.
document.addEventListener("htmx:responseError", function (event) {
  var flash = document.getElementById("flash");
  if (flash && event.detail.xhr.status >= 500) {
    flash.innerHTML = '<div class="alert alert-danger">Сервер не ответил. Попробуйте ещё раз.</div>';
  }
});

// Report shop selector: «Все магазины» and single shops exclude each other (runs before htmx reads the form).
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.closest || !box.closest(".report-selector")) { return; }
  var form = box.closest(".report-selector");
  if (box.id === "all-shops" && box.checked) {
    form.querySelectorAll("input[name=shops]").forEach(function (b) { b.checked = false; });
  } else if (box.name === "shops") {
    var all = form.querySelector("#all-shops");
    if (all) { all.checked = !form.querySelector("input[name=shops]:checked"); }
  }
}, true);

// «Выгрузить в Excel» exports what the selector shows now (htmx swaps only the table, not this link).
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("#export-xlsx");
  var form = document.querySelector(".report-selector");
  if (!link || !form) { return; }
  link.href = link.href.split("?")[0] + "?" + new URLSearchParams(new FormData(form)).toString();
}, true);

// «Показатели»: «↑» moves a metric one place up; the form sends the metrics in this order (then htmx reloads).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".metric-up");
  if (!button) { return; }
  var item = button.closest(".metric-item");
  var before = item && item.previousElementSibling;
  if (!before) { return; }
  item.parentNode.insertBefore(item, before);
  var box = item.querySelector("input[name=metric]");
  if (box) { box.dispatchEvent(new Event("change", { bubbles: true })); }
});
