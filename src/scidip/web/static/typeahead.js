// The header's type-ahead (htmx fetches the suggestions): arrow keys move between them, Escape
// closes them. A static file, no inline script, for a strict Content-Security-Policy.
document.addEventListener("keydown", function (event) {
  var box = document.getElementById("search-suggestions");
  var input = document.getElementById("header-search");
  if (!box || !input) return;
  var links = Array.prototype.slice.call(box.querySelectorAll("a"));
  var at = links.indexOf(document.activeElement);
  if (event.key === "Escape" && (document.activeElement === input || at >= 0)) {
    box.innerHTML = "";
    input.focus();
  } else if (event.key === "ArrowDown" && links.length && (document.activeElement === input || at >= 0)) {
    event.preventDefault();
    links[Math.min(at + 1, links.length - 1)].focus();
  } else if (event.key === "ArrowUp" && at >= 0) {
    event.preventDefault();
    if (at === 0) input.focus(); else links[at - 1].focus();
  }
});
document.addEventListener("click", function (event) {
  var box = document.getElementById("search-suggestions");
  if (box && !box.contains(event.target) && event.target.id !== "header-search") box.innerHTML = "";
});
