/* Run sheet countdown for the treatment room (sessions app).
 *
 * The page works without this file: it lists every item with its clock minutes and the total.
 * With it, each item counts down in turn: Start runs the current item, the next one follows
 * when it reaches zero, Pause holds the clock, Next skips ahead, and clicking an item makes it
 * the current one. Time is measured from Date.now(), so a throttled background tab does not
 * drift.
 *
 * Markup: [data-runsheet] holds [data-runsheet-item][data-seconds] rows, each with a
 * [data-runsheet-countdown]; [data-runsheet-total] shows the time left in the session;
 * [data-runsheet-controls] (hidden until this script runs) holds the buttons
 * [data-runsheet-start], [data-runsheet-next] and [data-runsheet-reset];
 * [data-runsheet-status] announces the current item to screen readers.
 */
(function () {
  "use strict";

  function format(seconds) {
    var whole = Math.max(0, Math.ceil(seconds));
    var minutes = Math.floor(whole / 60);
    var rest = whole % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function RunSheet(root) {
    this.root = root;
    this.items = Array.prototype.slice.call(root.querySelectorAll("[data-runsheet-item]"));
    this.durations = this.items.map(function (item) {
      return parseInt(item.getAttribute("data-seconds"), 10) || 0;
    });
    this.total = root.querySelector("[data-runsheet-total]");
    this.status = root.querySelector("[data-runsheet-status]");
    this.startButton = root.querySelector("[data-runsheet-start]");
    this.timer = null;
    this.reset();
    this.bind();
    var controls = root.querySelector("[data-runsheet-controls]");
    if (controls) {
      controls.hidden = false;
    }
  }

  RunSheet.prototype.bind = function () {
    var self = this;
    this.startButton.addEventListener("click", function () {
      if (self.timer) {
        self.pause();
      } else {
        self.start();
      }
    });
    this.root.querySelector("[data-runsheet-next]").addEventListener("click", function () {
      self.select(self.current + 1);
    });
    this.root.querySelector("[data-runsheet-reset]").addEventListener("click", function () {
      self.pause();
      self.reset();
    });
    this.items.forEach(function (item, index) {
      item.addEventListener("click", function (event) {
        if (event.target.closest("a, button")) {
          return;
        }
        self.select(index);
      });
    });
  };

  RunSheet.prototype.reset = function () {
    this.remaining = this.durations.slice();
    this.current = 0;
    this.render();
  };

  RunSheet.prototype.start = function () {
    if (this.current >= this.items.length) {
      return;
    }
    this.lastTick = Date.now();
    var self = this;
    this.timer = window.setInterval(function () {
      self.tick();
    }, 250);
    this.render();
    this.announce();
  };

  RunSheet.prototype.pause = function () {
    if (this.timer) {
      window.clearInterval(this.timer);
      this.timer = null;
    }
    this.render();
  };

  RunSheet.prototype.tick = function () {
    var now = Date.now();
    var elapsed = (now - this.lastTick) / 1000;
    this.lastTick = now;
    while (elapsed > 0 && this.current < this.items.length) {
      var used = Math.min(elapsed, this.remaining[this.current]);
      this.remaining[this.current] -= used;
      elapsed -= used;
      if (this.remaining[this.current] <= 0) {
        this.remaining[this.current] = 0;
        this.current += 1;
        this.announce();
      }
    }
    if (this.current >= this.items.length) {
      this.pause();
    }
    this.render();
  };

  RunSheet.prototype.select = function (index) {
    if (index < 0 || index > this.items.length) {
      return;
    }
    for (var i = 0; i < this.items.length; i += 1) {
      if (i < index) {
        this.remaining[i] = 0;
      } else if (i > index || this.remaining[i] === 0) {
        this.remaining[i] = this.durations[i];
      }
    }
    this.current = index;
    this.lastTick = Date.now();
    this.render();
    this.announce();
  };

  RunSheet.prototype.render = function () {
    var left = 0;
    for (var i = 0; i < this.items.length; i += 1) {
      var item = this.items[i];
      left += this.remaining[i];
      item.classList.toggle("runsheet-item-current", i === this.current);
      item.classList.toggle("runsheet-item-done", i < this.current);
      var countdown = item.querySelector("[data-runsheet-countdown]");
      if (countdown) {
        countdown.textContent = format(this.remaining[i]);
      }
    }
    if (this.total) {
      this.total.textContent = format(left);
    }
    var finished = this.current >= this.items.length;
    this.startButton.textContent = this.timer ? "Pause" : finished ? "Finished" : "Start";
    this.startButton.disabled = finished;
    this.root.classList.toggle("runsheet-running", Boolean(this.timer));
  };

  RunSheet.prototype.announce = function () {
    if (!this.status) {
      return;
    }
    if (this.current >= this.items.length) {
      this.status.textContent = "Session time is up.";
      return;
    }
    var name = this.items[this.current].querySelector("[data-runsheet-name]");
    this.status.textContent =
      "Now: " + (name ? name.textContent.trim() : "item " + (this.current + 1)) +
      ", " + format(this.remaining[this.current]) + ".";
  };

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-runsheet]"), function (root) {
      root.runSheet = new RunSheet(root);
    });
  });
})();
