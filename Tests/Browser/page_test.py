#!/usr/bin/env python3
"""The drawing page in a real browser, and the server as a client sees it (`make test-browser`).

Starts digits-server on a free port, then:
  - a body declared over 1 MiB is refused (413) before it is sent;
  - the PNG and CSV of MNIST test images get the same prediction from the API, from
    `digits query`, and from `digits evaluate` (when MNIST_DIR has the files);
  - headless Chromium, driven by Selenium through Debian's chromium-driver, draws a vertical
    line (a 1) and a closed loop (a 0) on the canvas with pointer events and checks that the page
    shows the API's answer for the same PNG (verdict, probability, the ten probability bars, the
    28×28 image the network saw); clears it by keyboard (Clear, Escape); opens a PNG, a JPEG
    photo (through the camera input) and a CSV, drops a misnamed PNG on the drawing area (sent by
    its content), and opens a blank picture ("not a digit"), each checked against the API; in Number
    mode draws 1, 7 and 0 side by side and checks the number against /api/number for the same
    PNG (SKIP while the server has no /api/number); checks the page loaded nothing from elsewhere
    and fits a phone's width, and saves a screenshot of each state.
Exits 0 when all hold; prints SKIP and exits 0 when Selenium or chromium-driver is missing.
"""
import argparse, base64, gzip, json, math, os, socket, struct, subprocess, sys, tempfile, threading, time, urllib.request, zlib

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def wait_for_server(base, seconds=10):
    """Until the server at `base` answers /healthz, or `seconds` have passed (then the requests
    that follow say what is wrong)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.05)

def chromium(extra_flags=()):
    """Headless Chromium driven through Debian's chromium-driver, or None when the driver is not
    installed (Selenium must be importable)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    driver_path = next((p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if os.path.exists(p)), None)
    if driver_path is None:
        return None
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,900") + tuple(extra_flags):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver_path), options=options)

def post(base, body, content_type, path="/api/predict"):
    """POST as the page does, asking for the 28×28 input too (`?input=1`)."""
    request = urllib.request.Request(base + path + "?input=1", data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)

def check(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)
    print("ok:", message)

def declared_too_large(port):
    """Headers only, declaring 5 MB: the answer must come without the body being sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\nContent-Length: 5000000\r\n\r\n")
        reply = s.recv(4096).decode("latin-1")
    return reply.split("\r\n", 1)[0], reply

def same_answers_everywhere(base, digits, mnist, work):
    images = os.path.join(mnist, "t10k-images-idx3-ubyte.gz")
    if not os.path.exists(images):
        print("SKIP: API / query / evaluate agreement: no MNIST in MNIST_DIR")
        return
    files, api = [], []
    for index in range(10):
        for fmt in ("png", "csv"):
            path = os.path.join(work, f"test-{index}.{fmt}")
            command = [digits, "export", "--data", mnist, "--index", str(index), "--format", fmt, "--output", path]
            if fmt == "csv":
                command.append("--no-label")
            subprocess.run(command, check=True, capture_output=True)
            files.append(path)
            status, answer = post(base, open(path, "rb").read(), "image/png" if fmt == "png" else "text/csv")
            check(status == 200, f"API answers test image {index} as {fmt}")
            api.append(answer["prediction"])
    query = subprocess.run([digits, "query", "--json", "--model", MODEL] + files, check=True, capture_output=True, text=True).stdout
    queried = [json.loads(line)["prediction"] for line in query.splitlines() if line.strip()]
    check(queried == api, f"digits query gives the API's predictions {api[::2]} for PNG and CSV alike")
    check(api[::2] == api[1::2], "the PNG and the CSV of each image get the same prediction")
    # digits evaluate on a test set of these ten images, labelled with the API's predictions:
    # 10/10 correct means evaluate predicts each as the API did.
    folder = os.path.join(work, "ten")
    os.makedirs(folder, exist_ok=True)
    with gzip.open(images) as f:
        header = f.read(16)
        pixels = f.read(10 * 784)
    with open(os.path.join(folder, "t10k-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 0x803, 10, 28, 28) + pixels)
    with open(os.path.join(folder, "t10k-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 0x801, 10) + bytes(api[::2]))
    evaluation = json.loads(subprocess.run([digits, "evaluate", "--json", "--data", folder, "--model", MODEL],
                                           check=True, capture_output=True, text=True).stdout)
    check(evaluation["correct"] == 10, "digits evaluate predicts the same ten digits")

def png(width, height, gray):
    """A grayscale PNG written with Python's own zlib: `gray(x, y)` is 0…255."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + bytes(gray(x, y) for x in range(width)) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

def percent(p):
    """As the page writes a probability (app.js `percent`)."""
    if p >= 0.9995:
        return ">99.9%"
    if 0 < p < 0.0005:
        return "<0.1%"
    return f"{p * 100:.1f}%"

def same_percent(text, p):
    """The page's text for probability p; a last digit may round the other way on an exact tie."""
    if text == percent(p):
        return True
    try:
        return abs(float(text.rstrip("%")) - 100 * p) <= 0.051
    except ValueError:
        return False

def reads_as(answer):
    """What the page shows as the prediction for an API answer."""
    if answer["not_a_digit"]:
        return "not a digit"
    if answer["unsure"]:
        return f"{answer['top'][0]['digit']} or {answer['top'][1]['digit']}?"
    return str(answer["prediction"])

SAMPLES = "Resources/samples"

def browser(base, out, work):
    try:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
    except ImportError:
        print("SKIP: browser test: Selenium is not installed (pip install selenium)")
        return
    driver = chromium()
    if driver is None:
        print("SKIP: browser test: chromium-driver is not installed (apt-get install chromium-driver)")
        return
    by_id = lambda name: driver.find_element(By.ID, name)

    def shot(name, whole=False):
        """A screenshot of the window, or of the whole page (`whole`, for a phone's long page)."""
        path = os.path.join(out, name + ".png")
        if not whole:
            driver.save_screenshot(path)
            return
        size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        width = max(size["width"], driver.execute_script("return window.innerWidth"))  # no scrollbar once whole
        clip = {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1}
        data = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})
        with open(path, "wb") as f:
            f.write(base64.b64decode(data["data"]))

    try:
        driver.get(base + "/")
        canvas = by_id("pad")

        def answered():
            return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-answered"))

        def wait_for_answer(before):
            """Until the page has shown the answer to its latest request."""
            deadline = time.time() + 15
            while time.time() < deadline:
                body = driver.find_element(By.TAG_NAME, "body")
                if int(body.get_attribute("data-answered")) > before and body.get_attribute("data-busy") == "0":
                    return
                time.sleep(0.05)
            check(False, "the page shows an answer within 15 s")

        def stroke(points, actions=None):
            actions = actions or ActionChains(driver)
            actions.move_to_element_with_offset(canvas, *points[0]).click_and_hold()
            for (x0, y0), (x1, y1) in zip(points, points[1:]):
                actions.move_by_offset(x1 - x0, y1 - y0)
            return actions.release()

        def draw(points):
            before = answered()
            stroke(points).perform()
            wait_for_answer(before)
            return by_id("prediction").text

        def seen_pixels(selector="#seen"):
            return driver.execute_script(
                "const c = document.querySelector(arguments[0]).getContext('2d').getImageData(0, 0, 28, 28).data;"
                "const v = []; for (let i = 0; i < c.length; i += 4) v.push(c[i]); return v;", selector)

        def pad_ink():
            """Pixels of the pad that are not white: what is drawn or shown on it."""
            return driver.execute_script(
                "const p = document.getElementById('pad'); const d = p.getContext('2d').getImageData(0, 0, p.width, p.height).data;"
                "let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i+1] < 250 || d[i+2] < 250) n++; return n;")

        def pad_png():
            return base64.b64decode(driver.execute_script(
                "return document.getElementById('pad').toDataURL('image/png').split(',')[1]"))

        def shows(answer, what):
            """The page shows the API's answer: the verdict, the probability, the ten bars, the 28×28 view."""
            check(by_id("prediction").text == reads_as(answer),
                  f"{what}: the page shows the API's answer, {reads_as(answer)!r}")
            detail = by_id("probability").text
            if answer["not_a_digit"]:
                check(answer["reason"] in detail, f"{what}: with the reason ({detail!r})")
            elif answer["unsure"]:
                check(all(same_percent(t, d["probability"]) for t, d in
                          zip(detail.removeprefix("unsure: ").split(" or "), answer["top"])),
                      f"{what}: with both probabilities ({detail!r})")
            else:
                check(same_percent(detail.removeprefix("probability "), answer["probability"]),
                      f"{what}: with its probability ({detail!r})")
            values = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#scores .value")]
            if answer["probabilities"]:
                check(len(values) == 10 and all(same_percent(t, p) for t, p in zip(values, answer["probabilities"])),
                      f"{what}: the ten bars are the API's probabilities ({', '.join(values)})")
            else:
                check(values == ["–"] * 10, f"{what}: no bars for a blank picture")
            pixels = seen_pixels()
            if answer.get("input"):
                expected = list(base64.b64decode(answer["input"]))
                inked = sum(v > 128 for v in pixels)
                check(inked > 10 and all(abs(a - b) <= 1 for a, b in zip(pixels, expected)),
                      f"{what}: the 28×28 view is the API's input ({inked} inked pixels)")
            else:
                check(max(pixels) == 0, f"{what}: the 28×28 view is black (no input)")

        def open_file(input_id, path, what):
            before = answered()
            by_id(input_id).send_keys(os.path.abspath(path))
            wait_for_answer(before)
            check(by_id("status").text.startswith(os.path.basename(path)) and "error" not in by_id("status").get_attribute("class"),
                  f"{what}: the page names the file it read ({by_id('status').text!r})")
            check(pad_ink() > 500, f"{what}: the picture is shown on the pad")

        def drop(data, name, screenshot=None):
            """A file dropped on the drawing area, through the events a real drag sends."""
            before = answered()
            highlighted = driver.execute_script(
                "const [b64, name] = arguments; const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));"
                "window.testDrop = new DataTransfer(); window.testDrop.items.add(new File([bytes], name));"
                "const pad = document.getElementById('pad');"
                "for (const type of ['dragenter', 'dragover'])"
                "  pad.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: window.testDrop}));"
                "return document.getElementById('surface').classList.contains('dragging');",
                base64.b64encode(data).decode(), name)
            if screenshot:
                shot(screenshot)
            driver.execute_script(
                "document.getElementById('pad').dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: window.testDrop}));")
            wait_for_answer(before)
            return highlighted and "dragging" not in by_id("surface").get_attribute("class")

        # The inputs: files of the three kinds, and the phone's camera.
        check(by_id("upload").get_attribute("accept") == "image/png,image/jpeg,.png,.jpg,.jpeg,.csv,text/csv",
              "the file input accepts PNG, JPEG and CSV")
        check(by_id("camera").get_attribute("capture") == "environment" and "image/jpeg" in by_id("camera").get_attribute("accept"),
              "a second input takes a photo with the phone's camera (capture=environment)")

        # Drawing one digit, with real pointer input.
        size = canvas.size["width"]
        scale = size / 280  # offsets are from the canvas centre, in CSS pixels
        line = [(0, int(y * scale)) for y in range(-100, 101, 10)]
        check(draw(line) == "1", "a vertical line drawn on the canvas is read as 1")
        seen = sum(v > 128 for v in seen_pixels())
        check(seen > 10, f"the page shows the 28×28 image the network saw ({seen} inked pixels)")
        bars = driver.find_elements(By.CSS_SELECTOR, "#scores li")
        check(len(bars) == 10, "ten probability bars")
        status, answer = post(base, pad_png(), "image/png")
        shows(answer, "the drawn 1")
        shot("page-one")

        clear = by_id("clear")
        clear.send_keys(Keys.ENTER)  # the keyboard: Clear is a focusable button
        check(by_id("prediction").text == "–" and pad_ink() == 0, "Clear (by keyboard) empties the pad and the answer")

        loop = [(int(70 * scale * math.sin(t / 24 * 2 * math.pi)), int(-95 * scale * math.cos(t / 24 * 2 * math.pi)))
                for t in range(0, 26)]
        check(draw(loop) == "0", "a closed loop is read as 0")
        shot("page-zero")
        ActionChains(driver).send_keys(Keys.ESCAPE).perform()
        check(by_id("prediction").text == "–" and pad_ink() == 0 and max(seen_pixels()) == 0, "Escape clears the pad and the answer")

        # Files: a PNG, a photo as JPEG through the camera input, a CSV, a dropped file, a blank picture.
        path = os.path.join(SAMPLES, "three.png")
        open_file("upload", path, "an opened PNG")
        shows(post(base, open(path, "rb").read(), "image/png")[1], "an opened PNG")
        shot("upload-png")

        photo = open(os.path.join(SAMPLES, "four-photo.png"), "rb").read()
        jpeg = driver.execute_async_script(  # the browser's own JPEG encoder: no Pillow needed
            "const [b64, done] = arguments; const img = new Image();"
            "img.onload = () => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;"
            "  c.getContext('2d').drawImage(img, 0, 0); done(c.toDataURL('image/jpeg', 0.85).split(',')[1]); };"
            "img.onerror = () => done(null); img.src = 'data:image/png;base64,' + b64;", base64.b64encode(photo).decode())
        check(jpeg is not None, "a JPEG photo of a 4 made for the test")
        path = os.path.join(work, "photo.jpg")
        with open(path, "wb") as f:
            f.write(base64.b64decode(jpeg))
        open_file("camera", path, "a JPEG photo from the camera input")
        answer = post(base, open(path, "rb").read(), "image/jpeg")[1]
        shows(answer, "a JPEG photo from the camera input")
        shot("upload-jpeg")

        path = os.path.join(SAMPLES, "seven.csv")
        open_file("upload", path, "an opened CSV")
        shows(post(base, open(path, "rb").read(), "text/csv")[1], "an opened CSV")
        shot("upload-csv")

        dropped = open(os.path.join(SAMPLES, "two-light-on-dark.png"), "rb").read()
        check(drop(dropped, "misnamed.csv", screenshot="drop-hover"),
              "a file dragged over the drawing area highlights it until it is dropped")
        check("PNG" in by_id("status").text, f"a dropped file is sent by its content (PNG), not its name ({by_id('status').text!r})")
        shows(post(base, dropped, "image/png")[1], "a dropped PNG")
        shot("drop-png")

        drop(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04", "picture.gif")
        check("not a PNG, a JPEG or a CSV" in by_id("status").text and by_id("prediction").text == "–",
              f"a file of another kind is refused by the page ({by_id('status').text!r})")

        path = os.path.join(work, "blank.png")
        with open(path, "wb") as f:
            f.write(png(200, 200, lambda x, y: 255))
        before = answered()
        by_id("upload").send_keys(os.path.abspath(path))
        wait_for_answer(before)
        answer = post(base, open(path, "rb").read(), "image/png")[1]
        check(answer["not_a_digit"] and by_id("prediction").text == "not a digit", "a blank picture shows \"not a digit\"")
        shows(answer, "a blank picture")
        shot("upload-blank")

        check(draw(line) == "1" and driver.execute_script(
                  "return Array.from(document.getElementById('pad').getContext('2d').getImageData(0, 0, 1, 1).data).join()") == "255,255,255,255",
              "drawing after opening a picture starts on a clean pad")

        driver.set_window_size(390, 844)
        open_file("upload", os.path.join(SAMPLES, "three.png"), "at phone width, an opened PNG")
        fits = driver.execute_script(
            "const w = window.innerWidth, inside = (id) => { const r = document.getElementById(id).getBoundingClientRect(); return r.left >= 0 && r.right <= w; };"
            "return inside('pad') && inside('clear') && inside('seen') && inside('scores')"
            " && document.documentElement.scrollWidth <= w;")
        check(fits, "at phone width (390 px) the canvas, Clear, the 28×28 view and the bars fit without scrolling sideways")
        shot("page-phone", whole=True)
        driver.set_window_size(1000, 900)

        # A number: three digits drawn side by side on the wide canvas.
        driver.find_element(By.CSS_SELECTOR, "label:has(input[value=number])").click()
        check(canvas.get_attribute("width") == "840" and by_id("number-answer").is_displayed()
              and not by_id("digit-answer").is_displayed(), "the Number mode gives a wide canvas (840×280) and its own answer")
        before = answered()
        by_id("upload").send_keys(os.path.abspath(os.path.join(SAMPLES, "seven.csv")))
        wait_for_answer(before)
        check("One digit mode" in by_id("status").text and by_id("number").text == "–",
              f"a CSV (one 28×28 digit) opened in Number mode is pointed to One digit mode ({by_id('status').text!r})")
        check(post(base, png(84, 28, lambda x, y: 255), "image/png", "/api/number")[0] == 200, "the server reads numbers (/api/number)")
        scale = canvas.size["width"] / 840
        at = lambda x, y: (int((x - 420) * scale), int((y - 140) * scale))
        one = [at(140, y) for y in range(40, 241, 20)]
        seven = [at(x, 50) for x in range(340, 501, 20)] + [at(500 - 10 * t, 50 + 19 * t) for t in range(1, 11)]
        zero = [at(700 + 70 * math.sin(t / 24 * 2 * math.pi), 140 - 95 * math.cos(t / 24 * 2 * math.pi)) for t in range(0, 26)]
        before = answered()
        for points in (one, seven, zero):
            stroke(points).perform()
        wait_for_answer(before)
        status, answer = post(base, pad_png(), "image/png", "/api/number")
        check(status == 200, "the API reads the drawn number")
        shown = by_id("number").text
        check(shown == answer["number"] and len(shown) == 3,
              f"the page shows the API's number for the same PNG, 3 characters ({shown!r})")
        cards = driver.find_elements(By.CSS_SELECTOR, "#digits li")
        check(len(cards) == len(answer["digits"]) and all(
                  card.find_element(By.CLASS_NAME, "read").text == ("?" if d["not_a_digit"] else reads_as(d))
                  for card, d in zip(cards, answer["digits"])),
              "one card per digit, each with the API's reading")
        check(all(same_percent(card.find_element(By.CLASS_NAME, "how").text.split()[-1].rstrip(")"), d["probability"])
                  for card, d in zip(cards, answer["digits"]) if not d["unsure"]),
              "each digit's probability")
        outlined = driver.execute_script(
            "const b = document.getElementById('boxes'); const d = b.getContext('2d').getImageData(0, 0, b.width, b.height).data;"
            "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;")
        check(outlined > 500, f"each digit's box is outlined on the canvas ({outlined} pixels)")
        check(shown == "170", f"the drawn 1, 7 and 0 are read as 170 ({shown!r})")
        shot("number")

        # The same number as a picture of another shape, opened: the boxes follow the picture.
        scan = driver.execute_async_script(
            "const [b64, done] = arguments; const img = new Image();"
            "img.onload = () => { const c = document.createElement('canvas'); c.width = 600; c.height = 400;"
            "  const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, 600, 400); g.drawImage(img, 0, 100, 600, 200);"
            "  done(c.toDataURL('image/png').split(',')[1]); };"
            "img.onerror = () => done(null); img.src = 'data:image/png;base64,' + b64;", base64.b64encode(pad_png()).decode())
        path = os.path.join(work, "number.png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(scan))
        open_file("upload", path, "a picture of a number")
        answer = post(base, open(path, "rb").read(), "image/png", "/api/number")[1]
        check(by_id("number").text == answer["number"] and len(driver.find_elements(By.CSS_SELECTOR, "#digits li")) == len(answer["digits"]),
              f"an opened picture of a number shows the API's number ({answer['number']!r})")
        shot("number-upload")
        driver.set_window_size(390, 844)
        fits = driver.execute_script(
            "const w = window.innerWidth, r = document.getElementById('pad').getBoundingClientRect();"
            "return r.left >= 0 && r.right <= w && document.documentElement.scrollWidth <= w;")
        check(fits, "at phone width the Number canvas fits without scrolling sideways")
        shot("number-phone", whole=True)

        resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        outside = [r for r in resources if not r.startswith(base)]
        check(not outside, f"the page loaded nothing from elsewhere ({len(resources)} requests, all to the server)")
        print("screenshots in", out)
    finally:
        driver.quit()

MODEL = "Resources/digits.safetensors"

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--digits", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    port = free_port()
    server = subprocess.Popen([args.server, "--port", str(port), "--model", MODEL])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(base)
        status_line, reply = declared_too_large(port)
        check(" 413 " in status_line and "over the 1048576-byte limit" in reply,
              "a body declared over 1 MiB is refused with 413 before it is sent")
        with tempfile.TemporaryDirectory() as work:
            same_answers_everywhere(base, args.digits, os.environ.get("MNIST_DIR", ""), work)
            browser(base, args.out, work)
        check(server.poll() is None, "the server is still serving")
        second = subprocess.run([args.server, "--port", str(port), "--model", MODEL], capture_output=True, text=True, timeout=60)
        check(second.returncode == 1 and second.stderr.strip().endswith(f"port {port} on 127.0.0.1 is already in use (another digits-server?): choose another with --port"),
              f"a second server on the same port says the port is taken ({second.returncode}: {second.stderr.strip()[-120:]!r})")
        refused_after, answers, in_flight, idle = sigterm_under_load(server, base, port)
        check(refused_after is not None and refused_after < 1.0,
              f"under load, SIGTERM stops new connections at once (refused after {refused_after} s; {answers})")
        check(in_flight.startswith(b"HTTP/1.1 200 ") and b'"prediction":1' in in_flight,
              f"a request half sent when SIGTERM came is finished and answered ({in_flight[:60]!r})")
        check(idle == b"", f"an idle kept-alive connection is closed cleanly at SIGTERM, not reset ({idle!r})")
    finally:
        server.terminate()  # SIGTERM: a graceful shutdown (again, if the test above did not)
        code = server.wait(timeout=15)
    check(code == 0, f"SIGTERM shuts the server down cleanly (exit {code})")


def server_has_read(port, client):
    """Whether the server has read every byte `client` (a connected socket) sent it: Linux's
    /proc/net/tcp shows the server side's receive queue, empty once the server read it."""
    client_port = client.getsockname()[1]
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            local, remote, queues = fields[1], fields[2], fields[4]
            if int(local.split(":")[1], 16) == port and int(remote.split(":")[1], 16) == client_port:
                return int(queues.split(":")[1], 16) == 0
    return False

def wait_until(condition, what, seconds=5):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            check(False, f"timed out waiting until {what}")
        time.sleep(0.005)  # polling the condition, not standing in for it

def sigterm_under_load(server, base, port):
    """Four clients post CSV digits in a loop; one more connection has sent a request's head
    and half its body (and the server has read them), another is idle after an answer;
    SIGTERM; then a new connection is tried every 20 ms. Returns the seconds until one was
    refused (None if none was within 5 s), how the clients' requests ended, what the half-sent
    request got once its body was finished, and what the idle connection got."""
    body = ",".join("255" if 12 <= i % 28 <= 14 and 4 <= i // 28 < 24 else "0" for i in range(784)).encode()
    head = b"POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n\r\n" % len(body)
    half = socket.create_connection(("127.0.0.1", port), timeout=10)
    half.sendall(head + body[:1000])
    wait_until(lambda: server_has_read(port, half), "the server read the half-sent request")
    idle = socket.create_connection(("127.0.0.1", port), timeout=10)
    idle.sendall(head + body)
    check(idle.recv(65536).startswith(b"HTTP/1.1 200 "), "a kept-alive connection is answered")
    stop, answers, lock = threading.Event(), {}, threading.Lock()
    def client():
        while not stop.is_set():
            try:
                outcome = str(post(base, body, "text/csv")[0])
            except OSError as error:
                outcome = type(getattr(error, "reason", error)).__name__
            with lock:
                answers[outcome] = answers.get(outcome, 0) + 1
    clients = [threading.Thread(target=client) for _ in range(4)]
    for c in clients:
        c.start()
    while sum(answers.values()) < 50:  # the load is on: 50 answers
        time.sleep(0.01)
    start = time.monotonic()
    server.terminate()
    refused_after = None
    while time.monotonic() - start < 5:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            refused_after = round(time.monotonic() - start, 3)
            break
        time.sleep(0.02)
    stop.set()
    for c in clients:
        c.join(timeout=15)
    half.sendall(body[1000:])
    in_flight = b""
    while b"}" not in in_flight:
        chunk = half.recv(65536)
        if not chunk:
            break
        in_flight += chunk
    try:
        closed = idle.recv(100)
    except OSError as error:
        closed = repr(error).encode()
    return refused_after, answers, in_flight, closed

if __name__ == "__main__":
    main()
