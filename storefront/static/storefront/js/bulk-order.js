/* 采购单 page: follow a recipient list upload until it is checked, and keep the compliance panel current.
   Without JavaScript the page still shows both as the server rendered them (and refreshes while an
   upload is being checked, through a <noscript> meta refresh). */
(function () {
  "use strict";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  // --- Upload progress: poll the import's status; once checked, show the page again with its results.
  var progress = document.querySelector("[data-status-url]");
  if (progress && progress.getAttribute("data-finished") !== "true") {
    var bar = progress.querySelector("[data-import-bar]");
    var counts = progress.querySelector("[data-import-counts]");
    var label = progress.querySelector("[data-import-status]");
    var poll = function () {
      getJSON(progress.getAttribute("data-status-url")).then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        counts.textContent = "已校验 " + data.processedRows + " / " + data.totalRows + " 行" + (data.finished ? "" : "，请稍候…");
        label.textContent = data.statusDisplay;
        if (data.finished) {
          progress.setAttribute("data-finished", "true");
          window.location.reload();
        } else {
          window.setTimeout(poll, 700);
        }
      }).catch(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 300);
  }

  // --- Live compliance: read the check again when the page comes back into view and every 30 s while a
  // draft is being built (another clerk's upload, an attachment added), without reloading the page.
  var panel = document.querySelector("[data-compliance-url]");
  if (!panel) return;
  var list = panel.querySelector("[data-compliance-list]");
  var verdict = panel.querySelector("[data-compliance-verdict]");
  function render(data) {
    list.textContent = "";
    data.findings.forEach(function (finding) {
      var item = document.createElement("li");
      item.className = "bulk-finding bulk-finding--" + (finding.ok ? "ok" : "fail");
      item.setAttribute("data-rule", finding.rule);
      var mark = document.createElement("span");
      mark.className = "bulk-finding__mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = finding.ok ? "✓" : "✗";
      var text = document.createElement("span");
      text.className = "bulk-finding__text";
      text.textContent = finding.message;
      item.appendChild(mark);
      item.appendChild(text);
      list.appendChild(item);
    });
    verdict.textContent = data.ok ? "全部通过" : "未通过";
    verdict.className = "bulk-verdict bulk-verdict--" + (data.ok ? "ok" : "fail");
    panel.setAttribute("data-refreshed", String(Date.now()));
  }
  function refresh() {
    getJSON(panel.getAttribute("data-compliance-url")).then(render).catch(function () {});
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });

  // --- A quick order is added without leaving the page: the form is sent in the background, the parts of
  // the page it changes are taken from the answer (the page itself, or the page with the form's errors),
  // and the compliance check is read again. Should anything go wrong, the form is sent the ordinary way.
  var SWAPPED = ["[data-flash]", "#summary", "#actions", "#lines"];
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-live-form") || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.status >= 500) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var answer = new DOMParser().parseFromString(html, "text/html");
        SWAPPED.forEach(function (selector) {
          var now = document.querySelector(selector);
          var next = answer.querySelector(selector);
          if (now && next) now.replaceWith(next);
        });
        refresh();
      })
      .catch(function () { form.submit(); });
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) refresh(); });
  if (panel.getAttribute("data-live") === "true") window.setInterval(refresh, 30000);
})();
