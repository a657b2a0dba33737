#!/usr/bin/env python3
"""The drawing page in a real browser, and the server as a client sees it (`make test-browser`).

Starts digits-server on a free port, then:
  - a body declared over 1 MiB is refused (413) before it is sent;
  - the PNG and CSV of MNIST test images get the same prediction from the API, from
    `digits query`, and from `digits evaluate` (when MNIST_DIR has the files);
  - headless Chromium, driven by Selenium through Debian's chromium-driver, draws a vertical
    line (a 1) and a closed loop (a 0) on the canvas with pointer events, checks what the page
    shows, clears it from the keyboard, checks the page loaded nothing from elsewhere and fits
    a phone's width, and saves screenshots.
Exits 0 when all hold; prints SKIP and exits 0 when Selenium or chromium-driver is missing.
"""
import argparse, gzip, json, os, socket, struct, subprocess, sys, tempfile, time, urllib.request

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def post(base, body, content_type):
    request = urllib.request.Request(base + "/api/predict", data=body, method="POST", headers={"Content-Type": content_type})
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
    query = subprocess.run([digits, "query", "--json"] + files, check=True, capture_output=True, text=True).stdout
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

def browser(base, out):
    try:
        from selenium import webdriver
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("SKIP: browser test: Selenium is not installed (pip install selenium)")
        return
    driver_path = next((p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if os.path.exists(p)), None)
    if driver_path is None:
        print("SKIP: browser test: chromium-driver is not installed (apt-get install chromium-driver)")
        return
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get(base + "/")
        canvas = driver.find_element(By.ID, "pad")

        def answered():
            return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-answered"))

        def draw(points):
            before = answered()
            actions = ActionChains(driver)
            actions.move_to_element_with_offset(canvas, *points[0]).click_and_hold()
            for (x0, y0), (x1, y1) in zip(points, points[1:]):
                actions.move_by_offset(x1 - x0, y1 - y0)
            actions.release().perform()
            deadline = time.time() + 10
            while answered() == before and time.time() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)  # the answer to the last stroke, not an earlier debounce
            return driver.find_element(By.ID, "prediction").text

        size = canvas.size["width"]
        scale = size / 280  # offsets are from the canvas centre, in CSS pixels
        line = [(0, int(y * scale)) for y in range(-100, 101, 10)]
        check(draw(line) == "1", "a vertical line drawn on the canvas is read as 1")
        seen = driver.execute_script(
            "const d = document.getElementById('seen').getContext('2d').getImageData(0,0,28,28).data;"
            "let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 128) n++; return n;")
        check(seen > 20, f"the page shows the 28×28 image the network saw ({seen} inked pixels)")
        bars = driver.find_elements(By.CSS_SELECTOR, "#scores li")
        check(len(bars) == 10, "ten score bars")
        driver.save_screenshot(os.path.join(out, "page-one.png"))

        clear = driver.find_element(By.ID, "clear")
        clear.send_keys(Keys.ENTER)  # the keyboard: Clear is a focusable button
        check(driver.find_element(By.ID, "prediction").text == "–", "Clear (by keyboard) empties the answer")

        import math
        loop = [(int(70 * scale * math.sin(t / 24 * 2 * math.pi)), int(-95 * scale * math.cos(t / 24 * 2 * math.pi)))
                for t in range(0, 26)]
        check(draw(loop) == "0", "a closed loop is read as 0")
        driver.save_screenshot(os.path.join(out, "page-zero.png"))

        resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        outside = [r for r in resources if not r.startswith(base)]
        check(not outside, f"the page loaded nothing from elsewhere ({len(resources)} requests, all to the server)")

        driver.set_window_size(390, 844)
        fits = driver.execute_script(
            "const r = document.getElementById('pad').getBoundingClientRect();"
            "const c = document.getElementById('clear').getBoundingClientRect();"
            "return r.left >= 0 && r.right <= window.innerWidth && c.right <= window.innerWidth"
            " && document.documentElement.scrollWidth <= window.innerWidth;")
        check(fits, "at phone width (390 px) the canvas and Clear fit without scrolling sideways")
        driver.save_screenshot(os.path.join(out, "page-phone.png"))
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
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        status_line, reply = declared_too_large(port)
        check(" 413 " in status_line and "over the 1048576-byte limit" in reply,
              "a body declared over 1 MiB is refused with 413 before it is sent")
        with tempfile.TemporaryDirectory() as work:
            same_answers_everywhere(base, args.digits, os.environ.get("MNIST_DIR", ""), work)
        browser(base, args.out)
        check(server.poll() is None, "the server is still serving")
    finally:
        server.terminate()  # SIGTERM: a graceful shutdown
        code = server.wait(timeout=15)
    check(code == 0, f"SIGTERM shuts the server down cleanly (exit {code})")

if __name__ == "__main__":
    main()
