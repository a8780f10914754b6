#!/usr/bin/env python3
"""Rewrites the field table between the field-table markers of README.md from the CRD."""
import io
import re
import sys
from contextlib import redirect_stdout
from importlib.machinery import SourceFileLoader
from pathlib import Path

readme, crd = Path(sys.argv[1]), sys.argv[2]
table = SourceFileLoader("field_table", str(Path(__file__).with_name("field-table.py"))).load_module()
buffer = io.StringIO()
with redirect_stdout(buffer):
    table.main(crd)
text = readme.read_text()
new = re.sub(r"(<!-- field-table:begin -->\n).*?(<!-- field-table:end -->)",
             lambda m: m.group(1) + buffer.getvalue().lstrip("\n") + m.group(2), text, flags=re.S)
readme.write_text(new)
