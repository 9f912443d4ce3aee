/* Run sheet timer for the treatment room (sessions app).
 *
 * The timer is kept on the server (sessions/visits/run_sheet_clock.py): the page is drawn
 * with it where it stands, and every button is a real form posting to the run sheet's clock
 * URL, so without this file the page is a plain list whose buttons still work. With it, the
 * buttons post in the background (the server answers with the timer as JSON), the time
 * counts down in the page, the current item follows when one runs out, a chime marks each
 * change (Web Audio, made here: no sound file), and the screen is kept awake while the
 * timer runs (Screen Wake Lock, where the browser has it).
 *
 * The countdown is worked out from the server's running time plus the time since the page
 * heard from the server (performance.now()), never from the device's wall clock, so two
 * devices with different clocks show the same time and a throttled background tab does not
 * drift. The arithmetic is the same as run_sheet_clock.py's `clock_read`.
 *
 * Markup: [data-runsheet] carries the timer (data-clock-*), the clock URL and the CSRF token,
 * and holds [data-runsheet-item][data-seconds] rows, each with a [data-runsheet-countdown];
 * the sticky bar [data-runsheet-bar] shows the current item's name and time and the
 * session's time left; [data-runsheet-form] forms are the buttons.
 */
(function () {
  "use strict";

  var MUTE_KEY = "sciatica-clinic.runsheet.muted";
  var NETWORK_ERROR = "The server did not answer: the timer was not changed. Check the connection and try again.";

  function format(ms) {
    var whole = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(whole / 60);
    var rest = whole % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function storedMute() {
    try {
      return window.localStorage.getItem(MUTE_KEY) === "1";
    } catch (error) {
      return false;
    }
  }

  function storeMute(muted) {
    try {
      window.localStorage.setItem(MUTE_KEY, muted ? "1" : "0");
    } catch (error) {
      /* private mode: the choice lasts for this page only */
    }
  }

  function RunSheet(root) {
    this.root = root;
    this.items = Array.prototype.slice.call(root.querySelectorAll("[data-runsheet-item]"));
    this.durations = this.items.map(function (item) {
      return (parseInt(item.getAttribute("data-seconds"), 10) || 0) * 1000;
    });
    this.url = root.getAttribute("data-clock-url");
    this.csrf = root.getAttribute("data-csrf");
    this.bar = {
      label: root.querySelector(".runsheet-bar-label"),
      name: root.querySelector("[data-runsheet-bar-name]"),
      item: root.querySelector("[data-runsheet-bar-item]"),
      total: root.querySelector("[data-runsheet-total]")
    };
    this.status = root.querySelector("[data-runsheet-status]");
    this.error = root.querySelector("[data-runsheet-error]");
    this.startButton = root.querySelector("[data-runsheet-start]");
    this.toggleAction = root.querySelector("[data-runsheet-toggle-action]");
    this.nextButton = root.querySelector("[data-runsheet-next]");
    this.nextItem = root.querySelector("[data-runsheet-next-item]");
    this.resetBox = root.querySelector("[data-runsheet-reset]");
    this.muteButton = root.querySelector("[data-runsheet-mute]");
    this.muted = storedMute();
    this.audio = null;
    this.wakeLock = null;
    this.timer = null;
    this.pending = 0;
    this.queue = Promise.resolve();
    this.confirm({
      started: root.getAttribute("data-clock-started") === "1",
      running: root.getAttribute("data-clock-running") === "1",
      elapsed_ms: parseInt(root.getAttribute("data-clock-elapsed-ms"), 10) || 0,
      item: parseInt(root.getAttribute("data-clock-item"), 10) || 0,
      item_began_ms: parseInt(root.getAttribute("data-clock-item-began-ms"), 10) || 0
    });
    this.shown = this.reading().item;
    this.bind();
    this.render();
    if (this.state.started) {
      this.scrollToCurrent(false);
    }
  }

  /* A timer state (the server's, or one predicted from a press), as of `at` (performance.now()
   * when it was true; now if not given). */
  RunSheet.prototype.adopt = function (state, at) {
    this.state = {
      started: Boolean(state.started),
      running: Boolean(state.running),
      elapsed: state.elapsed_ms,
      item: state.item,
      itemBegan: state.item_began_ms,
      at: at === undefined ? window.performance.now() : at
    };
    this.schedule();
  };

  /* The server's word on the timer: kept, to go back to if a press cannot reach it. */
  RunSheet.prototype.confirm = function (state) {
    this.confirmed = { state: state, at: window.performance.now() };
    this.adopt(state, this.confirmed.at);
  };

  RunSheet.prototype.elapsed = function () {
    var extra = this.state.running ? window.performance.now() - this.state.at : 0;
    return this.state.elapsed + extra;
  };

  /* Which item is current and how much time is left: run_sheet_clock.py's clock_read. */
  RunSheet.prototype.reading = function () {
    var elapsed = this.elapsed();
    var item = Math.min(this.state.item, this.items.length);
    var began = this.state.itemBegan;
    if (this.state.started) {
      while (item < this.items.length && elapsed - began >= this.durations[item]) {
        began += this.durations[item];
        item += 1;
      }
    }
    var itemLeft = 0;
    var totalLeft = 0;
    if (item < this.items.length) {
      itemLeft = this.state.started ? this.durations[item] - (elapsed - began) : this.durations[item];
      totalLeft = itemLeft;
      for (var i = item + 1; i < this.items.length; i += 1) {
        totalLeft += this.durations[i];
      }
    }
    return { item: item, began: began, elapsed: elapsed, itemLeft: itemLeft, totalLeft: totalLeft,
      finished: item >= this.items.length };
  };

  /* What the server will do with an action, done at once here (clock_act); its answer wins. */
  RunSheet.prototype.predict = function (action, item) {
    var now = this.reading();
    var state = {
      started: this.state.started, running: this.state.running, elapsed_ms: now.elapsed,
      item: this.state.started ? now.item : this.state.item,
      item_began_ms: this.state.started ? now.began : this.state.itemBegan
    };
    if (action === "reset") {
      state = { started: false, running: false, elapsed_ms: 0, item: 0, item_began_ms: 0 };
    } else if (action === "start") {
      state.running = true;
      if (!state.started) {
        state.started = true;
        state.elapsed_ms = 0;
        state.item_began_ms = 0;
      }
    } else if (action === "pause") {
      state.running = false;
    } else if (action === "go" && item !== state.item) {
      state.item = item;
      state.item_began_ms = state.started ? now.elapsed : 0;
    }
    return state;
  };

  RunSheet.prototype.bind = function () {
    var self = this;
    Array.prototype.forEach.call(this.root.querySelectorAll("[data-runsheet-form]"), function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        self.send(form);
      });
    });
    this.items.forEach(function (item) {
      item.addEventListener("click", function (event) {
        if (self.state.running || event.target.closest("a, button, form, summary")) {
          return;
        }
        var go = item.querySelector(".runsheet-go");
        if (go) {
          self.send(go);
        }
      });
    });
    var cancel = this.root.querySelector("[data-runsheet-reset-cancel]");
    if (cancel) {
      cancel.hidden = false;
      cancel.addEventListener("click", function () {
        self.resetBox.open = false;
      });
    }
    if (this.muteButton && (window.AudioContext || window.webkitAudioContext)) {
      this.muteButton.hidden = false;
      this.muteButton.addEventListener("click", function () {
        self.muted = !self.muted;
        storeMute(self.muted);
        self.renderMute();
        if (!self.muted) {
          self.chime([880]);
        }
      });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        self.render();
        self.holdScreen();
      }
    });
    window.addEventListener("pageshow", function () {
      self.render();
    });
  };

  /* A press: shown at once (predicted), then sent. Presses go to the server one after the
   * other, in order, so a quick Start, Next, Next, Pause arrives as pressed; the server's
   * answer to the last one is what the page then shows. */
  RunSheet.prototype.send = function (form) {
    var self = this;
    var data = new URLSearchParams(new FormData(form));
    var action = data.get("action");
    if (form.contains(this.startButton)) {
      action = this.state.running ? "pause" : "start";
      data.set("action", action);
    }
    if (form.contains(this.nextButton)) {
      data.set("item", String(this.reading().item + 2));
    }
    this.unlockAudio();
    this.adopt(this.predict(action, parseInt(data.get("item"), 10) - 1));
    this.showError("");
    if (action === "reset" && this.resetBox) {
      this.resetBox.open = false;
    }
    this.render();
    this.pending += 1;
    this.queue = this.queue.then(function () {
      return self.post(data);
    });
  };

  RunSheet.prototype.post = function (data) {
    var self = this;
    return window.fetch(this.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": this.csrf }
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, body: body };
      });
    }).then(function (answer) {
      self.pending -= 1;
      if (answer.ok) {
        self.confirmed = { state: answer.body, at: window.performance.now() };
      } else {
        self.showError(answer.body.error);
        if (answer.body.clock) {
          self.confirmed = { state: answer.body.clock, at: window.performance.now() };
        }
      }
      if (self.pending === 0 || !answer.ok) {
        self.adopt(self.confirmed.state, self.confirmed.at);
      }
      self.render();
    }).catch(function () {
      self.pending -= 1;
      self.showError(NETWORK_ERROR);
      self.adopt(self.confirmed.state, self.confirmed.at);
      self.render();
    });
  };

  RunSheet.prototype.showError = function (text) {
    if (this.error) {
      this.error.textContent = text;
      this.error.hidden = !text;
    }
  };

  RunSheet.prototype.schedule = function () {
    var self = this;
    if (this.state.running && !this.timer) {
      this.timer = window.setInterval(function () {
        self.render();
      }, 250);
    } else if (!this.state.running && this.timer) {
      window.clearInterval(this.timer);
      this.timer = null;
    }
    if (this.state.running) {
      this.holdScreen();
    } else {
      this.releaseScreen();
    }
  };

  RunSheet.prototype.render = function () {
    var now = this.reading();
    for (var i = 0; i < this.items.length; i += 1) {
      var item = this.items[i];
      var current = i === now.item;
      item.classList.toggle("runsheet-item-current", current);
      item.classList.toggle("runsheet-item-done", i < now.item);
      if (current) {
        item.id = "runsheet-current";
        item.setAttribute("aria-current", "step");
      } else {
        if (item.id === "runsheet-current") {
          item.removeAttribute("id");
        }
        item.removeAttribute("aria-current");
      }
      var left = i < now.item ? 0 : current ? now.itemLeft : this.durations[i];
      var countdown = item.querySelector("[data-runsheet-countdown]");
      if (countdown) {
        countdown.textContent = format(left);
      }
    }
    this.renderBar(now);
    if (now.item !== this.shown) {
      this.shown = now.item;
      this.changed(now);
    }
    if (now.finished && this.state.running) {
      this.releaseScreen();
    }
  };

  RunSheet.prototype.renderBar = function (now) {
    var running = this.state.running && !now.finished;
    var name = this.items[now.item] && this.items[now.item].querySelector("[data-runsheet-name]");
    if (this.bar.label) {
      this.bar.label.textContent = now.finished ? "Session" : running ? "Now" : this.state.started ? "Paused" : "First";
    }
    if (this.bar.name) {
      this.bar.name.textContent = now.finished ? "Time is up" : name ? name.textContent.trim() : "";
    }
    if (this.bar.item) {
      this.bar.item.textContent = format(now.itemLeft);
    }
    if (this.bar.total) {
      this.bar.total.textContent = format(now.totalLeft);
    }
    if (this.startButton) {
      this.startButton.textContent = now.finished ? "Finished" : this.state.running ? "Pause" : this.state.started ? "Resume" : "Start";
      this.startButton.disabled = now.finished;
      this.startButton.classList.toggle("btn-warning", this.state.running);
      this.startButton.classList.toggle("btn-success", !this.state.running);
      this.toggleAction.value = this.state.running ? "pause" : "start";
    }
    if (this.nextButton) {
      this.nextButton.disabled = now.finished;
      this.nextItem.value = String(now.item + 2);
    }
    this.root.classList.toggle("runsheet-running", running);
    this.renderMute();
  };

  RunSheet.prototype.renderMute = function () {
    if (this.muteButton) {
      this.muteButton.setAttribute("aria-pressed", this.muted ? "true" : "false");
      this.muteButton.classList.toggle("active", this.muted);
    }
  };

  /* The current item changed (ran out, Next, an item chosen, reset). */
  RunSheet.prototype.changed = function (now) {
    if (this.status) {
      var name = this.items[now.item] && this.items[now.item].querySelector("[data-runsheet-name]");
      this.status.textContent = now.finished ? "Session time is up." :
        "Now: " + (name ? name.textContent.trim() : "item " + (now.item + 1)) + ", " + format(now.itemLeft) + ".";
    }
    if (this.state.started) {
      this.chime(now.finished ? [660, 880, 1320] : [880, 1320]);
    }
    this.scrollToCurrent(true);
  };

  RunSheet.prototype.scrollToCurrent = function (animate) {
    var current = this.root.querySelector("#runsheet-current");
    if (!current) {
      return;
    }
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    current.scrollIntoView({ block: "center", behavior: animate && !still ? "smooth" : "auto" });
  };

  /* Browsers start audio only after a tap: make the context on the first button press. */
  RunSheet.prototype.unlockAudio = function () {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) {
      return;
    }
    if (!this.audio) {
      try {
        this.audio = new Context();
      } catch (error) {
        this.audio = null;
        return;
      }
    }
    if (this.audio.state === "suspended") {
      this.audio.resume().catch(function () {});
    }
  };

  /* A soft bell: one sine tone per frequency, each fading out, a little apart. */
  RunSheet.prototype.chime = function (frequencies) {
    if (this.muted) {
      return;
    }
    this.unlockAudio();
    var audio = this.audio;
    if (!audio) {
      return;
    }
    var start = audio.currentTime + 0.05;
    frequencies.forEach(function (frequency, index) {
      var at = start + index * 0.28;
      var tone = audio.createOscillator();
      var volume = audio.createGain();
      tone.type = "sine";
      tone.frequency.setValueAtTime(frequency, at);
      volume.gain.setValueAtTime(0.0001, at);
      volume.gain.exponentialRampToValueAtTime(0.35, at + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.9);
      tone.connect(volume);
      volume.connect(audio.destination);
      tone.start(at);
      tone.stop(at + 0.95);
    });
  };

  /* Keep the screen on while the timer runs; the browser drops the lock when the page is
   * hidden, so it is asked for again on coming back. Absent or refused: nothing happens. */
  RunSheet.prototype.holdScreen = function () {
    var self = this;
    if (!navigator.wakeLock || this.wakeLock || this.askingLock || !this.state.running ||
        document.visibilityState !== "visible" || this.reading().finished) {
      return;
    }
    this.askingLock = true;
    navigator.wakeLock.request("screen").then(function (lock) {
      self.askingLock = false;
      if (!self.state.running) {
        lock.release().catch(function () {});
        return;
      }
      self.wakeLock = lock;
      lock.addEventListener("release", function () {
        self.wakeLock = null;
      });
    }).catch(function () {
      self.askingLock = false;
    });
  };

  RunSheet.prototype.releaseScreen = function () {
    if (this.wakeLock) {
      var lock = this.wakeLock;
      this.wakeLock = null;
      lock.release().catch(function () {});
    }
  };

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-runsheet]"), function (root) {
      root.runSheet = new RunSheet(root);
    });
  });
})();
