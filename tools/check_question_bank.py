"""Check the question bank files without a Django set-up.

Usage: python tools/check_question_bank.py [QUESTION_FILE...]
With no argument every file of the latest referential version is checked, and every
domain must have its questions; with files, only their core subjects are checked.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from parcours.referential.bank import latest_version_dir, read_bank, validate


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or None
    bank = read_bank(latest_version_dir(), files)
    errors = validate(bank, require_all_domains=files is None)
    for error in errors:
        print(error)
    count = sum(len(d["questions"]) for cs in bank["core_subjects"] for d in cs["domains"])
    print(f"{count} questions, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
