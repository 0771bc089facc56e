/* The feedback page of a recording still being analysed: ask the API for its status every few seconds and show
 * the feedback as soon as it is there. Without JavaScript a <noscript> meta refresh does the same; with it, a
 * transcript being typed on the page is never thrown away by a reload (the page says the feedback is ready
 * instead). No inline code: the site's CSP allows none.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-recording-status-url]");
  if (!root || !window.fetch) return;
  var url = root.getAttribute("data-recording-status-url");
  var every = (parseInt(root.getAttribute("data-refresh-seconds") || "3", 10) || 3) * 1000;
  var textarea = document.querySelector("[data-testid=transcript-form] textarea");
  var typed = textarea ? textarea.value : "";

  function ready() {
    if (textarea && textarea.value !== typed) {
      root.textContent = "Your feedback is ready: save your transcript, or reload the page, to see it.";
      return;
    }
    window.location.reload();
  }

  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.status !== "pending" && data.status !== "processing") ready();
        else window.setTimeout(check, every);
      })
      .catch(function () { window.setTimeout(check, every * 2); });
  }

  window.setTimeout(check, every);
})();
