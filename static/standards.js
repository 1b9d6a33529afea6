// Autocomplete on the scheme page: asks /def/{scheme}/search and shows the hits (textContent only).
(function () {
  var input = document.getElementById('q');
  var list = document.getElementById('suggestions');
  if (!input || !list) return;
  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      list.replaceChildren();
      if (!q) return;
      var url = '/def/' + encodeURIComponent(input.dataset.scheme) + '/search?limit=10&q=' + encodeURIComponent(q);
      fetch(url, { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren();
          data.results.forEach(function (hit) {
            var li = document.createElement('li');
            var a = document.createElement(hit.href ? 'a' : 'span');
            if (hit.href) a.href = hit.href;
            a.textContent = hit.prefLabel + (hit.notation ? ' (' + hit.notation + ')' : '');
            li.appendChild(a);
            if (hit.matched && hit.matched !== hit.prefLabel) {
              var small = document.createElement('small');
              small.textContent = ' — ' + hit.matched;
              li.appendChild(small);
            }
            list.appendChild(li);
          });
        });
    }, 120);
  });
})();
