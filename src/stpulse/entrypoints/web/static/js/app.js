// Small progressive enhancements; everything works without them.
document.addEventListener("htmx:responseError", function (event) {
  var flash = document.getElementById("flash");
  if (flash && event.detail.xhr.status >= 500) {
    flash.innerHTML = '<div class="alert alert-danger">Сервер не ответил. Попробуйте ещё раз.</div>';
  }
});
