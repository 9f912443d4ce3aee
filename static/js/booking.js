/* The booking form's free times (sessions app).
 *
 * The page works without this file: the free times are links that reload the page with the
 * time filled in, and a small GET form picks the day and length. With it, picking a time fills
 * the booking form's date, time and length in place (what was typed in the note stays), and
 * changing the booking form's date or length refreshes the list of free times from the server
 * (the list's own day-and-length form is then hidden: one date field on the page).
 *
 * Markup: #free-times holds links with data-free-day, data-free-at and data-free-minutes;
 * the booking form has #id_day, #id_at and #id_minutes.
 */
(function () {
  "use strict";

  var dayInput = document.getElementById("id_day");
  var atInput = document.getElementById("id_at");
  var minutesInput = document.getElementById("id_minutes");
  if (!dayInput || !atInput || !minutesInput) {
    return;
  }

  function section() {
    return document.getElementById("free-times");
  }

  function mark(chosen) {
    section().querySelectorAll("[data-free-at]").forEach(function (link) {
      var on = link === chosen;
      link.classList.toggle("btn-primary", on);
      link.classList.toggle("btn-outline-primary", !on);
      if (on) {
        link.setAttribute("aria-current", "true");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("#free-times [data-free-at]");
    if (!link) {
      return;
    }
    event.preventDefault();
    dayInput.value = link.dataset.freeDay;
    atInput.value = link.dataset.freeAt;
    minutesInput.value = link.dataset.freeMinutes;
    mark(link);
    atInput.focus();
  });

  function refresh() {
    if (!dayInput.value || !minutesInput.value) {
      return;
    }
    var url = new URL(window.location.href);
    url.searchParams.set("day", dayInput.value);
    url.searchParams.set("minutes", minutesInput.value);
    url.searchParams.delete("at");
    fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("free-times");
        if (fresh) {
          section().replaceWith(fresh);
          hideDayForm();
        }
      })
      .catch(function () {
        /* The list stays as it was; the GET form still works. */
      });
  }

  // The booking form's own date and length drive the list: its second date field goes.
  function hideDayForm() {
    var form = section().querySelector(".free-times-form");
    if (form) {
      form.hidden = true;
    }
  }

  hideDayForm();
  dayInput.addEventListener("change", refresh);
  minutesInput.addEventListener("change", refresh);
})();
