// The SPARQL query page: runs the query with fetch and shows SELECT answers as a table.
// Everything from the answer is inserted as text (textContent), never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  var query = document.getElementById("query");
  var format = document.getElementById("format");
  var status = document.getElementById("status");
  var results = document.getElementById("results");

  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      query.value = button.getAttribute("data-query");
      query.focus();
    });
  });

  function cell(tag, text) {
    var element = document.createElement(tag);
    element.textContent = text;
    return element;
  }

  function termText(term) {
    if (!term) return "";
    if (term.type === "literal") {
      if (term["xml:lang"]) return term.value + " @" + term["xml:lang"];
      return term.value;
    }
    if (term.type === "bnode") return "_:" + term.value;
    return term.value;
  }

  function termCell(term) {
    var td = document.createElement("td");
    if (term && term.type === "uri" && /^https?:\/\//.test(term.value)) {
      var a = document.createElement("a");
      a.href = term.value;
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = termText(term);
    }
    return td;
  }

  function showTable(json) {
    results.textContent = "";
    if (typeof json.boolean === "boolean") {
      results.appendChild(cell("p", json.boolean ? "true" : "false"));
      return;
    }
    var vars = json.head.vars;
    var table = document.createElement("table");
    var head = document.createElement("tr");
    vars.forEach(function (v) { head.appendChild(cell("th", "?" + v)); });
    var thead = document.createElement("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = document.createElement("tbody");
    json.results.bindings.forEach(function (binding) {
      var row = document.createElement("tr");
      vars.forEach(function (v) { row.appendChild(termCell(binding[v])); });
      tbody.appendChild(row);
    });
    table.appendChild(tbody);
    results.appendChild(table);
    status.textContent = json.results.bindings.length + " " + status.dataset.rows;
  }

  form.addEventListener("submit", function (event) {
    if (format.value !== "json" && format.value !== "turtle") return; // let the browser download it
    event.preventDefault();
    status.textContent = status.dataset.running;
    results.textContent = "";
    var body = new URLSearchParams();
    body.set("query", query.value);
    var accept = format.value === "json"
      ? "application/sparql-results+json"
      : "text/turtle, application/sparql-results+json;q=0.9";
    fetch("/sparql", { method: "POST", headers: { "Accept": accept, "Content-Type": "application/x-www-form-urlencoded" }, body: body })
      .then(function (response) {
        var truncated = response.headers.get("danhmuc-result-truncated");
        return response.text().then(function (text) { return { response: response, text: text, truncated: truncated }; });
      })
      .then(function (r) {
        if (!r.response.ok) {
          status.textContent = status.dataset.error + " " + r.response.status;
          results.appendChild(cell("pre", r.text));
          return;
        }
        var type = r.response.headers.get("content-type") || "";
        if (type.indexOf("sparql-results+json") >= 0) {
          showTable(JSON.parse(r.text));
        } else {
          status.textContent = "";
          results.appendChild(cell("pre", r.text));
        }
        if (r.truncated) status.textContent += " — " + status.dataset.truncated + " " + r.truncated;
      })
      .catch(function (error) { status.textContent = status.dataset.error + ": " + error; });
  });
})();
