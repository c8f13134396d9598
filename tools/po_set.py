"""Set French translations from the command line: python tools/po_set.py 'msgid' 'msgstr' [--context C].

Clears the fuzzy flag of the entry it sets. For quick fixes; translators edit the .po directly.
"""

import argparse
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/parcours/locale/fr/LC_MESSAGES/django.po"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pairs", nargs="+", help="msgid msgstr [msgid msgstr ...]")
    parser.add_argument("--context")
    args = parser.parse_args()
    po = polib.pofile(str(PO), wrapwidth=79)
    pairs = list(zip(args.pairs[::2], args.pairs[1::2], strict=True))
    for msgid, msgstr in pairs:
        entry = po.find(msgid, msgctxt=args.context) if args.context else po.find(msgid)
        if entry is None:
            raise SystemExit(f"not in the catalogue: {msgid!r}")
        entry.msgstr = msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    po.save()


if __name__ == "__main__":
    main()
