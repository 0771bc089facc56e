// Doodle pad: pointer strokes on a <canvas>, kept as [[[x, y], ...], ...] in canvas pixels
// (rounded integers) in a hidden input, within the server's limits on strokes and points.
(function () {
  "use strict";

  var root = document.querySelector("[data-doodle]");
  if (!root) {
    return;
  }
  var canvas = root.querySelector("[data-doodle-canvas]");
  var clearButton = root.querySelector("[data-doodle-clear]");
  var status = root.querySelector("[data-doodle-status]");
  var strokesInput = document.querySelector("[data-doodle-strokes]");
  var widthInput = document.querySelector("[data-doodle-width]");
  var heightInput = document.querySelector("[data-doodle-height]");
  var maxStrokes = parseInt(root.dataset.maxStrokes, 10) || 300;
  var maxPoints = parseInt(root.dataset.maxPoints, 10) || 20000;
  var context = canvas.getContext("2d");
  var strokes = [];
  var current = null;
  var points = 0;

  function setStatus(text) {
    status.textContent = text;
  }

  function save() {
    strokesInput.value = strokes.length ? JSON.stringify(strokes) : "";
    widthInput.value = String(canvas.width);
    heightInput.value = String(canvas.height);
  }

  function position(event) {
    var box = canvas.getBoundingClientRect();
    var x = Math.round(((event.clientX - box.left) * canvas.width) / box.width);
    var y = Math.round(((event.clientY - box.top) * canvas.height) / box.height);
    return [Math.max(0, Math.min(canvas.width, x)), Math.max(0, Math.min(canvas.height, y))];
  }

  function full() {
    return strokes.length >= maxStrokes || points >= maxPoints;
  }

  function addPoint(point) {
    var last = current[current.length - 1];
    if (last && last[0] === point[0] && last[1] === point[1]) {
      return;
    }
    if (points >= maxPoints) {
      return;
    }
    current.push(point);
    points += 1;
    context.beginPath();
    if (last) {
      context.moveTo(last[0], last[1]);
      context.lineTo(point[0], point[1]);
    } else {
      context.arc(point[0], point[1], context.lineWidth / 2, 0, 2 * Math.PI);
    }
    context.stroke();
  }

  function begin(event) {
    if (full()) {
      setStatus("The pad is full. Save your doodle, or clear it to start again.");
      return;
    }
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    current = [];
    strokes.push(current);
    addPoint(position(event));
  }

  function move(event) {
    if (current) {
      event.preventDefault();
      addPoint(position(event));
    }
  }

  function end() {
    if (current) {
      current = null;
      save();
      setStatus(strokes.length + (strokes.length === 1 ? " stroke" : " strokes") + " drawn.");
    }
  }

  function clear() {
    strokes = [];
    current = null;
    points = 0;
    context.clearRect(0, 0, canvas.width, canvas.height);
    save();
    setStatus("Cleared. Draw whatever comes to mind.");
  }

  function restore() {
    // After a refused submit the page comes back with the strokes sent: draw them again.
    var saved;
    try {
      saved = JSON.parse(strokesInput.value || "[]");
    } catch (error) {
      saved = [];
    }
    if (!Array.isArray(saved)) {
      return;
    }
    saved.slice(0, maxStrokes).forEach(function (stroke) {
      if (!Array.isArray(stroke)) {
        return;
      }
      current = [];
      strokes.push(current);
      stroke.forEach(function (point) {
        if (Array.isArray(point) && point.length === 2) {
          addPoint([Math.round(Number(point[0])) || 0, Math.round(Number(point[1])) || 0]);
        }
      });
    });
    current = null;
  }

  context.lineWidth = 4;
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = "#2f6f5e";
  canvas.addEventListener("pointerdown", begin);
  canvas.addEventListener("pointermove", move);
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  clearButton.addEventListener("click", clear);
  clearButton.hidden = false;
  canvas.classList.add("is-ready");
  restore();
  save();
  setStatus("Draw with your mouse, finger or pen. Nothing is judged.");
})();
