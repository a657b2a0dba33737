"""Tests of run_snippets.py on small Markdown files made here.

    python3 -m unittest discover -s Tests/Readme -p 'test_*.py'   (also part of make test-readme)
"""

import contextlib
import io
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_snippets  # noqa: E402

FENCE = "```"


def markdown(*blocks):
    """A Markdown text of (marked, language, code) blocks, each after a line of prose."""
    parts = []
    for marked, language, code in blocks:
        parts.append("Some prose.\n" + (run_snippets.MARK + "\n" if marked else "") + f"{FENCE}{language}\n{code}\n{FENCE}\n")
    return "\n".join(parts)


def run_on(text):
    """run_snippets.main on a README holding `text`: (exit status, what it printed)."""
    with tempfile.TemporaryDirectory() as folder:
        readme = Path(folder) / "README.md"
        readme.write_text(text)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = run_snippets.main(["--readme", str(readme)])
        return status, out.getvalue()


class MarkedSnippetsTests(unittest.TestCase):
    def test_only_marked_blocks_with_their_fence_lines(self):
        text = markdown((False, "sh", "echo shown"), (True, "sh", "echo one\necho two"), (True, "python", "print(1)"))
        found = run_snippets.marked_snippets(text)
        self.assertEqual([(s.line, s.language, s.code) for s in found],
                         [(8, "sh", "echo one\necho two\n"), (15, "python", "print(1)\n")])

    def test_a_marked_block_inside_another_is_not_a_block(self):
        text = f"{FENCE}markdown\n{run_snippets.MARK}\n{FENCE}sh\n"
        self.assertEqual(run_snippets.marked_snippets(text), [])


class RunTests(unittest.TestCase):
    def test_passing_blocks_pass(self):
        status, out = run_on(markdown((True, "sh", "test -f README.md"), (True, "python", "import json\nprint(json.dumps(1))")))
        self.assertEqual(status, 0, out)
        self.assertIn("README.md:3: ok (sh)", out)

    def test_a_failing_block_fails_naming_its_line(self):
        status, out = run_on(markdown((True, "sh", "true"), (True, "sh", "false\necho not reached")))
        self.assertEqual(status, 1)
        self.assertIn("README.md:9: FAILED (exit 1)", out)
        self.assertNotIn("not reached\n", out.split("output:")[-1])

    def test_a_failing_command_in_a_pipe_fails(self):
        status, out = run_on(markdown((True, "sh", "false | cat")))
        self.assertEqual(status, 1, out)

    def test_a_missing_python_package_is_skipped_and_named(self):
        status, out = run_on(markdown((True, "python", "import no_such_package_here as p\nfrom os import path")))
        self.assertEqual(status, 0, out)
        self.assertIn("README.md:3: skipped: the Python package no_such_package_here is not installed", out)

    def test_any_other_python_error_fails(self):
        status, out = run_on(markdown((True, "python", "import json\njson.loads('{')")))
        self.assertEqual(status, 1)
        self.assertIn("README.md:3: FAILED", out)
        self.assertIn("JSONDecodeError", out)

    def test_a_marked_block_of_another_language_fails(self):
        status, out = run_on(markdown((True, "swift", "print(1)")))
        self.assertEqual(status, 1)
        self.assertIn("a swift block cannot be run", out)

    def test_no_marked_block_is_an_error(self):
        status, out = run_on(markdown((False, "sh", "true")))
        self.assertEqual(status, 2)
        self.assertIn("no block is marked", out)


if __name__ == "__main__":
    unittest.main()
