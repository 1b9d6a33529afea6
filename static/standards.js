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

// The hierarchy below the second level: a <details data-children="…/concept.json"> asks for its
// narrower concepts the first time it is opened and lists them, each one expandable the same way.
// Without JavaScript the <details> shows a link to the concept's page, which lists them.
(function () {
  function line(c) {
    var span = document.createElement('span');
    var a = document.createElement(c.href ? 'a' : 'span');
    if (c.href) a.href = c.href;
    a.textContent = c.label;
    span.appendChild(a);
    if (c.notation) {
      var code = document.createElement('code');
      code.textContent = c.notation;
      span.append(' ', code);
    }
    if (c.children) span.append(' (' + c.children + ')');
    return span;
  }
  function attach(details) {
    details.addEventListener('toggle', function () {
      if (!details.open || details.dataset.loaded) return;
      details.dataset.loaded = '1';
      fetch(details.dataset.children, { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          var query = details.dataset.children.split('?')[1] || '';
          var list = document.createElement('ul');
          data.narrower.forEach(function (c) {
            var li = document.createElement('li');
            if (c.children && c.href) {
              var inner = document.createElement('details');
              inner.dataset.children = c.href + '.json' + (query ? '?' + query : '');
              var summary = document.createElement('summary');
              summary.appendChild(line(c));
              inner.appendChild(summary);
              li.appendChild(inner);
              attach(inner);
            } else {
              li.appendChild(line(c));
            }
            list.appendChild(li);
          });
          if (data.more) {
            var more = document.createElement('li');
            more.textContent = '… ' + data.more;
            list.appendChild(more);
          }
          var fallback = details.querySelector(':scope > ul');
          if (fallback) fallback.replaceWith(list); else details.appendChild(list);
        });
    });
  }
  document.querySelectorAll('details[data-children]').forEach(attach);
})();
