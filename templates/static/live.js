// Live view of a session: reloads the progress table every few seconds, without reloading the page.
(function () {
  var box = document.getElementById('live');
  if (!box) return;
  var source = box.getAttribute('data-source');
  function refresh() {
    fetch(source, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html').getElementById('live-table');
        var current = document.getElementById('live-table');
        if (next && current && next.innerHTML !== current.innerHTML) current.innerHTML = next.innerHTML;
      })
      .catch(function () {})
      .then(function () { setTimeout(refresh, 2000); });
  }
  setTimeout(refresh, 2000);
})();
