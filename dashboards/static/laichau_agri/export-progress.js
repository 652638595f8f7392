// Keeps a queued export's page up to date (templates/dashboards/export_status.html): asks
// the request's JSON every few seconds, moves the progress bar, says where it stands in
// the live region, and reloads the page once it is finished to show the download or the
// error. The text comes from the server, in the reader's language. Without JavaScript
// the page's "Cập nhật" link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-export-status]");
  if (!box || !window.fetch) return;
  var bar = box.querySelector("progress");
  var state = box.querySelector("[role=status]");
  var every = 2000;
  function ask() {
    fetch(box.getAttribute("data-export-status"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (data.finished) {
          window.location.reload();
          return;
        }
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        if (state.textContent !== data.text) state.textContent = data.text;
        window.setTimeout(ask, every);
      })
      .catch(function () {
        window.setTimeout(ask, every * 3);
      });
  }
  window.setTimeout(ask, every);
})();
