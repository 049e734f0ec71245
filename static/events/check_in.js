/* Check-in at the door (templates/events/check_in.html).
 *
 * Progressive enhancement: without this script the code form posts and the page
 * shows the result panel after the redirect. With it, a typed code or a scanned
 * QR code is checked in at once (no second tap): the server answers with the
 * panel alone (header X-Yilu-Check-In: fragment), shown in place; then the
 * input is cleared and scanning goes on. The camera is decoded by jsQR
 * (static/vendor/jsqr/, served from our own origin). No sound, ever.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-check-in]");
  if (!root) {
    return;
  }
  var form = root.querySelector("[data-check-in-form]");
  var input = form.querySelector("input[name=q]");
  var result = document.getElementById("check-in-result");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var busy = false;

  var count = root.querySelector("[data-check-in-count]");

  function showPanel(html) {
    result.innerHTML = html;
    var update = result.querySelector("[data-check-in-count-update]");
    if (update) {
      if (count) {
        count.textContent = update.textContent;
      }
      update.remove();
    }
    var panel = result.firstElementChild;
    if (panel && panel.scrollIntoView) {
      panel.scrollIntoView({ block: "nearest" });
    }
  }

  // Post a typed code or a scanned QR; resolve when the panel is shown.
  function checkIn(value) {
    busy = true;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("q", value);
    return fetch(form.action || window.location.pathname, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Yilu-Check-In": "fragment" },
    })
      .then(function (response) {
        if (response.redirected) {
          // Not a ticket: the server sends us to the name search.
          window.location.assign(response.url);
          return null;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (html !== null) {
          showPanel(html);
        }
      })
      .finally(function () {
        busy = false;
      });
  }

  form.addEventListener("submit", function (event) {
    if (!input.value.trim()) {
      return;
    }
    event.preventDefault();
    checkIn(input.value).then(
      function () {
        input.value = "";
        input.focus();
      },
      function () {
        form.submit(); // the plain post still works
      }
    );
  });

  // --- Camera scanner ------------------------------------------------------------------
  var scanner = root.querySelector("[data-check-in-scanner]");
  if (!scanner || typeof window.jsQR !== "function" || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia) {
    return;
  }
  scanner.hidden = false;
  var startButton = scanner.querySelector("[data-scanner-start]");
  var stopButton = scanner.querySelector("[data-scanner-stop]");
  var view = scanner.querySelector("[data-scanner-view]");
  var video = scanner.querySelector("video");
  var errorText = scanner.querySelector("[data-scanner-error]");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var timer = null;
  var lastValue = "";
  var lastAt = 0;
  var SCAN_EVERY_MS = 150;
  var SAME_TICKET_QUIET_MS = 3000; // a ticket held up (or back within 3 s) is posted once
  var MAX_WIDTH = 640;

  function decodeFrame() {
    timer = null;
    if (!stream) {
      return;
    }
    if (!busy && video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, {
        inversionAttempts: "dontInvert",
      });
      var now = Date.now();
      if (code && code.data) {
        var repeat = code.data === lastValue && now - lastAt < SAME_TICKET_QUIET_MS;
        lastValue = code.data;
        lastAt = now;
        if (!repeat) {
          checkIn(code.data).catch(function () {
            errorText.hidden = false;
          }).then(function () {
            lastAt = Date.now();
            schedule();
          });
          return;
        }
      }
    }
    schedule();
  }

  function schedule() {
    if (stream && timer === null) {
      timer = window.setTimeout(decodeFrame, SCAN_EVERY_MS);
    }
  }

  var starting = false;

  function start() {
    if (stream || starting) {
      return;
    }
    starting = true;
    errorText.hidden = true;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (mediaStream) {
        stream = mediaStream;
        video.srcObject = stream;
        view.hidden = false;
        startButton.hidden = true;
        scanner.setAttribute("data-scanning", "");
        return video.play();
      })
      .then(schedule)
      .catch(function () {
        stop();
        errorText.hidden = false;
      })
      .finally(function () {
        starting = false;
      });
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    video.srcObject = null;
    view.hidden = true;
    startButton.hidden = false;
    scanner.removeAttribute("data-scanning");
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", function () {
    stop();
    input.focus();
  });
  // Once the camera has been allowed for this site, start it with the page.
  if (navigator.permissions && navigator.permissions.query) {
    navigator.permissions.query({ name: "camera" }).then(function (status) {
      if (status.state === "granted") {
        start();
      }
    }, function () {});
  }
})();
