/* Record a talk in the browser and send it with the form it sits in.
 *
 * Progressive enhancement of a form holding <input type="file" name="audio">: without JavaScript, without
 * getUserMedia or without MediaRecorder the recorder stays hidden and the file input works as before. With them,
 * Record / Stop / Re-record buttons, a mm:ss timer (against the exercise's target when it has one), a level meter
 * (Web Audio AnalyserNode) and playback of the take; the take is put into the file input (DataTransfer), so the
 * normal form post carries it. No inline handlers (the site's CSP allows none).
 */
(function () {
  "use strict";

  var active = null; // one recorder at a time on a page with several forms
  var PREFERRED_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];

  function supported() {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.MediaRecorder &&
      window.DataTransfer);
  }

  function chooseType() {
    if (!MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < PREFERRED_TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(PREFERRED_TYPES[i])) return PREFERRED_TYPES[i];
    }
    return "";
  }

  function extensionFor(type) {
    if (type.indexOf("ogg") !== -1) return "ogg";
    if (type.indexOf("mp4") !== -1 || type.indexOf("aac") !== -1) return "m4a";
    if (type.indexOf("wav") !== -1) return "wav";
    return "webm";
  }

  function clock(seconds) {
    var whole = Math.floor(seconds);
    var minutes = Math.floor(whole / 60);
    var rest = whole % 60;
    return (minutes < 10 ? "0" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function Recorder(root) {
    this.root = root;
    this.form = root.closest("form");
    this.input = this.form ? this.form.querySelector('input[type="file"][name="audio"]') : null;
    this.startButton = root.querySelector("[data-recorder-start]");
    this.stopButton = root.querySelector("[data-recorder-stop]");
    this.resetButton = root.querySelector("[data-recorder-reset]");
    this.time = root.querySelector("[data-recorder-time]");
    this.level = root.querySelector("[data-recorder-level]");
    this.status = root.querySelector("[data-recorder-status]");
    this.playback = root.querySelector("[data-recorder-playback]");
    this.target = parseInt(root.getAttribute("data-target-seconds") || "0", 10) || 0;
    this.targetLabel = root.getAttribute("data-target-label") || "";
    this.minSeconds = parseInt(root.getAttribute("data-min-seconds") || "0", 10) || 0;
    this.maxSeconds = parseInt(root.getAttribute("data-max-seconds") || "300", 10) || 300;
    this.chunks = [];
    this.blob = null;
    this.url = null;
  }

  Recorder.prototype.say = function (text, isError) {
    this.status.textContent = text;
    this.status.classList.toggle("recorder-error", !!isError);
  };

  Recorder.prototype.enable = function () {
    if (!this.input || !this.startButton) return;
    var self = this;
    this.root.hidden = false;
    this.startButton.addEventListener("click", function () { self.start(); });
    this.stopButton.addEventListener("click", function () { self.stop(); });
    this.resetButton.addEventListener("click", function () { self.reset(); self.start(); });
    this.form.addEventListener("submit", function (event) {
      if (self.media && self.media.state === "recording") {
        event.preventDefault(); // the take is not finished: nothing would be sent
        self.say("Press Stop before submitting, so the recording goes with the form.", true);
        self.stopButton.focus();
        return;
      }
      if (self.blob && !self.form.checkValidity()) {
        // The form is novalidate (the server's messages are the no-JavaScript path), but a take is not in any
        // page the server sends back: refuse here, with the browser's own message at the field, and keep it.
        event.preventDefault();
        self.say("Your recording is kept: fill in the marked field, then submit again.", true);
        self.form.reportValidity();
        return;
      }
      self.attach();
    });
    this.input.addEventListener("change", function () {
      // A file chosen by hand replaces the take (putting the take in the input fires no change event).
      if (self.input.files.length && self.blob) {
        self.discard();
        self.say("Using the file you chose instead of the recording.");
      }
    });
  };

  Recorder.prototype.start = function () {
    var self = this;
    if (active && active !== this) active.stop();
    active = this;
    this.startButton.disabled = true;
    this.say("Asking for the microphone…");
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      self.begin(stream);
    }).catch(function (error) {
      self.startButton.disabled = false;
      var refused = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
      self.say((refused ? "The microphone was refused" : "No microphone could be used") +
        ": you can still choose an audio file above and submit it.", true);
    });
  };

  Recorder.prototype.begin = function (stream) {
    var self = this;
    var type = chooseType();
    this.stream = stream;
    this.chunks = [];
    try {
      this.media = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
    } catch (error) {
      this.release();
      this.startButton.disabled = false;
      this.say("This browser cannot record here: choose an audio file above instead.", true);
      return;
    }
    this.media.addEventListener("dataavailable", function (event) {
      if (event.data && event.data.size) self.chunks.push(event.data);
    });
    this.media.addEventListener("stop", function () { self.finish(); });
    this.meter(stream);
    this.startedAt = performance.now();
    this.media.start(250);
    this.stopButton.disabled = false;
    this.stopButton.focus();
    this.root.classList.add("recording");
    this.say("Recording" + (this.targetLabel ? ": aim for " + this.targetLabel : "") + ". Press Stop when you finish.");
    this.announcedTarget = false;
    this.ticker = window.setInterval(function () { self.tick(); }, 250);
    this.tick();
  };

  Recorder.prototype.tick = function () {
    var seconds = (performance.now() - this.startedAt) / 1000;
    this.time.textContent = clock(seconds);
    if (this.target && seconds >= this.target && !this.announcedTarget) {
      this.announcedTarget = true;
      this.root.classList.add("target-reached");
      this.say("Target of " + (this.targetLabel || clock(this.target)) + " reached: finish your sentence and press Stop.");
    }
    if (seconds >= this.maxSeconds) {
      this.stoppedAtLimit = true;
      this.stop();
    }
  };

  Recorder.prototype.meter = function (stream) {
    var AudioContext = window.AudioContext || window.webkitAudioContext;
    if (!AudioContext || !this.level) return;
    var self = this;
    try {
      this.audio = new AudioContext();
      var analyser = this.audio.createAnalyser();
      analyser.fftSize = 1024;
      this.audio.createMediaStreamSource(stream).connect(analyser);
      var samples = new Float32Array(analyser.fftSize);
      var draw = function () {
        if (!self.audio) return;
        analyser.getFloatTimeDomainData(samples);
        var sum = 0;
        for (var i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
        var rms = Math.sqrt(sum / samples.length);
        var value = Math.min(1, rms * 4); // speech at arm's length sits around the middle
        self.level.value = value;
        self.level.setAttribute("aria-valuetext", Math.round(value * 100) + "%");
        self.frame = window.requestAnimationFrame(draw);
      };
      draw();
    } catch (error) {
      this.audio = null; // the meter is a help, not a requirement
    }
  };

  Recorder.prototype.stop = function () {
    if (this.media && this.media.state !== "inactive") this.media.stop();
    this.stopButton.disabled = true;
  };

  Recorder.prototype.release = function () {
    window.clearInterval(this.ticker);
    if (this.frame) window.cancelAnimationFrame(this.frame);
    if (this.audio) { this.audio.close(); this.audio = null; }
    if (this.stream) { this.stream.getTracks().forEach(function (track) { track.stop(); }); this.stream = null; }
    if (this.level) this.level.value = 0;
    this.root.classList.remove("recording");
  };

  Recorder.prototype.finish = function () {
    var seconds = (performance.now() - this.startedAt) / 1000;
    this.release();
    var type = (this.media && this.media.mimeType) || (this.chunks[0] && this.chunks[0].type) || "audio/webm";
    this.blob = new Blob(this.chunks, { type: type });
    this.chunks = [];
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = URL.createObjectURL(this.blob);
    this.playback.src = this.url;
    this.playback.hidden = false;
    this.attach();
    this.startButton.hidden = true;
    this.resetButton.hidden = false;
    this.resetButton.focus();
    if (seconds < this.minSeconds) {
      this.say("Recorded " + clock(seconds) + ": too short to measure (at least " + this.minSeconds +
        " seconds). Record again.", true);
    } else if (this.stoppedAtLimit) {
      this.say("Stopped at the longest talk accepted (" + clock(this.maxSeconds) + "). Listen back, then submit " +
        "the form, or record again.");
    } else {
      this.say("Recorded " + clock(seconds) + ". Listen back, then submit the form, or record again.");
    }
    this.stoppedAtLimit = false;
  };

  Recorder.prototype.attach = function () {
    if (!this.blob) return;
    var type = this.blob.type.split(";")[0] || "audio/webm";
    var file = new File([this.blob], "recording-" + Date.now() + "." + extensionFor(type), { type: type });
    var transfer = new DataTransfer();
    transfer.items.add(file);
    this.input.files = transfer.files;
  };

  Recorder.prototype.discard = function () {
    this.blob = null;
    if (this.url) { URL.revokeObjectURL(this.url); this.url = null; }
    this.playback.removeAttribute("src");
    this.playback.hidden = true;
  };

  Recorder.prototype.reset = function () {
    this.discard();
    this.input.value = "";
    this.time.textContent = clock(0);
    this.root.classList.remove("target-reached");
    this.resetButton.hidden = true;
    this.startButton.hidden = false;
  };

  // A form the server refused comes back scrolled to its card (the action's #fragment): move the focus to its
  // first message so a screen reader reads it, and it is in view whatever the card's height.
  var refused = document.querySelector("form .form-errors, form .field-invalid");
  if (refused) {
    var message = refused.querySelector(".error") || refused;
    if (!message.hasAttribute("tabindex")) message.setAttribute("tabindex", "-1");
    message.focus();
    if (message.scrollIntoView) message.scrollIntoView({ block: "center" });
  }

  if (!supported()) return; // the file input alone: the no-JavaScript path
  var roots = document.querySelectorAll("[data-recorder]");
  for (var i = 0; i < roots.length; i++) new Recorder(roots[i]).enable();
})();
