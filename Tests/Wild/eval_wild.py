#!/usr/bin/env python3
"""Accuracy of `digits query` on the out-of-MNIST set that make_set.py builds.

    python3 Tests/Wild/eval_wild.py --digits .build/release/digits --set DIR [--model M]
                                    [--json OUT] [--batch 200] [-- extra query args]

Why: MNIST's test accuracy says nothing about photos, scans and drawings. This runs the real
binary on every file of the set (`digits query --json`, ~200 files per process) and prints
accuracy overall, by source, by encoding, by size and ground, and how often an image file and
the same digit's MNIST-normalised CSV line get the same answer (PNG/CSV agreement: where they
differ, the image preprocessing is what lost the digit). When the answers carry "probability"
and "unsure", it reports calibration (mean probability, ECE over 15 bins, unsure rate); when
they carry "not_a_digit", such answers count as wrong for digits and are counted on
DIR/nondigits/. A file the binary cannot read counts as wrong and is listed.
It only reports: exit 0, or 2 when the binary could not be run at all.
"""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys


def variant(row):
    """The manifest's variant column ("k=v;k=v") as a dict."""
    return dict(kv.split("=", 1) for kv in row["variant"].split(";") if "=" in kv)


def run_query(binary, files, query_args):
    """One `digits query --json` over `files`: (answers by source name, error lines, exit code).
    Raises OSError when the binary cannot be started."""
    proc = subprocess.run([binary, "query", "--json", *query_args, *files], capture_output=True, text=True)
    answers = {}
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            answers[obj.get("file", "")] = obj
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    return answers, errors, proc.returncode


def query_all(binary, paths, query_args, batch):
    """All answers for `paths`, ~`batch` images per process; CSV files go alone (many lines each).
    Returns (answers, error lines, failed batches)."""
    answers, errors, failed = {}, [], []
    images = [p for p in paths if not p.endswith(".csv")]
    groups = [images[i:i + batch] for i in range(0, len(images), batch)] + [[p] for p in paths if p.endswith(".csv")]
    for group in groups:
        got, errs, code = run_query(binary, group, query_args)
        answers.update(got)
        errors += errs
        # Failed as a whole: a crash, a usage error, or nothing answered and no file named (the model).
        if code not in (0, 1) or (not got and not any(p in e for e in errs for p in group)):
            failed.append((code, errs[-1] if errs else "no output"))
    return answers, errors, failed


def answer_for(answers, path, line):
    """The answer for a file, or for line `line` of a CSV (`path:line`; a one-line CSV is `path`)."""
    if line:
        return answers.get(f"{path}:{line}") or (answers.get(path) if line == 1 else None)
    return answers.get(path)


def ece(pairs, bins=15):
    """Expected calibration error over (top probability, correct) pairs, equal-width bins."""
    total = len(pairs)
    if not total:
        return None
    err = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, c) for p, c in pairs if lo < p <= hi or (b == 0 and p == 0)]
        if inside:
            err += len(inside) / total * abs(sum(p for p, _ in inside) / len(inside) - sum(c for _, c in inside) / len(inside))
    return err


def table(title, groups):
    """Print `title` and one line per group: name, count, accuracy."""
    print(f"\n{title}")
    for name, results in groups:
        if results:
            right = sum(results)
            print(f"  {name:<28} {len(results):>6}  {100 * right / len(results):6.2f}%  ({len(results) - right} wrong)")


def split_table(title, images, selectors):
    """Print `title` and, per (name, predicate), accuracy over images, PNG and JPEG apart (so a
    format the binary cannot read yet does not hide how the others fare)."""
    print(f"\n{title}{'':<{max(0, 29 - len(title))}}      n   images      png     jpeg")
    for name, keep in selectors:
        cols = [[r["correct"] for r in images if keep(r) and fam in ("all", r["family"])] for fam in ("all", "png", "jpeg")]
        if cols[0]:
            cells = "".join(f"  {100 * sum(c) / len(c):6.2f}%" if c else "        -" for c in cols)
            print(f"  {name:<28} {len(cols[0]):>6}{cells}")


def group_by(rows, key):
    buckets = collections.defaultdict(list)
    for r in rows:
        buckets[key(r)].append(r["correct"])
    return sorted(buckets.items())


def main():
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--digits", required=True, help="the digits binary")
    ap.add_argument("--set", required=True, help="folder written by make_set.py")
    ap.add_argument("--model", help="model file, passed to query as --model")
    ap.add_argument("--json", help="write the numbers here as JSON")
    ap.add_argument("--batch", type=int, default=200, help="image files per query process")
    args = ap.parse_args(argv)
    query_args = (["--model", args.model] if args.model else []) + extra

    rows = list(csv.DictReader(open(os.path.join(args.set, "manifest.csv"))))
    nd_path = os.path.join(args.set, "nondigits", "manifest.csv")
    nondigits = list(csv.DictReader(open(nd_path))) if os.path.exists(nd_path) else []
    for r in rows:
        r["path"] = os.path.join(args.set, r["file"])
    for r in nondigits:
        r["path"] = os.path.join(args.set, "nondigits", r["file"])
    paths = list(dict.fromkeys([r["path"] for r in rows] + [r["path"] for r in nondigits]))
    try:
        answers, errors, failed = query_all(args.digits, paths, query_args, args.batch)
    except OSError as error:
        print(f"eval_wild.py: cannot run {args.digits}: {error}", file=sys.stderr)
        return 2
    if failed and not answers:
        print(f"eval_wild.py: {args.digits} query failed (exit {failed[0][0]}): {failed[0][1]}", file=sys.stderr)
        return 2

    unread = []
    for r in rows:
        a = answer_for(answers, r["path"], int(r["line"]) if r["line"] else 0)
        r["answer"] = a
        r["flagged"] = bool(a and a.get("not_a_digit") is True)
        r["correct"] = bool(a) and not r["flagged"] and a.get("prediction") == int(r["label"])
        r["family"] = r["encoding"].split("-")[0]
        v = variant(r)
        r["size"] = "28x28" if v.get("size") == "28x28" else "larger"
        r["ground"] = v.get("ground", "?")
        if not a:
            why = [e for e in errors if r["path"] in e]
            unread.append(f"{r['file']}{':' + r['line'] if r['line'] else ''}: {why[0] if why else 'no answer'}")
    images = [r for r in rows if r["family"] != "csv"]
    ids = len({r["id"] for r in rows})
    print(f"wild set {args.set}: {ids} digits, {len(images)} image files, {len(rows) - len(images)} CSV lines; "
          f"binary {args.digits}{' ' + ' '.join(query_args) if query_args else ''}")
    overall = [r["correct"] for r in rows]
    table("Accuracy", [("all (images + CSV)", overall), ("images", [r["correct"] for r in images]),
                       ("CSV lines", [r["correct"] for r in rows if r["family"] == "csv"])])
    split_table("By source", images, [(n, lambda r, n=n: r["source"] == n) for n in sorted({r["source"] for r in images})])
    table("By source (CSV)", group_by([r for r in rows if r["family"] == "csv"], lambda r: r["source"]))
    table("By encoding family", group_by(rows, lambda r: r["family"]))
    table("By encoding", group_by(images, lambda r: r["encoding"]))
    table("By size (PNG)", group_by([r for r in images if r["family"] == "png"], lambda r: "png-" + r["size"]))
    table("By size (JPEG)", group_by([r for r in images if r["family"] == "jpeg"], lambda r: "jpeg-" + r["size"]))
    split_table("By ground", images, [(g + "-ground", lambda r, g=g: r["ground"] == g) for g in ("light", "dark", "transparent")])
    conditions = {"fill=small": "small in frame", "place=offcentre": "off-centre", "rule=ruled": "ruled paper",
                  "rule=squared": "squared paper", "edge=": "page edge at margin", "neighbour=": "neighbour sliver",
                  "light=gradient": "uneven light", "blur=": "blurred", "noise=": "sensor noise", "colour=colour": "colour"}
    split_table("By condition (images with it)", images, [(n, lambda r, c=c: c in r["variant"]) for c, n in conditions.items()])

    # Agreement: does the image give the answer its own CSV line gives?
    csv_answer = {r["id"]: r["answer"] for r in rows if r["family"] == "csv"}
    agreement = {}
    print("\nImage/CSV agreement (same prediction for the same digit)")
    for fam in ("png", "jpeg", "image"):
        per_id = collections.defaultdict(list)
        for r in images:
            if fam in ("image", r["family"]):
                c = csv_answer.get(r["id"])
                per_id[r["id"]].append(bool(r["answer"] and c) and r["answer"].get("prediction") == c.get("prediction"))
        agree = [all(v) for v in per_id.values()]
        if agree:
            agreement[fam] = sum(agree) / len(agree)
            print(f"  {fam.upper() + '/CSV':<28} {len(agree):>6}  {100 * agreement[fam]:6.2f}%")
    disagreements = []
    for r in images:
        c = csv_answer.get(r["id"])
        got, line = (r["answer"] or {}).get("prediction"), (c or {}).get("prediction")
        if got != line:
            disagreements.append(f"{r['file']} ({r['variant']}): label {r['label']}, image {got}, CSV line {line}")
    if disagreements:
        print(f"  where they differ ({len(disagreements)} files):")
        for d in disagreements:
            print(f"    {d}")

    answered = [r for r in rows if r["answer"] and r["answer"].get("prediction") is not None]
    key = "probability" if any("probability" in r["answer"] for r in answered) else (
        "confidence" if any("confidence" in r["answer"] for r in answered) else None)
    calibration = {}
    if key:
        pairs = [(float(r["answer"][key]), r["correct"]) for r in answered if key in r["answer"]]
        calibration = {"key": key, "mean": sum(p for p, _ in pairs) / len(pairs), "ece": ece(pairs)}
        unsure = [bool(r["answer"].get("unsure")) for r in answered if "unsure" in r["answer"]]
        if unsure:
            calibration["unsure_rate"] = sum(unsure) / len(unsure)
            calibration["accuracy_when_sure"] = (
                sum(r["correct"] for r in answered if r["answer"].get("unsure") is False)
                / max(1, sum(1 for r in answered if r["answer"].get("unsure") is False)))
        note = "" if key == "probability" else "  (no \"probability\" field: the confidence, a share of scores)"
        print(f"\nCalibration on {len(pairs)} answers{note}")
        print(f"  mean {key:<23} {calibration['mean']:.4f}\n  ECE (15 bins)                {calibration['ece']:.4f}")
        if unsure:
            print(f"  unsure rate                  {100 * calibration['unsure_rate']:.2f}%"
                  f"\n  accuracy when sure           {100 * calibration['accuracy_when_sure']:.2f}%")
    has_flag = any("not_a_digit" in a for a in answers.values())
    flagged_digits = sum(r["flagged"] for r in rows)
    nd = {"count": len(nondigits)}
    if nondigits:
        got = [answers.get(r["path"]) for r in nondigits]
        nd["answered"] = sum(1 for a in got if a)
        nd["predictions"] = dict(sorted(collections.Counter(str(a.get("prediction", "none")) for a in got if a).items()))
        print(f"\nNon-digits: {len(nondigits)} pictures, {nd['answered']} answered; predictions {nd['predictions']}")
        if has_flag:
            nd["not_a_digit"] = sum(1 for a in got if a and a.get("not_a_digit") is True)
            print(f"  not_a_digit: {nd['not_a_digit']} of {len(nondigits)} non-digits; "
                  f"{flagged_digits} of {len(rows)} digits (counted wrong)")
            for r, a in zip(nondigits, got):
                if not (a and a.get("not_a_digit") is True):
                    print(f"    taken for a digit: {r['file']} ({r['kind']})")
            reasons = collections.Counter(r["answer"].get("reason", "?") for r in rows if r["flagged"])
            for why, n in reasons.most_common():
                files = [r["file"] + (":" + r["line"] if r["line"] else "") for r in rows
                         if r["flagged"] and r["answer"].get("reason", "?") == why]
                print(f"    digits called not a digit: {n} x {why}: {', '.join(files[:4])}{' ...' if n > 4 else ''}")
            nd["digits_flagged_by_reason"] = dict(reasons)
            nd["digits_flagged"] = [r["file"] + (":" + r["line"] if r["line"] else "") for r in rows if r["flagged"]]
        else:
            print("  (the answers have no \"not_a_digit\" field)")
        if any(a and "unsure" in a for a in got):
            nd["unsure"] = sum(1 for a in got if a and a.get("unsure") is True)
            print(f"  unsure: {nd['unsure']} of {len(nondigits)}")
    if unread:
        print(f"\nNot answered ({len(unread)}, counted wrong), by reason:")
        reasons = collections.defaultdict(list)
        for r in rows:
            if not r["answer"]:
                why = next((e for e in errors if r["path"] in e), "no answer")
                reasons[why.replace(r["path"], "FILE")].append(r["file"] + (":" + r["line"] if r["line"] else ""))
        for why, files in sorted(reasons.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(files):>5} x {why}: {', '.join(files[:3])}{' ...' if len(files) > 3 else ''}")
    if failed:
        print(f"\n{len(failed)} query process(es) failed: " + "; ".join(f"exit {c}: {m}" for c, m in failed[:3]))

    if args.json:
        def acc(groups):
            return {k: {"n": len(v), "accuracy": sum(v) / len(v)} for k, v in groups if v}
        out = {"digits": ids, "accuracy": sum(overall) / len(overall),
               "images": acc([("images", [r["correct"] for r in images])]).get("images"),
               "by_source": acc(group_by(images, lambda r: r["source"])),
               "by_source_csv": acc(group_by([r for r in rows if r["family"] == "csv"], lambda r: r["source"])),
               "by_family": acc(group_by(rows, lambda r: r["family"])),
               "by_encoding": acc(group_by(images, lambda r: r["encoding"])),
               "by_size": acc(group_by(images, lambda r: r["family"] + "-" + r["size"])),
               "by_ground": acc(group_by(images, lambda r: r["ground"])),
               "by_condition": acc([(n, [r["correct"] for r in images if c in r["variant"]]) for c, n in conditions.items()]),
               "agreement": agreement, "disagreements": disagreements, "calibration": calibration, "nondigits": nd,
               "not_a_digit_on_digits": flagged_digits if has_flag else None,
               "unanswered": len(unread), "unanswered_files": unread, "failed_batches": len(failed)}
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
