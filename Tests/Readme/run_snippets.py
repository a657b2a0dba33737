#!/usr/bin/env python3
"""Runs the README's runnable snippets, so that what it tells a new user to type does work.

The marking: a ```sh or ```python block is runnable when the line just before its opening
fence is exactly

    <!-- run -->

(an HTML comment, which GitHub does not show). Every other block is only shown. Mark a block
only when every line of it runs on a CI machine from a fresh clone, in seconds: no MNIST, no
trained model (the model shipped in Resources/digits.safetensors and the digits in
Resources/samples/ are there for this), and nothing written into the checkout.

How each runs: in the repository root; sh through `bash -e -o pipefail` (every command must
succeed), with `--bin DIR` first on PATH so that a bare `digits` is the binary just built;
python through the python3 running this script. A python block that imports a package not
installed here is skipped, naming the package: that is the one reason to skip. Any other
failure fails, naming the README line of the block's opening fence.

    python3 Tests/Readme/run_snippets.py [--readme README.md] [--bin .build/debug]

Exit status: 0 when every marked block ran or was skipped, 1 when one failed, 2 when the
README has no marked block (a broken marking should not pass as "nothing failed").
"""

import argparse
import ast
import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MARK = "<!-- run -->"
RUNNERS = {"sh": ["bash", "-e", "-o", "pipefail", "-c"], "python": [sys.executable, "-c"]}
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 600  # seconds; generous, since the first `swift run` may build


@dataclass
class Snippet:
    line: int  # 1-based line of the opening fence
    language: str
    code: str


def marked_snippets(text):
    """The blocks of `text` marked runnable, in order."""
    lines = text.split("\n")
    found, i = [], 0
    while i < len(lines):
        fence = lines[i].strip()
        if fence.startswith("```") and len(fence) > 3:
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), len(lines))
            if i > 0 and lines[i - 1].strip() == MARK:
                found.append(Snippet(i + 1, fence[3:].strip(), "\n".join(lines[i + 1:end]) + "\n"))
            i = end
        i += 1
    return found


def missing_packages(code):
    """The top-level packages a python block imports that this Python cannot find."""
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return sorted(name for name in names if importlib.util.find_spec(name) is None)


def run(snippet, where, readme, env):
    """Runs one block; returns True when it passed or was skipped, and says which."""
    label = f"{readme}:{snippet.line}"
    if snippet.language not in RUNNERS:
        print(f"{label}: FAILED: marked {MARK} but a {snippet.language or 'plain'} block cannot be run (sh or python)")
        return False
    if snippet.language == "python":
        try:
            missing = missing_packages(snippet.code)
        except SyntaxError as error:
            print(f"{label}: FAILED: not valid Python: {error}")
            return False
        if missing:
            what = f"package {missing[0]} is" if len(missing) == 1 else f"packages {', '.join(missing)} are"
            print(f"{label}: skipped: the Python {what} not installed (pip install {' '.join(missing)})")
            return True
    try:
        result = subprocess.run(RUNNERS[snippet.language] + [snippet.code], cwd=where, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"{label}: FAILED: still running after {TIMEOUT} s (a README example should take seconds)")
        return False
    if result.returncode != 0:
        print(f"{label}: FAILED (exit {result.returncode}), the {snippet.language} block:\n{snippet.code}output:\n{result.stdout}")
        return False
    print(f"{label}: ok ({snippet.language})")
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the README's blocks marked " + MARK + ".")
    parser.add_argument("--readme", default=str(ROOT / "README.md"), help="the Markdown file (default: the repository's README.md)")
    parser.add_argument("--bin", help="a folder put first on PATH, holding the digits binary to run (e.g. .build/debug)")
    args = parser.parse_args(argv)
    readme = Path(args.readme)
    snippets = marked_snippets(readme.read_text(encoding="utf-8"))
    if not snippets:
        print(f"{readme}: no block is marked {MARK}: nothing to run")
        return 2
    env = dict(os.environ)
    if args.bin:
        env["PATH"] = str(Path(args.bin).resolve()) + os.pathsep + env.get("PATH", "")
    where = readme.resolve().parent
    results = [run(snippet, where, readme.name, env) for snippet in snippets]
    failed = results.count(False)
    print(f"{len(snippets)} marked blocks: {len(snippets) - failed} passed or skipped, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
