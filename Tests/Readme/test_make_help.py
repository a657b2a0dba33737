"""`make help` lists every target with its one-line description, and `make` alone prints it.

    python3 -m unittest discover -s Tests/Readme -p 'test_*.py'   (also part of make test-readme)
"""

import re
import subprocess
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make(*args):
    return subprocess.run(["make", "--no-print-directory", "-s", *args], cwd=ROOT, check=True,
                          stdout=subprocess.PIPE, text=True).stdout


class MakeHelpTests(unittest.TestCase):
    longMessage = False
    def test_every_phony_target_is_listed_with_a_description(self):
        text = (ROOT / "Makefile").read_text()
        phony = re.search(r"^\.PHONY:(.*)$", text, re.M).group(1).split()
        listed = {}
        for line in make("help").splitlines():
            name, _, description = line.strip().partition(" ")
            listed[name] = description.strip()
        for target in phony:
            self.assertIn(target, listed, f"make help does not list {target} (give it a '## {target}: …' line)")
            self.assertTrue(listed[target], f"{target} has no description")
        self.assertEqual(list(listed)[0], "help")

    def test_descriptions_show_values_not_variable_names(self):
        self.assertNotIn("$(", make("help"))

    def test_make_alone_prints_the_list(self):
        self.assertEqual(make(), make("help"))


if __name__ == "__main__":
    unittest.main()
