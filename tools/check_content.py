"""Check the learning guidance or the action catalogue files (no Django needed).

Usage: python tools/check_content.py guidance|actions [FILE...]
With no file, every file is checked and every domain must be covered.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from parcours.actions import catalogue
from parcours.learning import content


def main(argv: list[str]) -> int:
    kind = argv[0] if argv else "guidance"
    files = [Path(a) for a in argv[1:]] or None
    if kind == "guidance":
        errors = content.validate(files)
    else:
        errors = catalogue.validate(catalogue.read_catalogue(files), require_all_domains=files is None)
    for error in errors:
        print(error)
    print(f"{kind}: {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
