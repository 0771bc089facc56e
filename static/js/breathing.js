// Breathing pacer: reads the in/hold/out/hold seconds from the form's number inputs,
// exposes them as CSS custom properties on the pacer, and steps through the phases.
// The circle's growth and shrinking is a CSS transition timed by --phase-seconds.
// Without this script the page shows a fixed 4-4-4-4 CSS animation and the form still works.
(function () {
  "use strict";

  var root = document.querySelector("[data-breathing]");
  if (!root) {
    return;
  }
  var pacer = root.querySelector("[data-pacer]");
  var label = root.querySelector("[data-phase-label]");
  var count = root.querySelector("[data-phase-count]");
  var toggle = root.querySelector("[data-pacer-toggle]");
  var PHASES = [
    { name: "inhale", label: "Breathe in" },
    { name: "hold", label: "Hold" },
    { name: "exhale", label: "Breathe out" },
    { name: "hold_after", label: "Hold" },
  ];
  var running = false;
  var timer = null;
  var phaseIndex = 0;
  var remaining = 0;

  function input(name) {
    return document.querySelector('[data-timing="' + name + '"]');
  }

  function seconds(name) {
    var field = input(name);
    if (!field) {
      return 4;
    }
    var value = parseInt(field.value, 10);
    var min = parseInt(field.min, 10);
    var max = parseInt(field.max, 10);
    if (isNaN(value)) {
      value = isNaN(min) ? 0 : min;
    }
    if (!isNaN(min)) {
      value = Math.max(min, value);
    }
    if (!isNaN(max)) {
      value = Math.min(max, value);
    }
    return value;
  }

  function applyTimings() {
    PHASES.forEach(function (phase) {
      pacer.style.setProperty("--" + phase.name.replace("_", "-") + "-seconds", seconds(phase.name) + "s");
    });
  }

  function show(phase, left) {
    pacer.dataset.phase = phase.name;
    label.textContent = phase.label;
    count.textContent = String(left);
  }

  function enterPhase(index) {
    // Skip phases set to 0 seconds (a hold is optional); inhale and exhale are at least 1.
    for (var tries = 0; tries < PHASES.length; tries += 1) {
      var phase = PHASES[index % PHASES.length];
      var length = seconds(phase.name);
      if (length > 0) {
        phaseIndex = index % PHASES.length;
        remaining = length;
        pacer.style.setProperty("--phase-seconds", length + "s");
        show(phase, remaining);
        return;
      }
      index += 1;
    }
  }

  function tick() {
    remaining -= 1;
    if (remaining <= 0) {
      enterPhase(phaseIndex + 1);
    } else {
      count.textContent = String(remaining);
    }
  }

  function start() {
    running = true;
    toggle.textContent = "Pause";
    toggle.setAttribute("aria-pressed", "true");
    enterPhase(0);
    window.clearInterval(timer);
    timer = window.setInterval(tick, 1000);
  }

  function stop() {
    running = false;
    window.clearInterval(timer);
    toggle.textContent = "Start";
    toggle.setAttribute("aria-pressed", "false");
    pacer.dataset.phase = "idle";
    label.textContent = "Paused. Press Start when you are ready.";
    count.textContent = "";
  }

  PHASES.forEach(function (phase) {
    var field = input(phase.name);
    if (field) {
      field.addEventListener("input", function () {
        applyTimings();
        if (running) {
          start(); // begin the cycle again at the new pace
        }
      });
    }
  });
  toggle.addEventListener("click", function () {
    if (running) {
      stop();
    } else {
      start();
    }
  });

  var range = document.querySelector('input[type="range"]');
  var output = document.querySelector("[data-range-output]");
  if (range && output) {
    range.addEventListener("input", function () {
      output.textContent = range.value;
    });
  }

  pacer.classList.add("is-paced");
  toggle.hidden = false;
  applyTimings();
  label.textContent = "Press Start, then follow the circle.";
})();
