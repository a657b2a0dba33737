// The drawing page of digits-server. Two modes:
//   - one digit (the default): draw with pointer events on a square; the canvas goes as PNG to
//     /api/predict (debounced while drawing); the page shows the answer, the ten probabilities as
//     bars and the 28×28 image the network saw;
//   - a number: a wide canvas for several digits, sent to /api/number; the page shows the number,
//     each digit's probability and 28×28 image, and outlines each digit's box on the drawing.
// A file (PNG, JPEG or CSV, from the file input, the camera input or dropped on the drawing
// area) is shown on the pad and sent as it is, its type told by its first bytes.
// Everything comes from this server; nothing is loaded from elsewhere.
"use strict";

const main = document.getElementById("main");
const pad = document.getElementById("pad");
const ink = pad.getContext("2d");
const boxes = document.getElementById("boxes");
const boxInk = boxes.getContext("2d");
const surface = document.getElementById("surface");
const seenCanvas = document.getElementById("seen");
const seen = seenCanvas.getContext("2d");
const predictionOut = document.getElementById("prediction");
const probabilityOut = document.getElementById("probability");
const statusOut = document.getElementById("status");
const scoresList = document.getElementById("scores");
const numberOut = document.getElementById("number");
const digitsList = document.getElementById("digits");

const MODES = {
  digit: {
    width: 280, height: 280, endpoint: "/api/predict", title: "Draw a digit",
    hint: "Draw one digit, 0 to 9, filling most of the square, with a mouse, a finger or a pen. The network reads it as you draw.",
    label: "Drawing area: draw a digit here, or drop a picture on it. Escape clears it.",
  },
  number: {
    width: 840, height: 280, endpoint: "/api/number", title: "Write a number",
    hint: "Write a few digits side by side, each nearly as tall as the box, with a gap between them. The network reads each one as you write.",
    label: "Drawing area: write a number here, or drop a picture on it. Escape clears it.",
  },
};

// A stroke about as wide, relative to a digit as tall as the pad, as MNIST's pen.
const STROKE = 280 / 14;
const DEBOUNCE_MS = 120;

let mode = "digit";
let drawing = false;
let hasInk = false;
let last = null;
let timer = null;
let sent = 0;          // requests started; only the latest one's answer is shown
let picture = null;    // an opened file on the pad: where it lies, {x, y, scale} (pad = x + scale · picture)
document.body.dataset.answered = "0";  // answers shown so far (the browser test waits on it)
document.body.dataset.busy = "0";      // "1" while the latest request has not been answered

const rows = [];
for (let d = 0; d < 10; d++) {
  const li = document.createElement("li");
  li.innerHTML = `<span class="digit">${d}</span><span class="bar"><span></span></span><span class="value">–</span>`;
  scoresList.appendChild(li);
  rows.push(li);
}

/// A probability in words: one decimal, but never "100%" for what is not certain.
function percent(p) {
  if (p >= 0.9995) return ">99.9%";  // a float that rounds to 1 is not certainty
  if (p > 0 && p < 0.0005) return "<0.1%";
  return `${(p * 100).toFixed(1)}%`;
}

function note(text, isError = false) {
  statusOut.textContent = text;
  statusOut.classList.toggle("error", isError);
}

function clearAnswer() {
  predictionOut.textContent = "–";
  predictionOut.classList.remove("words");
  probabilityOut.textContent = "";
  rows.forEach((li) => {
    li.classList.remove("best");
    li.querySelector(".bar span").style.width = "0";
    li.querySelector(".value").textContent = "–";
  });
  paintSeen(seen, null);
  numberOut.textContent = "–";
  digitsList.replaceChildren();
  outlineAll([]);
}

function clearPad() {
  ink.fillStyle = "#fff";
  ink.fillRect(0, 0, pad.width, pad.height);
  hasInk = false;
  picture = null;
  clearTimeout(timer);
  sent++;
  document.body.dataset.busy = "0";
  note("");
  clearAnswer();
}

function setMode(next) {
  if (!MODES[next]) next = "digit";
  mode = next;
  const m = MODES[mode];
  main.dataset.mode = mode;
  for (const canvas of [pad, boxes]) {
    canvas.width = m.width;
    canvas.height = m.height;
  }
  document.getElementById("title").textContent = m.title;
  document.title = `digits: ${m.title.toLowerCase()}`;
  document.getElementById("hint").textContent = m.hint;
  pad.setAttribute("aria-label", m.label);
  document.getElementById("digit-answer").hidden = mode !== "digit";
  document.getElementById("number-answer").hidden = mode !== "number";
  for (const radio of document.querySelectorAll("input[name=mode]")) radio.checked = radio.value === mode;
  clearPad();
}

// Drawing.

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
  if (picture) clearPad();  // drawing starts afresh over an opened picture
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
  // The canvas is taken when the request goes, so a request that waited sends the latest drawing.
  submit(++sent, () => new Promise((resolve) => pad.toBlob((blob) => resolve([blob, "image/png"]), "image/png")));
}

/// The latest request is over, answered or refused (the browser test waits on these two).
function settled() {
  document.body.dataset.busy = "0";
  document.body.dataset.answered = String(Number(document.body.dataset.answered) + 1);
}

// Asking the server: one request at a time, so that drawing fast never piles requests up on it
// (reading a number takes it a while); while one is out, only the latest next one waits.

let inFlight = false;
let queued = null;  // {id, produce}: produce() gives [body, content type]

function submit(id, produce) {
  document.body.dataset.busy = "1";
  queued = { id, produce };
  if (!inFlight) pump();
}

async function pump() {
  while (queued) {
    const { id, produce } = queued;
    queued = null;
    if (id !== sent) continue;  // cleared, or replaced, before it went
    inFlight = true;
    try {
      const [body, type] = await produce();
      await send(id, body, type);
    } catch (error) {
      if (id === sent) {
        note(`The picture could not be sent: ${error.message || error}`, true);
        settled();
      }
    } finally {
      inFlight = false;
    }
  }
}

async function send(id, body, type) {
  const { endpoint } = MODES[mode];
  const render = mode === "number" ? showNumber : show;
  try {
    const response = await fetch(endpoint + "?input=1", { method: "POST", headers: { "Content-Type": type }, body });
    let answer = null;
    try { answer = await response.json(); } catch { /* not JSON: said below */ }
    if (id !== sent) return;
    if (response.status === 404 && endpoint === "/api/number") {
      note("This server does not read numbers (it has no /api/number): switch to One digit.", true);
    } else if (!response.ok || !answer) {
      note((answer && answer.error) || `The server answered ${response.status}.`, true);
    } else {
      if (statusOut.classList.contains("error")) note("");
      render(answer);
    }
  } catch (error) {
    if (id === sent) note(`The server did not answer: ${error.message || error}`, true);
  } finally {
    if (id === sent) settled();
  }
}

/// The verdict of one answer in words: [what it reads as, how sure].
function verdict(answer) {
  if (answer.not_a_digit) {
    const why = answer.reason || "no digit is likely";
    return ["not a digit", answer.prediction === null || answer.prediction === undefined
      ? why : `${why} (best guess ${answer.prediction})`];
  }
  if (answer.unsure && answer.top && answer.top.length >= 2) {
    return [`${answer.top[0].digit} or ${answer.top[1].digit}?`,
      `unsure: ${percent(answer.top[0].probability)} or ${percent(answer.top[1].probability)}`];
  }
  return [String(answer.prediction), `probability ${percent(answer.probability)}`];
}

/// The 28×28 intensities (0…255, light ink on black) on a 28×28 canvas; black when absent.
function paintSeen(context, input) {
  context.fillStyle = "#000";
  context.fillRect(0, 0, 28, 28);
  // The API sends the 784 intensities as bytes in base64.
  if (typeof input !== "string") return;
  const bytes = Uint8Array.from(atob(input), (c) => c.charCodeAt(0));
  if (bytes.length !== 784) return;
  const image = context.createImageData(28, 28);
  bytes.forEach((g, i) => image.data.set([g, g, g, 255], 4 * i));
  context.putImageData(image, 0, 0);
}

function show(answer) {
  const [what, how] = verdict(answer);
  predictionOut.textContent = what;
  predictionOut.classList.toggle("words", what.length > 1);
  probabilityOut.textContent = how;
  // The bars are the calibrated probabilities (none for a blank picture).
  const probabilities = answer.probabilities || [];
  rows.forEach((li, d) => {
    const p = probabilities[d] ?? 0;
    li.classList.toggle("best", d === answer.prediction && !answer.not_a_digit);
    li.querySelector(".bar span").style.width = `${Math.max(0, Math.min(100, 100 * p))}%`;
    li.querySelector(".value").textContent = probabilities.length ? percent(p) : "–";
  });
  paintSeen(seen, answer.input);
}

let outlined = [];  // the digits whose boxes are drawn, to draw again when the pad's size changes

function showNumber(answer) {
  const digits = Array.isArray(answer.digits) ? answer.digits : [];
  numberOut.textContent = answer.number || "–";
  digitsList.replaceChildren();
  outlineAll(digits);
  if (!digits.length) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = "Nothing to read: no ink.";
    digitsList.appendChild(li);
    return;
  }
  digits.forEach((digit, i) => {
    const [what, how] = verdict(digit);
    const kind = digit.not_a_digit ? "none" : digit.unsure ? "unsure" : "sure";
    const li = document.createElement("li");
    li.className = kind;
    const view = document.createElement("canvas");
    view.width = view.height = 28;
    view.setAttribute("role", "img");
    view.setAttribute("aria-label", `Digit ${i + 1} as the network saw it, 28 by 28`);
    paintSeen(view.getContext("2d"), digit.input);
    const read = document.createElement("span");
    read.className = "read";
    read.textContent = digit.not_a_digit ? "?" : what;
    const detail = document.createElement("span");
    detail.className = "how";
    detail.textContent = digit.not_a_digit ? `not a digit: ${how}` : how;
    li.append(view, read, detail);
    digitsList.appendChild(li);
  });
}

function outlineAll(digits) {
  outlined = digits;
  boxInk.clearRect(0, 0, boxes.width, boxes.height);
  for (const digit of digits) {
    const kind = digit.not_a_digit ? "none" : digit.unsure ? "unsure" : "sure";
    outline(digit.box, digit.not_a_digit ? "?" : verdict(digit)[0].replace("?", ""), kind);
  }
}
new ResizeObserver(() => { if (outlined.length) outlineAll(outlined); }).observe(boxes);

const BOX_COLOURS = { sure: "#0b5cad", unsure: "#b25e00", none: "#b3261e" };

/// A digit's box ([x0, y0, x1, y1], inclusive, in the picture's pixels) on the pad, labelled.
function outline(box, label, kind) {
  if (!Array.isArray(box) || box.length !== 4) return;
  const at = picture || { x: 0, y: 0, scale: 1 };
  const x0 = at.x + at.scale * box[0], y0 = at.y + at.scale * box[1];
  const x1 = at.x + at.scale * (box[2] + 1), y1 = at.y + at.scale * (box[3] + 1);
  const colour = BOX_COLOURS[kind];
  // Sizes in CSS pixels, so that a box and its label read the same on a phone as on a desktop.
  const px = boxes.width / (boxes.getBoundingClientRect().width || boxes.width);
  const margin = 3 * px, tag = 18 * px;
  boxInk.save();
  boxInk.strokeStyle = colour;
  boxInk.lineWidth = 2 * px;
  if (kind !== "sure") boxInk.setLineDash([6 * px, 4 * px]);
  boxInk.strokeRect(x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin);
  boxInk.font = `bold ${Math.round(14 * px)}px system-ui, sans-serif`;
  const w = boxInk.measureText(label).width + 8 * px;
  const left = Math.min(x0 - margin, boxes.width - w), top = Math.max(0, y0 - margin - tag);
  boxInk.fillStyle = colour;
  boxInk.fillRect(left, top, w, tag);
  boxInk.fillStyle = "#fff";
  boxInk.textBaseline = "middle";
  boxInk.fillText(label, left + 4 * px, top + tag / 2);
  boxInk.restore();
}

// Files: the file input, the camera and drag and drop.

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/// The content type of a file by its first bytes, not its name: PNG, JPEG, or CSV for text;
/// null for anything else.
function sniff(bytes) {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((v, i) => bytes[i] === v)) return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  const head = bytes.subarray(0, 4096);
  if (head.every((v) => v === 9 || v === 10 || v === 13 || (v >= 32 && v !== 127))) return "text/csv";
  return null;
}

/// Shows an opened file on the pad, scaled to fit; returns its size in words, or "" when the
/// browser cannot show it (the server's answer then says what is wrong).
async function preview(bytes, type) {
  let source = null, width = 0, height = 0;
  if (type === "text/csv") {
    const values = new TextDecoder().decode(bytes.subarray(0, 65536)).split(/\r?\n/)
      .find((line) => line.trim() !== "")?.split(/[,;\s]+/).filter((v) => v !== "").map(Number) ?? [];
    const pixels = values.length === 785 ? values.slice(1) : values;
    if (pixels.length !== 784 || pixels.some((v) => !Number.isFinite(v))) return "";
    source = document.createElement("canvas");
    source.width = source.height = 28;
    paintSeen(source.getContext("2d"), pixels);
    [width, height] = [28, 28];
  } else {
    try {
      source = await createImageBitmap(new Blob([bytes], { type }));
    } catch {
      return "";
    }
    [width, height] = [source.width, source.height];
  }
  const scale = Math.min(pad.width / width, pad.height / height);
  const x = (pad.width - scale * width) / 2, y = (pad.height - scale * height) / 2;
  ink.fillStyle = "#e4e4e4";
  ink.fillRect(0, 0, pad.width, pad.height);
  ink.imageSmoothingEnabled = scale < 2;  // a small picture shows its pixels
  ink.drawImage(source, x, y, scale * width, scale * height);
  ink.imageSmoothingEnabled = true;
  picture = { x, y, scale };
  return `${width} × ${height}`;
}

const TYPE_NAMES = { "image/png": "PNG", "image/jpeg": "JPEG", "text/csv": "CSV" };

async function openFile(file) {
  if (!file) return;
  clearPad();
  const id = ++sent;
  document.body.dataset.busy = "1";
  let bytes;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    if (id === sent) {
      note(`${file.name}: could not be read (${error.message || error}).`, true);
      settled();
    }
    return;
  }
  const type = sniff(bytes);
  if (id !== sent) return;
  if (!type) {
    note(`${file.name} is not a PNG, a JPEG or a CSV file${file.type ? ` (it is ${file.type})` : ""}: the server reads those three.`, true);
    settled();
    return;
  }
  const size = await preview(bytes, type);
  if (id !== sent) return;
  if (mode === "number" && type === "text/csv") {
    note(`${file.name}: a CSV line is one 28 × 28 digit, not a number: read it in One digit mode.`, true);
    settled();
    return;
  }
  note(`${file.name}: ${TYPE_NAMES[type]}${size ? `, ${size}` : ""}`);
  submit(id, async () => [bytes, type]);
}

for (const id of ["upload", "camera"]) {
  document.getElementById(id).addEventListener("change", (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    openFile(file);
  });
}

const dropZone = document.getElementById("drop");
const carriesFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files");
for (const type of ["dragenter", "dragover"]) {
  dropZone.addEventListener(type, (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    surface.classList.add("dragging");
  });
}
dropZone.addEventListener("dragleave", (event) => {
  if (!dropZone.contains(event.relatedTarget)) surface.classList.remove("dragging");
});
dropZone.addEventListener("drop", (event) => {
  event.preventDefault();
  surface.classList.remove("dragging");
  openFile(event.dataTransfer.files[0]);
});
// A file dropped beside the drawing area is not opened by the browser in place of the page.
window.addEventListener("dragover", (event) => {
  event.preventDefault();
  if (event.dataTransfer && !dropZone.contains(event.target)) event.dataTransfer.dropEffect = "none";
});
window.addEventListener("drop", (event) => event.preventDefault());

// Controls.

document.getElementById("clear").addEventListener("click", () => { clearPad(); pad.focus(); });
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") clearPad();
});
for (const radio of document.querySelectorAll("input[name=mode]")) {
  radio.addEventListener("change", () => {
    if (!radio.checked) return;
    setMode(radio.value);
    history.replaceState(null, "", radio.value === "number" ? "#number" : location.pathname);
  });
}

setMode(location.hash === "#number" ? "number" : "digit");
