#!/usr/bin/env python3
"""Puts one benchmark's markdown section into docs/benchmarks.md.

    scripts/bench-section.py DOC NAME FRAGMENT

Replaces what stands between the lines `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in DOC
with the contents of FRAGMENT, or appends the marked section when DOC has none yet, so that each
benchmark can be rerun alone without losing the others' figures. The section ends with when and
on what machine it was measured.
"""
import datetime
import os
import pathlib
import platform
import re
import sys


def machine() -> str:
    model = "unknown CPU"
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"Measured {when} on {os.cpu_count()} CPUs ({model}), kernel {platform.release()}."


def splice(doc: str, name: str, fragment: str) -> str:
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{begin}\n{fragment.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(doc):
        return pattern.sub(lambda _: block, doc, count=1)
    return doc.rstrip("\n") + "\n\n" + block + "\n"


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    doc, name, fragment = pathlib.Path(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3])
    if not re.fullmatch(r"[a-z0-9-]+", name):
        sys.exit(f"bench-section: NAME must be lowercase letters, digits and dashes, not {name!r}")
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    doc.write_text(splice(text, name, fragment.read_text().rstrip() + "\n\n" + machine() + "\n"))


if __name__ == "__main__":
    main()
