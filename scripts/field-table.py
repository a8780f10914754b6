#!/usr/bin/env python3
"""Prints the README's field reference table from the generated CRD, so the two cannot drift.

Usage: scripts/field-table.py crds/virtualguests.kvmguest.io.yaml > table.md
"""
import sys

import yaml


def type_of(node):
    if "enum" in node:
        return " \\| ".join(f"`{e}`" for e in node["enum"])
    if node.get("x-kubernetes-int-or-string"):
        return "quantity"
    kind = node.get("type", "")
    if kind == "array":
        item = node["items"]
        if "enum" in item:
            return "list of " + " \\| ".join(f"`{e}`" for e in item["enum"])
        return "list of " + item.get("type", "")
    if kind == "object" and "additionalProperties" in node:
        return "map"
    return kind


def rows(node, path, required):
    extra = []
    if "default" in node:
        value = node["default"]
        extra.append(f"default `{str(value).lower() if isinstance(value, bool) else value}`")
    if required:
        extra.append("required")
    description = node.get("description", "").replace("|", "\\|")
    suffix = f" ({', '.join(extra)})" if extra else ""
    out = [f"| `{path}` | {type_of(node)} | {description}{suffix} |"]
    holder = node["items"] if "items" in node else node
    separator = "[]." if "items" in node else "."
    for name, child in holder.get("properties", {}).items():
        out += rows(child, path + separator + name, name in holder.get("required", []))
    return out


def main(crd_path):
    crd = yaml.safe_load(open(crd_path))
    props = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]
    for top in ("spec", "status"):
        print(f"\n#### {top}\n\n| field | type | meaning |\n|---|---|---|")
        print("\n".join(rows(props[top], top, False)[1:]))


if __name__ == "__main__":
    main(sys.argv[1])
