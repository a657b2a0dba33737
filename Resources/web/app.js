// The drawing page of digits-server: draw with pointer events, send the canvas as PNG to
// /api/predict (debounced while drawing), show the prediction, the ten scores and the 28×28
// image the network saw. Everything comes from this server; nothing is loaded from elsewhere.
"use strict";

const pad = document.getElementById("pad");
const ink = pad.getContext("2d");
const seen = document.getElementById("seen").getContext("2d");
const predictionOut = document.getElementById("prediction");
const confidenceOut = document.getElementById("confidence");
const statusOut = document.getElementById("status");
const scoresList = document.getElementById("scores");

// A stroke about as wide, relative to a digit filling the square, as MNIST's pen.
const STROKE = pad.width / 14;
const DEBOUNCE_MS = 120;

let drawing = false;
let hasInk = false;
let last = null;
let timer = null;
let sent = 0;        // requests sent; only the latest answer is shown
document.body.dataset.answered = "0";

const rows = [];
for (let d = 0; d < 10; d++) {
  const li = document.createElement("li");
  li.innerHTML = `<span class="digit">${d}</span><span class="bar"><span></span></span><span class="value">–</span>`;
  scoresList.appendChild(li);
  rows.push(li);
}

function clearPad() {
  ink.fillStyle = "#fff";
  ink.fillRect(0, 0, pad.width, pad.height);
  hasInk = false;
  clearTimeout(timer);
  sent++;
  predictionOut.textContent = "–";
  confidenceOut.textContent = "";
  statusOut.textContent = "";
  rows.forEach((li) => {
    li.classList.remove("best");
    li.querySelector(".bar span").style.width = "0";
    li.querySelector(".value").textContent = "–";
  });
  seen.fillStyle = "#000";
  seen.fillRect(0, 0, 28, 28);
}

function point(event) {
  const box = pad.getBoundingClientRect();
  return { x: (event.clientX - box.left) * pad.width / box.width, y: (event.clientY - box.top) * pad.height / box.height };
}

function stroke(from, to) {
  ink.strokeStyle = "#000";
  ink.lineWidth = STROKE;
  ink.lineCap = "round";
  ink.lineJoin = "round";
  ink.beginPath();
  ink.moveTo(from.x, from.y);
  ink.lineTo(to.x, to.y);
  ink.stroke();
  hasInk = true;
}

pad.addEventListener("pointerdown", (event) => {
  event.preventDefault();
  pad.setPointerCapture(event.pointerId);
  drawing = true;
  last = point(event);
  stroke(last, last);
  schedule();
});
pad.addEventListener("pointermove", (event) => {
  if (!drawing) return;
  const p = point(event);
  stroke(last, p);
  last = p;
  schedule();
});
for (const type of ["pointerup", "pointercancel"]) {
  pad.addEventListener(type, () => {
    if (!drawing) return;
    drawing = false;
    clearTimeout(timer);
    predictDrawing();
  });
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(predictDrawing, DEBOUNCE_MS);
}

function predictDrawing() {
  if (!hasInk) return;
  pad.toBlob((blob) => send(blob, "image/png"), "image/png");
}

async function send(body, type) {
  const id = ++sent;
  try {
    const response = await fetch("/api/predict", { method: "POST", headers: { "Content-Type": type }, body });
    const answer = await response.json();
    if (id !== sent) return;
    if (!response.ok) {
      statusOut.textContent = answer.error || `error ${response.status}`;
    } else {
      show(answer);
    }
  } catch (error) {
    if (id === sent) statusOut.textContent = `The server did not answer: ${error}`;
  } finally {
    if (id === sent) document.body.dataset.answered = String(Number(document.body.dataset.answered) + 1);
  }
}

function show(answer) {
  statusOut.textContent = "";
  const percent = (p) => `${(p * 100).toFixed(1)}%`;
  if (answer.not_a_digit) {
    predictionOut.textContent = "not a digit";
    confidenceOut.textContent = answer.prediction === null ? "(no ink)" : `(best guess ${answer.prediction}, ${percent(answer.probability)})`;
  } else if (answer.unsure) {
    predictionOut.textContent = `${answer.top[0].digit} or ${answer.top[1].digit}?`;
    confidenceOut.textContent = `(unsure: ${percent(answer.top[0].probability)} / ${percent(answer.top[1].probability)})`;
  } else {
    predictionOut.textContent = String(answer.prediction);
    confidenceOut.textContent = `(probability ${percent(answer.probability)})`;
  }
  // The bars are the calibrated probabilities (absent for a blank picture).
  rows.forEach((li, d) => {
    const p = answer.probabilities[d] ?? 0;
    li.classList.toggle("best", d === answer.prediction);
    li.querySelector(".bar span").style.width = `${Math.max(0, Math.min(100, 100 * p))}%`;
    li.querySelector(".value").textContent = p.toFixed(3);
  });
  if (!answer.input) return;
  const image = seen.createImageData(28, 28);
  answer.input.forEach((v, i) => {
    const g = Math.max(0, Math.min(255, Math.round(v)));
    image.data.set([g, g, g, 255], 4 * i);
  });
  seen.putImageData(image, 0, 0);
}

document.getElementById("clear").addEventListener("click", () => { clearPad(); pad.focus(); });
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") clearPad();
});

document.getElementById("upload").addEventListener("change", (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const isPNG = file.type === "image/png" || /\.png$/i.test(file.name);
  clearPad();
  send(file, isPNG ? "image/png" : "text/csv");
  event.target.value = "";
});

clearPad();
