// The body pain map (templates/intake/_pain_map_input.html): a tap on a region ticks the
// checkbox of the chosen sensation for it (a second tap unticks it), and the drawing shows
// what is ticked. The checkboxes are the form: without this script they work alone.
(function () {
  "use strict";
  document.querySelectorAll("[data-pain-map]").forEach(function (map) {
    var tools = map.querySelector("[data-pain-map-tools]");
    if (tools) tools.hidden = false;
    var order = ["pain", "numbness", "tingling"];
    function box(region, sensation) {
      return map.querySelector('input[data-mark="' + region + ":" + sensation + '"]');
    }
    function paint() {
      map.querySelectorAll("path[data-region]").forEach(function (path) {
        var region = path.getAttribute("data-region");
        order.forEach(function (s) { path.classList.remove("pm-" + s); });
        for (var i = 0; i < order.length; i++) {
          var b = box(region, order[i]);
          if (b && b.checked) { path.classList.add("pm-" + order[i]); break; }
        }
      });
    }
    map.querySelectorAll("path[data-region]").forEach(function (path) {
      path.addEventListener("click", function () {
        var chosen = map.querySelector('input[name="pain_map_tool"]:checked');
        var b = box(path.getAttribute("data-region"), chosen ? chosen.value : "pain");
        if (!b) return;
        b.checked = !b.checked;
        paint();
      });
    });
    map.addEventListener("change", paint);
    paint();
  });
})();
