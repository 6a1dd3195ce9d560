/* Famigo site script: the search box's autocomplete. No libraries and no
   requests to other sites; without JavaScript the search form still works. */
(function () {
  "use strict";

  var input = document.querySelector("input[data-autocomplete]");
  if (!input) return;
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var endpoint = input.getAttribute("data-autocomplete");
  var timer = null;
  var latest = 0;
  var active = -1;

  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var items = list.querySelectorAll("li");
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    // Screen readers announce the highlighted option while focus stays in the box.
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  function show(apps) {
    list.textContent = "";
    apps.forEach(function (app, i) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = "suggestion-" + i;
      var link = document.createElement("a");
      link.href = app.url;
      var icon = document.createElement("img");
      icon.src = app.icon;
      icon.alt = "";
      icon.width = 24;
      icon.height = 24;
      var name = document.createElement("span");
      name.className = "suggestion-name";
      name.textContent = app.name;
      var meta = document.createElement("span");
      meta.className = "suggestion-meta";
      meta.textContent = app.platform === "ios" ? "iPhone & iPad" : "Android";
      link.appendChild(icon);
      link.appendChild(name);
      link.appendChild(meta);
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = apps.length === 0;
    input.setAttribute("aria-expanded", apps.length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function lookup() {
    var term = input.value.trim();
    if (!term) return close();
    var ticket = ++latest;
    fetch(endpoint + "?term=" + encodeURIComponent(term), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (apps) { if (ticket === latest) show(apps); })
      .catch(function () { if (ticket === latest) close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      list.querySelectorAll("li a")[active].click();
    } else if (event.key === "Escape") {
      close();
    }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) close();
  });
})();
