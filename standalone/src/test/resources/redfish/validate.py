#!/usr/bin/env python3
"""Validates a JSON document against a DMTF Redfish schema in this folder, offline.

    validate.py SCHEMA_DIR SCHEMA_FILE DOCUMENT_FILE

Prints "valid", or one line per violation (path: message) and exits 1.
"""
import json
import os
import sys
import warnings

import jsonschema

BASE = "http://redfish.dmtf.org/schemas/v1/"


def main():
    folder, schema_file, document_file = sys.argv[1:4]
    store = {}
    for name in os.listdir(folder):
        if name.endswith(".json"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                store[BASE + name] = json.load(f)
    schema = store[BASE + schema_file]
    with open(document_file, encoding="utf-8") as f:
        document = json.load(f)
    with warnings.catch_warnings():
        # RefResolver is what both Debian's jsonschema (4.10) and later ones take.
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver(BASE + schema_file, schema, store=store)
        validator = jsonschema.Draft7Validator(schema, resolver=resolver)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    if not errors:
        print("valid")
        return 0
    for error in errors:
        print("/".join(str(p) for p in error.path) + ": " + error.message)
    return 1


if __name__ == "__main__":
    sys.exit(main())
